"""Personal data kept for running the site and fighting abuse is deleted once
its retention period is over."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from forum.models import OutgoingEmail, TaskFailure
from forum.services import purge_personal_data
from forum.tasks import purge_personal_data as purge_task
from tests.factories import ReplyFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
OLD = NOW - timedelta(days=settings.FORUM_RETENTION_DAYS + 1)
RECENT = NOW - timedelta(days=settings.FORUM_RETENTION_DAYS - 1)


def make_session(expires):
    store = SessionStore()
    store["_auth_user_id"] = "1"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=expires)
    return store.session_key


@pytest.fixture
def records(user, reply):
    emails = {
        name: OutgoingEmail.objects.create(
            recipient=user,
            reply=ReplyFactory(thread=reply.thread),
            status=status,
            created_at=created_at,
        )
        for name, status, created_at in [
            ("old_sent", OutgoingEmail.Status.SENT, OLD),
            ("old_failed", OutgoingEmail.Status.FAILED, OLD),
            ("recent_sent", OutgoingEmail.Status.SENT, RECENT),
            ("old_pending", OutgoingEmail.Status.PENDING, OLD),
        ]
    }
    failures = {
        "old": TaskFailure.objects.create(
            task_name="forum.tasks.send_email", error="alice@example.org refused"
        ),
        "recent": TaskFailure.objects.create(
            task_name="forum.tasks.send_email", error="bob@example.org refused"
        ),
    }
    TaskFailure.objects.filter(pk=failures["old"].pk).update(created_at=OLD)
    sessions = {
        "expired": make_session(NOW - timedelta(minutes=1)),
        "live": make_session(NOW + timedelta(days=1)),
    }
    return {"emails": emails, "failures": failures, "sessions": sessions}


def test_purge_deletes_what_is_past_its_time_and_keeps_the_rest(records):
    counts = purge_personal_data()

    assert counts["sessions"] == 1
    assert counts["emails"] == 2
    assert counts["task_failures"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        records["sessions"]["live"]
    ]
    assert set(OutgoingEmail.objects.values_list("pk", flat=True)) == {
        records["emails"]["recent_sent"].pk,
        records["emails"]["old_pending"].pk,
    }
    assert list(TaskFailure.objects.values_list("pk", flat=True)) == [
        records["failures"]["recent"].pk
    ]


def test_the_retention_period_comes_from_the_setting(records, settings):
    settings.FORUM_RETENTION_DAYS = 400

    counts = purge_personal_data()

    assert (counts["emails"], counts["task_failures"]) == (0, 0)
    assert OutgoingEmail.objects.count() == 4


def test_the_command_dry_run_prints_the_counts_and_deletes_nothing(records):
    out = StringIO()

    call_command("purge_personal_data", "--dry-run", stdout=out)

    printed = out.getvalue()
    assert "would delete" in printed
    assert "  sessions: 1\n" in printed
    assert "  emails: 2\n" in printed
    assert "  task_failures: 1\n" in printed
    assert Session.objects.count() == 2
    assert OutgoingEmail.objects.count() == 4
    assert TaskFailure.objects.count() == 2


def test_the_command_deletes_and_says_so(records):
    out = StringIO()

    call_command("purge_personal_data", stdout=out)

    assert "deleted:" in out.getvalue()
    assert "  emails: 2\n" in out.getvalue()
    assert OutgoingEmail.objects.count() == 2


def test_the_task_purges_and_is_scheduled_daily(records):
    assert purge_task()["sessions"] == 1

    schedule = settings.CELERY_BEAT_SCHEDULE["purge-personal-data"]
    assert schedule["task"] == "forum.tasks.purge_personal_data"
    assert Session.objects.count() == 1


@pytest.mark.skipif(
    not isinstance(caches["shared"], DatabaseCache),
    reason="Redis expires the shared store's entries itself",
)
def test_failed_log_in_counters_keyed_by_address_are_deleted_once_expired(client, user):
    client.post(reverse("account_login"), {"login": "alice", "password": "wrong!"})
    table = caches["shared"]._table

    def stored_keys():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT cache_key FROM {table}")
            return [row[0] for row in cursor.fetchall()]

    assert any(":ip:" in key for key in stored_keys())
    assert purge_personal_data(dry_run=True)["rate_limit_entries"] == 0

    counts = purge_personal_data(now=timezone.now() + timedelta(days=1))

    assert counts["rate_limit_entries"] >= 1
    # What stays is the pages' version counters, which name no one.
    assert not any(":ip:" in key for key in stored_keys())
    assert all(":version:" in key for key in stored_keys())
