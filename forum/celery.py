"""The Celery application: `celery -A forum worker` (make worker) runs the
tasks of forum/tasks.py and webhooks/tasks.py; `celery -A forum beat` their
periodic jobs. Settings are the CELERY_* ones of forum/settings.py."""

import os

from celery import Celery
from celery.signals import task_failure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

app = Celery("forum")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_failure.connect
def record_task_failure(
    sender=None,
    task_id=None,
    exception=None,
    args=None,
    kwargs=None,
    einfo=None,
    **extra,
):
    """Keep every failed run where staff see it (admin: task failures)."""
    from forum.taskqueue import record_failure

    record_failure(
        task_name=getattr(sender, "name", str(sender)),
        task_id=task_id or "",
        args=args,
        kwargs=kwargs,
        error=exception,
        traceback=str(einfo) if einfo else "",
    )
