import datetime
from pathlib import Path

import pytest

from articles.importer.load import import_text
from articles.models import Article, Citation, Company, Posting
from forum.models import Thread
from forum.services import post_reply

DATA = Path(__file__).parent / "data"


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_import_creates_the_article_its_threads_and_postings(db):
    result = import_text(read("fr-glued.txt"), filename="fr-glued.txt")

    article = result.article
    assert result.status == "created"
    assert article.status == Article.Status.PUBLISHED
    assert article.import_key == "fr-glued"
    assert article.published == datetime.date(2024, 5, 14)
    assert article.published_precision == Article.Precision.DAY
    assert "<p>" in article.body_html
    assert list(
        article.threads.order_by("position").values_list("title", flat=True)
    ) == [
        "Que pensez-vous de ces écarts de salaires ?",
        "Selon vous, les start-up françaises peuvent-elles suivre ? Pourquoi ?",
        "Faut-il encadrer ces rémunérations ?",
    ]
    assert article.citations.count() == 9


def test_month_precision_is_stored_with_the_first_day_of_the_month(db):
    result = import_text(read("fr-sections.txt"), filename="fr-sections.txt")

    article = result.article
    assert article.published == datetime.date(2024, 3, 1)
    assert article.published_precision == Article.Precision.MONTH
    assert article.sources == "Talent.io, Levels.fyi, Dealroom"


def test_draft_option_imports_an_unpublished_article(db):
    result = import_text(read("fr-glued.txt"), filename="fr-glued.txt", publish=False)

    assert result.article.status == Article.Status.DRAFT


def test_each_thread_is_linked_to_the_postings_the_article_cites(db):
    result = import_text(read("fr-money-forms.txt"), filename="fr-money-forms.txt")

    thread = result.article.threads.get()
    assert set(thread.postings.values_list("company__name", flat=True)) == {
        "Zephyra",
        "OpenAI",
        "Doctolib",
        "Accenture",
    }


def test_article_without_questions_gets_one_general_thread(db):
    result = import_text(read("fr-duplicated.txt"), filename="fr-duplicated.txt")

    assert list(result.article.threads.values_list("title", flat=True)) == [
        "Qu'en pensez-vous ?"
    ]
    assert result.article.translator == "Julien Moreau"


def test_english_article_without_questions_gets_an_english_thread(db):
    result = import_text("The AI job market is split in two.\n", filename="en.txt")

    assert list(result.article.threads.values_list("title", flat=True)) == [
        "What do you think?"
    ]


def test_reimporting_the_same_file_changes_nothing(db):
    first = import_text(read("fr-glued.txt"), filename="fr-glued.txt")
    updated_at = Article.objects.get().updated_at

    second = import_text(read("fr-glued.txt"), filename="fr-glued.txt")

    assert second.status == "unchanged"
    assert second.article.pk == first.article.pk
    assert Article.objects.get().updated_at == updated_at
    assert (Article.objects.count(), Thread.objects.count()) == (1, 3)
    assert (Posting.objects.count(), Citation.objects.count()) == (9, 9)


def test_reimporting_an_edited_file_keeps_the_replies(db, user):
    import_text(read("fr-glued.txt"), filename="fr-glued.txt")
    thread = Thread.objects.get(position=1)
    reply = post_reply(thread=thread, author=user, body="Elles n'ont pas le choix.")
    edited = read("fr-glued.txt").replace(
        "Selon vous, les start-up françaises peuvent-elles suivre ?",
        "Selon vous, les jeunes pousses françaises peuvent-elles suivre ?",
    )

    result = import_text(edited, filename="fr-glued.txt")

    thread.refresh_from_db()
    assert result.status == "updated"
    assert thread.title == (
        "Selon vous, les jeunes pousses françaises peuvent-elles suivre ? Pourquoi ?"
    )
    assert list(thread.replies.values_list("pk", flat=True)) == [reply.pk]
    assert Thread.objects.count() == 3


def test_reordered_questions_keep_their_threads(db, user):
    import_text(read("en-offers.txt"), filename="en-offers.txt")
    skills = Thread.objects.get(title__startswith="What skills")
    post_reply(thread=skills, author=user, body="Statistics, still.")
    text = read("en-offers.txt")
    first, second = text.strip().splitlines()[-2:]
    edited = text.replace(f"{first}\n{second}", f"{second}\n{first}")

    import_text(edited, filename="en-offers.txt")

    skills.refresh_from_db()
    assert skills.position == 0
    assert skills.replies.count() == 1


def test_question_removed_from_the_text_keeps_its_thread_and_replies(db, user):
    import_text(read("en-offers.txt"), filename="en-offers.txt")
    skills = Thread.objects.get(title__startswith="What skills")
    post_reply(thread=skills, author=user, body="Statistics, still.")
    edited = read("en-offers.txt").replace(
        "What skills will matter most in five years?\n", ""
    )

    import_text(edited, filename="en-offers.txt")

    skills.refresh_from_db()
    assert skills.replies.count() == 1
    assert skills.position == 1


def test_edited_body_updates_the_article_and_its_citations(db):
    import_text(read("fr-money-forms.txt"), filename="fr-money-forms.txt")
    edited = read("fr-money-forms.txt").replace(
        "Accenture recrute un architecte IA pour 4 500 € brut par mois.\n", ""
    )

    result = import_text(edited, filename="fr-money-forms.txt")

    assert result.status == "updated"
    assert "Accenture" not in result.article.body
    assert result.article.citations.count() == 3
    assert Article.objects.count() == 1


def test_posting_cited_by_two_articles_is_one_posting_cited_twice(db):
    import_text(read("netflix-up-to.txt"), filename="netflix-up-to.txt")

    import_text(read("netflix-range.txt"), filename="netflix-range.txt")

    posting = Posting.objects.get(company__name="Netflix")
    assert posting.citations.count() == 2
    assert (posting.salary_min, posting.salary_max) == (300_000, 900_000)
    assert posting.url == "https://jobs.netflix.com/jobs/exemple-plateforme-ml"
    assert posting.remote is True
    assert posting.location == "Los Gatos, Californie"


def test_merge_works_whichever_article_comes_first(db):
    import_text(read("netflix-range.txt"), filename="netflix-range.txt")

    import_text(read("netflix-up-to.txt"), filename="netflix-up-to.txt")

    posting = Posting.objects.get()
    assert posting.citations.count() == 2
    assert (posting.salary_min, posting.salary_max) == (300_000, 900_000)


def test_both_articles_threads_link_the_merged_posting(db):
    import_text(read("netflix-up-to.txt"), filename="netflix-up-to.txt")

    import_text(read("netflix-range.txt"), filename="netflix-range.txt")

    posting = Posting.objects.get()
    assert posting.threads.count() == 2


def test_companies_are_deduplicated_across_spellings(db):
    import_text(
        "Chez Proctor & Gamble, un ingénieur en IA peut espérer gagner 120 000 "
        "dollars par an.\n",
        filename="one.txt",
    )

    import_text(
        "Procter & Gamble Inc. recrute un data scientist payé 150 000 dollars par "
        "an.\n",
        filename="two.txt",
    )

    assert list(Company.objects.values_list("name", flat=True)) == ["Procter & Gamble"]
    assert Posting.objects.count() == 2


@pytest.mark.parametrize(
    "filename", ["2023-08-ai-salaries-postings.txt", "2024-03-ai-talent-war.txt"]
)
def test_import_key_is_the_file_name_without_extension(db, filename):
    result = import_text("Un court article sur les salaires.\n", filename=filename)

    assert result.article.import_key == filename.removesuffix(".txt")


def test_posting_address_without_scheme_is_stored_as_https(db):
    result = import_text(
        "Kairo recrute un ingénieur IA payé 90 000 euros par an. L'annonce est sur "
        "www.kairo.example/emplois/ingenieur-ia.\n",
        filename="kairo.txt",
    )

    posting = result.article.citations.get().posting
    assert posting.url == "https://www.kairo.example/emplois/ingenieur-ia"


def test_file_without_any_sentence_takes_its_title_from_the_file_name(db):
    result = import_text("Commentaire\n", filename="salaires-ia-2024.txt")

    assert result.article.title == "salaires ia 2024"
