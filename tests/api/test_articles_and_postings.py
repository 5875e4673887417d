import datetime

import pytest

from articles.models import Article, Posting
from forum.services import set_thread_postings
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    CompanyFactory,
    PostingFactory,
    ThreadFactory,
)

pytestmark = pytest.mark.django_db


def _titles(response):
    return [item["title"] for item in response.json()["results"]]


def test_article_list_shows_published_articles_with_their_questions(api_client, thread):
    ArticleFactory(title="Brouillon", status=Article.Status.DRAFT)

    response = api_client.get("/api/v1/articles/")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    [article] = response.json()["results"]
    assert article["slug"] == thread.article.slug
    assert [t["id"] for t in article["threads"]] == [thread.pk]


def test_article_keeps_the_precision_of_its_date(api_client):
    ArticleFactory(
        slug="mai",
        published=datetime.date(2024, 5, 1),
        published_precision=Article.Precision.MONTH,
    )

    response = api_client.get("/api/v1/articles/mai/")

    assert response.json()["published"] == "2024-05"
    assert response.json()["published_precision"] == "month"


def test_article_detail_has_its_threads_and_cited_postings(api_client, thread):
    citation = CitationFactory(article=thread.article, evidence="Jusqu'à 300 000 $.")

    response = api_client.get(f"/api/v1/articles/{thread.article.slug}/")

    assert response.status_code == 200
    body = response.json()
    assert [t["title"] for t in body["threads"]] == [thread.title]
    assert body["citations"][0]["evidence"] == "Jusqu'à 300 000 $."
    assert body["citations"][0]["posting"]["id"] == citation.posting.pk
    assert body["body_html"].startswith("<p>")


def test_draft_article_is_404_for_readers(api_client):
    ArticleFactory(slug="brouillon", status=Article.Status.DRAFT)

    response = api_client.get("/api/v1/articles/brouillon/")

    assert response.status_code == 404
    assert Article.objects.filter(slug="brouillon").exists()


def test_article_page_beyond_the_last_answers_404_and_a_bad_page_400(api_client):
    ArticleFactory()

    beyond = api_client.get("/api/v1/articles/?page=5")
    bad = api_client.get("/api/v1/articles/?page=zero")

    assert beyond.status_code == 404
    assert (bad.status_code, list(bad.json())) == (400, ["page"])


def test_posting_list_shows_annualised_salaries(api_client):
    PostingFactory(salary_min=100, salary_max=150, period=Posting.Period.HOUR)

    response = api_client.get("/api/v1/postings/")

    [posting] = response.json()["results"]
    assert (posting["annual_min"], posting["annual_max"]) == (208_000, 312_000)
    assert posting["is_estimate"] is True


def test_postings_filter_by_company_currency_period_remote_and_article(api_client):
    mistral = CompanyFactory(name="Mistral")
    wanted = PostingFactory(company=mistral, title="Cible", currency="EUR", remote=True)
    PostingFactory(title="Autre devise", currency="USD", remote=True)
    PostingFactory(title="Horaire", period=Posting.Period.HOUR)
    citation = CitationFactory(posting=wanted)

    assert _titles(api_client.get("/api/v1/postings/?company=mistral")) == ["Cible"]
    assert _titles(api_client.get("/api/v1/postings/?currency=eur")) == ["Cible"]
    assert _titles(api_client.get("/api/v1/postings/?period=hour")) == ["Horaire"]
    assert sorted(_titles(api_client.get("/api/v1/postings/?remote=true"))) == [
        "Autre devise",
        "Cible",
    ]
    assert _titles(
        api_client.get(f"/api/v1/postings/?article={citation.article.slug}")
    ) == ["Cible"]


def test_postings_filter_by_annual_range_and_order_by_salary(api_client):
    PostingFactory(title="Bas", salary_min=50_000, salary_max=60_000)
    PostingFactory(title="Haut", salary_min=200_000, salary_max=300_000)
    PostingFactory(title="Moyen", salary_min=90_000, salary_max=120_000)
    PostingFactory(title="Inconnu", salary_min=None, salary_max=None)

    reaching = api_client.get("/api/v1/postings/?min_annual=100000")
    starting = api_client.get("/api/v1/postings/?max_annual=95000")
    ascending = api_client.get("/api/v1/postings/?ordering=annual_max")
    default = api_client.get("/api/v1/postings/")

    assert sorted(_titles(reaching)) == ["Haut", "Moyen"]
    assert sorted(_titles(starting)) == ["Bas", "Moyen"]
    assert _titles(ascending) == ["Bas", "Moyen", "Haut", "Inconnu"]
    assert _titles(default) == ["Haut", "Moyen", "Bas", "Inconnu"]


def test_bad_posting_filters_answer_400_with_a_message_each(api_client):
    response = api_client.get(
        "/api/v1/postings/?remote=perhaps&min_annual=-5&period=week&ordering=salary"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"remote", "min_annual", "period", "ordering"}


@pytest.mark.parametrize("currency", ["EURO", "E1R", "", "€"])
def test_a_currency_that_is_not_three_letters_answers_400(api_client, currency):
    response = api_client.get("/api/v1/postings/", {"currency": currency})

    assert response.status_code == 400
    assert list(response.json()) == ["currency"]


def test_empty_typed_posting_filters_answer_400_and_empty_text_filters_are_ignored(
    api_client,
):
    PostingFactory(title="Seule")

    typed = api_client.get("/api/v1/postings/?period=&remote=&ordering=&max_annual=")
    text = api_client.get("/api/v1/postings/?company=&article=")

    assert typed.status_code == 400
    assert set(typed.json()) == {"period", "remote", "ordering", "max_annual"}
    assert _titles(text) == ["Seule"]


def test_posting_detail_lists_the_threads_and_articles_citing_it(api_client, thread):
    posting = PostingFactory()
    set_thread_postings(thread=thread, postings=[posting])
    CitationFactory(posting=posting, article=thread.article, evidence="Cité ici.")
    hidden = ThreadFactory(is_hidden=True)
    set_thread_postings(thread=hidden, postings=[posting])

    response = api_client.get(f"/api/v1/postings/{posting.pk}/")

    assert response.status_code == 200
    assert [t["id"] for t in response.json()["threads"]] == [thread.pk]
    assert response.json()["citations"][0]["article"]["slug"] == thread.article.slug


def test_company_list_counts_postings(api_client):
    company = CompanyFactory(name="Hugging Face")
    PostingFactory.create_batch(2, company=company)

    response = api_client.get("/api/v1/companies/")

    assert response.json()["results"] == [
        {
            "id": company.pk,
            "name": "Hugging Face",
            "slug": company.slug,
            "domain": "",
            "posting_count": 2,
            "html_url": f"http://testserver{company.get_absolute_url()}",
        }
    ]
