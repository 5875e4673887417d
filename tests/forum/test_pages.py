import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import escape

from articles.models import Article
from forum.services import cast_vote
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    PostingFactory,
    ReplyFactory,
    ThreadFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_home_lists_articles_with_their_questions_and_reply_counts(client):
    thread = ThreadFactory(title="Un million par an, est-ce justifié ?")
    ReplyFactory(thread=thread)
    ReplyFactory(thread=thread)

    page = client.get("/").content.decode()

    assert escape(thread.article.title) in page
    assert "Un million par an, est-ce justifié ?" in page
    assert thread.get_absolute_url() in page
    assert "2 " in page


@override_settings(FORUM_ARTICLES_PER_PAGE=2)
def test_home_is_paginated(client):
    articles = [ArticleFactory() for _ in range(3)]

    first = client.get("/").content.decode()
    second = client.get("/?page=2").content.decode()

    shown_first = [a for a in articles if escape(a.title) in first]
    shown_second = [a for a in articles if escape(a.title) in second]
    assert len(shown_first) == 2 and len(shown_second) == 1
    assert client.get("/?page=3").status_code == 404


def test_article_page_shows_questions_in_order_and_cited_postings(client):
    article = ArticleFactory(body="## Contexte\n\nLes offres **explosent**.")
    second = ThreadFactory(article=article, title="Deuxième question ?", position=1)
    first = ThreadFactory(article=article, title="Première question ?", position=0)
    posting = PostingFactory(
        title="Chef de produit IA", salary_min=None, salary_max=900_000, url=""
    )
    CitationFactory(article=article, posting=posting)

    page = client.get(article.get_absolute_url()).content.decode()

    assert page.index(first.title) < page.index(second.title)
    assert "<h2>Contexte</h2>" in page
    assert "Chef de produit IA" in page
    assert posting.company.name in page
    assert "900" in page


def test_draft_article_and_its_threads_are_visible_only_to_staff(client):
    thread = ThreadFactory(article=ArticleFactory(status=Article.Status.DRAFT))
    staff = UserFactory(is_staff=True)

    reader_article = client.get(thread.article.get_absolute_url())
    reader_thread = client.get(thread.get_absolute_url())
    reader_home = client.get("/").content.decode()
    client.force_login(staff)
    staff_article = client.get(thread.article.get_absolute_url())
    staff_thread = client.get(thread.get_absolute_url())

    assert reader_article.status_code == 404
    assert reader_thread.status_code == 404
    assert escape(thread.article.title) not in reader_home
    assert staff_article.status_code == 200
    assert staff_thread.status_code == 200


def test_thread_page_shows_question_article_link_and_postings(client):
    thread = ThreadFactory(title="Que pensez-vous de ces salaires ?")
    posting = PostingFactory(title="Consultant IA", salary_min=28, salary_max=28)
    posting.period = "hour"
    posting.save()
    thread.postings.add(posting)

    page = client.get(thread.get_absolute_url()).content.decode()

    assert "Que pensez-vous de ces salaires ?" in page
    assert thread.article.get_absolute_url() in page
    assert "Consultant IA" in page


def test_thread_url_with_a_wrong_slug_redirects_to_the_right_one(client, thread):
    response = client.get(f"/threads/{thread.pk}/wrong-slug/")

    assert response.status_code == 301
    assert response["Location"] == thread.get_absolute_url()


def test_unknown_thread_gets_the_friendly_404_page(client, settings):
    settings.DEBUG = False

    response = client.get("/threads/999999/nothing/")

    assert response.status_code == 404
    assert "error-page" in response.content.decode()


def test_signed_in_reader_sees_their_current_vote(client, reply, other_user):
    cast_vote(reply=reply, voter=other_user, value=1)
    client.force_login(other_user)

    page = client.get(reply.thread.get_absolute_url()).content.decode()

    assert 'aria-pressed="true" aria-label="Vote up"' in page or (
        'class="vote up" aria-pressed="true"' in page
    )


def test_vote_buttons_are_not_offered_on_your_own_reply(auth_client, reply):
    page = auth_client.get(reply.thread.get_absolute_url()).content.decode()

    assert "data-vote=" not in page


def test_every_form_is_protected_by_csrf(user, thread):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(
        reverse("forum:reply-create", kwargs={"thread_id": thread.pk}),
        {"body": "Sans jeton"},
    )

    assert response.status_code == 403
    assert not thread.replies.exists()


def test_profile_shows_replies_and_karma(client, user, other_user):
    first = ReplyFactory(author=user, body="Premier avis")
    second = ReplyFactory(author=user, body="Second avis")
    cast_vote(reply=first, voter=other_user, value=1)
    cast_vote(reply=second, voter=other_user, value=1)
    cast_vote(reply=second, voter=UserFactory(), value=1)

    response = client.get(user.get_absolute_url())

    page = response.content.decode()
    assert response.context["karma"] == 3
    assert "Premier avis" in page and "Second avis" in page


def test_profile_of_an_unknown_user_is_a_404(client):
    assert client.get("/u/nobody-here/").status_code == 404


def test_reader_edits_their_profile(auth_client, user):
    response = auth_client.post(
        reverse("accounts:profile-edit"),
        {"display_name": "Alice M.", "bio": "Data scientist", "email": "a@example.org"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("Alice M.", "Data scientist")


def test_posting_and_company_pages_answer(client):
    citation = CitationFactory(evidence="Une offre citée dans l'article.")

    posting_page = client.get(citation.posting.get_absolute_url())
    company_page = client.get(citation.posting.company.get_absolute_url())

    assert posting_page.status_code == 200
    assert "Une offre citée dans l&#x27;article." in posting_page.content.decode()
    assert company_page.status_code == 200
    assert citation.posting.title in company_page.content.decode()


def test_thread_page_sums_up_the_best_paid_postings_and_folds_the_rest(client):
    thread = ThreadFactory()
    for number, pay in enumerate([90_000, 300_000, 150_000, 120_000, 200_000]):
        thread.postings.add(
            PostingFactory(title=f"Poste {number}", salary_min=None, salary_max=pay)
        )

    html = client.get(thread.get_absolute_url()).content.decode()

    summary = html.split('<ul class="postings-summary">')[1].split("</ul>")[0]
    assert (
        summary.index("Poste 1") < summary.index("Poste 4") < summary.index("Poste 2")
    )
    assert "Poste 0" not in summary and "Poste 3" not in summary
    folded = html.split('<details class="all-postings">')[1].split("</details>")[0]
    assert "<summary>Voir les 5 offres, avec leur graphique et leur tableau" in folded
    assert 'class="salary-chart"' in folded
    assert folded.count('<td data-label="Entreprise">') == 5


def test_a_replys_toggle_holds_no_link(client, reply):
    html = client.get(reply.thread.get_absolute_url()).content.decode()

    toggle = html.split('<summary class="reply-toggle">')[1].split("</summary>")[0]
    head = html.split('<div class="reply-head">')[1].split("</div>")[0]
    assert "<a " not in toggle
    assert "Afficher ou masquer cette réponse" in toggle
    assert f'href="{reply.author.get_absolute_url()}"' in head


def test_english_questions_on_french_pages_say_their_language(client):
    english = ThreadFactory(
        article=ArticleFactory(language="en"), title="Are these salaries fair?"
    )
    french = ThreadFactory(article=ArticleFactory(language="fr"))

    home = client.get("/").content.decode()
    english_page = client.get(english.get_absolute_url()).content.decode()
    french_page = client.get(french.get_absolute_url()).content.decode()
    in_english = client.get(
        english.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert home.count('<article class="article-card" lang="en">') == 1
    assert '<article class="article-card">' in home
    assert '<h1 lang="en">Are these salaries fair?</h1>' in english_page
    assert f"<h1>{french.title}</h1>" in french_page
    assert "<h1>Are these salaries fair?</h1>" in in_english
