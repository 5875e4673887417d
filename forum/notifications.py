"""Telling readers about new replies, off the request path.

Posting a reply queues one task (forum/tasks.py: fan_out_reply), whatever the
number of followers. The task writes a notification for the parent's author
and each follower, and an outgoing e-mail row for each reader who asked for
one ("replies to me", "threads I follow"); those on the daily digest wait for
it. Each e-mail is then sent by its own task, in the recipient's language,
with plain-text and HTML parts, absolute links and a one-click unsubscribe
(RFC 8058), and marked sent, so a retried task never sends it twice.

Every moderation decision about someone, and the outcome of their appeal, is
e-mailed to them the same way by its own task (send_decision_email,
send_appeal_outcome_email), which marks the row e-mailed.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from forum.models import (
    Appeal,
    Follow,
    ModerationDecision,
    Notification,
    OutgoingEmail,
    Reply,
)

UNSUBSCRIBE_SALT = "forum.email.unsubscribe"
# What an unsubscribe link turns off: the settings of accounts.User.
UNSUBSCRIBE_FIELDS = {
    Notification.Kind.REPLY: ["email_on_reply"],
    Notification.Kind.REMOVED: ["email_on_reply"],
    Notification.Kind.MENTION: ["email_on_reply"],
    Notification.Kind.FOLLOWED: ["email_on_followed"],
    "digest": ["email_on_reply", "email_on_followed"],
}
# A moderator's removal of one's reply is e-mailed to those who asked to
# be told of replies to their messages.
EMAIL_SETTING = {
    Notification.Kind.REPLY: "email_on_reply",
    Notification.Kind.REMOVED: "email_on_reply",
    # A mention is addressed to the reader, like a reply to them.
    Notification.Kind.MENTION: "email_on_reply",
    Notification.Kind.FOLLOWED: "email_on_followed",
}
BATCH = 1000


def notify_new_reply(reply: Reply) -> None:
    """Queue the fan-out of a new reply once it is committed: one task."""
    from forum.taskqueue import enqueue
    from forum.tasks import fan_out_reply

    enqueue(fan_out_reply, reply.pk)


def notify_mentions(reply: Reply, names: list[str]) -> None:
    """Queue telling the readers an edit newly mentions, once committed."""
    from forum.taskqueue import enqueue
    from forum.tasks import fan_out_mentions

    enqueue(fan_out_mentions, reply.pk, list(names))


def _mentioned_ids(reply: Reply, names: list[str] | None = None) -> list[int]:
    """The active readers `names` (by default those the reply mentions)
    designate, but its author."""
    from forum.markdown import mentioned_names
    from forum.selectors import readers_named

    names = mentioned_names(reply.body) if names is None else names
    return list(
        readers_named(names).exclude(pk=reply.author_id).values_list("pk", flat=True)
    )


def notify_moderation(reply_id: int) -> bool:
    """Tell a reply's author of a moderator's decision on it, as it stands
    when the task runs; running it again changes nothing. An author who
    removed their own reply is not told."""
    reply = Reply.objects.filter(pk=reply_id).select_related("author").first()
    if reply is None:
        return False
    if reply.is_removed:
        if reply.removal_reason == Reply.RemovalReason.AUTHOR:
            return False
        kind = Notification.Kind.REMOVED
    else:
        kind = Notification.Kind.RESTORED
    existing = Notification.objects.filter(
        recipient_id=reply.author_id, reply=reply
    ).first()
    if existing is not None and existing.kind == kind:
        return False
    if existing is None and kind == Notification.Kind.RESTORED:
        return False  # Restored before anyone was told it was removed.
    if existing is not None and existing.kind == Notification.Kind.REVERSED:
        return False  # Restored on appeal: the author was told so.
    Notification.objects.update_or_create(
        recipient_id=reply.author_id,
        reply=reply,
        defaults={"kind": kind, "created_at": timezone.now(), "read_at": None},
    )
    if kind == Notification.Kind.REMOVED:
        _owe_removal_email(reply)
    return True


def _owe_removal_email(reply: Reply) -> None:
    """E-mail the statement of reasons of a removal to an author who asked
    for e-mails about replies to their messages, once per reply."""
    author = reply.author
    if not (author.email_on_reply and author.is_active and author.email):
        return
    email, created = OutgoingEmail.objects.get_or_create(
        recipient=author,
        reply=reply,
        defaults={"kind": Notification.Kind.REMOVED},
    )
    if created:
        from forum.taskqueue import enqueue
        from forum.tasks import send_email

        enqueue(send_email, email.pk)


def notify_decision(decision: ModerationDecision) -> None:
    """Queue e-mailing a decision's statement of reasons to the person it
    concerns, once committed. A removal is e-mailed by notify_moderation."""
    if decision.user_id is None or decision.action == ModerationDecision.Action.REMOVAL:
        return
    from forum.taskqueue import enqueue
    from forum.tasks import send_decision_email

    enqueue(send_decision_email, decision.pk)


def notify_appeal_outcome(appeal: Appeal) -> None:
    """Queue e-mailing the outcome of an appeal to its author, once committed."""
    if appeal.appellant_id is None:
        return
    from forum.taskqueue import enqueue
    from forum.tasks import send_appeal_outcome_email

    enqueue(send_appeal_outcome_email, appeal.pk)


def fan_out(reply: Reply) -> list[int]:
    """Write the notifications and outgoing e-mails of a reply; return the ids
    of the e-mails to send now. Running it again adds nothing."""
    recipients: dict[int, str] = {}
    if reply.parent_id and reply.parent.author_id != reply.author_id:
        recipients[reply.parent.author_id] = Notification.Kind.REPLY
    for user_id in _mentioned_ids(reply):
        recipients.setdefault(user_id, Notification.Kind.MENTION)
    follower_ids = (
        Follow.objects.filter(thread_id=reply.thread_id)
        .exclude(user_id=reply.author_id)
        .values_list("user_id", flat=True)
        .iterator(chunk_size=BATCH)
    )
    for user_id in follower_ids:
        recipients.setdefault(user_id, Notification.Kind.FOLLOWED)
    return _notify(reply, recipients)


def fan_out_mentions(reply: Reply, names: list[str]) -> list[int]:
    """Tell the readers among `names` that an edit of a reply mentions them;
    one already told of the reply (mentioned before, answered, following)
    is not told again. Returns the ids of the e-mails to send now."""
    told = set(
        Notification.objects.filter(reply=reply).values_list("recipient_id", flat=True)
    )
    recipients = {
        user_id: Notification.Kind.MENTION
        for user_id in _mentioned_ids(reply, names)
        if user_id not in told
    }
    return _notify(reply, recipients)


def _notify(reply: Reply, recipients: dict[int, str]) -> list[int]:
    if not recipients:
        return []
    items = list(recipients.items())
    with transaction.atomic():
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            Notification.objects.bulk_create(
                [
                    Notification(recipient_id=user_id, reply=reply, kind=kind)
                    for user_id, kind in chunk
                ],
                ignore_conflicts=True,
            )
            _owe_emails(reply, dict(chunk))
    return list(
        OutgoingEmail.objects.filter(
            reply=reply, status=OutgoingEmail.Status.PENDING
        ).values_list("pk", flat=True)
    )


def _owe_emails(reply: Reply, recipients: dict[int, str]) -> None:
    readers = (
        User.objects.filter(pk__in=recipients, is_active=True)
        .exclude(email="")
        .values_list("pk", "email_on_reply", "email_on_followed", "email_digest")
    )
    owed = []
    for user_id, on_reply, on_followed, digest in readers:
        kind = recipients[user_id]
        wanted = on_followed if kind == Notification.Kind.FOLLOWED else on_reply
        if not wanted:
            continue
        status = OutgoingEmail.Status.DIGEST if digest else OutgoingEmail.Status.PENDING
        owed.append(
            OutgoingEmail(recipient_id=user_id, reply=reply, kind=kind, status=status)
        )
    OutgoingEmail.objects.bulk_create(owed, ignore_conflicts=True)


# Links ---------------------------------------------------------------------


def unsubscribe_token(user: User, what: str) -> str:
    return signing.dumps({"u": user.pk, "w": what}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The user id and setting of a token; BadSignature if it was tampered."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or data.get("w") not in UNSUBSCRIBE_FIELDS:
        raise signing.BadSignature("Unknown setting")
    return int(data["u"]), data["w"]


def unsubscribe_url(user: User, what: str) -> str:
    path = reverse("forum:email-unsubscribe", args=[unsubscribe_token(user, what)])
    return f"{settings.SITE_URL}{path}"


# Sending -------------------------------------------------------------------


def build_message(
    *, recipient: User, template: str, context: dict, unsubscribe: str | None
) -> EmailMultiAlternatives:
    """A text+HTML message in the recipient's language, with List-Unsubscribe
    unless `unsubscribe` is None (a message about the account itself)."""
    link = unsubscribe_url(recipient, unsubscribe) if unsubscribe else ""
    with translation.override(recipient.email_language):
        context = {
            **context,
            "recipient": recipient,
            "site_url": settings.SITE_URL,
            "unsubscribe_url": link,
            "settings_url": f"{settings.SITE_URL}{reverse('accounts:profile-edit')}",
            "language": recipient.email_language,
        }
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    headers = {"Auto-Submitted": "auto-generated"}
    if link:
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            **headers,
        }
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def send_outgoing(email_id: int) -> bool:
    """Send one owed e-mail unless it was already sent; True once sent.

    The row is locked while sending, so two runs of the same task (a retry
    racing a redelivery) cannot both send it. An SMTP error is recorded on
    the row and raised, for the task to retry.
    """
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update()
            .select_related("recipient", "reply__author", "reply__thread")
            .filter(pk=email_id)
            .first()
        )
        if email is None or email.status not in (
            OutgoingEmail.Status.PENDING,
            OutgoingEmail.Status.FAILED,
        ):
            return False
        recipient = email.recipient
        wanted = getattr(recipient, EMAIL_SETTING[email.kind])
        if not (wanted and recipient.is_active and recipient.email):
            email.status = OutgoingEmail.Status.CANCELLED
            email.save(update_fields=["status"])
            return False
        message = build_message(
            recipient=recipient,
            template=(
                "moderation" if email.kind == Notification.Kind.REMOVED else "new_reply"
            ),
            context={"reply": email.reply, "kind": email.kind},
            unsubscribe=email.kind,
        )
        email.attempts += 1
        try:
            message.send()
        except Exception as error:
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= settings.FORUM_EMAIL_MAX_ATTEMPTS:
                email.status = OutgoingEmail.Status.FAILED
            email.save(update_fields=["attempts", "last_error", "status"])
            failure = error
        else:
            email.status = OutgoingEmail.Status.SENT
            email.sent_at = timezone.now()
            email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
            return True
    # Raised once the attempt is committed, for the task to retry.
    raise failure


def _may_email_about_moderation(user: User | None, *, about_account: bool) -> bool:
    """Whether a statement of reasons or an appeal's outcome goes to `user`
    by e-mail: banned users too; about their account (a ban) whatever their
    settings, else only if they asked for e-mails about their messages."""
    if user is None or not user.email:
        return False
    if not (user.is_active or user.banned_at is not None):
        return False
    return about_account or user.email_on_reply


def _appeal_url(decision: ModerationDecision) -> str:
    """The absolute address of the page to appeal `decision`, or ""."""
    if decision.action == ModerationDecision.Action.BAN:
        path = reverse("forum:ban-appeal")
    elif decision.reply_id is not None:
        path = reverse("forum:reply-appeal", args=[decision.reply_id])
    elif decision.action == ModerationDecision.Action.LOCK and decision.thread_id:
        path = reverse("forum:thread-appeal", args=[decision.thread_id])
    else:
        return ""
    return f"{settings.SITE_URL}{path}"


def send_decision_email(decision_id: int) -> bool:
    """E-mail a decision's statement of reasons to the person it concerns,
    unless it was already sent; True once sent. The row is locked while
    sending, so two runs of the task cannot both send it."""
    with transaction.atomic():
        decision = (
            # Only the decision's row is locked: the joined ones may be
            # missing (an outer join PostgreSQL cannot lock).
            ModerationDecision.objects.select_for_update(of=("self",))
            .select_related("user", "reply__thread", "thread")
            .filter(pk=decision_id)
            .first()
        )
        if decision is None or decision.emailed_at is not None:
            return False
        if decision.action == ModerationDecision.Action.REMOVAL:
            return False  # E-mailed with the removal notice (notify_moderation).
        is_ban = decision.action == ModerationDecision.Action.BAN
        recipient = decision.user
        if not _may_email_about_moderation(recipient, about_account=is_ban):
            return False
        thread = decision.thread or (decision.reply.thread if decision.reply else None)
        message = build_message(
            recipient=recipient,
            template="decision",
            context={
                "decision": decision,
                "thread": thread,
                "thread_url": (
                    f"{settings.SITE_URL}{thread.get_absolute_url()}" if thread else ""
                ),
                "is_ban": is_ban,
                "ban_in_force": is_ban and recipient.is_banned,
                "banned_until": recipient.banned_until,
                "appeal_url": _appeal_url(decision),
            },
            unsubscribe=None if is_ban else Notification.Kind.REMOVED,
        )
        message.send()
        decision.emailed_at = timezone.now()
        decision.save(update_fields=["emailed_at"])
        return True


def send_appeal_outcome_email(appeal_id: int) -> bool:
    """E-mail the author of a decided appeal whether it was accepted, with
    the moderator's answer, unless it was already sent; True once sent."""
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("appellant", "decision")
            .filter(pk=appeal_id)
            .first()
        )
        if appeal is None or appeal.emailed_at is not None:
            return False
        if appeal.status == Appeal.Status.OPEN:
            return False
        decision = appeal.decision
        is_ban = decision.action == ModerationDecision.Action.BAN
        recipient = appeal.appellant
        if not _may_email_about_moderation(recipient, about_account=is_ban):
            return False
        message = build_message(
            recipient=recipient,
            template="appeal_outcome",
            context={
                "appeal": appeal,
                "decision": decision,
                "is_reversed": appeal.status == Appeal.Status.REVERSED,
                "appeal_url": _appeal_url(decision),
            },
            unsubscribe=None if is_ban else Notification.Kind.REMOVED,
        )
        message.send()
        appeal.emailed_at = timezone.now()
        appeal.save(update_fields=["emailed_at"])
        return True


def send_digest(user_id: int) -> int:
    """Send a reader one e-mail with the replies waiting for their digest;
    return how many replies it listed (0: nothing sent)."""
    with transaction.atomic():
        # NO KEY UPDATE: one digest at a time, without holding up the rows
        # that refer to the reader (their new notifications among them).
        recipient = (
            User.objects.select_for_update(no_key=True).filter(pk=user_id).first()
        )
        if recipient is None:
            return 0
        waiting = list(
            OutgoingEmail.objects.select_for_update()
            .filter(recipient=recipient, status=OutgoingEmail.Status.DIGEST)
            .select_related("reply__author", "reply__thread")
            .order_by("created_at")
        )
        unwanted = [
            email.pk
            for email in waiting
            if not getattr(recipient, EMAIL_SETTING[email.kind])
        ]
        if unwanted:
            OutgoingEmail.objects.filter(pk__in=unwanted).update(
                status=OutgoingEmail.Status.CANCELLED
            )
            waiting = [email for email in waiting if email.pk not in unwanted]
        if not waiting:
            return 0
        if not (recipient.is_active and recipient.email and recipient.email_digest):
            OutgoingEmail.objects.filter(pk__in=[e.pk for e in waiting]).update(
                status=OutgoingEmail.Status.PENDING
            )
            return 0
        message = build_message(
            recipient=recipient,
            template="digest",
            context={"replies": [email.reply for email in waiting]},
            unsubscribe="digest",
        )
        message.send()
        OutgoingEmail.objects.filter(pk__in=[e.pk for e in waiting]).update(
            status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), attempts=1
        )
        return len(waiting)
