import pytest
from django.urls import reverse

from forum.models import Reply, Thread
from forum.services import post_reply
from tests.factories import ArticleFactory, ReplyFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


def reply_url(thread):
    return reverse("forum:reply-create", kwargs={"thread_id": thread.pk})


def test_signed_in_reader_posts_a_reply_and_is_sent_to_it(auth_client, thread, user):
    response = auth_client.post(
        reply_url(thread), {"body": "Ces salaires me semblent **justes**."}
    )

    reply = Reply.objects.get(thread=thread)
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}#reply-{reply.pk}"
    assert reply.author == user
    assert (
        reply.body_html == "<p>Ces salaires me semblent <strong>justes</strong>.</p>\n"
    )
    thread.refresh_from_db()
    assert thread.reply_count == 1
    assert thread.last_activity_at == reply.created_at


def test_reply_appears_on_the_thread_page(auth_client, thread):
    auth_client.post(reply_url(thread), {"body": "Un point de vue sur la question."})

    response = auth_client.get(thread.get_absolute_url())

    assert "Un point de vue sur la question." in response.content.decode()


def test_anonymous_visitor_is_sent_to_log_in_and_nothing_is_stored(client, thread):
    response = client.post(reply_url(thread), {"body": "Bonjour"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Reply.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n\t  "])
def test_empty_reply_gets_a_form_error_and_stores_nothing(auth_client, thread, body):
    response = auth_client.post(reply_url(thread), {"body": body})

    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Reply.objects.exists()


def test_reply_over_ten_thousand_characters_is_refused(auth_client, thread):
    response = auth_client.post(reply_url(thread), {"body": "a" * 10_001})

    assert response.status_code == 400
    assert "body" in response.context["form"].errors
    assert not Reply.objects.exists()


def test_reply_of_exactly_ten_thousand_characters_after_trimming_is_accepted(
    auth_client, thread
):
    auth_client.post(reply_url(thread), {"body": "  " + "a" * 10_000 + "  "})

    assert len(Reply.objects.get().body) == 10_000


def test_reply_to_a_locked_thread_is_refused(auth_client, thread):
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)

    response = auth_client.post(reply_url(thread), {"body": "Trop tard ?"})

    assert response.status_code == 403
    assert "locked" in response.content.decode().lower() or "verrouill" in (
        response.content.decode().lower()
    )
    assert not Reply.objects.exists()


def test_locked_thread_page_shows_no_reply_form(auth_client, thread):
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)

    response = auth_client.get(thread.get_absolute_url())

    assert response.context["can_reply"] is False
    assert 'id="reply-form"' not in response.content.decode()


def test_hidden_thread_is_a_404_for_readers(auth_client, thread):
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)

    page = auth_client.get(thread.get_absolute_url())
    post = auth_client.post(reply_url(thread), {"body": "Bonjour"})

    assert page.status_code == 404
    assert post.status_code == 404
    assert not Reply.objects.exists()


def test_banned_user_cannot_reply(client, thread):
    from django.utils import timezone

    banned = UserFactory(banned_at=timezone.now(), ban_reason="spam")
    client.force_login(banned)

    response = client.post(reply_url(thread), {"body": "Je reviens."})

    assert response.status_code == 403
    assert not Reply.objects.exists()


def test_inactive_user_cannot_reply_through_the_service(thread):
    inactive = UserFactory(is_active=False)

    with pytest.raises(Exception) as raised:
        post_reply(thread=thread, author=inactive, body="Bonjour")

    assert raised.type.__name__ == "PermissionDenied"
    assert not Reply.objects.exists()


def test_reply_to_a_reply_stores_its_parent_depth_and_path(auth_client, reply):
    auth_client.post(
        reply_url(reply.thread),
        {"body": "Je ne suis pas d'accord.", "parent": reply.pk},
    )

    child = Reply.objects.exclude(pk=reply.pk).get()
    assert child.parent == reply
    assert child.root == reply
    assert child.depth == 1
    assert child.path.startswith(reply.path) and len(child.path) == 2 * len(reply.path)


def test_parent_from_another_thread_is_refused(auth_client, thread):
    elsewhere = ReplyFactory()

    response = auth_client.post(
        reply_url(thread), {"body": "Hors sujet", "parent": elsewhere.pk}
    )

    assert response.status_code == 400
    assert Reply.objects.count() == 1


def test_unknown_parent_is_a_form_error(auth_client, thread):
    response = auth_client.post(reply_url(thread), {"body": "Salut", "parent": 999999})

    assert response.status_code == 400
    assert not Reply.objects.exists()


def test_reply_on_a_draft_articles_thread_is_a_404_for_readers(auth_client):
    thread = ThreadFactory(article=ArticleFactory(status="draft"))

    response = auth_client.post(reply_url(thread), {"body": "Bonjour"})

    assert response.status_code == 404
    assert not Reply.objects.exists()


def test_reply_link_answers_json_for_the_page_script(auth_client, thread):
    response = auth_client.post(
        reply_url(thread),
        {"body": "Réponse sans rechargement"},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 201
    data = response.json()
    assert data["id"] == Reply.objects.get().pk
    assert "Réponse sans rechargement" in data["html"]


def test_json_reply_errors_come_back_per_field(auth_client, thread):
    response = auth_client.post(
        reply_url(thread), {"body": " "}, headers={"accept": "application/json"}
    )

    assert response.status_code == 400
    assert "body" in response.json()["errors"]


def test_form_for_answering_a_reply_works_without_javascript(auth_client, reply):
    response = auth_client.get(
        reverse("forum:reply-respond", kwargs={"reply_id": reply.pk})
    )

    assert response.status_code == 200
    assert f'name="parent" value="{reply.pk}"' in response.content.decode()


def test_posting_through_the_service_moves_counters_only_for_published_replies(
    thread, user, settings
):
    settings.FORUM_HOLD_FIRST_REPLIES = 1

    held = post_reply(thread=thread, author=user, body="Première réponse")
    published = post_reply(thread=thread, author=user, body="Deuxième réponse")

    thread.refresh_from_db()
    assert held.is_pending and not published.is_pending
    assert thread.reply_count == 1
