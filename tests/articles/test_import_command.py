import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Citation, Company, Posting
from forum.models import Thread

DATA = Path(__file__).parent / "data"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_articles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fixture(tmp_path, name: str) -> str:
    target = tmp_path / name
    shutil.copy(DATA / name, target)
    return str(target)


def table_counts():
    return tuple(
        model.objects.count() for model in (Article, Thread, Company, Posting, Citation)
    )


def test_dry_run_prints_the_documented_json_and_writes_nothing(db, tmp_path):
    path = fixture(tmp_path, "fr-money-forms.txt")

    out, _err = run("--dry-run", "--format", "json", path)

    data = json.loads(out)
    (article,) = data["articles"]
    assert list(article) == [
        "file",
        "title",
        "published",
        "source",
        "author",
        "body",
        "questions",
        "postings",
    ]
    assert article["file"] == path
    assert article["title"] == "Trois offres repérées cette semaine"
    assert article["published"] == "2024"
    assert article["questions"] == ["Et vous, postuleriez-vous ?"]
    posting = article["postings"][0]
    evidence = (
        "La start-up lyonnaise Zephyra recrute une ingénieure MLOps "
        "payée 110 k€ par an."
    )
    assert posting.pop("sources") == {
        "company": evidence,
        "title": evidence,
        "pay": evidence,
        "location": evidence,
    }
    assert 0.5 < posting.pop("confidence") <= 1
    assert posting.pop("merged_by") == []
    assert posting == {
        "company": "Zephyra",
        "title": "ingénieure MLOps",
        "salary_min": 110_000,
        "salary_max": 110_000,
        "currency": "EUR",
        "period": "year",
        "location": "Lyon",
        "remote": False,
        "url": "",
        "evidence": "La start-up lyonnaise Zephyra recrute une ingénieure MLOps "
        "payée 110 k€ par an.",
    }
    assert table_counts() == (0, 0, 0, 0, 0)


def test_dry_run_applies_the_overrides_to_each_file(db, tmp_path):
    paths = [fixture(tmp_path, "fr-glued.txt"), fixture(tmp_path, "en-offers.txt")]

    out, _err = run(
        "--dry-run",
        "--format",
        "json",
        "--title",
        "Titre imposé",
        "--source",
        "Le Quotidien",
        "--published",
        "2024-02-29",
        *paths,
    )

    articles = json.loads(out)["articles"]
    assert [(a["title"], a["source"], a["published"]) for a in articles] == [
        ("Titre imposé", "Le Quotidien", "2024-02-29"),
        ("Titre imposé", "Le Quotidien", "2024-02-29"),
    ]


def test_import_reports_what_it_created_then_that_nothing_changed(db, tmp_path):
    path = fixture(tmp_path, "fr-glued.txt")

    first, _err = run(path)
    second, _err = run(path)

    assert "Articles: 1 created, 0 updated, 0 unchanged" in first
    assert "postings: 9 created" in first
    assert "Articles: 0 created, 0 updated, 1 unchanged" in second
    assert table_counts() == (1, 3, 7, 9, 9)


def test_draft_option_imports_unpublished(db, tmp_path):
    run("--draft", fixture(tmp_path, "fr-glued.txt"))

    assert Article.objects.get().status == Article.Status.DRAFT


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        ("Un texte en Latin-1 : été.".encode("latin-1"), "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    ],
)
def test_bad_file_is_reported_and_the_others_still_imported(
    db, tmp_path, content, reason
):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = fixture(tmp_path, "fr-money-forms.txt")

    with pytest.raises(CommandError):
        run(str(bad), good)

    assert Article.objects.get().import_key == "fr-money-forms"


def test_bad_file_error_is_one_line_naming_the_file(db, tmp_path):
    bad = tmp_path / "latin.txt"
    bad.write_bytes("Café crème".encode("latin-1"))
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError):
        call_command("import_articles", str(bad), stdout=out, stderr=err)

    (line,) = err.getvalue().strip().splitlines()
    assert line.startswith(f"{bad}: pas du texte UTF-8")


def test_file_over_five_megabytes_is_refused(db, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Un paragraphe sur les salaires.\n" * 200_000, encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_articles", str(big), stdout=StringIO(), stderr=err)

    assert "le fichier dépasse 5 Mo" in err.getvalue()
    assert Article.objects.count() == 0


def test_missing_file_is_reported(db, tmp_path):
    err = StringIO()

    with pytest.raises(CommandError):
        call_command(
            "import_articles", str(tmp_path / "nope.txt"), stdout=StringIO(), stderr=err
        )

    assert "nope.txt: cannot be read" in err.getvalue()


def test_unreadable_published_option_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="--published"):
        run("--published", "hier", fixture(tmp_path, "fr-glued.txt"))
