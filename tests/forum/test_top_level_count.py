"""The thread's count of top-level replies, which the first page's pagination
reads instead of counting them on every render."""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from forum.models import Reply, Thread
from forum.services import approve_reply, remove_reply, restore_reply
from tests.factories import ReplyFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_page(settings):
    settings.FORUM_TOP_LEVEL_PER_PAGE = 2


def recount(thread) -> int:
    return (
        Reply.objects.filter(thread=thread, depth=0)
        .exclude(status=Reply.Status.PENDING)
        .count()
    )


def post(client, thread, body, parent=None) -> Reply:
    data = {"body": body} if parent is None else {"body": body, "parent": parent.pk}
    response = client.post(
        reverse("forum:reply-create", kwargs={"thread_id": thread.pk}), data
    )
    assert response.status_code == 302, response.content
    return Reply.objects.filter(thread=thread).latest("pk")


def pages_shown(client, thread) -> int:
    """The number of pages the thread's first page says it has."""
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    found = re.search(
        r'<nav class="pagination".*?<span>\D*1\D+(\d+)</span>',
        response.content.decode(),
        re.S,
    )
    return int(found.group(1)) if found else 1


def counted(thread) -> int:
    thread.refresh_from_db()
    assert thread.top_level_count == recount(thread)
    return thread.top_level_count


# Committed as in production: the pages' versions move at commit.
@pytest.mark.django_db(transaction=True)
def test_the_first_pages_count_follows_posts_holds_approvals_and_removals(
    client, two_per_page, moderator, settings
):
    thread = ThreadFactory()
    writer, newcomer = UserFactory(), UserFactory()
    reader = client.__class__()
    client.force_login(writer)
    first = post(client, thread, "Un premier avis.")
    post(client, thread, "Une réponse à ce premier avis.", parent=first)
    post(client, thread, "Un deuxième avis.")
    post(client, thread, "Un troisième avis.")

    assert counted(thread) == 3
    assert pages_shown(reader, thread) == 2

    settings.FORUM_HOLD_FIRST_REPLIES = 1
    client.force_login(newcomer)
    held = post(client, thread, "Un avis qui attend un modérateur.")
    assert held.is_pending
    assert counted(thread) == 3

    remove_reply(reply=first, by=moderator, reason=Reply.RemovalReason.OFF_TOPIC)
    # A removed reply keeps its place, as a placeholder.
    assert counted(thread) == 3
    restore_reply(reply=Reply.objects.get(pk=first.pk), by=moderator)
    assert counted(thread) == 3

    post(client, thread, "Un quatrième avis, publié.")
    approve_reply(reply=Reply.objects.get(pk=held.pk), by=moderator)

    assert counted(thread) == 5
    assert pages_shown(reader, thread) == 3


# Committed as in production: the pages' versions move at commit.
@pytest.mark.django_db(transaction=True)
def test_a_held_reply_removed_then_approved_takes_its_place_on_the_page(
    client, two_per_page, moderator, settings
):
    thread = ThreadFactory()
    ReplyFactory.create_batch(2, thread=thread)
    settings.FORUM_HOLD_FIRST_REPLIES = 1
    client.force_login(UserFactory())
    held = post(client, thread, "Un avis mis de côté.")
    remove_reply(reply=held, by=moderator, reason=Reply.RemovalReason.SPAM)
    reader = client.__class__()
    assert pages_shown(reader, thread) == 1

    approve_reply(reply=Reply.objects.get(pk=held.pk), by=moderator)

    assert counted(thread) == 3
    # The page read before the approval is not served again.
    assert pages_shown(reader, thread) == 2


def test_the_migration_counts_each_threads_published_top_level_replies():
    migration = importlib.import_module("forum.migrations.0022_thread_top_level_count")
    state = MigrationExecutor(connection).loader.project_state(
        ("forum", "0022_thread_top_level_count")
    )
    busy, quiet = ThreadFactory(), ThreadFactory()
    root = ReplyFactory(thread=busy)
    ReplyFactory(thread=busy, parent=root)
    ReplyFactory(
        thread=busy,
        removed_at=root.created_at,
        removal_reason=Reply.RemovalReason.SPAM,
    )
    ReplyFactory(thread=busy, status=Reply.Status.PENDING)
    Thread.objects.update(top_level_count=0)

    migration.count_top_level_replies(
        state.apps, SimpleNamespace(connection=connection)
    )

    busy.refresh_from_db()
    quiet.refresh_from_db()
    assert (busy.top_level_count, quiet.top_level_count) == (2, 0)
