import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.importer.evaluate import (
    Report,
    content_words,
    evaluate,
    fold,
    normalize,
    score_article,
)
from articles.importer.load import BINARY

SAMPLE = Path(__file__).parent / "data" / "eval"


def offer(**fields):
    """An extracted posting in the shape of `import_articles --format json`."""
    return {
        "company": "Zephyra",
        "title": "ingénieure MLOps",
        "salary_min": 65_000,
        "salary_max": 65_000,
        "currency": "EUR",
        "period": "year",
        "location": "Lyon",
        "remote": False,
        "url": "",
        "evidence": "Zephyra recrute une ingénieure MLOps à Lyon pour 65 000 euros.",
        **fields,
    }


def wanted(**fields):
    """An expected posting in the shape of expected.json."""
    posting = {
        "company": "Zephyra",
        "role": "ingénieure MLOps",
        "salary_min": 65_000,
        "salary_max": 65_000,
        "currency": "EUR",
        "period": "year",
        "location": "Lyon",
        **fields,
    }
    return {key: value for key, value in posting.items() if value is not ...}


def entry(*postings, **fields):
    return {
        "title": "Les start-up lyonnaises recrutent",
        "published": "2024-05",
        "questions": ["Ces salaires sont-ils justifiés ?"],
        "tolerated_questions": [],
        "source": None,
        "author": None,
        "postings": list(postings),
        **fields,
    }


def article(*postings, **fields):
    return {
        "file": "lyon.txt",
        "title": "Les start-up lyonnaises recrutent",
        "published": "2024-05",
        "source": "",
        "author": "",
        "body": "Zephyra recrute une ingénieure MLOps à Lyon pour 65 000 euros.",
        "questions": ["Ces salaires sont-ils justifiés ?"],
        "postings": list(postings),
        **fields,
    }


def run(*args):
    out = StringIO()
    call_command("evaluate_importer", *args, stdout=out)
    return out.getvalue()


def test_normalising_joins_unicode_spaces_and_straightens_apostrophes():
    assert normalize("  L’offre\u202f:\u00a0 65\u202f000 €\n") == "L'offre : 65 000 €"


def test_folding_drops_case_and_accents():
    assert fold("Société  Générale") == "societe generale"


def test_content_words_leave_out_short_and_stop_words():
    assert content_words("Chef de produit en IA d'un studio") == [
        "chef",
        "produit",
        "ia",
        "studio",
    ]


def test_perfect_match_scores_one():
    score = score_article(entry(wanted()), article(offer()))

    assert (score.matched, score.misses, score.extras) == (1, [], [])
    assert (score.roles, score.locations) == ((1, 1), (1, 1))
    assert all(check.ok for check in score.checks.values())


def test_wrong_salary_is_a_miss_and_an_extra():
    score = score_article(entry(wanted()), article(offer(salary_max=70_000)))

    assert score.matched == 0
    assert score.misses[0].why == ["pay differs"]
    assert score.extras == [offer(salary_max=70_000)]


def test_duplicate_posting_costs_precision_only():
    report = Report(scores=[score_article(entry(wanted()), article(offer(), offer()))])

    assert report.precision_recall_f1 == (0.5, 1.0, pytest.approx(2 / 3))


def test_company_matches_when_contained_either_way_after_folding():
    score = score_article(
        entry(wanted(company="Societe Generale")),
        article(offer(company="Société Générale Assurances")),
    )

    assert score.matched == 1


def test_absent_minimum_accepts_none_or_the_maximum():
    expected = entry(wanted(salary_min=..., salary_max=80_000))

    for low, matched in ((None, 1), (80_000, 1), (60_000, 0)):
        found = offer(salary_min=low, salary_max=80_000)
        assert score_article(expected, article(found)).matched == matched


def test_null_maximum_expects_null():
    expected = entry(wanted(salary_min=52_000, salary_max=None))

    assert score_article(expected, article(offer(salary_min=52_000))).matched == 0
    found = offer(salary_min=52_000, salary_max=None)
    assert score_article(expected, article(found)).matched == 1


def test_url_must_match_ignoring_a_trailing_slash_or_full_stop():
    expected = entry(wanted(url="https://zephyra.example/emplois/mlops"))

    right = offer(url="https://zephyra.example/emplois/mlops/.")
    wrong = offer(url="https://zephyra.example/emplois/")
    assert score_article(expected, article(right)).links == (1, 1)
    missed = score_article(expected, article(wrong))
    assert (missed.links, missed.misses[0].why) == ((0, 1), ["url differs"])


def test_pairing_prefers_the_posting_with_the_same_url():
    expected = entry(wanted(url="https://zephyra.example/a"))
    first, second = offer(), offer(url="https://zephyra.example/a")

    score = score_article(expected, article(first, second))

    assert score.matches[0].extracted is second
    assert score.extras == [first]


def test_pairing_finds_a_partner_for_every_posting_it_can():
    any_minimum = wanted(role="ingénieure MLOps", salary_min=...)
    exact_minimum = wanted(role="data scientist")
    both = offer(title="ingénieure MLOps")
    open_minimum = offer(title="data scientist", salary_min=None)

    score = score_article(
        entry(any_minimum, exact_minimum), article(both, open_minimum)
    )

    assert (score.matched, score.misses, score.extras) == (2, [], [])
    assert [m.extracted for m in score.matches] == [open_minimum, both]


def test_pairing_prefers_the_posting_whose_role_shares_more_words():
    expected = entry(wanted(role="ingénieure MLOps"), wanted(role="data scientist"))
    vague, exact = offer(title="ingénieure"), offer(title="ingénieure MLOps")

    score = score_article(expected, article(vague, exact))

    assert [m.extracted for m in score.matches] == [exact, vague]


def test_role_is_right_with_half_of_its_content_words():
    expected = entry(wanted(role="chef de produit en IA conversationnelle"))

    half = score_article(expected, article(offer(title="chef de projet IA")))
    less = score_article(expected, article(offer(title="chef de projet")))

    assert (half.roles, less.roles) == ((1, 1), (0, 1))


def test_location_is_right_when_the_city_is_contained_either_way():
    expected = entry(wanted(location="Bâle"))

    right = score_article(expected, article(offer(location="Bale, Suisse")))
    wrong = score_article(expected, article(offer(location="Zurich")))
    empty = score_article(expected, article(offer(location="")))
    assert (right.locations, wrong.locations, empty.locations) == (
        (1, 1),
        (0, 1),
        (0, 1),
    )


@pytest.mark.parametrize(
    ("location", "remote"),
    [("", True), ("Remote (UK)", False), ("Paris ou télétravail", False)],
)
def test_remote_location_is_right_when_the_posting_says_so(location, remote):
    expected = entry(wanted(location="remote"))

    score = score_article(expected, article(offer(location=location, remote=remote)))

    assert score.locations == (1, 1)


def test_posting_without_a_place_is_not_judged_on_it():
    score = score_article(entry(wanted(location=...)), article(offer()))

    assert score.locations == (0, 0)


def test_tolerated_questions_may_or_may_not_be_returned():
    expected = entry(tolerated_questions=["Qu'en pensez-vous ?"])
    asked = ["Ces salaires sont-ils justifiés ?", "Qu’en pensez-vous ?"]

    with_it = score_article(expected, article(questions=asked))
    without = score_article(expected, article(questions=asked[:1]))
    reordered = score_article(expected, article(questions=asked[::-1]))
    missing = score_article(expected, article(questions=asked[1:]))

    assert with_it.checks["questions"].ok
    assert without.checks["questions"].ok
    assert reordered.checks["questions"].ok
    assert not missing.checks["questions"].ok


def test_null_title_accepts_any_title_but_not_none():
    expected = entry(title=None)

    assert score_article(expected, article(title="Zephyra recrute…")).checks["title"].ok
    assert not score_article(expected, article(title="")).checks["title"].ok


def test_source_and_author_compare_folded_and_null_expects_nothing():
    expected = entry(source="Le Courrier Numérique", author=None)

    score = score_article(
        expected, article(source="le courrier numerique", author="Claire Dubois")
    )

    assert score.checks["source"].ok
    assert not score.checks["author"].ok


def test_body_must_not_keep_page_furniture():
    expected = entry(body_must_not_contain=["Commentaire"])

    score = score_article(expected, article(body="Un paragraphe.\n\nCommentaire"))

    assert score.body_leftovers == ["Commentaire"]


def test_sample_folder_scores_full_marks():
    output = run(str(SAMPLE))

    assert output.splitlines()[-1] == (
        "postings P 1.00 R 1.00 F1 1.00 | roles 1/1 | locations 1/1 | links 1/1 "
        "| titles 2/2 | dates 2/2 | questions 2/2 | sources 2/2 | authors 2/2 "
        "| bodies 1/1"
    )
    assert "lyon-mlops.txt: P 1.00 R 1.00 F1 1.00" in output


def copy_sample(tmp_path, change=None):
    folder = tmp_path / "eval"
    shutil.copytree(SAMPLE, folder)
    if change:
        path = folder / "expected.json"
        entries = json.loads(path.read_text(encoding="utf-8"))
        change(entries)
        path.write_text(json.dumps(entries), encoding="utf-8")
    return folder


def raise_salary(entries):
    posting = entries["lyon-mlops.txt"]["postings"][0]
    posting["salary_min"] = posting["salary_max"] = 70_000


def test_command_lists_each_miss_and_extra_with_its_sentence(tmp_path):
    folder = copy_sample(tmp_path, raise_salary)

    output = run(str(folder))

    assert "miss: Zephyra — ingénieure MLOps — 70 000 EUR/year" in output
    assert "(pay differs)" in output
    assert (
        "extra: Zephyra — ingénieure MLOps — 65 000 EUR/year — Lyon — "
        "https://zephyra.example/emplois/ingenieure-mlops: «La start-up lyonnaise"
    ) in output
    assert output.splitlines()[-1].startswith("postings P 0.00 R 0.00 F1 0.00 |")


def test_command_below_a_threshold_fails_and_names_it(tmp_path):
    folder = copy_sample(tmp_path, raise_salary)
    out = StringIO()

    with pytest.raises(CommandError) as error:
        call_command(
            "evaluate_importer",
            str(folder),
            "--min-f1",
            "0.97",
            "--min-titles",
            "1",
            stdout=out,
        )

    assert "postings F1 0.000 < 0.97" in str(error.value)
    assert "titles" not in str(error.value)
    assert out.getvalue().splitlines()[-1].startswith("postings P 0.00")


def test_command_at_its_thresholds_succeeds():
    run(str(SAMPLE), "--min-f1", "1", "--min-questions", "1", "--min-links", "1")


def test_quiet_command_prints_file_lines_and_the_summary():
    lines = run(str(SAMPLE), "--quiet").splitlines()

    assert [line.split(":")[0] for line in lines[:2]] == [
        "lyon-mlops.txt",
        "medianes.txt",
    ]
    assert lines[2].startswith("postings P 1.00")
    assert len(lines) == 3


def test_file_filter_evaluates_a_subset():
    lines = run(str(SAMPLE), "--quiet", "--file", "lyon-*").splitlines()

    assert lines[0].startswith("lyon-mlops.txt:")
    assert lines[1].startswith("postings P 1.00")
    assert len(lines) == 2


def test_json_format_gives_the_scores_and_the_summary():
    data = json.loads(run(str(SAMPLE), "--format", "json"))

    assert data["overall"]["f1"] == 1.0
    assert data["overall"]["questions"] == {"right": 2, "judged": 2}
    assert [f["file"] for f in data["files"]] == ["lyon-mlops.txt", "medianes.txt"]
    assert data["summary"].startswith("postings P 1.00")


def test_missing_file_and_file_without_entry_are_reported(tmp_path):
    folder = copy_sample(tmp_path)
    (folder / "articles" / "medianes.txt").rename(folder / "articles" / "autre.txt")

    output = run(str(folder))

    assert "medianes.txt: not read (file missing) P 1.00 R 1.00 F1 1.00" in output
    assert "Missing files: medianes.txt" in output
    assert "Files without an expected entry: autre.txt" in output
    assert "| titles 1/2 | dates 1/2 | questions 1/2 |" in output.splitlines()[-1]


def test_refused_file_is_scored_as_unread(tmp_path):
    folder = copy_sample(tmp_path)
    (folder / "articles" / "medianes.txt").write_bytes(b"\xff\xfe\x00binary")

    report = evaluate(folder)

    assert report.scores[1].error == str(BINARY)
    assert report.total("titles") == (1, 2)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda folder: shutil.rmtree(folder / "articles"), "no articles/ folder"),
        (lambda folder: (folder / "expected.json").unlink(), "no expected.json"),
        (
            lambda folder: (folder / "expected.json").write_text("{not json"),
            "expected.json: cannot be read",
        ),
        (
            lambda folder: (folder / "expected.json").write_text("[]"),
            "expected an object of one entry per file",
        ),
    ],
)
def test_bad_folder_is_one_clear_error(tmp_path, setup, message):
    folder = copy_sample(tmp_path)
    setup(folder)

    with pytest.raises(CommandError, match=message) as error:
        run(str(folder))

    assert "\n" not in str(error.value)


def test_threshold_outside_zero_to_one_is_refused():
    with pytest.raises(CommandError, match="'95' is not a fraction from 0 to 1"):
        run(str(SAMPLE), "--min-roles", "95")


def test_filter_matching_nothing_is_an_error():
    with pytest.raises(CommandError, match="no file matches zzz"):
        run(str(SAMPLE), "zzz*")
