"""/api/v1/notifications/: the inbox of the pages, over the API."""

import pytest
from django.utils import timezone

from forum.models import Notification
from forum.services import follow_thread, hide_thread
from tests.factories import UserFactory
from tests.support import post_reply_committed

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers(reply, thread):
    """Two answers to the user's reply, by carla then dan."""
    carla = UserFactory(username="carla")
    dan = UserFactory(username="dan")
    first = post_reply_committed(
        thread=thread, author=carla, body="Première réponse.", parent=reply
    )
    second = post_reply_committed(
        thread=thread, author=dan, body="Seconde réponse.", parent=reply
    )
    return first, second


def test_the_list_shows_your_notifications_newest_first(user_api, answers, thread):
    first, second = answers

    response = user_api.get("/api/v1/notifications/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["reply"]["id"] for item in results] == [second.pk, first.pk]
    assert results[0]["kind"] == "reply"
    assert results[0]["is_read"] is False
    assert results[0]["reply"]["author"]["username"] == "dan"
    assert results[0]["thread"]["id"] == thread.pk


def test_the_list_is_paged_by_cursor(user_api, answers):
    first, second = answers

    page = user_api.get("/api/v1/notifications/?page_size=1").json()
    following = user_api.get(page["next"]).json()

    assert [item["reply"]["id"] for item in page["results"]] == [second.pk]
    assert [item["reply"]["id"] for item in following["results"]] == [first.pk]
    assert following["next"] is None


def test_nobody_reads_someone_elses_notifications(other_api, answers):
    response = other_api.get("/api/v1/notifications/")

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_list_needs_credentials(api_client):
    response = api_client.get("/api/v1/notifications/")

    assert response.status_code == 401


def test_a_thread_no_longer_open_shows_neither_thread_nor_reply(
    user_api, answers, thread, moderator
):
    hide_thread(thread=thread, by=moderator)

    results = user_api.get("/api/v1/notifications/").json()["results"]

    assert [(item["thread"], item["reply"]) for item in results] == [(None, None)] * 2


def test_a_removed_reply_is_notified_without_its_text(user_api, thread, user):
    follow_thread(thread=thread, user=user)
    removed = post_reply_committed(thread=thread, author=UserFactory(), body="Effacé.")
    removed.removed_at = timezone.now()
    removed.removal_reason = "spam"
    removed.save()

    item = user_api.get("/api/v1/notifications/").json()["results"][0]

    assert item["reply"]["is_removed"] is True
    assert item["reply"]["body"] is None


def test_marking_one_read_leaves_the_others(user_api, answers, user):
    first, second = answers
    notification = Notification.objects.get(reply=first)

    response = user_api.post(f"/api/v1/notifications/{notification.pk}/read/")

    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert response.json()["read_at"] is not None
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    assert [item.reply_id for item in unread] == [second.pk]


def test_someone_elses_notification_answers_404_and_stays_unread(other_api, answers):
    notification = Notification.objects.get(reply=answers[0])

    response = other_api.post(f"/api/v1/notifications/{notification.pk}/read/")

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_all_read_counts_them_and_touches_only_yours(
    user_api, answers, thread, other_user
):
    follow_thread(thread=thread, user=other_user)
    post_reply_committed(thread=thread, author=UserFactory(), body="Pour les abonnés.")

    response = user_api.post("/api/v1/notifications/read-all/")
    again = user_api.post("/api/v1/notifications/read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    assert again.json() == {"marked": 0}
    assert not Notification.objects.filter(
        recipient__username="alice", read_at__isnull=True
    ).exists()
    assert Notification.objects.get(recipient=other_user).read_at is None


def test_marking_read_on_the_api_shows_on_the_inbox_page(
    user_api, auth_client, answers
):
    user_api.post("/api/v1/notifications/read-all/")

    page = auth_client.get("/notifications/").content.decode()

    assert "badge unread" not in page
    assert 'class="notification unread"' not in page
