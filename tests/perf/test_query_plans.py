"""The thread page's statements read what they count or look up from an
index, whatever the thread's size.

Each test captures the statements of a real page request and asks the
database how it runs them: SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's
EXPLAIN with sequential and bitmap scans priced out (a test's tables are
small enough for the planner to prefer reading them whole, which a
10,000-reply thread is not).
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Reply
from tests.factories import ReplyFactory, ThreadFactory, UserFactory


def _plan(sql: str) -> list[str]:
    """How the database runs `sql`: one line per step, naming the index."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()
    steps, pending = [], [(plan if isinstance(plan, list) else json.loads(plan))[0]]
    while pending:
        node = pending.pop()
        node = node.get("Plan", node)
        steps.append(f"{node['Node Type']} {node.get('Index Name', '')}".strip())
        pending.extend(node.get("Plans", ()))
    return steps


def _statements(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.fixture
def signed_in_page(client, settings):
    """A signed-in reader's thread page, with replies of others, the reader's
    own reply held for review and an answer, rendered for them (as it is with
    the page cache off, past the first page, or for a moderator)."""
    settings.FORUM_PAGE_CACHE_TIMEOUT = 0
    reader = UserFactory()
    thread = ThreadFactory()
    first = ReplyFactory(thread=thread)
    ReplyFactory(thread=thread, parent=first)
    ReplyFactory.create_batch(3, thread=thread)
    ReplyFactory(thread=thread, author=reader, status=Reply.Status.PENDING)
    client.force_login(reader)
    return client, thread


def _having(statements: list[str], *parts: str) -> list[str]:
    found = [sql for sql in statements if all(part in sql for part in parts)]
    assert found, statements
    return found


@pytest.mark.django_db
def test_top_level_count_read_from_its_index_for_a_signed_in_reader(
    signed_in_page,
):
    client, thread = signed_in_page
    statements = _statements(client, thread.get_absolute_url())
    # The page of top-level replies, with their number (which counts the
    # reader's own held replies) beside it.
    (page,) = _having(statements, "top_level_total", '"forum_reply"."depth" = 0')
    assert '"forum_reply"."author_id" =' in page
    plan = _plan(page)
    if connection.vendor == "sqlite":
        assert "SEARCH U0 USING COVERING INDEX forum_reply_top_level" in str(plan), plan
    else:
        assert "Index Only Scan forum_reply_top_level" in plan, plan


@pytest.mark.django_db
def test_newest_reply_found_in_one_step(signed_in_page):
    client, thread = signed_in_page
    statements = _statements(client, thread.get_absolute_url())
    # The thread, with the newest reply (to tell the reader what is new).
    for read in _having(statements, 'FROM "forum_thread"', "newest_reply_id"):
        plan = _plan(read)
        if connection.vendor == "sqlite":
            assert (
                "SEARCH U0 USING COVERING INDEX forum_reply_in_thread (thread_id=?)"
                in plan
            ), plan
            assert not any("TEMP B-TREE" in step for step in plan), plan
        else:
            assert any(step.endswith("forum_reply_in_thread") for step in plan), plan
            assert not any("Aggregate" in step or "Sort" in step for step in plan), plan


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL chooses among these indexes by the sizes of a test's "
    "tables; SQLite, keeping no statistics, by their columns alone",
)
def test_a_readers_own_replies_found_from_their_own_indexes(client):
    """The signed-in reader's own state on the shared page: their held
    replies, other replies of theirs a moderator or reports acted on, and the
    newest they wrote, each looked up by thread and author, not along every
    reply of the thread."""
    reader = UserFactory()
    thread = ThreadFactory()
    ReplyFactory.create_batch(3, thread=thread)
    client.force_login(reader)
    statements = _statements(client, thread.get_absolute_url())
    (own,) = _having(statements, 'FROM "forum_vote"', "UNION ALL")
    plan = _plan(own)
    lookups = [step for step in plan if step.startswith("SEARCH forum_reply ")]
    assert len(lookups) == 3, plan
    for step in lookups:
        assert "thread_id=?" in step and "author_id=?" in step, plan
    assert "forum_reply_held" in lookups[0], plan
