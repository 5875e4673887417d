"""DELETE /api/v1/replies/{id}/: the author deletes a reply as on the page."""

import pytest
from django.urls import reverse

from accounts.services import ban_user
from forum.models import Reply, Thread
from tests.api.conftest import client_for
from tests.factories import ReplyFactory

pytestmark = pytest.mark.django_db

REMOVAL = ("removed_by_id", "removal_reason", "body")


def _page_delete(client, reply):
    return client.post(reverse("forum:reply-delete", kwargs={"reply_id": reply.pk}))


def test_author_deletes_a_reply_softly_and_its_answers_stay(user_api, reply, user):
    child = ReplyFactory(parent=reply)

    response = user_api.delete(f"/api/v1/replies/{reply.pk}/")

    assert response.status_code == 204
    reply.refresh_from_db()
    assert reply.is_removed and reply.removal_reason == "author"
    assert reply.removed_by == user
    assert reply.body.startswith("Un avis argumenté")
    assert Thread.objects.get(pk=reply.thread_id).reply_count == 1
    listed = user_api.get(f"/api/v1/threads/{reply.thread_id}/replies/").json()
    shown = {item["id"]: item for item in listed["results"]}
    assert shown[reply.pk]["is_removed"] is True
    assert shown[reply.pk]["body"] is None
    assert shown[child.pk]["parent"] == reply.pk


def test_someone_elses_reply_answers_403_and_stays(other_api, reply):
    response = other_api.delete(f"/api/v1/replies/{reply.pk}/")

    assert response.status_code == 403
    reply.refresh_from_db()
    assert not reply.is_removed


def test_without_credentials_answers_401(api_client, reply):
    response = api_client.delete(f"/api/v1/replies/{reply.pk}/")

    assert response.status_code == 401
    reply.refresh_from_db()
    assert not reply.is_removed


def test_deleting_twice_answers_404_the_second_time(user_api, reply):
    first = user_api.delete(f"/api/v1/replies/{reply.pk}/")

    second = user_api.delete(f"/api/v1/replies/{reply.pk}/")

    assert (first.status_code, second.status_code) == (204, 404)


def test_the_api_and_the_page_store_the_same_deletion(
    user_api, auth_client, thread, user
):
    by_api = ReplyFactory(thread=thread, author=user)
    by_page = ReplyFactory(thread=thread, author=user)

    api_response = user_api.delete(f"/api/v1/replies/{by_api.pk}/")
    page_response = _page_delete(auth_client, by_page)

    assert (api_response.status_code, page_response.status_code) == (204, 302)
    stored = {
        reply.pk: (reply.is_removed, *(getattr(reply, name) for name in REMOVAL))
        for reply in Reply.objects.filter(pk__in=[by_api.pk, by_page.pk])
    }
    assert stored[by_api.pk][:3] == stored[by_page.pk][:3] == (True, user.pk, "author")
    assert stored[by_api.pk][3] == by_api.body
    thread.refresh_from_db()
    assert thread.reply_count == 0


@pytest.mark.parametrize("case", ["not the author", "banned author", "removed"])
def test_the_api_refuses_with_the_pages_status(
    case, client, user, other_user, moderator, thread
):
    reply = ReplyFactory(thread=thread, author=user)
    twin = ReplyFactory(thread=thread, author=user)
    actor = other_user if case == "not the author" else user
    if case == "banned author":
        ban_user(user=user, by=moderator, reason="Spam")
    if case == "removed":
        Reply.objects.filter(pk__in=[reply.pk, twin.pk]).update(
            removal_reason="spam", removed_by=moderator, removed_at=thread.created_at
        )
    client.force_login(actor)

    api_status = client_for(actor).delete(f"/api/v1/replies/{reply.pk}/").status_code
    page_status = _page_delete(client, twin).status_code

    assert api_status == page_status == (404 if case == "removed" else 403)
    assert (
        Reply.objects.get(pk=reply.pk).removal_reason
        == Reply.objects.get(pk=twin.pk).removal_reason
    )
