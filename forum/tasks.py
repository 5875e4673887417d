"""Queued work (Celery): notification fan-out and e-mail.

Every task is idempotent: it works from rows in the database (notifications
unique per reader and reply, outgoing e-mails marked sent) so running it
twice, after a retry or a worker lost mid-way, sends nothing twice. Failures
are retried with exponential backoff, then kept in the admin's task failures.
Webhook deliveries are in webhooks/tasks.py.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from forum import notifications
from forum.models import OutgoingEmail, Reply

MAX_RETRIES = 5


def longest_countdown() -> int:
    """The longest delay a task may be scheduled with: half the broker's
    visibility timeout, past which Redis would hand it to a second worker."""
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    return max(options.get("visibility_timeout", 3600) // 2, 1)


def retry_later(task, error) -> None:
    """Retry with exponential backoff on a worker (30 s, 1 min, 2 min... at
    most longest_countdown(), half an hour by default). In-process, the error
    is raised at once, recorded as a task failure, and retry_pending_work
    tries again: the request that ran the task is never held up by retries,
    nor failed by them."""
    if task.request.is_eager:
        raise error
    countdown = min(30 * 2**task.request.retries, longest_countdown())
    raise task.retry(exc=error, countdown=countdown, max_retries=MAX_RETRIES)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def fan_out_reply(self, reply_id: int) -> int:
    """Notify the parent's author and the thread's followers of a reply, and
    queue one e-mail task per reader who asked for one."""
    try:
        reply = (
            Reply.objects.select_related("parent", "thread").filter(pk=reply_id).first()
        )
        if reply is None or reply.is_removed or reply.is_pending:
            return 0
        email_ids = notifications.fan_out(reply)
    except Exception as error:
        retry_later(self, error)
    for email_id in email_ids:
        send_email.delay(email_id)
    return len(email_ids)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def fan_out_mentions(self, reply_id: int, names: list[str]) -> int:
    """Notify the readers an edit newly mentions, and queue their e-mails."""
    try:
        reply = Reply.objects.filter(pk=reply_id).first()
        if reply is None or not reply.is_public:
            return 0
        email_ids = notifications.fan_out_mentions(reply, names)
    except Exception as error:
        retry_later(self, error)
    for email_id in email_ids:
        send_email.delay(email_id)
    return len(email_ids)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def notify_moderation(self, reply_id: int) -> bool:
    """Tell a reply's author that a moderator removed or restored it."""
    try:
        return notifications.notify_moderation(reply_id)
    except Exception as error:
        retry_later(self, error)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_email(self, email_id: int) -> bool:
    """Send one owed e-mail; an SMTP error is retried, then reported."""
    try:
        return notifications.send_outgoing(email_id)
    except Exception as error:
        email = OutgoingEmail.objects.filter(pk=email_id).first()
        if email is not None and email.status == OutgoingEmail.Status.FAILED:
            raise  # Out of attempts: recorded as a task failure for staff.
        retry_later(self, error)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_decision_email(self, decision_id: int) -> bool:
    """E-mail a moderation decision's statement of reasons to the person it
    concerns, once; an SMTP error is retried."""
    try:
        return notifications.send_decision_email(decision_id)
    except Exception as error:
        retry_later(self, error)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_appeal_outcome_email(self, appeal_id: int) -> bool:
    """E-mail the outcome of an appeal to its author, once."""
    try:
        return notifications.send_appeal_outcome_email(appeal_id)
    except Exception as error:
        retry_later(self, error)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_digest(self, user_id: int) -> int:
    try:
        return notifications.send_digest(user_id)
    except Exception as error:
        retry_later(self, error)


@shared_task
def send_daily_digests() -> int:
    """Queue one digest per reader with replies waiting (celery beat, daily;
    or `manage.py send_digests` from cron)."""
    user_ids = (
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    count = 0
    for user_id in user_ids:
        send_digest.delay(user_id)
        count += 1
    return count


@shared_task
def retry_pending_work() -> int:
    """Queue again the e-mails still owed a while after they were due: those
    whose task failed in-process, or was lost with its broker."""
    due = timezone.now() - timedelta(minutes=5)
    email_ids = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.PENDING,
            created_at__lt=due,
            attempts__lt=settings.FORUM_EMAIL_MAX_ATTEMPTS,
        ).values_list("pk", flat=True)[:5000]
    )
    for email_id in email_ids:
        send_email.delay(email_id)
    from webhooks.tasks import retry_due_deliveries

    return len(email_ids) + retry_due_deliveries()


@shared_task
def purge_personal_data() -> dict:
    """Delete personal data whose retention period is over (celery beat,
    daily; or `manage.py purge_personal_data` from cron)."""
    from forum.services import purge_personal_data as purge

    return purge()
