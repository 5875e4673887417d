from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from articles.importer.load import import_text
from articles.models import Citation, Posting, PostingMerge
from articles.services import (
    edit_posting,
    pay_compatible,
    store_posting,
    suggest_postings,
    undo_posting_merge,
)
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    CompanyFactory,
    PostingFactory,
    ThreadFactory,
)

DATA = Path(__file__).parent / "data"


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def import_both_netflix_articles():
    up_to = import_text(read("netflix-up-to.txt"), filename="netflix-up-to.txt")
    ranged = import_text(read("netflix-range.txt"), filename="netflix-range.txt")
    return up_to.article, ranged.article


@pytest.mark.parametrize(
    ("first", "second", "compatible"),
    [
        ((None, 900_000), (300_000, 900_000), True),
        ((300_000, 900_000), (400_000, 900_000), True),
        ((200_000, 300_000), (220_000, 280_000), True),
        ((250_000, 250_000), (200_000, 300_000), True),
        ((200_000, 300_000), (250_000, 350_000), False),
        ((None, 398_000), (310_000, 460_000), False),
        ((None, 500_000), (None, 900_000), False),
        ((150_000, None), (150_000, None), True),
        ((150_000, None), (150_000, 200_000), False),
    ],
)
def test_pay_is_compatible_with_the_same_maximum_or_a_range_inside(
    first, second, compatible
):
    assert pay_compatible(first, second) is compatible
    assert pay_compatible(second, first) is compatible


def test_the_netflix_offer_cited_by_two_articles_is_one_posting_merged_by_rule(db):
    up_to, ranged = import_both_netflix_articles()

    posting = Posting.objects.get()
    assert (posting.salary_min, posting.salary_max) == (300_000, 900_000)
    assert posting.url == "https://jobs.netflix.com/jobs/exemple-plateforme-ml"
    assert set(posting.citations.values_list("article", flat=True)) == {
        up_to.pk,
        ranged.pk,
    }
    merge = PostingMerge.objects.get()
    assert (merge.posting, merge.article) == (posting, ranged)
    assert merge.rule == PostingMerge.Rule.SAME_PAY_AND_ROLE
    assert merge.before["salary_min"] is None
    assert merge.extracted["salary_min"] == 300_000


def test_undoing_the_netflix_merge_gives_two_postings_again(db, moderator):
    up_to, ranged = import_both_netflix_articles()
    merge = PostingMerge.objects.get()

    split = undo_posting_merge(merge=merge, by=moderator)

    kept = merge.posting
    kept.refresh_from_db()
    merge.refresh_from_db()
    assert Posting.objects.count() == 2
    assert (kept.salary_min, kept.salary_max, kept.url) == (None, 900_000, "")
    assert (split.salary_min, split.salary_max) == (300_000, 900_000)
    assert split.url == "https://jobs.netflix.com/jobs/exemple-plateforme-ml"
    assert Citation.objects.get(article=ranged).posting == split
    assert Citation.objects.get(article=up_to).posting == kept
    assert list(ranged.threads.get().postings.all()) == [split]
    assert list(up_to.threads.get().postings.all()) == [kept]
    assert (merge.undone_by, merge.split_posting) == (moderator, split)


def test_an_undone_merge_is_not_made_again_when_the_article_is_reimported(
    db, moderator
):
    _up_to, ranged = import_both_netflix_articles()
    undo_posting_merge(merge=PostingMerge.objects.get(), by=moderator)
    edited = read("netflix-range.txt").replace("studios", "plateformes")

    import_text(edited, filename="netflix-range.txt")

    assert Posting.objects.count() == 2
    assert PostingMerge.objects.filter(undone_at__isnull=True).count() == 0


def test_undo_keeps_a_value_changed_since_the_merge(db, moderator):
    import_both_netflix_articles()
    merge = PostingMerge.objects.get()
    edit_posting(posting=merge.posting, by=moderator, salary_min=350_000)

    undo_posting_merge(merge=merge, by=moderator)

    kept = Posting.objects.get(pk=merge.posting_id)
    assert kept.salary_min == 350_000
    assert kept.url == ""


def test_a_merge_cannot_be_undone_twice(db, moderator):
    import_both_netflix_articles()
    merge = PostingMerge.objects.get()
    undo_posting_merge(merge=merge, by=moderator)

    with pytest.raises(ValidationError):
        undo_posting_merge(merge=merge, by=moderator)


def test_a_shared_link_is_its_own_merge_rule(db):
    company = CompanyFactory(name="Kairo")
    posting = PostingFactory(company=company, url="https://jobs.example.org/7")
    CitationFactory(posting=posting)
    article = ArticleFactory()

    found, _status, merge = store_posting(
        company=CompanyFactory(name="Kairo Labs"),
        title="Autre intitulé",
        salary_max=1,
        url="https://jobs.example.org/7",
        article=article,
    )

    assert found == posting
    assert merge.rule == PostingMerge.Rule.SAME_URL


def test_a_different_role_with_compatible_pay_is_another_posting(db):
    company = CompanyFactory(name="Netflix")
    PostingFactory(company=company, title="Juriste", salary_min=None, salary_max=9)

    _posting, status, merge = store_posting(
        company=company, title="Ingénieur", salary_max=9, article=ArticleFactory()
    )

    assert (status, merge) == ("created", None)


def test_an_unspecified_role_matches_any_role(db):
    company = CompanyFactory(name="Netflix")
    posting = PostingFactory(
        company=company, title="Chef de produit", salary_min=None, salary_max=9
    )

    found, _status, merge = store_posting(
        company=company,
        title="Poste non précisé",
        salary_max=9,
        article=ArticleFactory(),
    )

    assert found == posting
    assert merge.rule == PostingMerge.Rule.SAME_PAY_AND_ROLE


def test_a_merge_widens_the_range_to_the_widest(db):
    company = CompanyFactory(name="Netflix")
    posting = PostingFactory(company=company, salary_min=300_000, salary_max=900_000)

    store_posting(
        company=company,
        title=posting.title,
        salary_min=200_000,
        salary_max=900_000,
        article=ArticleFactory(),
    )

    posting.refresh_from_db()
    assert (posting.salary_min, posting.salary_max) == (200_000, 900_000)


def test_a_merge_leaves_fields_edited_by_hand_alone(db, moderator):
    company = CompanyFactory(name="Netflix")
    posting = PostingFactory(company=company, salary_min=None, salary_max=900_000)
    edit_posting(posting=posting, by=moderator, location="", url="")
    posting.edited_fields = ["url", "salary_min", "salary_max"]
    posting.save()

    store_posting(
        company=company,
        title=posting.title,
        salary_min=300_000,
        salary_max=900_000,
        url="https://jobs.example.org/1",
        location="Paris",
        article=ArticleFactory(),
    )

    posting.refresh_from_db()
    assert (posting.salary_min, posting.url, posting.location) == (None, "", "Paris")


def test_suggestions_rank_a_shared_link_before_the_same_pay(db):
    company = CompanyFactory(name="Netflix")
    by_pay = PostingFactory(company=company, salary_min=None, salary_max=900_000)
    by_url = PostingFactory(
        company=company,
        title="Autre",
        salary_min=None,
        salary_max=1,
        url="https://jobs.example.org/2",
    )

    matches = suggest_postings(
        company_name="Netflix",
        title=by_pay.title,
        salary_min=300_000,
        salary_max=900_000,
        currency="USD",
        period="year",
        url="https://jobs.example.org/2",
    )

    assert [m.posting for m in matches] == [by_url, by_pay]
    assert [m.rule for m in matches] == ["same_url", "same_pay_and_role"]


def test_merging_duplicates_keeps_the_duplicates_recorded_merges(db):
    from articles.services import merge_postings

    keep = PostingFactory(url="")
    duplicate = PostingFactory(company=keep.company, url="https://jobs.example.org/3")
    article = ArticleFactory()
    CitationFactory(article=article, posting=duplicate)
    ThreadFactory(article=article)
    merge = PostingMerge.objects.create(
        posting=duplicate, article=article, rule=PostingMerge.Rule.SAME_URL
    )

    merge_postings(keep=keep, duplicate=duplicate)

    merge.refresh_from_db()
    assert merge.posting == keep


def test_an_undone_editors_merge_is_not_made_again(db, moderator):
    company = CompanyFactory(name="Netflix")
    chosen = PostingFactory(company=company, title="Juriste", salary_min=None)
    article = ArticleFactory()
    posting, _status, merge = store_posting(
        company=company, title="Ingénieur", salary_max=5, article=article, into=chosen
    )
    CitationFactory(article=article, posting=posting)
    undo_posting_merge(merge=merge, by=moderator)

    again, _status, merge_again = store_posting(
        company=company, title="Ingénieur", salary_max=5, article=article, into=chosen
    )

    assert (again == chosen, merge_again) == (False, None)
