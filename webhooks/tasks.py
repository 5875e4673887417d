"""Queued webhook work: turning an event into deliveries, and delivering."""

from celery import shared_task
from django.db import transaction

from forum.tasks import retry_later
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
    if wait is not None and not self.request.is_eager:
        # Not an error: the next try is scheduled, and the delivery log
        # tells staff why. In-process, retry_pending_work sends it when due.
        self.apply_async(args=[delivery_id], countdown=wait)
    return delivered


def retry_due_deliveries() -> int:
    ids = services.due_deliveries()
    for delivery_id in ids:
        deliver.delay(delivery_id)
    return len(ids)
