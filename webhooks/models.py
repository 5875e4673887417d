import secrets
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    REPLY_CREATED = "reply.created", "reply.created"
    REPLY_EDITED = "reply.edited", "reply.edited"
    REPLY_REMOVED = "reply.removed", "reply.removed"
    REPLY_RESTORED = "reply.restored", "reply.restored"
    THREAD_CREATED = "thread.created", "thread.created"
    THREAD_LOCKED = "thread.locked", "thread.locked"
    POSTING_CREATED = "posting.created", "posting.created"
    ARTICLE_PUBLISHED = "article.published", "article.published"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class EndpointQuerySet(models.QuerySet):
    def listening_to(self, event: str):
        return [
            endpoint
            for endpoint in self.filter(is_active=True)
            if event in endpoint.events
        ]


class Endpoint(models.Model):
    """A URL of another system that wants to hear of some events."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("secret"),
        max_length=200,
        default=new_secret,
        help_text=_(
            "Shared with the receiver, which checks the X-Forum-Signature "
            "header with it (docs/webhooks.md)."
        ),
    )
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.TextField(_("why it was disabled"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Delivery(models.Model):
    """One event owed to one endpoint, tried until it succeeds or a day passes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        Endpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True)
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"], name="webhooks_delivery_due"
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint} ({self.status})"


class Attempt(models.Model):
    """One HTTP request of a delivery: the log staff read in the admin."""

    delivery = models.ForeignKey(
        Delivery,
        verbose_name=_("delivery"),
        on_delete=models.CASCADE,
        related_name="attempt_log",
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), default=0)
    response_head = models.TextField(_("start of the response"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.status_code or self.error[:40]}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
