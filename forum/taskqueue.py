"""Queueing work once the current transaction commits, and keeping failures.

With a broker (CELERY_BROKER_URL or REDIS_URL), `enqueue` hands the task to
the workers after the commit; without one, the task runs in this process at
the same moment. Either way, nothing is queued for a transaction that rolls
back, and a failing task never raises into the request that queued it.
"""

import logging
import traceback as traceback_module

from django.db import transaction

logger = logging.getLogger("forum.tasks")


def enqueue(task, *args, **kwargs) -> None:
    """Run `task` with these arguments once the current transaction commits."""
    transaction.on_commit(lambda: _send(task, args, kwargs))


def _send(task, args, kwargs) -> None:
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception as error:
        # The broker is unreachable: the work is kept in the database
        # (outgoing e-mails, webhook deliveries) and retry_pending_work picks
        # it up; the request that queued it still succeeds.
        logger.exception("Could not queue %s", task.name)
        record_failure(
            task_name=task.name,
            args=args,
            kwargs=kwargs,
            error=error,
            traceback=traceback_module.format_exc(),
        )


def record_failure(
    *, task_name, args=None, kwargs=None, error, traceback="", task_id=""
) -> None:
    """Log a failed task run and keep it for the admin's task failures list."""
    from forum.models import TaskFailure

    logger.error("Task %s failed: %r", task_name, error)
    arguments = ", ".join(
        [
            *(repr(value) for value in args or ()),
            *(f"{key}={value!r}" for key, value in (kwargs or {}).items()),
        ]
    )
    try:
        TaskFailure.objects.create(
            task_name=task_name,
            task_id=task_id or "",
            arguments=arguments[:2000],
            error=f"{type(error).__name__}: {error}"[:2000],
            traceback=traceback[:20000],
        )
    except Exception:
        logger.exception("Could not record the failure of %s", task_name)
