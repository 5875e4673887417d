import threading

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Sum
from django.urls import reverse

from accounts.models import User
from forum import services
from forum.models import Reply, Thread, Vote
from forum.services import cast_vote, post_reply, remove_reply, wilson_lower_bound
from tests.factories import ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db


def vote_url(reply):
    return reverse("forum:reply-vote", kwargs={"reply_id": reply.pk})


def test_up_vote_through_the_page_updates_the_counters(client, reply, other_user):
    client.force_login(other_user)

    response = client.post(vote_url(reply), {"value": "1"})

    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.score, reply.upvotes, reply.downvotes) == (1, 1, 0)
    assert reply.wilson == pytest.approx(wilson_lower_bound(1, 0))
    assert Thread.objects.get(pk=reply.thread_id).score == 1


def test_vote_answers_json_for_the_page_script(client, reply, other_user):
    client.force_login(other_user)

    response = client.post(
        vote_url(reply), {"value": "-1"}, headers={"accept": "application/json"}
    )

    assert response.json() == {
        "id": reply.pk,
        "score": -1,
        "upvotes": 0,
        "downvotes": 1,
        "my_vote": -1,
    }


def test_second_vote_by_same_user_replaces_the_first(reply, other_user):
    cast_vote(reply=reply, voter=other_user, value=1)

    cast_vote(reply=reply, voter=other_user, value=-1)

    reply.refresh_from_db()
    assert (reply.score, reply.upvotes, reply.downvotes) == (-1, 0, 1)
    assert Vote.objects.get(reply=reply, user=other_user).value == -1


def test_voting_zero_withdraws_the_vote(client, reply, other_user):
    client.force_login(other_user)
    client.post(vote_url(reply), {"value": "1"})

    client.post(vote_url(reply), {"value": "0"})

    reply.refresh_from_db()
    assert (reply.score, reply.upvotes, reply.downvotes) == (0, 0, 0)
    assert not Vote.objects.exists()


def test_same_vote_twice_counts_once(reply, other_user):
    cast_vote(reply=reply, voter=other_user, value=1)

    cast_vote(reply=reply, voter=other_user, value=1)

    reply.refresh_from_db()
    assert (reply.score, reply.upvotes) == (1, 1)
    assert Vote.objects.count() == 1


def test_self_vote_is_forbidden_and_changes_nothing(auth_client, reply):
    response = auth_client.post(
        vote_url(reply), {"value": "1"}, headers={"accept": "application/json"}
    )

    assert response.status_code == 403
    assert "non_field_errors" in response.json()["errors"]
    reply.refresh_from_db()
    assert reply.score == 0
    assert not Vote.objects.exists()


def test_self_vote_raises_permission_denied_in_the_service(reply, user):
    with pytest.raises(PermissionDenied):
        cast_vote(reply=reply, voter=user, value=1)


@pytest.mark.parametrize("value", ["2", "-2", "up", ""])
def test_vote_value_outside_one_zero_minus_one_is_refused(
    client, reply, other_user, value
):
    client.force_login(other_user)

    response = client.post(
        vote_url(reply), {"value": value}, headers={"accept": "application/json"}
    )

    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_vote_on_a_removed_reply_is_refused(client, reply, other_user, moderator):
    remove_reply(reply=reply, by=moderator, reason="spam")
    client.force_login(other_user)

    response = client.post(vote_url(reply), {"value": "1"})

    assert response.status_code == 404
    assert not Vote.objects.exists()


def test_vote_in_a_locked_thread_is_refused(reply, other_user):
    Thread.objects.filter(pk=reply.thread_id).update(is_locked=True)
    reply.thread.refresh_from_db()

    with pytest.raises(PermissionDenied):
        cast_vote(reply=reply, voter=other_user, value=1)

    assert not Vote.objects.exists()


def test_anonymous_vote_is_sent_to_log_in(client, reply):
    response = client.post(vote_url(reply), {"value": "1"})

    assert response.status_code == 302
    assert not Vote.objects.exists()


@pytest.mark.parametrize("ended_by", ["password change", "account gone"])
def test_a_vote_from_a_session_that_no_longer_holds_is_sent_to_log_in(
    client, reply, other_user, ended_by
):
    client.force_login(other_user)
    if ended_by == "password change":
        other_user.set_password("un-tout-nouveau-mot-de-passe-2026")
        other_user.save()
    else:
        User.objects.filter(pk=other_user.pk).delete()

    response = client.post(
        vote_url(reply), {"value": "1"}, headers={"accept": "application/json"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert not Vote.objects.exists()
    reply.refresh_from_db()
    assert (reply.score, reply.upvotes) == (0, 0)


def test_in_a_hidden_thread_a_moderator_votes_and_a_reader_finds_nothing(
    client, reply, other_user, moderator
):
    Thread.objects.filter(pk=reply.thread_id).update(is_hidden=True)
    client.force_login(other_user)
    refused = client.post(vote_url(reply), {"value": "1"})
    client.force_login(moderator)

    counted = client.post(
        vote_url(reply), {"value": "1"}, headers={"accept": "application/json"}
    )

    assert refused.status_code == 404
    assert counted.status_code == 200
    assert counted.json()["upvotes"] == 1
    assert list(Vote.objects.values_list("user_id", flat=True)) == [moderator.pk]


def test_vote_page_only_accepts_post(client, reply, other_user):
    client.force_login(other_user)

    response = client.get(vote_url(reply))

    assert response.status_code == 405


def test_counters_equal_a_recount_after_many_votes(thread):
    replies = [ReplyFactory(thread=thread) for _ in range(3)]
    voters = [UserFactory() for _ in range(6)]

    for index, voter in enumerate(voters):
        for offset, reply in enumerate(replies):
            cast_vote(reply=reply, voter=voter, value=[1, -1, 0][(index + offset) % 3])
            if index % 2:
                cast_vote(reply=reply, voter=voter, value=1)

    for reply in Reply.objects.filter(thread=thread):
        votes = Vote.objects.filter(reply=reply)
        assert reply.upvotes == votes.filter(value=1).count()
        assert reply.downvotes == votes.filter(value=-1).count()
        assert reply.score == (votes.aggregate(total=Sum("value"))["total"] or 0)
        # The best order's key, to the last bit, whichever database computed it.
        assert reply.wilson == wilson_lower_bound(reply.upvotes, reply.downvotes)
    thread.refresh_from_db()
    assert (
        thread.score
        == Reply.objects.filter(thread=thread).aggregate(total=Sum("score"))["total"]
    )


def test_wilson_lower_bound_prefers_many_good_votes_to_one():
    assert wilson_lower_bound(0, 0) == 0.0
    assert wilson_lower_bound(1, 0) < wilson_lower_bound(40, 5)
    assert wilson_lower_bound(5, 5) < wilson_lower_bound(9, 1)


def _votes_at_once(reply, voter, values) -> list[Exception]:
    """cast_vote for each value at the same moment, each in its own thread
    and connection: the errors they raised."""
    errors = []
    start = threading.Barrier(len(values))

    def vote(value):
        from django.db import connection

        try:
            start.wait()
            cast_vote(reply=reply, voter=voter, value=value)
        except Exception as error:  # noqa: BLE001 - reported by the caller
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=vote, args=(value,)) for value in values]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_simultaneous_identical_votes_by_one_user_leave_one_vote():
    reply = ReplyFactory()
    voter = UserFactory()

    errors = _votes_at_once(reply, voter, [1] * 8)

    reply.refresh_from_db()
    assert errors == []
    assert Vote.objects.filter(reply=reply).count() == 1
    assert (reply.score, reply.upvotes) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_different_votes_by_one_user_keep_the_counters_a_recount():
    """One reader's requests changing their vote at the same time (two tabs,
    a double click): whichever comes last stands, and the counters count
    the one vote left."""
    reply = ReplyFactory()
    voter = UserFactory()
    cast_vote(reply=reply, voter=voter, value=1)

    errors = _votes_at_once(reply, voter, [1, -1, 0] * 4)

    reply.refresh_from_db()
    assert errors == []
    votes = list(Vote.objects.filter(reply=reply).values_list("value", flat=True))
    assert len(votes) <= 1
    assert reply.upvotes == votes.count(1)
    assert reply.downvotes == votes.count(-1)
    assert reply.score == sum(votes)
    thread_replies = Reply.objects.filter(thread_id=reply.thread_id)
    assert (
        Thread.objects.get(pk=reply.thread_id).score
        == thread_replies.aggregate(total=Sum("score"))["total"]
    )


@pytest.mark.django_db(transaction=True)
def test_simultaneous_votes_of_many_readers_all_count():
    reply = ReplyFactory()
    voters = [UserFactory() for _ in range(10)]
    values = [1, -1, 1, 1, -1, 1, 0, 1, -1, 1]
    errors = []
    start = threading.Barrier(len(voters))

    def vote(voter, value):
        from django.db import connection

        try:
            start.wait()
            cast_vote(reply=reply, voter=voter, value=value)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    workers = [
        threading.Thread(target=vote, args=pair)
        for pair in zip(voters, values, strict=True)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    reply.refresh_from_db()
    assert errors == []
    assert (reply.upvotes, reply.downvotes, reply.score) == (6, 3, 3)
    assert reply.wilson == wilson_lower_bound(6, 3)
    assert Thread.objects.get(pk=reply.thread_id).score == 3


@pytest.mark.django_db(transaction=True)
def test_a_reply_being_written_does_not_hold_up_its_authors_vote(monkeypatch, settings):
    """A reader's reply and vote in the same thread at once: the vote's
    commit does not wait for the reply (which, once it moves the thread's
    counters, waits for the vote: a deadlock)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite writes one at a time")
    settings.FORUM_DUPLICATE_REPLY_SECONDS = 60
    reply = ReplyFactory()
    author = UserFactory()
    checked, finish = threading.Event(), threading.Event()
    refuse_banned_words = services.wordrules.refuse_banned_words

    def paused(body):
        # The reply is past its duplicate check, its author's row locked.
        checked.set()
        finish.wait(10)
        return refuse_banned_words(body)

    monkeypatch.setattr(services.wordrules, "refuse_banned_words", paused)
    errors = []

    def write():
        from django.db import connection

        try:
            post_reply(thread=reply.thread, author=author, body="Ma réponse.")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert checked.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
        voted = cast_vote(reply=reply, voter=author, value=1)
    finally:
        finish.set()
        writer.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    assert (voted.score, errors) == (1, [])
    assert Reply.objects.filter(thread=reply.thread, author=author).count() == 1


@pytest.fixture
def commits_seen():
    """What synchronous_commit is when each transaction writing a vote or a
    reply commits: a deferred trigger on both tables notes it, as the last
    thing before the commit."""
    statements = [
        "CREATE TABLE commit_seen (id serial, tbl text, setting text)",
        "CREATE FUNCTION note_commit() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN INSERT INTO commit_seen (tbl, setting) VALUES (TG_TABLE_NAME, "
        "current_setting('synchronous_commit')); RETURN NULL; END $$",
        *(
            f"CREATE CONSTRAINT TRIGGER note_commit AFTER INSERT OR UPDATE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION note_commit()"
            for table in (Vote._meta.db_table, Reply._meta.db_table)
        ),
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)

    def seen():
        with connection.cursor() as cursor:
            cursor.execute("SELECT tbl, setting FROM commit_seen ORDER BY id")
            rows = cursor.fetchall()
            cursor.execute("TRUNCATE commit_seen")
        return rows

    yield seen
    with connection.cursor() as cursor:
        for table in (Vote._meta.db_table, Reply._meta.db_table):
            cursor.execute(f"DROP TRIGGER note_commit ON {table}")
        cursor.execute("DROP FUNCTION note_commit()")
        cursor.execute("DROP TABLE commit_seen")


@pytest.mark.django_db(transaction=True)
def test_a_vote_commits_without_waiting_for_the_disk_and_a_reply_waits(request):
    """A vote is cheap to lose in a crash (the reader clicks again); what a
    reader wrote is not. The setting is the vote's transaction's own."""
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's; SQLite's is set per file")
    reply = ReplyFactory()
    voter = UserFactory()
    seen = request.getfixturevalue("commits_seen")

    cast_vote(reply=reply, voter=voter, value=1)
    voted = seen()
    post_reply(thread=reply.thread, author=voter, body="Une réponse.")
    replied = seen()
    with transaction.atomic():
        # Inside a larger transaction, the vote leaves its durability alone.
        cast_vote(reply=reply, voter=voter, value=-1)
    voted_inside = seen()

    assert voted == [("forum_vote", "off"), ("forum_reply", "off")]
    assert ("forum_reply", "on") in replied
    assert {setting for _table, setting in replied} == {"on"}
    assert voted_inside == [("forum_vote", "on"), ("forum_reply", "on")]
    reply.refresh_from_db()
    assert (reply.upvotes, reply.downvotes) == (0, 1)
