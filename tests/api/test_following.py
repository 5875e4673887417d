"""POST and DELETE /api/v1/threads/{id}/follow/, as the page's follow button."""

import pytest
from django.urls import reverse

from accounts.services import ban_user
from forum.models import Follow, Notification
from forum.services import follow_thread, hide_thread
from tests.api.conftest import client_for
from tests.factories import ThreadFactory, UserFactory
from tests.support import post_reply_committed

pytestmark = pytest.mark.django_db


def _url(thread):
    return f"/api/v1/threads/{thread.pk}/follow/"


def _page_follow(client, thread, action="follow"):
    return client.post(
        reverse("forum:thread-follow", args=[thread.pk]), {"action": action}
    )


def test_following_records_the_follow_and_brings_notifications(user_api, thread, user):
    response = user_api.post(_url(thread))
    reply = post_reply_committed(
        thread=thread, author=UserFactory(), body="Nouvel avis."
    )

    assert response.status_code == 200
    assert response.json() == {"thread": thread.pk, "is_followed": True}
    assert Follow.objects.filter(thread=thread, user=user).exists()
    notifications = user_api.get("/api/v1/notifications/").json()["results"]
    assert [item["reply"]["id"] for item in notifications] == [reply.pk]


def test_following_twice_keeps_one_follow(user_api, thread, user):
    first = user_api.post(_url(thread))

    second = user_api.post(_url(thread))

    assert (first.status_code, second.status_code) == (200, 200)
    assert Follow.objects.filter(thread=thread, user=user).count() == 1


def test_unfollowing_stops_the_notifications_and_may_be_repeated(
    user_api, thread, user
):
    follow_thread(thread=thread, user=user)

    first = user_api.delete(_url(thread))
    second = user_api.delete(_url(thread))
    post_reply_committed(
        thread=thread, author=UserFactory(), body="Personne ne me lira."
    )

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json() == {"thread": thread.pk, "is_followed": False}
    assert not Follow.objects.filter(user=user).exists()
    assert not Notification.objects.filter(recipient=user).exists()


def test_following_needs_credentials(api_client, thread):
    response = api_client.post(_url(thread))

    assert response.status_code == 401
    assert not Follow.objects.exists()


def test_the_api_and_the_page_store_the_same_follow(client, user, user_api):
    by_api, by_page = ThreadFactory(), ThreadFactory()
    client.force_login(user)

    api_response = user_api.post(_url(by_api))
    page_response = _page_follow(client, by_page)

    assert (api_response.status_code, page_response.status_code) == (200, 302)
    assert set(Follow.objects.filter(user=user).values_list("thread", flat=True)) == {
        by_api.pk,
        by_page.pk,
    }


@pytest.mark.parametrize(
    ("case", "action", "expected"),
    [
        ("banned", "follow", 403),
        ("banned", "unfollow", 200),
        ("hidden thread", "follow", 404),
    ],
)
def test_the_api_answers_the_pages_status(
    case, action, expected, client, user, moderator
):
    thread = ThreadFactory()
    follow_thread(thread=thread, user=user)
    if case == "banned":
        ban_user(user=user, by=moderator, reason="Spam")
    else:
        hide_thread(thread=thread, by=moderator)
    client.force_login(user)
    method = "post" if action == "follow" else "delete"

    api_status = getattr(client_for(user), method)(_url(thread)).status_code
    page_status = _page_follow(client, thread, action).status_code

    # The page redirects where the API answers 200.
    assert api_status == expected
    assert page_status == (302 if expected == 200 else expected)
    still_followed = Follow.objects.filter(thread=thread, user=user).exists()
    assert still_followed is (action == "follow")
