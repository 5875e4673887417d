import re

import pytest
from django.urls import reverse

from articles.models import Article, Posting
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    CompanyFactory,
    PostingFactory,
    UserFactory,
)

URL = reverse("articles:posting-list")


def cited(**fields) -> Posting:
    """A posting cited by a published article."""
    return CitationFactory(posting=PostingFactory(**fields)).posting


def listed_ids(response) -> list[int]:
    return [posting.pk for posting in response.context["postings"]]


def test_directory_lists_postings_cited_by_published_articles_only(client, db):
    published = cited(title="Chercheuse en vision")
    draft = ArticleFactory(status=Article.Status.DRAFT)
    in_draft_only = CitationFactory(
        article=draft, posting=PostingFactory(title="Poste encore confidentiel")
    ).posting
    uncited = PostingFactory(title="Poste jamais cité")

    response = client.get(URL)

    assert response.status_code == 200
    assert listed_ids(response) == [published.pk]
    assert "Chercheuse en vision" in response.content.decode()
    assert in_draft_only.title not in response.content.decode()
    assert uncited.title not in response.content.decode()


def test_staff_also_see_postings_cited_by_draft_articles(client, db):
    published = cited()
    draft = ArticleFactory(status=Article.Status.DRAFT)
    in_draft = CitationFactory(article=draft).posting
    client.force_login(UserFactory(username="editor", is_staff=True))

    response = client.get(URL)

    assert sorted(listed_ids(response)) == sorted([published.pk, in_draft.pk])


def test_a_posting_cited_twice_is_listed_once(client, db):
    posting = cited()
    CitationFactory(posting=posting)

    response = client.get(URL)

    assert listed_ids(response) == [posting.pk]
    assert response.context["page"].paginator.count == 1


def test_directory_filters_by_company(client, db):
    mistral = CompanyFactory(name="Mistral AI", slug="mistral-ai")
    wanted = cited(company=mistral)
    cited()

    response = client.get(URL, {"company": "mistral-ai"})

    assert listed_ids(response) == [wanted.pk]


def test_company_choices_offer_only_companies_with_listed_postings(client, db):
    cited(company=CompanyFactory(name="Hugging Face", slug="hugging-face"))
    draft = ArticleFactory(status=Article.Status.DRAFT)
    CitationFactory(
        article=draft,
        posting=PostingFactory(company=CompanyFactory(name="Secrète", slug="secrete")),
    )

    response = client.get(URL)

    body = response.content.decode()
    assert 'value="hugging-face"' in body
    assert 'value="secrete"' not in body


def test_directory_filters_by_currency(client, db):
    euros = cited(currency="EUR")
    cited(currency="USD")

    response = client.get(URL, {"currency": "EUR"})

    assert listed_ids(response) == [euros.pk]


def test_directory_filters_by_period(client, db):
    daily = cited(period=Posting.Period.DAY, salary_min=600, salary_max=900)
    cited(period=Posting.Period.YEAR)

    response = client.get(URL, {"period": "day"})

    assert listed_ids(response) == [daily.pk]


def test_directory_filters_remote_postings_in_and_out(client, db):
    remote = cited(remote=True)
    on_site = cited(remote=False)

    only_remote = client.get(URL, {"remote": "true"})
    only_on_site = client.get(URL, {"remote": "false"})

    assert listed_ids(only_remote) == [remote.pk]
    assert listed_ids(only_on_site) == [on_site.pk]


@pytest.fixture
def pay_scale(db) -> dict[str, Posting]:
    """Postings whose annualised ranges cover different parts of the scale."""
    return {
        # 100–150 an hour: 208,000 to 312,000 a year.
        "hourly": cited(period=Posting.Period.HOUR, salary_min=100, salary_max=150),
        "yearly": cited(salary_min=120_000, salary_max=180_000),
        "up_to": cited(salary_min=None, salary_max=90_000),
        "from": cited(salary_min=250_000, salary_max=None),
        "unknown": cited(salary_min=None, salary_max=None),
    }


def test_minimum_annual_salary_keeps_ranges_reaching_it(client, pay_scale):
    response = client.get(URL, {"min_annual": "200000"})

    assert sorted(listed_ids(response)) == sorted(
        [pay_scale["hourly"].pk, pay_scale["from"].pk]
    )


def test_maximum_annual_salary_keeps_ranges_starting_below_it(client, pay_scale):
    response = client.get(URL, {"max_annual": "130000"})

    assert sorted(listed_ids(response)) == sorted(
        [pay_scale["yearly"].pk, pay_scale["up_to"].pk]
    )


def test_annual_range_filters_combine(client, pay_scale):
    response = client.get(URL, {"min_annual": "150000", "max_annual": "210000"})

    assert sorted(listed_ids(response)) == sorted(
        [pay_scale["hourly"].pk, pay_scale["yearly"].pk]
    )


def test_an_amount_that_is_not_a_number_is_reported_and_ignored(client, pay_scale):
    response = client.get(URL, {"min_annual": "beaucoup"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["min_annual"]
    assert 'role="alert"' in response.content.decode()
    assert len(listed_ids(response)) == len(pay_scale)


def test_directory_filters_by_citing_article(client, db):
    article = ArticleFactory(slug="les-salaires-fous")
    wanted = CitationFactory(article=article).posting
    cited()

    response = client.get(URL, {"article": "les-salaires-fous"})

    assert listed_ids(response) == [wanted.pk]


def test_a_draft_article_cannot_be_used_as_a_public_filter(client, db):
    draft = ArticleFactory(slug="brouillon", status=Article.Status.DRAFT)
    CitationFactory(article=draft)
    visible = cited()

    response = client.get(URL, {"article": "brouillon"})

    assert response.context["filter"].form.errors["article"]
    assert listed_ids(response) == [visible.pk]


def test_sorting_by_annual_maximum_puts_unknown_amounts_last(client, pay_scale):
    descending = client.get(URL, {"ordering": "-annual_max"})
    ascending = client.get(URL, {"ordering": "annual_max"})

    assert listed_ids(descending)[:3] == [
        pay_scale["hourly"].pk,
        pay_scale["yearly"].pk,
        pay_scale["up_to"].pk,
    ]
    assert listed_ids(ascending)[:3] == [
        pay_scale["up_to"].pk,
        pay_scale["yearly"].pk,
        pay_scale["hourly"].pk,
    ]
    assert set(listed_ids(descending)[3:]) == {
        pay_scale["from"].pk,
        pay_scale["unknown"].pk,
    }
    assert set(listed_ids(ascending)[3:]) == set(listed_ids(descending)[3:])


def test_sorting_by_company_name_in_both_directions(client, db):
    zeta = cited(company=CompanyFactory(name="Zeta Labs", slug="zeta-labs"))
    alpha = cited(company=CompanyFactory(name="Alpha Compute", slug="alpha-compute"))

    ascending = client.get(URL, {"ordering": "company"})
    descending = client.get(URL, {"ordering": "-company"})

    assert listed_ids(ascending) == [alpha.pk, zeta.pk]
    assert listed_ids(descending) == [zeta.pk, alpha.pk]


def test_sorted_column_header_says_so_and_links_to_the_reverse_order(client, db):
    cited()

    response = client.get(URL, {"ordering": "-annual_max", "currency": "USD"})

    body = response.content.decode()
    header = re.search(r'<th scope="col" aria-sort="descending">(.*?)</th>', body, re.S)
    assert header is not None
    assert "ordering=annual_max" in header.group(1)
    assert "currency=USD" in header.group(1)
    assert body.count('aria-sort="none"') == 3


def test_an_ordering_outside_the_allowed_list_is_refused(client, db):
    first = cited(company=CompanyFactory(name="Bêta", slug="beta"))
    second = cited(company=CompanyFactory(name="Gamma", slug="gamma"))

    response = client.get(URL, {"ordering": "company__normalized_name"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["ordering"]
    assert listed_ids(response) == [first.pk, second.pk]


def test_directory_is_paginated_and_keeps_the_filters(client, db):
    for _index in range(26):
        cited(currency="EUR")
    cited(currency="USD")

    first = client.get(URL, {"currency": "EUR"})
    second = client.get(URL, {"currency": "EUR", "page": "2"})

    assert len(listed_ids(first)) == 25
    assert len(listed_ids(second)) == 1
    assert "currency=EUR&amp;page=2" in first.content.decode()
    assert not set(listed_ids(first)) & set(listed_ids(second))


def test_a_page_past_the_end_is_not_found(client, db):
    cited()

    response = client.get(URL, {"page": "9"})

    assert response.status_code == 404


def test_directory_costs_the_same_queries_for_few_and_many_postings(
    client, db, django_assert_num_queries
):
    for _index in range(3):
        cited()
    # count, page of postings with companies, then the choices of the
    # company, currency and article filters.
    with django_assert_num_queries(5):
        client.get(URL)
    for _index in range(20):
        cited(currency="EUR", period=Posting.Period.DAY, salary_min=500)

    with django_assert_num_queries(5):
        response = client.get(URL)

    assert len(listed_ids(response)) == 23
