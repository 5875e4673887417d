"""Every write to the discussion: the pages, the API and the admin call these."""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from forum import ratelimit, wordrules
from forum.events import thread_flag_changed
from forum.infra import cache as forum_cache
from forum.markdown import mentioned_names
from forum.models import (
    Flag,
    Follow,
    Notification,
    Reply,
    Revision,
    Thread,
    ThreadVisit,
    Vote,
    WordRule,
    reply_path,
    thread_slug,
)
from forum.notifications import notify_mentions, notify_new_reply
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
from forum.selectors import reply_html
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
        body_html=reply_html(body),
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
    already_named = {name.lower() for name in mentioned_names(reply.body)}
    reply.body = body
    reply.body_html = reply_html(body)
    reply.edited_at = now
    reply.updated_at = now
    reply.save(update_fields=["body", "body_html", "edited_at", "updated_at"])
    _touch_thread(reply.thread)
    # Only names the edit adds are told; the fan-out told the others.
    added = [
        name for name in mentioned_names(body) if name.lower() not in already_named
    ]
    if added and reply.is_public:
        notify_mentions(reply, added)
    return reply


def record_visit(*, reader: User, thread_id: int, newest_reply_id: int | None) -> None:
    """Remember that `reader` has seen `thread_id` up to its newest reply, in
    one statement (insert or update)."""
    ThreadVisit.objects.bulk_create(
        [
            ThreadVisit(
                reader=reader,
                thread_id=thread_id,
                last_seen_reply_id=newest_reply_id or 0,
                seen_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["reader", "thread"],
        update_fields=["last_seen_reply_id", "seen_at"],
    )


def visit_needs_recording(thread) -> bool:
    """Whether a thread from Thread.objects.with_visit() has a reply its
    reader has not seen recorded (or was never visited)."""
    seen = getattr(thread, "last_seen_reply_id", None)
    return seen is None or (thread.newest_reply_id or 0) > seen


@transaction.atomic
def hide_revision(*, revision: Revision, by: User, hidden: bool = True) -> Revision:
    """Hide an earlier version of a reply from its public list of versions
    (or show it again); moderators only. The text is kept."""
    check_is_moderator(by, _("Only moderators can do this."))
    if revision.is_hidden != hidden:
        revision.is_hidden = hidden
        revision.save(update_fields=["is_hidden"])
    return revision


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
    locked = Reply.objects.select_for_update(no_key=True).get(pk=reply.pk)
    existing = Vote.objects.filter(reply=locked, user=voter).first()
    old = existing.value if existing else 0
    if old == value:
        reply.score, reply.upvotes, reply.downvotes = (
            locked.score,
            locked.upvotes,
            locked.downvotes,
        )
        reply.my_vote = value
        return reply
    now = timezone.now()
    if value == 0:
        existing.delete()
    elif existing:
        existing.value = value
        existing.updated_at = now
        existing.save(update_fields=["value", "updated_at"])
    else:
        Vote.objects.create(reply=locked, user=voter, value=value, created_at=now)
    upvotes = locked.upvotes + (value == 1) - (old == 1)
    downvotes = locked.downvotes + (value == -1) - (old == -1)
    score = upvotes - downvotes
    Reply.objects.filter(pk=reply.pk).update(
        upvotes=upvotes,
        downvotes=downvotes,
        score=score,
        wilson=wilson_lower_bound(upvotes, downvotes),
        updated_at=now,
    )
    _touch_thread(reply.thread, score=F("score") + (score - locked.score))
    reply.upvotes, reply.downvotes, reply.score = upvotes, downvotes, score
    reply.wilson = wilson_lower_bound(upvotes, downvotes)
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
