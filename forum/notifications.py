"""Telling readers about new replies: a notification for the parent's author
and the thread's followers, and an e-mail to those whose profile asks for
one, sent once the reply is committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import User
from forum.models import Follow, Notification, Reply


def notify_new_reply(reply: Reply) -> None:
    """Tell the parent's author and the thread's followers about a new reply."""
    recipients: dict[int, str] = {}
    if reply.parent_id and reply.parent.author_id != reply.author_id:
        recipients[reply.parent.author_id] = Notification.Kind.REPLY
    follower_ids = Follow.objects.filter(thread_id=reply.thread_id).values_list(
        "user_id", flat=True
    )
    for user_id in follower_ids:
        if user_id != reply.author_id:
            recipients.setdefault(user_id, Notification.Kind.FOLLOWED)
    if not recipients:
        return
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=user_id, reply=reply, kind=kind)
            for user_id, kind in recipients.items()
        ],
        ignore_conflicts=True,
    )
    emailed = list(
        User.objects.filter(
            pk__in=recipients, email_on_reply=True, is_active=True
        ).exclude(email="")
    )
    if emailed:
        transaction.on_commit(lambda: send_reply_emails(reply, emailed))


def send_reply_emails(reply: Reply, recipients: list[User]) -> None:
    for recipient in recipients:
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "reply": reply,
                "recipient": recipient,
                "site_url": settings.SITE_URL,
            }
            subject = render_to_string("forum/email/new_reply_subject.txt", context)
            message = render_to_string("forum/email/new_reply.txt", context)
        send_mail(
            " ".join(subject.split()),
            message,
            settings.DEFAULT_FROM_EMAIL,
            [recipient.email],
            fail_silently=True,
        )
