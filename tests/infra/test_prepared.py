"""On PostgreSQL the statements built once run as prepared statements
(forum/infra/prepared.py): the same rows, counted as any query, each planned
once per connection; with DATABASE_PREPARED_STATEMENTS off, none is."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.infra import prepared
from forum.infra.compiled import SLOTS, Compiled
from forum.models import Reply, Thread, Vote
from tests.factories import ReplyFactory, UserFactory, VoteFactory
from tests.support import signed_in_client


@pytest.fixture
def on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("Prepared statements are PostgreSQL's (DATABASE_URL).")


def _prepared_runs(fragment: str) -> int:
    """How many times the statements of this connection prepared with
    `fragment` in their text have run (0 when none is)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(generic_plans + custom_plans), 0) "
            "FROM pg_prepared_statements WHERE strpos(statement, %s) > 0",
            [fragment],
        )
        return cursor.fetchone()[0]


def _plans(fragment: str) -> tuple[int, int]:
    """The generic and custom plans PostgreSQL made for this connection's
    prepared statements with `fragment` in their text."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(generic_plans), 0), COALESCE(SUM(custom_plans), 0) "
            "FROM pg_prepared_statements WHERE strpos(statement, %s) > 0",
            [fragment],
        )
        return tuple(cursor.fetchone())


def _featured_lookup():
    return Compiled(
        Reply.objects.filter(
            thread=SLOTS["thread"],
            is_featured__in=[True],
            status=Reply.Status.PUBLISHED,
        )
    )


def test_a_compiled_lookup_runs_prepared_and_finds_the_orms_rows(on_postgresql):
    featured = ReplyFactory(is_featured=True)
    ReplyFactory(thread=featured.thread)
    ReplyFactory(thread=featured.thread, is_featured=True, status=Reply.Status.PENDING)
    lookup = _featured_lookup()

    with CaptureQueriesContext(connection) as queries:
        first = lookup.all(thread=featured.thread_id)
        again = lookup.all(thread=featured.thread_id)

    expected = list(
        Reply.objects.filter(
            thread=featured.thread, is_featured=True, status=Reply.Status.PUBLISHED
        )
    )
    assert [reply.pk for reply in first] == [reply.pk for reply in expected]
    assert [reply.pk for reply in again] == [featured.pk]
    # The values the queryset fixed are written in, booleans as PostgreSQL
    # reads them, so that the plan made once can use them; only the slot is
    # bound.
    assert lookup.params == [SLOTS["thread"]]
    assert "IN (TRUE)" in lookup.sql
    assert "'published'" in lookup.sql
    assert _prepared_runs(lookup.sql.split(" FROM ")[0]) == 2
    # Counted and logged as any query, with the values it ran with.
    assert len(queries) == 2
    for query in queries.captured_queries:
        assert f'"thread_id" = {featured.thread_id}' in query["sql"]


def test_a_prepared_lookup_reads_the_same_dates_as_the_orm(on_postgresql):
    """Aware datetimes in UTC, to the microsecond, null dates as None, as
    the ORM's cursor reads them."""
    featured = ReplyFactory(
        is_featured=True,
        created_at=datetime(2026, 3, 1, 23, 59, 58, 123456, tzinfo=UTC),
        edited_at=datetime(2026, 3, 2, 0, 0, 1, 999999, tzinfo=UTC),
    )
    ReplyFactory(thread=featured.thread, is_featured=True, edited_at=None)

    found = _featured_lookup().all(thread=featured.thread_id)

    expected = Reply.objects.filter(thread=featured.thread, is_featured=True)
    dates = ("created_at", "updated_at", "edited_at", "removed_at")
    assert sorted(
        tuple(getattr(reply, name) for name in dates) for reply in found
    ) == sorted(expected.values_list(*dates))
    (loaded,) = [reply for reply in found if reply.pk == featured.pk]
    assert loaded.created_at == featured.created_at
    assert loaded.created_at.utcoffset() == timedelta(0)
    assert loaded.edited_at.microsecond == 999999


def test_with_the_setting_off_nothing_is_prepared(on_postgresql, settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    featured = ReplyFactory(is_featured=True)
    lookup = _featured_lookup()
    columns = lookup.sql.split(" FROM ")[0]
    before = _prepared_runs(columns)

    assert [reply.pk for reply in lookup.all(thread=featured.thread_id)] == [
        featured.pk
    ]
    assert _prepared_runs(columns) == before
    assert not prepared.prepares(connection)


def test_a_vote_and_its_withdrawal_run_prepared_and_keep_the_counters(
    on_postgresql, client
):
    reply = ReplyFactory()
    voter = signed_in_client(UserFactory())
    url = reverse("forum:reply-vote", args=[reply.pk])
    thread_score = Thread.objects.get(pk=reply.thread_id).score

    with CaptureQueriesContext(connection) as queries:
        assert voter.post(url, {"value": "1"}).status_code in (200, 302)
    reply.refresh_from_db()
    assert (reply.upvotes, reply.score) == (1, 1)
    assert Thread.objects.get(pk=reply.thread_id).score == thread_score + 1
    # The voter's vote is read, and the vote row, the reply's counters and
    # the thread's score written, in one statement.
    on_votes = [
        query["sql"]
        for query in queries.captured_queries
        if '"forum_vote"' in query["sql"]
    ]
    assert len(on_votes) == 1
    (written,) = on_votes
    assert 'INSERT INTO "forum_vote"' in written
    assert 'UPDATE "forum_reply"' in written
    assert 'UPDATE "forum_thread"' in written
    assert voter.post(url, {"value": "0"}).status_code in (200, 302)

    reply.refresh_from_db()
    assert (reply.upvotes, reply.downvotes, reply.score) == (0, 0, 0)
    assert not Vote.objects.filter(reply=reply).exists()
    # The one statement, once per vote, prepared once.
    assert _prepared_runs('DELETE FROM "forum_vote"') == 2


def test_a_vote_reads_its_voter_with_the_reply_in_one_prepared_statement(
    on_postgresql,
):
    reply = ReplyFactory()
    voter = signed_in_client(UserFactory())
    url = reverse("forum:reply-vote", args=[reply.pk])

    for value in (1, -1):
        with CaptureQueriesContext(connection) as queries:
            response = voter.post(
                url, {"value": value}, headers={"accept": "application/json"}
            )
        assert response.status_code == 200
        assert response.json()["score"] == value
        reads = [
            query["sql"]
            for query in queries.captured_queries
            if any(
                table in query["sql"]
                for table in ('"accounts_user"', '"forum_reply"', '"forum_vote"')
            )
        ]
        # The voter's row and the reply (with its thread, article and
        # author), then the vote's one statement.
        assert len(reads) == 2, reads
        assert 'FROM "accounts_user"' in reads[0]
        assert 'FROM "forum_reply"' in reads[0]
        assert 'INSERT INTO "forum_vote"' in reads[1]

    assert _prepared_runs("AS viewer LEFT JOIN") == 2


def test_a_signed_in_reader_is_loaded_by_a_prepared_statement(on_postgresql):
    reply = ReplyFactory()
    reader = signed_in_client(UserFactory())

    for _ in range(2):
        response = reader.get(reply.thread.get_absolute_url())
        assert response.status_code == 200
        assert response.wsgi_request.user.is_authenticated

    assert _prepared_runs('FROM "accounts_user" WHERE') >= 2


def test_the_signed_in_readers_own_state_runs_prepared_with_one_plan_for_any_value(
    on_postgresql,
):
    """Their votes among the shown replies, sent as one array: planned once
    for any array (a custom plan per run read the statistics of every
    element), and the votes still found."""
    reader = UserFactory()
    thread = ReplyFactory().thread
    voted = ReplyFactory(thread=thread, body="Un salaire pareil se discute.")
    ReplyFactory.create_batch(3, thread=thread)
    VoteFactory(reply=voted, user=reader, value=1)
    Reply.objects.filter(pk=voted.pk).update(score=1, upvotes=1)
    client = signed_in_client(reader)
    # Alone, or after the reader's row in the same statement (its first
    # parameter then the user's id).
    own_votes = '"forum_vote" WHERE "user_id" = $'

    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
    for _ in range(7):
        page = client.get(thread.get_absolute_url()).content.decode()
        assert 'value="0" class="vote up" aria-pressed="true"' in page

    generic, custom = _plans(own_votes)
    assert (generic, custom) == (7, 0)
