import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    PostingFactory,
    ThreadFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def article_form_data(article, threads=(), **changes):
    """What the article's change form posts, with `changes` applied."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "status": article.status,
        "language": article.language,
        "source": article.source,
        "author": article.author,
        "translator": article.translator,
        "sources": article.sources,
        "source_url": article.source_url,
        "published": article.published.isoformat() if article.published else "",
        "published_precision": article.published_precision,
        "body": article.body,
        "threads-TOTAL_FORMS": len(threads),
        "threads-INITIAL_FORMS": len(threads),
        "threads-MIN_NUM_FORMS": 0,
        "threads-MAX_NUM_FORMS": 1000,
        "citations-TOTAL_FORMS": 0,
        "citations-INITIAL_FORMS": 0,
        "citations-MIN_NUM_FORMS": 0,
        "citations-MAX_NUM_FORMS": 0,
    }
    for index, (thread, position) in enumerate(threads):
        data[f"threads-{index}-id"] = thread.pk
        data[f"threads-{index}-article"] = article.pk
        data[f"threads-{index}-position"] = position
    data.update(changes)
    return data


@pytest.fixture
def moderator_client(client, moderator):
    # The admin speaks the browser's language; these tests read its English.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(moderator)
    return client


def test_article_page_shows_its_questions_in_order_and_the_cited_postings(
    moderator_client,
):
    article = ArticleFactory()
    second = ThreadFactory(article=article, title="Deuxième question ?", position=1)
    first = ThreadFactory(article=article, title="Première question ?", position=0)
    citation = CitationFactory(
        article=article, evidence="Le poste était payé 300 000 dollars."
    )

    response = moderator_client.get(change_url(article))

    page = response.content.decode()
    threads, citations = response.context["inline_admin_formsets"]
    assert [form.original for form in threads] == [first, second]
    assert [form.original for form in citations] == [citation]
    assert "Le poste était payé 300 000 dollars." in page
    assert 'name="threads-0-position"' not in page


def test_article_list_counts_questions_and_postings_and_filters_drafts(
    moderator_client,
):
    published = ArticleFactory(title="Publié")
    ThreadFactory(article=published)
    ThreadFactory(article=published)
    CitationFactory(article=published)
    ArticleFactory(title="Brouillon", status=Article.Status.DRAFT)

    listing = moderator_client.get(ARTICLES)
    drafts = moderator_client.get(f"{ARTICLES}?status__exact=draft")

    row = next(a for a in listing.context["cl"].result_list if a.title == "Publié")
    assert (row.thread_total, row.citation_total) == (2, 1)
    assert [a.title for a in drafts.context["cl"].result_list] == ["Brouillon"]


def test_moderator_reads_articles_but_cannot_change_them(moderator_client):
    article = ArticleFactory(title="Titre d'origine")

    response = moderator_client.post(
        change_url(article), article_form_data(article, title="Réécrit")
    )

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Titre d'origine"


def test_editor_changes_the_body_and_the_page_shows_it_rendered(admin_client):
    article = ArticleFactory(body="Ancien texte.")

    response = admin_client.post(
        change_url(article),
        article_form_data(article, body="Les offres **explosent**."),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "Les offres **explosent**."
    assert "<strong>explosent</strong>" in article.body_html
    assert (
        "<strong>explosent</strong>"
        in admin_client.get(article.get_absolute_url()).content.decode()
    )


def test_editor_reorders_the_questions_on_the_article_page(admin_client):
    article = ArticleFactory()
    first = ThreadFactory(article=article, title="Première ?", position=0)
    second = ThreadFactory(article=article, title="Deuxième ?", position=1)

    response = admin_client.post(
        change_url(article),
        article_form_data(article, threads=[(first, 1), (second, 0)]),
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (1, 0)
    page = admin_client.get(article.get_absolute_url()).content.decode()
    assert page.index("Deuxième ?") < page.index("Première ?")
    assert LogEntry.objects.filter(object_id=str(article.pk)).exists()


def test_editor_publishes_and_unpublishes_articles(admin_client, client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    admin_client.post(
        ARTICLES,
        {"action": "publish_articles", "_selected_action": [draft.pk], "index": 0},
    )
    draft.refresh_from_db()
    public_after_publishing = client.get(draft.get_absolute_url()).status_code
    admin_client.post(
        ARTICLES,
        {"action": "unpublish_articles", "_selected_action": [draft.pk], "index": 0},
    )

    draft.refresh_from_db()
    assert public_after_publishing == 200
    assert draft.status == Article.Status.DRAFT
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert list(
        LogEntry.objects.order_by("pk").values_list("change_message", flat=True)
    ) == ["Published the article.", "Took the article back to draft."]


def test_postings_cited_by_an_article_link_to_their_change_page(moderator_client):
    posting = PostingFactory(title="Chercheur en IA")
    citation = CitationFactory(posting=posting)

    page = moderator_client.get(change_url(citation.article)).content.decode()

    assert reverse("admin:articles_posting_change", args=[posting.pk]) in page


def test_staff_outside_the_group_cannot_open_articles(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(ARTICLES).status_code == 403
