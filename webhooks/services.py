"""Webhooks: the events other systems hear of, signed and retried.

An event is queued once its transaction commits (receivers.py); the
`dispatch_event` task turns it into one Delivery per endpoint listening, and
`deliver` POSTs each one: JSON, signed with HMAC-SHA256 of the timestamp and
the body (X-Forum-Signature: t=<unix time>,v1=<hex digest>), tried again with
exponential backoff for up to a day. Every request is logged (status, latency,
start of the response). An endpoint failing for a day is disabled and staff
are told. docs/webhooks.md shows how a receiver checks the signature.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from webhooks.models import Attempt, Delivery, Endpoint

logger = logging.getLogger("webhooks")
SIGNATURE_HEADER = "X-Forum-Signature"
RESPONSE_HEAD_BYTES = 1024


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300) -> bool:
    """What a receiver does (docs/webhooks.md): check signature and freshness."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    digest = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(digest, fields.get("v1", ""))


def backoff_seconds(attempts: int) -> int:
    """1 min, 2, 4, ... capped at 4 h between tries."""
    return min(60 * 2 ** max(attempts - 1, 0), 4 * 60 * 60)


def create_deliveries(event: str, data: dict) -> list[int]:
    """One delivery per active endpoint listening to the event."""
    deliveries = [
        Delivery(endpoint=endpoint, event=event, payload=data)
        for endpoint in Endpoint.objects.listening_to(event)
    ]
    Delivery.objects.bulk_create(deliveries)
    return [delivery.pk for delivery in deliveries if delivery.pk]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(endpoint: Endpoint, delivery: Delivery) -> Attempt:
    body = json.dumps(
        {
            "id": str(delivery.uuid),
            "event": delivery.event,
            "created_at": delivery.created_at,
            "data": delivery.payload,
        },
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    ).encode()
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "forum-webhooks/1",
            "X-Forum-Event": delivery.event,
            "X-Forum-Delivery": str(delivery.uuid),
            SIGNATURE_HEADER: sign(endpoint.secret, int(time.time()), body),
        },
    )
    attempt = Attempt(delivery=delivery)
    started = time.monotonic()
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as answer:
            attempt.status_code = answer.status
            head = answer.read(RESPONSE_HEAD_BYTES)
    except urllib.error.HTTPError as error:
        attempt.status_code = error.code
        head = error.read(RESPONSE_HEAD_BYTES) if error.fp else b""
    except Exception as error:
        head = b""
        attempt.error = f"{type(error).__name__}: {error}"[:2000]
    attempt.latency_ms = int((time.monotonic() - started) * 1000)
    attempt.response_head = head.decode("utf-8", "replace")
    return attempt


def deliver(delivery_id: int) -> tuple[bool, int | None]:
    """Try a delivery once unless it is done or not yet due.

    Returns (delivered, seconds until the next try or None). The row stays
    locked while the request runs, so two runs of the same task cannot both
    send it.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return False, None
        now = timezone.now()
        if delivery.next_attempt_at and delivery.next_attempt_at > now + timedelta(
            seconds=5
        ):
            return False, None
        endpoint = delivery.endpoint
        if not endpoint.is_active:
            delivery.status = Delivery.Status.FAILED
            delivery.save(update_fields=["status"])
            return False, None
        attempt = _post(endpoint, delivery)
        attempt.save()
        delivery.attempts += 1
        now = timezone.now()
        if attempt.succeeded:
            delivery.status = Delivery.Status.SUCCEEDED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            delivery.save(
                update_fields=["status", "delivered_at", "attempts", "next_attempt_at"]
            )
            if endpoint.failing_since:
                Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
            return True, None
        window = timedelta(seconds=settings.WEBHOOK_RETRY_SECONDS)
        if endpoint.failing_since is None:
            endpoint.failing_since = now
            Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=now)
        elif now - endpoint.failing_since >= window:
            disable_endpoint(endpoint, attempt)
        wait = backoff_seconds(delivery.attempts)
        next_at = now + timedelta(seconds=wait)
        if endpoint.is_active and next_at - delivery.created_at <= window:
            delivery.next_attempt_at = next_at
        else:
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = None
            wait = None
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        return False, wait


def disable_endpoint(endpoint: Endpoint, attempt: Attempt) -> None:
    """Stop sending to an endpoint that failed for a day, and tell staff."""
    reason = (
        f"Failing since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC; last answer: "
        f"{attempt.status_code or attempt.error}"
    )
    endpoint.is_active = False
    endpoint.disabled_at = timezone.now()
    endpoint.disabled_reason = reason
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    logger.error("Webhook endpoint %s disabled: %s", endpoint.url, reason)
    staff = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    recipients = sorted({*staff, *(address for _name, address in settings.ADMINS)})
    if recipients:
        transaction.on_commit(
            lambda: send_mail(
                f"Webhook endpoint disabled: {endpoint.name}",
                f"{endpoint.url} was disabled after a day of failed deliveries.\n"
                f"{reason}\n\nFix the receiver, then tick 'active' again in "
                f"the admin: {settings.SITE_URL}/admin/webhooks/endpoint/"
                f"{endpoint.pk}/change/",
                settings.SERVER_EMAIL,
                recipients,
                fail_silently=True,
            )
        )


def due_deliveries() -> list[int]:
    """Pending deliveries whose retry is overdue (lost with a broker, or
    scheduled in-process): retry_pending_work queues them again."""
    overdue = timezone.now() - timedelta(minutes=2)
    return list(
        Delivery.objects.filter(status=Delivery.Status.PENDING)
        .filter(next_attempt_at__lt=overdue)
        .values_list("pk", flat=True)[:5000]
    ) + list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            next_attempt_at__isnull=True,
            attempts=0,
            created_at__lt=overdue,
        ).values_list("pk", flat=True)[:5000]
    )
