"""The work queue seen by staff: e-mails owed and sent, and failed tasks."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy, ngettext

from forum.adminbase import WritesNothing
from forum.models import OutgoingEmail, TaskFailure
from forum.taskqueue import enqueue


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(WritesNothing, admin.ModelAdmin):
    """Every e-mail owed to a reader: sent, waiting, or failed with its error."""

    list_display = (
        "created_at",
        "recipient",
        "kind",
        "status",
        "attempts",
        "last_error",
        "sent_at",
    )
    list_filter = ("status", "kind", "created_at")
    search_fields = ("recipient__username", "recipient__email", "last_error")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient", "reply")
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["send_again"]

    @admin.action(description=gettext_lazy("Send the selected failed e-mails again"))
    def send_again(self, request, queryset):
        from forum.tasks import send_email

        ids = list(
            queryset.filter(status=OutgoingEmail.Status.FAILED).values_list(
                "pk", flat=True
            )
        )
        OutgoingEmail.objects.filter(pk__in=ids).update(
            status=OutgoingEmail.Status.PENDING, attempts=0
        )
        for email_id in ids:
            enqueue(send_email, email_id)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail queued again.",
                "%(count)d e-mails queued again.",
                len(ids),
            )
            % {"count": len(ids)},
            messages.SUCCESS,
        )


@admin.register(TaskFailure)
class TaskFailureAdmin(WritesNothing, admin.ModelAdmin):
    """Queued tasks that failed, with their error: read, then cleared."""

    list_display = ("created_at", "task_name", "error", "arguments")
    list_filter = ("task_name", "created_at")
    search_fields = ("task_name", "error", "task_id")
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
