"""Throttles answer 429 with Retry-After once a client passes its rate."""

import pytest

from forum.models import Reply, Vote
from tests.factories import ReplyFactory

pytestmark = pytest.mark.django_db


def test_anonymous_reads_are_throttled_per_address(api_client, throttle_rates, thread):
    throttle_rates(anon_read="2/m")

    answers = [api_client.get("/api/v1/threads/").status_code for _ in range(3)]
    blocked = api_client.get("/api/v1/threads/")

    assert answers == [200, 200, 429]
    assert 1 <= int(blocked["Retry-After"]) <= 60
    assert blocked.json()["detail"]


def test_signed_in_reads_are_not_counted_as_anonymous(user_api, throttle_rates, thread):
    throttle_rates(anon_read="1/m")

    answers = [user_api.get("/api/v1/threads/").status_code for _ in range(3)]

    assert answers == [200, 200, 200]


def test_writes_are_throttled_per_user(user_api, other_api, throttle_rates, thread):
    throttle_rates(user_write="2/m")

    answers = [
        user_api.post(f"/api/v1/threads/{thread.pk}/replies/", {"body": f"n°{n}"})
        for n in range(3)
    ]
    other = other_api.post(f"/api/v1/threads/{thread.pk}/replies/", {"body": "Moi."})

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert int(answers[2]["Retry-After"]) >= 1
    assert other.status_code == 201
    assert Reply.objects.count() == 3


def test_votes_have_their_own_throttle(other_api, throttle_rates, thread):
    throttle_rates(vote="1/m")
    first, second = ReplyFactory.create_batch(2, thread=thread)

    allowed = other_api.post(f"/api/v1/replies/{first.pk}/vote/", {"value": 1})
    blocked = other_api.post(f"/api/v1/replies/{second.pk}/vote/", {"value": 1})
    reply = other_api.post(f"/api/v1/threads/{thread.pk}/replies/", {"body": "Oui."})

    assert (allowed.status_code, blocked.status_code) == (200, 429)
    assert blocked["Retry-After"]
    assert reply.status_code == 201
    assert list(Vote.objects.values_list("reply_id", flat=True)) == [first.pk]


def test_token_requests_are_throttled_per_address(api_client, throttle_rates, user):
    throttle_rates(token="2/m")
    wrong = {"username": "alice", "password": "not-the-password"}

    answers = [
        api_client.post("/api/v1/auth/token/", wrong).status_code for _ in range(3)
    ]

    assert answers == [401, 401, 429]
