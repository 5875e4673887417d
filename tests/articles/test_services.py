import pytest
from django.core.exceptions import ValidationError

from articles.importer.companies import normalize_company_name
from articles.models import Citation, Company, Posting
from articles.services import (
    cite_posting,
    get_or_create_company,
    merge_companies,
    merge_postings,
    publish_article,
    upsert_posting,
)
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    CompanyFactory,
    PostingFactory,
    ThreadFactory,
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Procter & Gamble", "Proctor & Gamble"),
        ("Nvidia", "NVIDIA Corporation"),
        ("Société Générale", "societe generale SA"),
        ("Ernst & Young", "Ernst and Young"),
        ("Capital One", "Capital One, Inc."),
        ("OpenAI", "Open AI"),
    ],
)
def test_company_spellings_share_one_normalised_name(first, second):
    assert normalize_company_name(first) == normalize_company_name(second)


def test_company_is_created_once_per_normalised_name(db):
    first, created = get_or_create_company(name="Proctor & Gamble")

    second, created_again = get_or_create_company(name="Procter & Gamble Inc.")

    assert (created, created_again) == (True, False)
    assert first.pk == second.pk
    assert first.name == "Procter & Gamble"
    assert first.slug == "procter-gamble"


def test_company_slug_stays_unique(db):
    CompanyFactory(name="Kairo", normalized_name="kairo labs", slug="kairo")

    company, _created = get_or_create_company(name="Kairo")

    assert company.slug == "kairo-2"


def test_posting_with_a_new_detail_is_merged_field_by_field(db):
    company = CompanyFactory(name="Netflix")
    posting, _status = upsert_posting(
        company=company, title="Chef de produit", salary_max=900_000
    )

    merged, status = upsert_posting(
        company=company,
        title="Product manager, ML platform",
        salary_min=300_000,
        salary_max=900_000,
        url="https://jobs.example.org/42",
        remote=True,
    )

    assert (status, merged.pk) == ("updated", posting.pk)
    assert (merged.salary_min, merged.salary_max) == (300_000, 900_000)
    assert merged.url == "https://jobs.example.org/42"
    assert merged.remote is True
    assert merged.title == "Chef de produit"


def test_same_posting_twice_is_unchanged(db):
    company = CompanyFactory()
    upsert_posting(company=company, title="Juriste IA", salary_max=200_000)

    _posting, status = upsert_posting(
        company=company, title="Juriste IA", salary_max=200_000
    )

    assert status == "unchanged"
    assert Posting.objects.count() == 1


def test_different_roles_with_the_same_pay_are_two_postings(db):
    company = CompanyFactory()
    upsert_posting(company=company, title="Directeur principal", salary_max=800_000)

    _posting, status = upsert_posting(
        company=company, title="Chef de produit", salary_max=800_000
    )

    assert status == "created"
    assert Posting.objects.count() == 2


def test_posting_with_a_known_url_is_found_by_its_url(db):
    company = CompanyFactory()
    posting = PostingFactory(company=company, url="https://jobs.example.org/7")

    found, _status = upsert_posting(
        company=company,
        title="Autre intitulé",
        salary_max=1,
        url="https://jobs.example.org/7",
    )

    assert found.pk == posting.pk


def test_swapped_salary_bounds_are_put_back_in_order(db):
    posting, _status = upsert_posting(
        company=CompanyFactory(), title="Analyste", salary_min=90_000, salary_max=70_000
    )

    assert (posting.salary_min, posting.salary_max) == (70_000, 90_000)


def test_citing_twice_updates_the_evidence(db):
    citation = CitationFactory(evidence="Ancienne phrase.")

    cite_posting(
        article=citation.article,
        posting=citation.posting,
        evidence="Nouvelle phrase.",
        position=3,
    )

    citation.refresh_from_db()
    assert (citation.evidence, citation.position) == ("Nouvelle phrase.", 3)


def test_publishing_an_article_changes_its_status(db):
    article = ArticleFactory(status="draft")

    publish_article(article=article)

    article.refresh_from_db()
    assert article.is_published


def test_merging_postings_moves_citations_and_thread_links(db):
    keep = PostingFactory(salary_min=None, url="")
    duplicate = PostingFactory(company=keep.company, url="https://jobs.example.org/1")
    citation = CitationFactory(posting=duplicate)
    thread = ThreadFactory()
    thread.postings.set([duplicate])

    merged = merge_postings(keep=keep, duplicate=duplicate)

    citation.refresh_from_db()
    assert citation.posting_id == keep.pk
    assert list(thread.postings.all()) == [keep]
    assert not Posting.objects.filter(pk=duplicate.pk).exists()
    assert merged.url == "https://jobs.example.org/1"
    assert merged.salary_min == 120_000


def test_merging_postings_cited_by_the_same_article_keeps_one_citation(db):
    keep = PostingFactory()
    duplicate = PostingFactory(company=keep.company)
    article = ArticleFactory()
    CitationFactory(article=article, posting=keep, evidence="")
    CitationFactory(article=article, posting=duplicate, evidence="La phrase.")
    thread = ThreadFactory(article=article)
    thread.postings.set([keep, duplicate])

    merge_postings(keep=keep, duplicate=duplicate)

    assert list(Citation.objects.values_list("posting", "evidence")) == [
        (keep.pk, "La phrase.")
    ]
    assert list(thread.postings.all()) == [keep]


def test_a_posting_cannot_be_merged_into_itself(db):
    posting = PostingFactory()

    with pytest.raises(ValidationError):
        merge_postings(keep=posting, duplicate=posting)


def test_merging_companies_moves_their_postings_and_deletes_the_duplicate(db):
    keep = CompanyFactory(name="Procter & Gamble")
    duplicate = CompanyFactory(name="Proctor & Gamble", domain="pg.com")
    posting = PostingFactory(company=duplicate, title="Data scientist")
    CitationFactory(posting=posting)

    merged = merge_companies(keep=keep, duplicate=duplicate)

    posting.refresh_from_db()
    assert posting.company_id == keep.pk
    assert merged.domain == "pg.com"
    assert not Company.objects.filter(pk=duplicate.pk).exists()


def test_merging_companies_merges_their_equal_postings(db):
    keep = CompanyFactory(name="Netflix")
    duplicate = CompanyFactory(name="Netflix Inc")
    kept = PostingFactory(company=keep, title="Chef de produit", salary_min=None)
    twin = PostingFactory(company=duplicate, title="Product manager")
    CitationFactory(posting=kept)
    citation = CitationFactory(posting=twin)
    thread = ThreadFactory()
    thread.postings.set([twin])

    merge_companies(keep=keep, duplicate=duplicate)

    citation.refresh_from_db()
    kept.refresh_from_db()
    assert Posting.objects.count() == 1
    assert citation.posting_id == kept.pk
    assert list(thread.postings.all()) == [kept]
    assert kept.salary_min == 120_000
