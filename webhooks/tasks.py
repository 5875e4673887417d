"""Queued webhook work: turning an event into deliveries, and delivering."""

from celery import shared_task
from django.db import transaction

from forum.tasks import longest_countdown, retry_later
from webhooks import payloads, services


@shared_task(bind=True, max_retries=5)
def dispatch_event(self, event: str, model: str, pk: int) -> int:
    """Create one delivery per endpoint listening, and queue each."""
    try:
        with transaction.atomic():
            data = payloads.build(model, pk)
            if data is None:
                return 0
            delivery_ids = services.create_deliveries(event, data)
    except Exception as error:
        retry_later(self, error)
    for delivery_id in delivery_ids:
        deliver.delay(delivery_id)
    return len(delivery_ids)


@shared_task(bind=True)
def deliver(self, delivery_id: int) -> bool:
    delivered, wait = services.deliver(delivery_id)
    if wait is not None and not self.request.is_eager and wait <= longest_countdown():
        # Not an error: the next try is scheduled, and the delivery log tells
        # staff why. Longer waits, and in-process runs, are left to
        # retry_pending_work (every five minutes): Redis hands a task whose
        # countdown outlives the visibility timeout to a second worker.
        self.apply_async(args=[delivery_id], countdown=wait)
    return delivered


def retry_due_deliveries() -> int:
    ids = services.due_deliveries()
    for delivery_id in ids:
        deliver.delay(delivery_id)
    return len(ids)
