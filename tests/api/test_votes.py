import pytest

from accounts.services import ban_user
from forum.models import Reply, Vote
from forum.services import lock_thread, post_reply, remove_reply

pytestmark = pytest.mark.django_db


def _vote(client, reply, value):
    return client.post(f"/api/v1/replies/{reply.pk}/vote/", {"value": value})


def test_vote_answers_the_new_counts_and_stores_the_vote(other_api, other_user, reply):
    response = _vote(other_api, reply, 1)

    reply.refresh_from_db()
    assert response.status_code == 200
    assert response.json() == {"score": 1, "upvotes": 1, "downvotes": 0, "my_vote": 1}
    assert (reply.score, reply.upvotes) == (1, 1)
    assert Vote.objects.get(reply=reply, user=other_user).value == 1


def test_second_vote_replaces_the_first_and_zero_withdraws_it(other_api, reply):
    _vote(other_api, reply, 1)

    down = _vote(other_api, reply, -1)
    withdrawn = _vote(other_api, reply, 0)

    reply.refresh_from_db()
    assert down.json() == {"score": -1, "upvotes": 0, "downvotes": 1, "my_vote": -1}
    assert withdrawn.json() == {"score": 0, "upvotes": 0, "downvotes": 0, "my_vote": 0}
    assert (reply.score, reply.upvotes, reply.downvotes) == (0, 0, 0)
    assert not Vote.objects.filter(reply=reply).exists()


def test_vote_shows_as_my_vote_in_the_reply_list(other_api, thread, reply):
    _vote(other_api, reply, -1)

    response = other_api.get(f"/api/v1/threads/{thread.pk}/replies/")

    assert response.json()["results"][0]["my_vote"] == -1


@pytest.mark.parametrize("value", [2, "up", None, 1.5, True])
def test_a_vote_other_than_one_minus_one_or_zero_answers_400(other_api, reply, value):
    response = other_api.post(
        f"/api/v1/replies/{reply.pk}/vote/", {"value": value}, format="json"
    )

    reply.refresh_from_db()
    assert response.status_code == 400
    assert list(response.json()) == ["value"]
    assert reply.upvotes == reply.downvotes == 0


def test_voting_on_your_own_reply_is_forbidden(user_api, reply):
    response = _vote(user_api, reply, 1)

    reply.refresh_from_db()
    assert response.status_code == 403
    assert list(response.json()) == ["detail"]
    assert reply.score == 0


def test_voting_in_a_locked_thread_is_forbidden(other_api, moderator, thread, reply):
    lock_thread(thread=thread, by=moderator)

    response = _vote(other_api, reply, 1)

    reply.refresh_from_db()
    assert response.status_code == 403
    assert reply.score == 0


def test_voting_on_a_removed_reply_is_not_found(other_api, moderator, thread, user):
    reply = post_reply(thread=thread, author=user, body="Bientôt retiré.")
    remove_reply(reply=reply, by=moderator, reason=Reply.RemovalReason.SPAM)

    response = _vote(other_api, reply, 1)

    reply.refresh_from_db()
    assert response.status_code == 404
    assert reply.score == 0


def test_banned_user_cannot_vote(other_api, other_user, moderator, reply):
    ban_user(user=other_user, by=moderator, reason="Abus")

    response = other_api.post(
        f"/api/v1/replies/{reply.pk}/vote/", {"value": 1}, HTTP_ACCEPT_LANGUAGE="en"
    )

    reply.refresh_from_db()
    assert response.status_code == 403
    assert response.json() == {
        "detail": (
            "Your account is banned until a moderator lifts the ban: you can "
            "read but not write. Reason: Abus. You may appeal the ban."
        ),
        "ban": {"reason": "Abus", "until": None, "appeal_url": "/account/ban/appeal/"},
    }
    assert reply.score == 0


def test_anonymous_vote_answers_401(api_client, reply):
    response = _vote(api_client, reply, 1)

    reply.refresh_from_db()
    assert response.status_code == 401
    assert reply.score == 0


def test_vote_on_a_missing_reply_answers_404(other_api):
    response = other_api.post("/api/v1/replies/424242/vote/", {"value": 1})

    assert response.status_code == 404
    assert not Vote.objects.exists()
