"""Webhooks in the admin: endpoints staff register, and the delivery log."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy, ngettext

from forum.adminbase import ReadOnlyInline, WritesNothing
from forum.taskqueue import enqueue
from webhooks.models import Attempt, Delivery, Endpoint, Event


class EndpointForm(forms.ModelForm):
    url = forms.URLField(
        label=gettext_lazy("URL"), max_length=500, assume_scheme="https"
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "secret", "events", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(gettext_lazy("Give an http(s) URL."))
        return url


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = (
        "name",
        "url",
        "is_active",
        "event_list",
        "failing_since",
        "disabled_at",
    )
    list_filter = ("is_active",)
    search_fields = ("name", "url")
    readonly_fields = ("failing_since", "disabled_at", "disabled_reason", "created_at")

    @admin.display(description=gettext_lazy("events"))
    def event_list(self, obj):
        return ", ".join(obj.events)

    def save_model(self, request, obj, form, change):
        if obj.is_active and "is_active" in form.changed_data:
            # Switched back on: a fresh day before it can be disabled again.
            obj.failing_since = None
            obj.disabled_at = None
        super().save_model(request, obj, form, change)


class AttemptInline(ReadOnlyInline):
    model = Attempt
    fields = ("created_at", "status_code", "latency_ms", "error", "response_head")
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(WritesNothing, admin.ModelAdmin):
    list_display = (
        "created_at",
        "event",
        "endpoint",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "event", "endpoint")
    search_fields = ("uuid",)
    list_select_related = ("endpoint",)
    date_hierarchy = "created_at"
    show_full_result_count = False
    inlines = [AttemptInline]
    actions = ["deliver_again"]
    fields = (
        "endpoint",
        "event",
        "uuid",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
        "delivered_at",
        "payload",
    )
    readonly_fields = fields

    @admin.action(description=gettext_lazy("Deliver the selected again now"))
    def deliver_again(self, request, queryset):
        from webhooks.tasks import deliver

        ids = list(
            queryset.exclude(status=Delivery.Status.SUCCEEDED).values_list(
                "pk", flat=True
            )
        )
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.PENDING, next_attempt_at=None
        )
        for delivery_id in ids:
            enqueue(deliver, delivery_id)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery queued.", "%(count)d deliveries queued.", len(ids)
            )
            % {"count": len(ids)},
            messages.SUCCESS,
        )
