"""Posting a reply does the same work in the request whatever the number of
followers: the fan-out is one queued task, run after the commit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import create_api_token
from forum.models import Follow, Notification
from tests.factories import ThreadFactory

pytestmark = pytest.mark.django_db

FOLLOWERS = 10_000


def _followers(thread, count):
    users = User.objects.bulk_create(
        User(username=f"suiveur{number}", email=f"suiveur{number}@example.org")
        for number in range(count)
    )
    Follow.objects.bulk_create(Follow(thread=thread, user=user) for user in users)


def test_posting_a_reply_costs_the_same_with_no_or_ten_thousand_followers(
    user, django_capture_on_commit_callbacks
):
    token = create_api_token(user=user, name="test")
    api = APIClient(HTTP_AUTHORIZATION=f"Bearer {token.secret}")
    quiet = ThreadFactory()
    busy = ThreadFactory()
    _followers(busy, FOLLOWERS)

    def post(thread):
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks() as callbacks,
        ):
            response = api.post(
                f"/api/v1/threads/{thread.pk}/replies/",
                {"body": "Une réponse lue par beaucoup."},
                format="json",
            )
        assert response.status_code == 201, response.content
        return len(queries), callbacks

    post(ThreadFactory())  # a first request fills the process's caches
    quiet_queries, _ = post(quiet)
    busy_queries, busy_callbacks = post(busy)

    assert busy_queries == quiet_queries
    assert Notification.objects.count() == 0
    for callback in busy_callbacks:
        callback()
    assert Notification.objects.count() == FOLLOWERS
