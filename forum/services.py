"""Every write to the discussion: the pages, the API and the admin call these."""

import hashlib
import math
import re
from collections import Counter
from contextlib import nullcontext
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User, deleted_member
from forum import ratelimit, wordrules
from forum.events import thread_flag_changed
from forum.infra import cache as forum_cache
from forum.infra import prepared
from forum.markdown import mentioned_names
from forum.models import (
    FULL_REPORT_WEIGHT,
    Appeal,
    Flag,
    Follow,
    IllegalContentNotice,
    Notification,
    OutgoingEmail,
    Reply,
    Revision,
    Thread,
    ThreadVisit,
    Vote,
    WordRule,
    flag_weight_to_hide,
    reply_path,
    thread_slug,
)
from forum.models import (
    ModerationDecision as Decision,
)
from forum.notifications import (
    notify_appeal_outcome,
    notify_decision,
    notify_mentions,
    notify_new_reply,
)
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


def _top_level_added(reply: Reply) -> dict:
    """The change to its thread's top_level_count of a reply published now."""
    if reply.depth:
        return {}
    return {"top_level_count": F("top_level_count") + 1}


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


def _hold_reason(author: User, body: str) -> tuple[str, str]:
    """Why a new reply waits for a moderator, as (reason code, explanation),
    or ("", "") to publish it at once."""
    if is_moderator(author):
        return "", ""
    suspect = wordrules.matching_word(body, WordRule.Kind.SUSPECT)
    if suspect:
        return Decision.Reason.SUSPECT_WORD, str(
            _("contains a suspect word: %(word)s") % {"word": suspect}
        )
    held_first = settings.FORUM_HOLD_FIRST_REPLIES
    if held_first and author.replies.count() < held_first:
        return Decision.Reason.NEW_ACCOUNT, str(
            _("one of the first replies of a new account")
        )
    return "", ""


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
def lock_thread(
    *,
    thread: Thread,
    by: User,
    locked: bool = True,
    reason: str = "",
    explanation: str = "",
) -> Thread:
    """Lock a thread against new replies, edits and votes (or unlock it),
    recording why a lock was decided."""
    was_locked = thread.is_locked
    thread = _set_thread_flag(thread, by, "is_locked", locked)
    if locked and not was_locked:
        record_decision(
            action=Decision.Action.LOCK,
            reason=reason or Decision.Reason.OTHER,
            explanation=explanation,
            user=thread.author,
            thread=thread,
            by=by,
        )
    return thread


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
    the first. NO KEY UPDATE, not UPDATE: the rows that refer to the author
    (their vote committed meanwhile, with this thread's row locked) check
    their foreign key with KEY SHARE, which a plain FOR UPDATE would make
    wait, here for a lock this transaction waits for in turn.
    """
    seconds = settings.FORUM_DUPLICATE_REPLY_SECONDS
    if not seconds:
        return None
    User.objects.select_for_update(no_key=True).filter(pk=author.pk).values_list(
        "pk"
    ).get()
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
    hold_code, hold_reason = _hold_reason(author, body)
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
        _touch_thread(
            thread,
            reply_count=F("reply_count") + 1,
            last_activity_at=now,
            **_top_level_added(reply),
        )
        notify_new_reply(reply)
    else:
        record_decision(
            action=Decision.Action.HOLD,
            reason=hold_code,
            explanation=hold_reason,
            user=author,
            reply=reply,
        )
    return reply


def _edit_hold_reason(editor: User, body: str) -> str:
    """Why an edit waits for a moderator, or "" to publish it at once."""
    if is_moderator(editor):
        return ""
    suspect = wordrules.matching_word(body, WordRule.Kind.SUSPECT)
    if suspect:
        return str(_("contains a suspect word: %(word)s") % {"word": suspect})
    return ""


# What an edit held for review writes.
PENDING_EDIT_FIELDS = [
    "pending_body",
    "pending_edit_at",
    "pending_edit_reason",
    "updated_at",
]


def _keep_pending_edit(reply: Reply, editor: User | None, now) -> None:
    """Keep a held edit that is set aside as a Revision, so nothing is lost."""
    if reply.pending_edit_at is not None:
        Revision.objects.create(
            reply=reply, body=reply.pending_body, editor=editor, created_at=now
        )
    reply.pending_body = ""
    reply.pending_edit_at = None
    reply.pending_edit_reason = ""


@transaction.atomic
def edit_reply(*, reply: Reply, editor: User, body: str) -> Reply:
    """Replace a reply's text, keeping the earlier one as a Revision.

    An edit passes the same checks as a new reply: a banned word refuses it
    (nothing changes), the rate limits count it, and a suspect word holds
    it for review. A held edit of a published reply leaves the published
    text in place: the new text waits in `pending_body` until a moderator
    approves it (approve_edit) or declines it (decline_edit). A reply still
    held for review takes the new text and stays held.
    """
    check_can_edit(editor, reply)
    body = _clean_body(body)
    if body == reply.body and not reply.has_pending_edit:
        return reply
    if body == reply.pending_body and reply.has_pending_edit:
        return reply
    wordrules.refuse_banned_words(body)
    ratelimit.hit_for_user("edit", editor)
    hold_reason = _edit_hold_reason(editor, body)
    now = timezone.now()
    if hold_reason and not reply.is_pending:
        _keep_pending_edit(reply, editor, now)
        reply.pending_body = body
        reply.pending_edit_at = now
        reply.pending_edit_reason = hold_reason
        reply.updated_at = now
        reply.save(update_fields=PENDING_EDIT_FIELDS)
        record_decision(
            action=Decision.Action.EDIT_HOLD,
            reason=Decision.Reason.SUSPECT_WORD,
            explanation=hold_reason,
            user=reply.author,
            reply=reply,
        )
        _on_thread_change(reply.thread)
        return reply
    already_named = {name.lower() for name in mentioned_names(reply.body)}
    _keep_pending_edit(reply, editor, now)
    if body != reply.body:
        Revision.objects.create(
            reply=reply, body=reply.body, editor=editor, created_at=now
        )
    reply.body = body
    reply.body_html = reply_html(body)
    reply.edited_at = now
    reply.updated_at = now
    fields = ["body", "body_html", "edited_at", *PENDING_EDIT_FIELDS]
    if reply.is_pending and hold_reason:
        reply.held_reason = hold_reason
        fields.append("held_reason")
    reply.save(update_fields=fields)
    _touch_thread(reply.thread)
    # Only names the edit adds are told; the fan-out told the others.
    added = [
        name for name in mentioned_names(body) if name.lower() not in already_named
    ]
    if added and reply.is_public:
        notify_mentions(reply, added)
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

    statements = {
        # The reply's counters with the voter's vote (on SQLite, whose BEGIN
        # IMMEDIATE holds the only write lock, under the lock).
        "read": f"SELECT {reply}.{r('upvotes')}, {reply}.{r('downvotes')}, "
        f"{reply}.{r('score')}, {vote}.{v('id')}, {vote}.{v('value')} "
        f"FROM {reply} LEFT JOIN {vote} ON {vote}.{v('reply')} = {reply}.{r('id')} "
        f"AND {vote}.{v('user')} = %s WHERE {reply}.{r('id')} = %s",
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
    if vendor != "postgresql":
        return statements
    # PostgreSQL: the whole vote in one statement, each part as
    # _vote_in_one_statement tells. Its parameters, in order: reply and
    # voter (the vote as read); voter, reply, value, time, time and value
    # (added); value, time, value and value (changed); value (withdrawn);
    # value twice (the change of the counters); time and reply (the
    # counters); time and thread (the thread's score).
    z = "1.96::float8"
    # wilson_lower_bound, the same operations in the same order, on the
    # counters the statement writes (NULL, then 0, without votes).
    wilson = (
        f"COALESCE((SELECT ((s + {z} * {z} / (2 * n)) "
        f"- {z} * sqrt((s * (1 - s) + {z} * {z} / (4 * n)) / n)) "
        f"/ (1 + {z} * {z} / n) FROM (SELECT u / n AS s, n FROM (SELECT "
        f"({reply}.{r('upvotes')} + d.up)::float8 AS u, NULLIF({reply}.{r('upvotes')} "
        f"+ d.up + {reply}.{r('downvotes')} + d.down, 0)::float8 AS n) AS c) AS w), 0)"
    )
    vote_as_read = f"{vote}.{v('id')} = was.id AND {vote}.{v('value')} = was.value"
    one = (
        f"WITH was AS (SELECT {v('id')} AS id, {v('value')} AS value FROM {vote} "
        f"WHERE {v('reply')} = %s AND {v('user')} = %s), "
        f"added AS (INSERT INTO {vote} ({v('user')}, {v('reply')}, {v('value')}, "
        f"{v('created_at')}, {v('updated_at')}) SELECT %s, %s, %s, %s, %s "
        "WHERE NOT EXISTS (SELECT 1 FROM was) AND %s <> 0 "
        "ON CONFLICT DO NOTHING RETURNING 0 AS old), "
        f"changed AS (UPDATE {vote} SET {v('value')} = %s, {v('updated_at')} = %s "
        f"FROM was WHERE {vote_as_read} AND was.value <> %s AND %s <> 0 "
        "RETURNING was.value AS old), "
        f"withdrawn AS (DELETE FROM {vote} USING was WHERE {vote_as_read} "
        "AND %s = 0 RETURNING was.value AS old), "
        "written AS (SELECT old FROM added UNION ALL SELECT old FROM changed "
        "UNION ALL SELECT old FROM withdrawn), "
        "d AS (SELECT (%s = 1)::int - (old = 1)::int AS up, "
        "(%s = -1)::int - (old = -1)::int AS down FROM written), "
        f"counted AS (UPDATE {reply} SET {r('upvotes')} = {r('upvotes')} + d.up, "
        f"{r('downvotes')} = {r('downvotes')} + d.down, "
        f"{r('score')} = {r('score')} + d.up - d.down, {r('wilson')} = {wilson}, "
        f"{r('updated_at')} = %s FROM d WHERE {reply}.{r('id')} = %s "
        f"RETURNING {reply}.{r('upvotes')}, {reply}.{r('downvotes')}, "
        f"{reply}.{r('score')}, {reply}.{r('wilson')}, d.up - d.down AS change) "
        f"UPDATE {thread} SET {t('updated_at')} = %s, "
        f"{t('score')} = {thread}.{t('score')} + counted.change FROM counted "
        f"WHERE {thread}.{t('id')} = %s UNFLUSHED RETURNING counted.{r('upvotes')}, "
        f"counted.{r('downvotes')}, counted.{r('score')}, counted.{r('wilson')}"
    )
    # A vote in a transaction of its own does not wait for its commit to
    # reach the disk (SET LOCAL, in the same statement): see
    # _vote_in_one_statement.
    unflushed = " AND set_config('synchronous_commit', 'off', true) = 'off'"
    statements["one"] = one.replace(" UNFLUSHED", "")
    statements["one_unflushed"] = one.replace(" UNFLUSHED", unflushed)
    return statements


@transaction.atomic
def approve_edit(*, reply: Reply, by: User) -> Reply:
    """Publish an edit held for review: its text replaces the reply's, the
    replaced text kept as a Revision."""
    check_is_moderator(by, _("Only moderators can approve an edit."))
    if not reply.has_pending_edit:
        return reply
    now = timezone.now()
    Revision.objects.create(
        reply=reply, body=reply.body, editor=reply.author, created_at=now
    )
    already_named = {name.lower() for name in mentioned_names(reply.body)}
    reply.body = reply.pending_body
    reply.body_html = reply_html(reply.body)
    reply.edited_at = reply.pending_edit_at
    reply.pending_body = ""
    reply.pending_edit_at = None
    reply.pending_edit_reason = ""
    reply.updated_at = now
    reply.save(update_fields=["body", "body_html", "edited_at", *PENDING_EDIT_FIELDS])
    _touch_thread(reply.thread)
    added = [
        name
        for name in mentioned_names(reply.body)
        if name.lower() not in already_named
    ]
    if added and reply.is_public:
        notify_mentions(reply, added)
    return reply


@transaction.atomic
def decline_edit(*, reply: Reply, by: User) -> Reply:
    """Decline an edit held for review: the reply keeps its published text,
    the declined one is kept as a Revision."""
    check_is_moderator(by, _("Only moderators can decline an edit."))
    if not reply.has_pending_edit:
        return reply
    now = timezone.now()
    _keep_pending_edit(reply, reply.author, now)
    reply.updated_at = now
    reply.save(update_fields=PENDING_EDIT_FIELDS)
    _on_thread_change(reply.thread)
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


def cast_vote(*, reply: Reply, voter: User, value: int) -> Reply:
    """Vote a reply up (1) or down (-1), or withdraw the vote (0)."""
    if value not in (-1, 0, 1):
        raise ValidationError(
            {"value": _("A vote is 1, -1 or 0 (to withdraw it).")}, code="invalid"
        )
    # Every refusal, the self-vote included, comes from the one predicate.
    check_can_vote(voter, reply)
    # The vote's reads and writes are plain statements (_vote_sql): through
    # the ORM, building them cost most of a vote's time.
    now = timezone.now()
    if connection.vendor == "postgresql":
        write, transaction_held = _vote_in_one_statement, nullcontext()
    else:
        write, transaction_held = _vote_under_lock, transaction.atomic()
    with transaction_held:
        ratelimit.hit_for_user("vote", voter)
        upvotes, downvotes, score, wilson = write(reply, voter, value, now)
    reply.upvotes, reply.downvotes, reply.score = upvotes, downvotes, score
    reply.my_vote = value
    if wilson is None:
        # Already so: nothing was written.
        return reply
    reply.wilson = wilson
    reply.updated_at = now
    _on_thread_change(reply.thread)
    return reply


def _vote_under_lock(reply, voter, value, now):
    """cast_vote's reads and writes where a transaction holds the database's
    only write lock (SQLite's BEGIN IMMEDIATE): the reply's upvotes,
    downvotes, score and Wilson bound as written, or as read with no Wilson
    bound (None) when the vote is already `value`."""
    sql = _vote_sql(connection.vendor)
    at = connection.ops.adapt_datetimefield_value(now)
    with prepared.cursor(connection) as cursor:
        cursor.execute(sql["read"], [voter.pk, reply.pk])
        old_up, old_down, old_score, vote_id, old = cursor.fetchone()
        old = old or 0
        if old == value:
            return old_up, old_down, old_score, None
        upvotes = old_up + (value == 1) - (old == 1)
        downvotes = old_down + (value == -1) - (old == -1)
        score = upvotes - downvotes
        wilson = wilson_lower_bound(upvotes, downvotes)
        if value == 0:
            cursor.execute(sql["withdraw"], [vote_id])
        elif vote_id is not None:
            cursor.execute(sql["change"], [value, at, vote_id])
        else:
            cursor.execute(sql["add"], [voter.pk, reply.pk, value, at, at])
        cursor.execute(
            sql["counters"], [upvotes, downvotes, score, wilson, at, reply.pk]
        )
        cursor.execute(sql["thread"], [at, score - old_score, reply.thread_id])
    return upvotes, downvotes, score, wilson


def _vote_in_one_statement(reply, voter, value, now):
    """cast_vote's writes on PostgreSQL, in one statement (one round trip,
    and its own transaction unless the caller holds one): the counters as
    _vote_under_lock gives them.

    The statement reads the voter's vote as its snapshot saw it, and writes
    it (adds, changes or withdraws it) only if it is still so when the row
    is reached: another request of the same voter's may have changed it
    since. The counters move by the change of the one vote written, on the
    reply's latest row (an UPDATE waits for a concurrent one and reads what
    it wrote), and the thread's score with them, or not at all. The reply
    is updated, not locked first: PostgreSQL checks a new reply's
    (deferred) foreign keys to its parent and root at commit with KEY
    SHARE, after the thread row is locked, and a lock FOR UPDATE would
    deadlock with it; an UPDATE of columns no key holds takes NO KEY UPDATE.

    On its own, the vote does not wait for its commit to reach the disk, as
    nothing does on SQLite (WAL with synchronous=NORMAL): a crash of the
    database server may lose the votes of its last fraction of a second,
    each vote whole, counters included. A vote inside a larger transaction
    leaves that one's durability alone, and replies, edits and removals
    always wait.
    """
    sql = _vote_sql(connection.vendor)
    at = connection.ops.adapt_datetimefield_value(now)
    statement = sql["one" if connection.in_atomic_block else "one_unflushed"]
    params = [
        *(reply.pk, voter.pk),
        *(voter.pk, reply.pk, value, at, at, value),
        *(value, at, value, value),
        value,
        *(value, value),
        *(at, reply.pk),
        *(at, reply.thread_id),
    ]
    with prepared.cursor(connection) as cursor:
        # The vote changed between the snapshot and the write only by
        # another request of the same voter's: a few tries, not forever.
        for _attempt in range(4):
            cursor.execute(statement, params)
            written = cursor.fetchone()
            if written is not None:
                return written
            cursor.execute(sql["read"], [voter.pk, reply.pk])
            upvotes, downvotes, score, _vote_id, old = cursor.fetchone()
            if (old or 0) == value:
                return upvotes, downvotes, score, None
    raise RuntimeError("The vote kept changing while it was written.")


def report_weight(reporter: User, reply: Reply) -> int:
    """How much a report counts towards hiding a reply, in hundredths of a
    report (FULL_REPORT_WEIGHT is one report of a reader in good standing).

    Moderators and trusted readers (FORUM_TRUSTED_READERS_GROUP) count for
    FORUM_FLAGS_TO_HIDE and twice a report. An account created after the
    reply counts for FORUM_REPORT_WEIGHT_LATE hundredths, one younger than
    FORUM_REPORT_TRUSTED_AGE days for FORUM_REPORT_WEIGHT_NEW; then each
    earlier report of theirs a moderator upheld adds half a report and each
    one dismissed takes half away, between a tenth and twice a report.
    """
    if is_moderator(reporter):
        return flag_weight_to_hide()
    if reporter.date_joined > reply.created_at:
        return settings.FORUM_REPORT_WEIGHT_LATE
    if reporter.groups.filter(name=settings.FORUM_TRUSTED_READERS_GROUP).exists():
        return 2 * FULL_REPORT_WEIGHT
    age = timezone.now() - reporter.date_joined
    if age < timezone.timedelta(days=settings.FORUM_REPORT_TRUSTED_AGE):
        weight = settings.FORUM_REPORT_WEIGHT_NEW
    else:
        weight = FULL_REPORT_WEIGHT
    record = Flag.objects.filter(reporter=reporter).aggregate(
        upheld=Count("pk", filter=Q(status=Flag.Status.UPHELD)),
        dismissed=Count("pk", filter=Q(status=Flag.Status.DISMISSED)),
    )
    weight += (record["upheld"] - record["dismissed"]) * FULL_REPORT_WEIGHT // 2
    return max(FULL_REPORT_WEIGHT // 10, min(weight, 2 * FULL_REPORT_WEIGHT))


@transaction.atomic
def flag_reply(*, reply: Reply, reporter: User, reason: str, note: str = "") -> Flag:
    """Report a reply to the moderators, once per user and reply, weighed
    by the reporter's standing (report_weight)."""
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
    weight = report_weight(reporter, reply)
    flag = Flag(
        reply=reply, reporter=reporter, reason=reason, note=note.strip(), weight=weight
    )
    flag.full_clean()
    flag.save()
    Reply.objects.filter(pk=reply.pk).update(
        open_flag_count=F("open_flag_count") + 1,
        open_flag_weight=F("open_flag_weight") + weight,
        updated_at=timezone.now(),
    )
    reply.open_flag_count, reply.open_flag_weight = (
        Reply.objects.filter(pk=reply.pk)
        .values_list("open_flag_count", "open_flag_weight")
        .get()
    )
    threshold = flag_weight_to_hide()
    if reply.open_flag_weight >= threshold > reply.open_flag_weight - weight:
        _record_hiding(reply)
    _on_thread_change(reply.thread)
    return flag


def _record_hiding(reply: Reply) -> None:
    """Keep the automatic decision of a reply hidden by its reports, with
    the reason readers gave most."""
    reasons = Counter(
        Flag.objects.filter(reply=reply, status=Flag.Status.OPEN).values_list(
            "reason", flat=True
        )
    )
    reason = reasons.most_common(1)[0][0] if reasons else Decision.Reason.OTHER
    record_decision(
        action=Decision.Action.HIDE,
        reason=reason,
        explanation=str(
            _(
                "Hidden after reports from readers, until a moderator decides "
                "(%(count)s reports)."
            )
            % {"count": reply.open_flag_count}
        ),
        user=reply.author,
        reply=reply,
        noticed_at=_first_notice_at(reply),
    )


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
    Reply.objects.filter(pk=reply.pk).update(
        open_flag_count=0, open_flag_weight=0, updated_at=now
    )
    reply.open_flag_count = 0
    reply.open_flag_weight = 0
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
    if reason != Reply.RemovalReason.AUTHOR:
        record_decision(
            action=Decision.Action.REMOVAL,
            reason=reason,
            explanation=reply.removal_note,
            user=reply.author,
            reply=reply,
            by=by,
            noticed_at=_first_notice_at(reply),
        )
    if is_moderator(by):
        _close_open_flags(reply, by, Flag.Status.UPHELD)
        IllegalContentNotice.objects.filter(
            reply=reply, status=IllegalContentNotice.Status.OPEN
        ).update(
            status=IllegalContentNotice.Status.ACTED, decided_by=by, decided_at=now
        )
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
            reply.thread,
            reply_count=F("reply_count") + 1,
            last_activity_at=now,
            **_top_level_added(reply),
        )
        notify_new_reply(reply)
    elif reply.depth == 0:
        # Removed, it now takes its place in the tree as a placeholder.
        _touch_thread(reply.thread, **_top_level_added(reply))
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
                open_flag_count=F("open_flag_count") - 1,
                open_flag_weight=Greatest(F("open_flag_weight") - flag.weight, 0),
                updated_at=now,
            )
            threads.add(
                Reply.objects.values_list("thread_id", flat=True).get(pk=flag.reply_id)
            )
        flag.delete()
    # Appeals and notices stay as moderation records (the transparency
    # figures count them), without the words or the contact of their sender.
    Appeal.objects.filter(appellant=user).update(appellant=None, text="")
    IllegalContentNotice.objects.filter(reporter=user).update(
        reporter=None, name="", email="", explanation=""
    )
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


# Statements of reasons and appeals ---------------------------------------


def _first_notice_at(reply: Reply):
    """When the first open report or notice on a reply arrived, if any."""
    times = [
        Flag.objects.filter(reply=reply, status=Flag.Status.OPEN)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first(),
        IllegalContentNotice.objects.filter(
            reply=reply, status=IllegalContentNotice.Status.OPEN
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first(),
    ]
    times = [moment for moment in times if moment is not None]
    return min(times, default=None)


def record_decision(
    *,
    action: str,
    reason: str,
    explanation: str,
    user: User | None,
    reply: Reply | None = None,
    thread: Thread | None = None,
    by: User | None = None,
    noticed_at=None,
) -> Decision:
    """Keep the statement of reasons of a removal, hold, lock or ban (made by
    `by`, or automatically without one) and tell the person concerned, on the
    site and by e-mail once committed."""
    if reason not in Decision.Reason.values:
        reason = Decision.Reason.OTHER
    decision = Decision.objects.create(
        action=action,
        reason=reason,
        explanation=explanation.strip() or str(Decision.Reason(reason).label),
        user=user,
        reply=reply,
        thread=thread or (reply.thread if reply else None),
        decided_by=by,
        is_automatic=by is None,
        noticed_at=noticed_at,
    )
    if reply is not None and user is not None and action != Decision.Action.REMOVAL:
        # A removal is told by forum.signals once committed.
        _notify_author(reply, user, Notification.Kind.HELD)
    notify_decision(decision)
    return decision


def _notify_author(reply: Reply, user: User, kind: str) -> None:
    Notification.objects.update_or_create(
        recipient=user,
        reply=reply,
        defaults={"kind": kind, "created_at": timezone.now(), "read_at": None},
    )


def standing_decision(
    *, user: User, reply: Reply | None = None, thread: Thread | None = None
) -> Decision | None:
    """The latest decision about `reply`, or the lock of `thread`, or
    without either the user's ban, that still applies to them: the one they
    may appeal."""
    decisions = Decision.objects.filter(user=user, reversed_at__isnull=True)
    if thread is not None:
        if not thread.is_locked:
            return None
        return (
            decisions.filter(thread=thread, action=Decision.Action.LOCK)
            .order_by("-created_at")
            .first()
        )
    if reply is not None:
        decision = decisions.filter(reply=reply).order_by("-created_at").first()
        if decision is None:
            return None
        still = {
            Decision.Action.REMOVAL: reply.is_removed,
            Decision.Action.HOLD: reply.is_pending,
            Decision.Action.EDIT_HOLD: reply.has_pending_edit,
            Decision.Action.HIDE: reply.is_hidden_by_flags and not reply.is_removed,
        }
        return decision if still.get(decision.action, False) else None
    if not user.is_banned:
        return None
    return decisions.filter(action=Decision.Action.BAN).order_by("-created_at").first()


@transaction.atomic
def appeal_decision(*, decision: Decision, appellant: User, text: str) -> Appeal:
    """Contest a decision about one's own reply or account, once per
    decision, with a text (banned users may appeal their ban)."""
    if decision.user_id != appellant.pk:
        raise PermissionDenied(_("Only the person concerned can appeal a decision."))
    if decision.reversed_at is not None:
        raise ValidationError(_("This decision was already reversed."), code="reversed")
    if Appeal.objects.filter(decision=decision).exists():
        raise ValidationError(
            {"text": _("You have already appealed this decision.")},
            code="duplicate",
        )
    text = (text or "").strip()
    require_visible(text, field="text")
    if len(text) > 5000:
        raise ValidationError(
            {"text": _("The appeal is too long: at most 5000 characters.")},
            code="max_length",
        )
    ratelimit.hit_for_user("appeal", appellant)
    return Appeal.objects.create(decision=decision, appellant=appellant, text=text)


def other_moderator_available(by: User, decided_by_id: int | None) -> bool:
    """Whether a moderator other than `by` could handle an appeal against a
    decision `by` took: only then is `by` kept from handling it."""
    if decided_by_id is None or decided_by_id != by.pk:
        return False
    return (
        User.objects.with_perm(
            "forum.moderate_reply",
            is_active=True,
            backend="accounts.backends.ModelBackend",
        )
        .exclude(pk=by.pk)
        .exists()
    )


def _reverse(decision: Decision, by: User) -> None:
    reply = decision.reply
    if decision.action == Decision.Action.REMOVAL and reply is not None:
        restore_reply(reply=reply, by=by)
    elif decision.action == Decision.Action.HOLD and reply is not None:
        approve_reply(reply=reply, by=by)
    elif decision.action == Decision.Action.EDIT_HOLD and reply is not None:
        approve_edit(reply=reply, by=by)
    elif decision.action == Decision.Action.HIDE and reply is not None:
        dismiss_flags(reply=reply, by=by)
    elif decision.action == Decision.Action.LOCK and decision.thread is not None:
        lock_thread(thread=decision.thread, by=by, locked=False)
    elif decision.action == Decision.Action.BAN and decision.user is not None:
        from accounts.services import unban_user

        unban_user(user=decision.user, by=by)


@transaction.atomic
def decide_appeal(
    *, appeal: Appeal, by: User, reverse: bool, response: str = ""
) -> Appeal:
    """Uphold or reverse the decision an appeal contests; reversing
    restores (reply visible again, edit published, thread unlocked, ban
    lifted). A moderator other than the one who decided handles it when
    there is one. The appellant is told either way, by e-mail too."""
    check_is_moderator(by, _("Only moderators can decide on appeals."))
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != Appeal.Status.OPEN:
        raise ValidationError(_("This appeal was already decided."), code="decided")
    decision = appeal.decision
    if other_moderator_available(by, decision.decided_by_id):
        raise PermissionDenied(
            _(
                "You took the decision this appeal contests: another moderator "
                "must handle it."
            )
        )
    now = timezone.now()
    if reverse:
        _reverse(decision, by)
        decision.reversed_at = now
        decision.save(update_fields=["reversed_at"])
    appeal.status = Appeal.Status.REVERSED if reverse else Appeal.Status.UPHELD
    appeal.handled_by = by
    appeal.handled_at = now
    appeal.response = response.strip()
    appeal.save(update_fields=["status", "handled_by", "handled_at", "response"])
    if decision.reply is not None and appeal.appellant is not None:
        kind = Notification.Kind.REVERSED if reverse else Notification.Kind.UPHELD
        _notify_author(decision.reply, appeal.appellant, kind)
    notify_appeal_outcome(appeal)
    return appeal


# Notices of illegal content ------------------------------------------------


def _reply_at(location: str) -> Reply | None:
    """The reply an address on this site points to (?reply=N or #reply-N)."""
    found = re.search(r"(?:[?&]reply=|#reply-)(\d{1,18})\b", location)
    if found is None:
        return None
    return Reply.objects.filter(pk=int(found.group(1))).first()


@transaction.atomic
def send_illegal_content_notice(
    *,
    location: str,
    explanation: str,
    good_faith: bool,
    name: str = "",
    email: str = "",
    reporter: User | None = None,
    client: str = "",
    trap: str = "",
) -> IllegalContentNotice:
    """Take a notice of illegal content (DSA Art. 16) from anyone, with or
    without an account, for the top of the moderators' queue.

    Limited per account, or per client address (kept only as a keyed digest
    in the rate-limit store, for the window); a form filled by a robot (the
    `trap` field people leave empty) is refused like one sent too often.
    """
    if trap:
        raise ValidationError(
            _("This notice could not be sent. Leave the last field empty."),
            code="trap",
        )
    if not good_faith:
        raise ValidationError(
            {"good_faith": _("Confirm that you send this notice in good faith.")},
            code="required",
        )
    location = (location or "").strip()
    require_visible(location, field="location")
    explanation = (explanation or "").strip()
    require_visible(explanation, field="explanation")
    if reporter is not None and reporter.is_authenticated:
        ratelimit.hit_for_user("notice", reporter)
    else:
        reporter = None
        digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client}".encode()).hexdigest()[
            :32
        ]
        ratelimit.hit_all(["notice", "notice_daily"], f"client:{digest}")
    notice = IllegalContentNotice(
        reply=_reply_at(location),
        location=location,
        explanation=explanation,
        name=(name or "").strip(),
        email=(email or "").strip(),
        reporter=reporter,
        good_faith=True,
    )
    notice.full_clean()
    notice.save()
    return notice


@transaction.atomic
def reject_illegal_content_notice(
    *, notice: IllegalContentNotice, by: User
) -> IllegalContentNotice:
    """Close a notice without removing anything."""
    check_is_moderator(by, _("Only moderators can decide on notices."))
    if notice.status != IllegalContentNotice.Status.OPEN:
        return notice
    notice.status = IllegalContentNotice.Status.REJECTED
    notice.decided_by = by
    notice.decided_at = timezone.now()
    notice.save(update_fields=["status", "decided_by", "decided_at"])
    return notice
