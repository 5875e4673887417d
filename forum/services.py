"""Every write to the discussion: the pages, the API and the admin call these."""

import math
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User, deleted_member
from forum import ratelimit, wordrules
from forum.events import thread_flag_changed
from forum.infra import cache as forum_cache
from forum.markdown import render_markdown
from forum.models import (
    Flag,
    Follow,
    Notification,
    OutgoingEmail,
    Reply,
    Revision,
    Thread,
    Vote,
    WordRule,
    reply_path,
    thread_slug,
)
from forum.notifications import notify_new_reply
from forum.permissions import (
    check_can_edit,
    check_can_flag,
    check_can_remove,
    check_can_reply,
    check_can_vote,
    check_can_write,
    check_is_moderator,
    is_moderator,
)
from forum.text import EMPTY_TITLE, require_visible


def wilson_lower_bound(upvotes: int, downvotes: int, z: float = 1.96) -> float:
    """Lower bound of the 95% Wilson interval for the share of up votes."""
    total = upvotes + downvotes
    if total == 0:
        return 0.0
    share = upvotes / total
    centre = share + z * z / (2 * total)
    spread = z * math.sqrt((share * (1 - share) + z * z / (4 * total)) / total)
    return (centre - spread) / (1 + z * z / total)


def _on_thread_change(thread: Thread) -> None:
    transaction.on_commit(
        lambda: forum_cache.thread_changed(thread.pk, thread.article_id)
    )


def _touch_thread(thread: Thread, **changes) -> None:
    """Update a thread's counters and its updated_at in one statement."""
    Thread.objects.filter(pk=thread.pk).update(updated_at=timezone.now(), **changes)
    _on_thread_change(thread)


def _clean_body(body: str) -> str:
    if not isinstance(body, str):
        raise ValidationError({"body": _("The message must be text.")}, code="invalid")
    if "\x00" in body:
        raise ValidationError(
            {"body": _("The message may not contain null characters.")},
            code="null_characters",
        )
    body = body.strip()
    require_visible(body, field="body")
    limit = settings.FORUM_REPLY_MAX_LENGTH
    if len(body) > limit:
        raise ValidationError(
            {
                "body": _(
                    "The message is too long: %(length)s characters, at most %(limit)s."
                )
                % {"length": len(body), "limit": limit}
            },
            code="max_length",
        )
    return body


def _hold_reason(author: User, body: str) -> str:
    """Why a new reply waits for a moderator, or "" to publish it at once."""
    if is_moderator(author):
        return ""
    suspect = wordrules.matching_word(body, WordRule.Kind.SUSPECT)
    if suspect:
        return str(_("contains a suspect word: %(word)s") % {"word": suspect})
    held_first = settings.FORUM_HOLD_FIRST_REPLIES
    if held_first and author.replies.count() < held_first:
        return str(_("one of the first replies of a new account"))
    return ""


# Threads ------------------------------------------------------------------


@transaction.atomic
def create_thread(
    *,
    title: str,
    article=None,
    position: int = 0,
    postings=(),
    author: User | None = None,
) -> Thread:
    """Open a discussion thread on a question, linked to the postings given."""
    require_visible(title, field="title", message=EMPTY_TITLE)
    now = timezone.now()
    thread = Thread(
        title=title.strip(),
        slug=thread_slug(title),
        article=article,
        position=position,
        author=author,
        created_at=now,
        last_activity_at=now,
        updated_at=now,
    )
    thread.full_clean(exclude=["postings"])
    thread.save()
    if postings:
        thread.postings.set(postings)
    _on_thread_change(thread)
    return thread


@transaction.atomic
def update_thread(
    *, thread: Thread, title: str | None = None, position: int | None = None
) -> Thread:
    """Change a thread's question or its position among the article's questions."""
    if title is not None:
        require_visible(title, field="title", message=EMPTY_TITLE)
    if title is not None and title.strip() != thread.title:
        thread.title = title.strip()
        thread.slug = thread_slug(thread.title)
    if position is not None:
        thread.position = position
    thread.updated_at = timezone.now()
    thread.full_clean(exclude=["postings"])
    thread.save()
    _on_thread_change(thread)
    return thread


@transaction.atomic
def set_thread_postings(*, thread: Thread, postings) -> Thread:
    """Replace the job postings a thread is linked to."""
    thread.postings.set(postings)
    _touch_thread(thread)
    return thread


def _set_thread_flag(thread: Thread, by: User, field: str, value: bool) -> Thread:
    check_is_moderator(by, _("Only moderators can do this."))
    setattr(thread, field, value)
    thread.updated_at = timezone.now()
    Thread.objects.filter(pk=thread.pk).update(
        **{field: value, "updated_at": thread.updated_at}
    )
    _on_thread_change(thread)
    thread_flag_changed.send(sender=Thread, thread=thread, field=field, value=value)
    return thread


@transaction.atomic
def lock_thread(*, thread: Thread, by: User, locked: bool = True) -> Thread:
    """Lock a thread against new replies, edits and votes (or unlock it)."""
    return _set_thread_flag(thread, by, "is_locked", locked)


@transaction.atomic
def pin_thread(*, thread: Thread, by: User, pinned: bool = True) -> Thread:
    """Pin a thread to the top of the lists (or unpin it)."""
    return _set_thread_flag(thread, by, "is_pinned", pinned)


@transaction.atomic
def hide_thread(*, thread: Thread, by: User, hidden: bool = True) -> Thread:
    """Hide a thread from everyone but moderators (or show it again)."""
    return _set_thread_flag(thread, by, "is_hidden", hidden)


# Replies ------------------------------------------------------------------


def _recent_duplicate(
    *, thread: Thread, author: User, parent: Reply | None, body: str
) -> Reply | None:
    """The same reply by the same author a moment ago: a form sent twice.

    The author's row is locked first, so that two copies sent at once, to two
    server processes, are looked at one after the other and the second finds
    the first.
    """
    seconds = settings.FORUM_DUPLICATE_REPLY_SECONDS
    if not seconds:
        return None
    User.objects.select_for_update().filter(pk=author.pk).values_list("pk").get()
    since = timezone.now() - timezone.timedelta(seconds=seconds)
    return (
        Reply.objects.filter(
            thread=thread,
            author=author,
            parent=parent,
            body=body,
            created_at__gte=since,
        )
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def post_reply(
    *, thread: Thread, author: User, body: str, parent: Reply | None = None
) -> Reply:
    """Add a reply to an open thread and move the thread's counters with it.

    The same text sent again to the same place within
    FORUM_DUPLICATE_REPLY_SECONDS returns the reply already stored.
    """
    check_can_reply(author, thread)
    body = _clean_body(body)
    if parent is not None:
        if parent.thread_id != thread.pk:
            raise ValidationError(
                {"parent": _("The reply you answer belongs to another thread.")},
                code="parent_thread",
            )
        if parent.is_removed:
            raise ValidationError(
                {"parent": _("You cannot answer a removed reply.")},
                code="parent_removed",
            )
    duplicate = _recent_duplicate(
        thread=thread, author=author, parent=parent, body=body
    )
    if duplicate is not None:
        return duplicate
    wordrules.refuse_banned_words(body)
    ratelimit.hit_for_user("reply", author)
    hold_reason = _hold_reason(author, body)
    now = timezone.now()
    reply = Reply(
        thread=thread,
        author=author,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        body=body,
        body_html=render_markdown(body),
        status=Reply.Status.PENDING if hold_reason else Reply.Status.PUBLISHED,
        held_reason=hold_reason,
        created_at=now,
        updated_at=now,
    )
    reply.full_clean(exclude=["path"])
    reply.save()
    reply.path = reply_path(parent.path if parent else "", reply.pk)
    Reply.objects.filter(pk=reply.pk).update(path=reply.path)
    if not reply.is_pending:
        _touch_thread(thread, reply_count=F("reply_count") + 1, last_activity_at=now)
        notify_new_reply(reply)
    return reply


@transaction.atomic
def edit_reply(*, reply: Reply, editor: User, body: str) -> Reply:
    """Replace a reply's text, keeping the earlier one as a Revision."""
    check_can_edit(editor, reply)
    body = _clean_body(body)
    if body == reply.body:
        return reply
    wordrules.refuse_banned_words(body)
    now = timezone.now()
    Revision.objects.create(reply=reply, body=reply.body, editor=editor, created_at=now)
    reply.body = body
    reply.body_html = render_markdown(body)
    reply.edited_at = now
    reply.updated_at = now
    reply.save(update_fields=["body", "body_html", "edited_at", "updated_at"])
    _touch_thread(reply.thread)
    return reply


@lru_cache(maxsize=4)
def _vote_sql(vendor: str) -> dict[str, str]:
    """cast_vote's statements, written once per database vendor."""
    quote = connection.ops.quote_name

    def table(model) -> str:
        return quote(model._meta.db_table)

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    reply, vote, thread = table(Reply), table(Vote), table(Thread)

    def r(name):
        return column(Reply, name)

    def v(name):
        return column(Vote, name)

    def t(name):
        return column(Thread, name)

    # NO KEY UPDATE, as explained in cast_vote; SQLite's BEGIN IMMEDIATE
    # already holds the only write lock.
    lock = " FOR NO KEY UPDATE" if vendor == "postgresql" else ""
    return {
        "lock": f"SELECT {r('upvotes')}, {r('downvotes')}, {r('score')} "
        f"FROM {reply} WHERE {r('id')} = %s{lock}",
        "vote": f"SELECT {v('id')}, {v('value')} FROM {vote} "
        f"WHERE {v('reply')} = %s AND {v('user')} = %s",
        "withdraw": f"DELETE FROM {vote} WHERE {v('id')} = %s",
        "change": f"UPDATE {vote} SET {v('value')} = %s, {v('updated_at')} = %s "
        f"WHERE {v('id')} = %s",
        "add": f"INSERT INTO {vote} ({v('user')}, {v('reply')}, {v('value')}, "
        f"{v('created_at')}, {v('updated_at')}) VALUES (%s, %s, %s, %s, %s)",
        "counters": f"UPDATE {reply} SET {r('upvotes')} = %s, "
        f"{r('downvotes')} = %s, {r('score')} = %s, {r('wilson')} = %s, "
        f"{r('updated_at')} = %s WHERE {r('id')} = %s",
        "thread": f"UPDATE {thread} SET {t('updated_at')} = %s, "
        f"{t('score')} = {t('score')} + %s WHERE {t('id')} = %s",
    }


@transaction.atomic
def cast_vote(*, reply: Reply, voter: User, value: int) -> Reply:
    """Vote a reply up (1) or down (-1), or withdraw the vote (0)."""
    if value not in (-1, 0, 1):
        raise ValidationError(
            {"value": _("A vote is 1, -1 or 0 (to withdraw it).")}, code="invalid"
        )
    # Every refusal, the self-vote included, comes from the one predicate.
    check_can_vote(voter, reply)
    ratelimit.hit_for_user("vote", voter)
    # Lock the reply row so two simultaneous votes cannot both read the old
    # counters; the vote row is then read under that lock. NO KEY UPDATE,
    # not UPDATE: PostgreSQL checks a new reply's (deferred) foreign keys to
    # its parent and root at commit with KEY SHARE, after the thread row is
    # locked, and a plain FOR UPDATE here would deadlock with it.
    # The vote's reads and writes are plain statements (_vote_sql): through
    # the ORM, building them cost most of a vote's time.
    sql = _vote_sql(connection.vendor)
    now = timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql["lock"], [reply.pk])
        old_up, old_down, old_score = cursor.fetchone()
        cursor.execute(sql["vote"], [reply.pk, voter.pk])
        existing = cursor.fetchone()
        old = existing[1] if existing else 0
        if old == value:
            reply.score, reply.upvotes, reply.downvotes = old_score, old_up, old_down
            reply.my_vote = value
            return reply
        if value == 0:
            cursor.execute(sql["withdraw"], [existing[0]])
        elif existing:
            cursor.execute(sql["change"], [value, at, existing[0]])
        else:
            cursor.execute(sql["add"], [voter.pk, reply.pk, value, at, at])
        upvotes = old_up + (value == 1) - (old == 1)
        downvotes = old_down + (value == -1) - (old == -1)
        score = upvotes - downvotes
        wilson = wilson_lower_bound(upvotes, downvotes)
        cursor.execute(
            sql["counters"], [upvotes, downvotes, score, wilson, at, reply.pk]
        )
        cursor.execute(sql["thread"], [at, score - old_score, reply.thread_id])
    _on_thread_change(reply.thread)
    reply.upvotes, reply.downvotes, reply.score = upvotes, downvotes, score
    reply.wilson = wilson
    reply.updated_at = now
    reply.my_vote = value
    return reply


@transaction.atomic
def flag_reply(*, reply: Reply, reporter: User, reason: str, note: str = "") -> Flag:
    """Report a reply to the moderators, once per user and reply."""
    check_can_flag(reporter, reply)
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")}, code="invalid")
    if Flag.objects.filter(reply=reply, reporter=reporter).exists():
        # The code rides on the field's error (a dict drops a top-level
        # code), so the API can answer 409 Conflict.
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("You have already reported this reply."), code="duplicate"
                )
            }
        )
    ratelimit.hit_for_user("flag", reporter)
    flag = Flag(reply=reply, reporter=reporter, reason=reason, note=note.strip())
    flag.full_clean()
    flag.save()
    Reply.objects.filter(pk=reply.pk).update(
        open_flag_count=F("open_flag_count") + 1, updated_at=timezone.now()
    )
    reply.open_flag_count += 1
    _on_thread_change(reply.thread)
    return flag


# What removing or restoring a reply writes.
REMOVAL_FIELDS = [
    "removed_at",
    "removed_by",
    "removal_reason",
    "removal_note",
    "updated_at",
]


def _close_open_flags(reply: Reply, by: User, status: str) -> int:
    now = timezone.now()
    closed = Flag.objects.filter(reply=reply, status=Flag.Status.OPEN).update(
        status=status, decided_by=by, decided_at=now
    )
    Reply.objects.filter(pk=reply.pk).update(open_flag_count=0, updated_at=now)
    reply.open_flag_count = 0
    return closed


@transaction.atomic
def remove_reply(*, reply: Reply, by: User, reason: str, note: str = "") -> Reply:
    """Take a reply out of public view, recording who, when and why.

    Nothing is deleted: the text stays in the database and restore_reply
    brings it back. An author removing their own reply gives the reason
    "author"; moderators give one of the moderation reasons.
    """
    check_can_remove(by, reply)
    if reply.is_removed:
        return reply
    if not is_moderator(by):
        reason = Reply.RemovalReason.AUTHOR
    if reason not in Reply.RemovalReason.values:
        raise ValidationError({"reason": _("Choose a reason.")}, code="invalid")
    now = timezone.now()
    was_counted = reply.status == Reply.Status.PUBLISHED
    reply.removed_at = now
    reply.removed_by = by
    reply.removal_reason = reason
    reply.removal_note = note.strip()
    reply.updated_at = now
    reply.save(update_fields=REMOVAL_FIELDS)
    if is_moderator(by):
        _close_open_flags(reply, by, Flag.Status.UPHELD)
    if was_counted:
        _touch_thread(reply.thread, reply_count=F("reply_count") - 1)
    else:
        _on_thread_change(reply.thread)
    return reply


@transaction.atomic
def restore_reply(*, reply: Reply, by: User) -> Reply:
    """Bring a removed reply back into view."""
    check_is_moderator(by, _("Only moderators can restore a reply."))
    if not reply.is_removed:
        return reply
    reply.removed_at = None
    reply.removed_by = None
    reply.removal_reason = ""
    reply.removal_note = ""
    reply.updated_at = timezone.now()
    reply.save(update_fields=REMOVAL_FIELDS)
    if reply.status == Reply.Status.PUBLISHED:
        _touch_thread(reply.thread, reply_count=F("reply_count") + 1)
    return reply


@transaction.atomic
def dismiss_flags(*, reply: Reply, by: User) -> int:
    """Close a reply's open reports without action; it shows again."""
    check_is_moderator(by, _("Only moderators can decide on reports."))
    closed = _close_open_flags(reply, by, Flag.Status.DISMISSED)
    _on_thread_change(reply.thread)
    return closed


@transaction.atomic
def approve_reply(*, reply: Reply, by: User) -> Reply:
    """Publish a reply that was held for review."""
    check_is_moderator(by, _("Only moderators can approve a reply."))
    if reply.status != Reply.Status.PENDING:
        return reply
    now = timezone.now()
    reply.status = Reply.Status.PUBLISHED
    reply.held_reason = ""
    reply.updated_at = now
    reply.save(update_fields=["status", "held_reason", "updated_at"])
    if not reply.is_removed:
        _touch_thread(
            reply.thread, reply_count=F("reply_count") + 1, last_activity_at=now
        )
        notify_new_reply(reply)
    return reply


@transaction.atomic
def feature_reply(*, reply: Reply, by: User, featured: bool = True) -> Reply:
    """Mark a reply as an editor's pick, shown first in its thread (or unmark)."""
    check_is_moderator(by, _("Only moderators can feature a reply."))
    now = timezone.now()
    reply.is_featured = featured
    reply.featured_at = now if featured else None
    reply.featured_by = by if featured else None
    reply.updated_at = now
    reply.save(
        update_fields=["is_featured", "featured_at", "featured_by", "updated_at"]
    )
    _on_thread_change(reply.thread)
    return reply


# Following ----------------------------------------------------------------


@transaction.atomic
def follow_thread(*, thread: Thread, user: User) -> Follow:
    """Be notified of every new reply in a thread."""
    check_can_write(user)
    follow, _created = Follow.objects.get_or_create(thread=thread, user=user)
    return follow


@transaction.atomic
def unfollow_thread(*, thread: Thread, user: User) -> None:
    """Stop being notified of a thread's new replies."""
    Follow.objects.filter(thread=thread, user=user).delete()


@transaction.atomic
def mark_notifications_read(*, user: User, ids=None) -> int:
    """Mark a user's notifications (all, or those listed) as read."""
    notifications = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        notifications = notifications.filter(pk__in=ids)
    return notifications.update(read_at=timezone.now())


@transaction.atomic
def forget_author(*, user: User, keep_text: bool) -> list[int]:
    """Detach a reader whose account is being erased from the forum.

    Their votes are withdrawn (the counters move with them), their reports,
    follows, notifications and e-mails owed to them are deleted, and their
    replies stay in place, authored by the shared "deleted member" account:
    with their text (and earlier versions) if `keep_text`, otherwise erased
    and shown as deleted by their author. Returns the ids of the threads
    whose pages changed.
    """
    now = timezone.now()
    threads = set()
    # Votes: each one withdrawn as cast_vote(value=0) would, under the same
    # row lock, so the counters still equal a recount.
    for vote in Vote.objects.filter(user=user).order_by("reply_id"):
        locked = Reply.objects.select_for_update(no_key=True).get(pk=vote.reply_id)
        upvotes = locked.upvotes - (vote.value == 1)
        downvotes = locked.downvotes - (vote.value == -1)
        vote.delete()
        Reply.objects.filter(pk=locked.pk).update(
            upvotes=upvotes,
            downvotes=downvotes,
            score=upvotes - downvotes,
            wilson=wilson_lower_bound(upvotes, downvotes),
            updated_at=now,
        )
        Thread.objects.filter(pk=locked.thread_id).update(
            score=F("score") - vote.value, updated_at=now
        )
        threads.add(locked.thread_id)
    # Reports: an open one no longer counts towards hiding its reply.
    for flag in Flag.objects.filter(reporter=user).order_by("reply_id"):
        if flag.status == Flag.Status.OPEN:
            Reply.objects.filter(pk=flag.reply_id, open_flag_count__gt=0).update(
                open_flag_count=F("open_flag_count") - 1, updated_at=now
            )
            threads.add(
                Reply.objects.values_list("thread_id", flat=True).get(pk=flag.reply_id)
            )
        flag.delete()
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    OutgoingEmail.objects.filter(recipient=user).delete()
    Revision.objects.filter(editor=user).update(editor=None)
    replies = Reply.objects.filter(author=user)
    threads.update(replies.values_list("thread_id", flat=True))
    if not keep_text:
        Revision.objects.filter(reply__author=user).delete()
        # A published reply leaves its thread's count as any removal does.
        counted = (
            replies.filter(status=Reply.Status.PUBLISHED, removed_at__isnull=True)
            .values("thread_id")
            .annotate(count=Count("pk"))
        )
        for row in counted:
            Thread.objects.filter(pk=row["thread_id"]).update(
                reply_count=F("reply_count") - row["count"], updated_at=now
            )
        replies.filter(removed_at__isnull=True).update(
            removed_at=now,
            removed_by=None,
            removal_reason=Reply.RemovalReason.AUTHOR,
        )
        replies.update(body="", body_html="", held_reason="", updated_at=now)
    replies.update(author=deleted_member(), updated_at=now)
    for thread_id, article_id in Thread.objects.filter(pk__in=threads).values_list(
        "pk", "article_id"
    ):
        transaction.on_commit(
            lambda thread_id=thread_id, article_id=article_id: (
                forum_cache.thread_changed(thread_id, article_id)
            )
        )
    return sorted(threads)


# Retention ------------------------------------------------------------------

# What purge_personal_data deletes, in the order it reports them.
PURGED = ("sessions", "rate_limit_entries", "emails", "task_failures")


def _expired_shared_entries(now):
    """The expired rows of the shared store's table, as (count, delete); with
    Redis the store expires its entries itself and there is nothing to do."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.db import connections, router

    store = caches["shared"]
    if not isinstance(store, DatabaseCache):
        return 0, lambda: None
    connection = connections[router.db_for_write(store.cache_model_class)]
    quote = connection.ops.quote_name
    where = f"FROM {quote(store._table)} WHERE {quote('expires')} < %s"
    params = [connection.ops.adapt_datetimefield_value(now)]

    def delete():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE {where}", params)

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {where}", params)
        return cursor.fetchone()[0], delete


@transaction.atomic
def purge_personal_data(*, dry_run: bool = False, now=None) -> dict[str, int]:
    """Delete what is kept about people for running the site and fighting
    abuse once its time is up: expired sessions, expired rate-limit entries
    (keyed by IP address or user name), and e-mails sent and task failures
    older than FORUM_RETENTION_DAYS. Returns how many of each it deleted (or
    would delete, with dry_run)."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session

    from forum.models import TaskFailure

    now = now or timezone.now()
    older = now - timedelta(days=settings.FORUM_RETENTION_DAYS)
    finished = [
        OutgoingEmail.Status.SENT,
        OutgoingEmail.Status.FAILED,
        OutgoingEmail.Status.CANCELLED,
    ]
    querysets = {
        "sessions": Session.objects.filter(expire_date__lt=now),
        "emails": OutgoingEmail.objects.filter(
            status__in=finished, created_at__lt=older
        ),
        "task_failures": TaskFailure.objects.filter(created_at__lt=older),
    }
    counts = {name: queryset.count() for name, queryset in querysets.items()}
    counts["rate_limit_entries"], delete_entries = _expired_shared_entries(now)
    if not dry_run:
        for queryset in querysets.values():
            queryset.delete()
        delete_entries()
    return {name: counts[name] for name in PURGED}
