import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles.models import Citation, Company, Posting
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    CompanyFactory,
    PostingFactory,
    ThreadFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

POSTINGS = reverse("admin:articles_posting_changelist")
COMPANIES = reverse("admin:articles_company_changelist")


def merge(client, url, action, selected, keep=None):
    data = {"action": action, "_selected_action": [obj.pk for obj in selected]}
    if keep is None:
        data["index"] = 0
    else:
        data.update({"post": "yes", "keep": keep.pk})
    return client.post(url, data)


def read_only_inlines(client, url) -> dict:
    """What a change form posts for its read-only inlines: no row at all."""
    page = client.get(url)
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data


@pytest.fixture
def moderator_client(client, moderator):
    # The admin speaks the browser's language; these tests read its English.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(moderator)
    return client


def test_posting_list_filters_on_currency_period_and_company(moderator_client):
    google = CompanyFactory(name="Google")
    dollars = PostingFactory(company=google, currency="USD", period="year")
    euros = PostingFactory(currency="EUR", period="month")
    daily = PostingFactory(currency="EUR", period="day")

    by_currency = moderator_client.get(f"{POSTINGS}?currency=EUR")
    by_period = moderator_client.get(f"{POSTINGS}?period__exact=month")
    by_company = moderator_client.get(f"{POSTINGS}?company__id__exact={google.pk}")

    assert set(by_currency.context["cl"].result_list) == {euros, daily}
    assert list(by_period.context["cl"].result_list) == [euros]
    assert list(by_company.context["cl"].result_list) == [dollars]


def test_posting_list_searches_titles_and_companies(moderator_client):
    wanted = PostingFactory(company=CompanyFactory(name="Netflix"), title="Chef")
    PostingFactory(company=CompanyFactory(name="Nike"), title="Ingénieur")

    by_company = moderator_client.get(f"{POSTINGS}?q=netflix")
    by_title = moderator_client.get(f"{POSTINGS}?q=chef")

    assert list(by_company.context["cl"].result_list) == [wanted]
    assert list(by_title.context["cl"].result_list) == [wanted]


def test_moderator_corrects_a_postings_salary(moderator_client, moderator):
    posting = PostingFactory(salary_min=120_000, salary_max=180_000)
    url = reverse("admin:articles_posting_change", args=[posting.pk])

    response = moderator_client.post(
        url,
        {
            **read_only_inlines(moderator_client, url),
            "company": posting.company_id,
            "title": posting.title,
            "location": "Paris",
            "salary_min": 90_000,
            "salary_max": 110_000,
            "currency": "EUR",
            "period": "year",
            "url": "",
        },
    )

    assert response.status_code == 302
    posting.refresh_from_db()
    assert (posting.salary_min, posting.salary_max, posting.currency) == (
        90_000,
        110_000,
        "EUR",
    )
    assert posting.annual_max == 110_000
    assert LogEntry.objects.get(object_id=str(posting.pk)).user == moderator


def test_merge_asks_which_posting_to_keep(moderator_client):
    first, second = PostingFactory(), PostingFactory()

    response = moderator_client.post(
        POSTINGS,
        {
            "action": "merge_selected_postings",
            "_selected_action": [first.pk, second.pk],
            "index": 0,
        },
    )

    assert response.status_code == 200
    choices = response.context["form"].fields["keep"].queryset
    assert set(choices) == {first, second}
    assert Posting.objects.count() == 2


def test_merging_postings_keeps_every_citation_and_thread_link(
    moderator_client, moderator
):
    netflix = CompanyFactory(name="Netflix")
    keep = PostingFactory(company=netflix, title="Chef de produit", url="")
    duplicate = PostingFactory(
        company=netflix,
        title="Chef de produit",
        salary_min=300_000,
        salary_max=900_000,
        url="https://jobs.example.org/netflix-pm",
    )
    CitationFactory(posting=keep, article=ArticleFactory())
    other_article = ArticleFactory()
    CitationFactory(posting=duplicate, article=other_article)
    thread = ThreadFactory(article=other_article)
    thread.postings.set([duplicate])

    response = merge(
        moderator_client,
        POSTINGS,
        "merge_selected_postings",
        [keep, duplicate],
        keep=keep,
    )

    assert response.status_code == 302
    assert not Posting.objects.filter(pk=duplicate.pk).exists()
    keep.refresh_from_db()
    assert keep.url == "https://jobs.example.org/netflix-pm"
    assert Citation.objects.filter(posting=keep).count() == 2
    assert list(thread.postings.all()) == [keep]
    entry = LogEntry.objects.get(object_id=str(keep.pk))
    assert entry.user == moderator
    assert f"(#{duplicate.pk})" in entry.get_change_message()


def test_merging_needs_at_least_two_postings(moderator_client):
    only = PostingFactory()

    response = merge(
        moderator_client, POSTINGS, "merge_selected_postings", [only], keep=only
    )

    assert response.status_code == 302
    assert Posting.objects.filter(pk=only.pk).exists()
    assert not LogEntry.objects.exists()


def test_merging_companies_moves_their_postings(moderator_client, moderator):
    keep = CompanyFactory(name="Ernst & Young")
    duplicate = CompanyFactory(name="EY", domain="ey.com")
    moved = PostingFactory(company=duplicate, title="Consultant senior")

    response = merge(
        moderator_client,
        COMPANIES,
        "merge_selected_companies",
        [keep, duplicate],
        keep=keep,
    )

    assert response.status_code == 302
    assert not Company.objects.filter(pk=duplicate.pk).exists()
    moved.refresh_from_db()
    keep.refresh_from_db()
    assert moved.company == keep
    assert keep.domain == "ey.com"
    assert LogEntry.objects.get(object_id=str(keep.pk)).user == moderator


def test_a_company_keeps_its_identity_when_renamed(moderator_client):
    company = Company.objects.create(
        name="Openai", normalized_name="openai", slug="openai"
    )
    url = reverse("admin:articles_company_change", args=[company.pk])

    inlines = read_only_inlines(moderator_client, url)

    respelt = moderator_client.post(
        url, {**inlines, "name": "OpenAI", "domain": "openai.com"}
    )
    replaced = moderator_client.post(
        url, {**inlines, "name": "Anthropic", "domain": ""}
    )

    assert respelt.status_code == 302
    assert replaced.status_code == 200
    assert replaced.context["adminform"].form.errors["name"]
    company.refresh_from_db()
    assert (company.name, company.domain) == ("OpenAI", "openai.com")


def test_companies_are_added_through_the_deduplicating_service(admin_client):
    Company.objects.create(name="Google", normalized_name="google", slug="google")
    url = reverse("admin:articles_company_add")
    inlines = read_only_inlines(admin_client, url)

    duplicate = admin_client.post(url, {**inlines, "name": "GOOGLE", "domain": ""})
    added = admin_client.post(url, {**inlines, "name": "Hinge", "domain": ""})

    assert duplicate.status_code == 200
    assert added.status_code == 302
    hinge = Company.objects.get(name="Hinge")
    assert (hinge.normalized_name, hinge.slug) == ("hinge", "hinge")
    assert Company.objects.count() == 2


def test_moderators_cannot_delete_postings(moderator_client):
    posting = PostingFactory()

    response = moderator_client.post(
        reverse("admin:articles_posting_delete", args=[posting.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Posting.objects.filter(pk=posting.pk).exists()


def test_staff_outside_the_group_cannot_merge(client):
    first, second = PostingFactory(), PostingFactory()
    client.force_login(UserFactory(is_staff=True))

    response = merge(
        client, POSTINGS, "merge_selected_postings", [first, second], keep=first
    )

    assert response.status_code == 403
    assert Posting.objects.count() == 2
