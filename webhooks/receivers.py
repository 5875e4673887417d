"""Which saved rows make which webhook events: wiring, no rule lives here.

Each event is queued after the commit, with the row's id only; the payload
is read by the task, so the request pays nothing per endpoint.
"""

from django.db.models.signals import post_save

from articles.models import Article, Posting
from forum.events import thread_flag_changed
from forum.models import Reply, Thread
from forum.taskqueue import enqueue
from webhooks.models import Event

REMOVAL_FIELD = "removed_at"


def emit(event: str, model: str, pk: int) -> None:
    from webhooks.tasks import dispatch_event

    enqueue(dispatch_event, event, model, pk)


def reply_saved(sender, instance: Reply, created, update_fields=None, raw=False, **kw):
    if raw:
        return
    fields = set(update_fields or ())
    published = instance.status == Reply.Status.PUBLISHED
    if (created or "status" in fields) and published and not instance.is_removed:
        emit(Event.REPLY_CREATED, "forum.reply", instance.pk)
    elif "body" in fields:
        emit(Event.REPLY_EDITED, "forum.reply", instance.pk)
    elif REMOVAL_FIELD in fields:
        event = Event.REPLY_REMOVED if instance.is_removed else Event.REPLY_RESTORED
        emit(event, "forum.reply", instance.pk)


def thread_saved(sender, instance: Thread, created, raw=False, **kw):
    if created and not raw:
        emit(Event.THREAD_CREATED, "forum.thread", instance.pk)


def thread_flag_set(sender, thread: Thread, field: str, value: bool, **kw):
    if field == "is_locked" and value:
        emit(Event.THREAD_LOCKED, "forum.thread", thread.pk)


def posting_saved(sender, instance: Posting, created, raw=False, **kw):
    if created and not raw:
        emit(Event.POSTING_CREATED, "articles.posting", instance.pk)


def article_saved(
    sender, instance: Article, created, update_fields=None, raw=False, **kw
):
    if raw or not instance.is_published:
        return
    if created or "status" in set(update_fields or ()):
        emit(Event.ARTICLE_PUBLISHED, "articles.article", instance.pk)


def connect() -> None:
    post_save.connect(reply_saved, sender=Reply, dispatch_uid="webhooks-reply")
    post_save.connect(thread_saved, sender=Thread, dispatch_uid="webhooks-thread")
    post_save.connect(posting_saved, sender=Posting, dispatch_uid="webhooks-posting")
    post_save.connect(article_saved, sender=Article, dispatch_uid="webhooks-article")
    thread_flag_changed.connect(thread_flag_set, dispatch_uid="webhooks-thread-flag")
