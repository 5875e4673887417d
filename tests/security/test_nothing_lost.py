import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import ProtectedError
from django.urls import reverse

from accounts.services import ban_user, create_api_token
from articles.models import Posting
from forum.models import Reply, Revision, Thread, WordRule
from forum.services import (
    cast_vote,
    edit_reply,
    flag_reply,
    follow_thread,
    post_reply,
    remove_reply,
    restore_reply,
)
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    PostingFactory,
    ThreadFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parents[2]
# What a backup leaves out: rebuilt by migrate (content types, permissions)
# or short-lived (sessions).
DUMP_OPTIONS = [
    "--natural-foreign",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
]


def test_deleting_a_reply_keeps_its_text_and_shows_a_placeholder(
    auth_client, thread, user, other_user
):
    reply = post_reply(thread=thread, author=user, body="Un avis que je regrette.")
    answer = post_reply(
        thread=thread, author=other_user, body="Je ne suis pas d'accord.", parent=reply
    )

    response = auth_client.post(reverse("forum:reply-delete", args=[reply.pk]))

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.body == "Un avis que je regrette."
    assert reply.removed_by == user
    assert reply.removal_reason == Reply.RemovalReason.AUTHOR
    page = auth_client.get(thread.get_absolute_url()).content.decode()
    assert "[message deleted by its author]" in page
    assert "Un avis que je regrette." not in page
    assert "Je ne suis pas d'accord." in page
    answer.refresh_from_db()
    assert answer.parent_id == reply.pk


def test_moderator_removal_is_undone_by_restoring(thread, user, moderator):
    reply = post_reply(thread=thread, author=user, body="Propos limites.")
    remove_reply(reply=reply, by=moderator, reason=Reply.RemovalReason.ABUSE)

    restore_reply(reply=reply, by=moderator)

    reply.refresh_from_db()
    thread.refresh_from_db()
    assert reply.removed_at is None
    assert reply.body == "Propos limites."
    assert thread.reply_count == 1


def test_every_edit_keeps_the_earlier_text_as_a_revision(auth_client, thread, user):
    reply = post_reply(thread=thread, author=user, body="Première version.")
    edit_url = reverse("forum:reply-edit", args=[reply.pk])

    auth_client.post(edit_url, {"body": "Deuxième version."})
    auth_client.post(edit_url, {"body": "Troisième version."})

    reply.refresh_from_db()
    assert reply.body == "Troisième version."
    assert reply.edited_at is not None
    assert list(
        Revision.objects.filter(reply=reply)
        .order_by("created_at")
        .values_list("body", "editor")
    ) == [("Première version.", user.pk), ("Deuxième version.", user.pk)]


def test_deleting_an_author_leaves_their_replies_to_deleted_member(thread, user):
    reply = post_reply(thread=thread, author=user, body="Toujours là.")

    user.delete()
    with pytest.raises(ProtectedError):
        thread.delete()

    reply.refresh_from_db()
    assert reply.body == "Toujours là."
    assert reply.author.is_deleted_member


def _build_forum():
    """One of everything a forum holds, written through the services."""
    moderator = UserFactory(username="modo", is_staff=True)
    group, _created = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *ContentType.objects.get(app_label="forum", model="reply").permission_set.all()
    )
    moderator.groups.add(group)
    alice = UserFactory(username="alice", display_name="Alice", bio="Data.")
    bob = UserFactory(username="bob")
    troll = UserFactory(username="troll")
    create_api_token(user=alice, name="test")
    article = ArticleFactory(title="Les salaires de l'IA", body="Un **article**.")
    hourly = PostingFactory(salary_min=60, salary_max=90, period=Posting.Period.HOUR)
    yearly = PostingFactory(url="https://example.org/offre/1")
    CitationFactory(article=article, posting=hourly, evidence="60 à 90 $ de l'heure")
    thread = ThreadFactory(article=article, title="Ces salaires sont-ils justes ?")
    thread.postings.set([hourly, yearly])
    ThreadFactory(article=article, title="Et en Europe ?", position=1)
    first = post_reply(thread=thread, author=alice, body="Oui, **largement**.")
    second = post_reply(thread=thread, author=bob, body="Non.", parent=first)
    post_reply(thread=thread, author=alice, body="Pourquoi ?", parent=second)
    follow_thread(thread=thread, user=bob)
    post_reply(thread=thread, author=alice, body="Un nouvel élément.")
    edit_reply(reply=second, editor=bob, body="Non, pas du tout.")
    cast_vote(reply=first, voter=bob, value=1)
    cast_vote(reply=second, voter=alice, value=-1)
    spam = post_reply(thread=thread, author=troll, body="Achetez ici.")
    flag_reply(reply=spam, reporter=alice, reason="spam")
    remove_reply(reply=spam, by=moderator, reason=Reply.RemovalReason.SPAM)
    ban_user(user=troll, by=moderator, reason="Spam répété.")
    WordRule.objects.create(word="arnaque", kind=WordRule.Kind.SUSPECT)
    LogEntry.objects.log_actions(
        user_id=moderator.pk,
        queryset=[spam],
        action_flag=CHANGE,
        change_message="Removed as spam.",
    )
    return thread


def _everything() -> dict:
    """Every row of the project's own apps and of the apps it relies on."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in {"contenttypes.ContentType", "auth.Permission"}:
            continue
        if label == "sessions.Session":
            continue
        rows = list(model.objects.order_by("pk").values())
        for row in rows:
            # Content types are rebuilt by migrate under new ids; a dump
            # refers to them by name.
            if row.get("content_type_id"):
                content_type = ContentType.objects.get_for_id(row["content_type_id"])
                row["content_type_id"] = content_type.natural_key()
        state[label] = rows
    state["thread postings"] = sorted(
        Thread.postings.through.objects.values_list("thread_id", "posting_id")
    )
    state["group permissions"] = sorted(
        Group.permissions.through.objects.values_list(
            "group__name", "permission__codename"
        )
    )
    return state


@pytest.mark.django_db(transaction=True)
def test_dumpdata_then_loaddata_into_an_emptied_database_restores_everything(
    tmp_path,
):
    thread = _build_forum()
    before = _everything()
    dump = tmp_path / "forum.json"
    call_command("dumpdata", *DUMP_OPTIONS, output=str(dump), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    assert not Reply.objects.exists()

    call_command("loaddata", str(dump), verbosity=0)

    assert _everything() == before
    assert Posting.objects.get(period="hour").annual_max == 90 * 2080
    later = post_reply(
        thread=Thread.objects.get(pk=thread.pk),
        author=UserFactory(username="newcomer"),
        body="Après la restauration.",
    )
    assert later.pk > max(row["id"] for row in before["forum.Reply"])


@pytest.mark.django_db(transaction=True)
def test_a_dump_restores_into_a_new_sqlite_database_with_nothing_changed(tmp_path):
    _build_forum()
    dump = tmp_path / "forum.json"
    call_command("dumpdata", *DUMP_OPTIONS, output=str(dump), verbosity=0)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(SQLITE_PATH=str(tmp_path / "restored.sqlite3"), DJANGO_DEBUG="1")

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )

    manage("migrate", "--no-input", "-v", "0")
    # Data migrations create rows (the Moderators group) the dump brings back.
    manage("flush", "--no-input", "-v", "0")
    manage("loaddata", str(dump), "-v", "0")
    restored = manage("dumpdata", *DUMP_OPTIONS)

    original = json.loads(dump.read_text())
    assert {row["model"] for row in original} >= {
        "accounts.user",
        "articles.article",
        "articles.citation",
        "articles.posting",
        "forum.flag",
        "forum.follow",
        "forum.notification",
        "forum.reply",
        "forum.revision",
        "forum.thread",
        "forum.vote",
        "forum.wordrule",
    }
    assert json.loads(restored.stdout) == original
