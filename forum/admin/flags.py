"""The report queue: open reports first, one reply's reports together."""

from collections import Counter

from django.contrib import admin
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from forum.admin.base import ReplyModeration
from forum.adminbase import (
    ModerationAdmin,
    SelectedOnlyFilter,
    WritesNothing,
    admin_url,
    excerpt,
)
from forum.models import Flag, Reply

# A report's reason, as the likely reason to remove the reply.
REASON_FROM_REPORT = {
    Flag.Reason.SPAM: Reply.RemovalReason.SPAM,
    Flag.Reason.ABUSE: Reply.RemovalReason.ABUSE,
    Flag.Reason.OFF_TOPIC: Reply.RemovalReason.OFF_TOPIC,
    Flag.Reason.OTHER: Reply.RemovalReason.OTHER,
}


class FlagStatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Flag.Status.choices

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(status=value) if value else queryset


class ReportedUserFilter(SelectedOnlyFilter):
    title = gettext_lazy("author of the reply")
    parameter_name = "reported_user"

    model = User
    field = "reply__author"


@admin.register(Flag)
class FlagAdmin(ReplyModeration, WritesNothing, ModerationAdmin):
    """The report queue: open reports first, one reply's reports together."""

    list_display = (
        "reply_link",
        "reply_author",
        "reply_reports",
        "report",
        "created_at",
        "decision",
    )
    list_display_links = None
    list_filter = (FlagStatusFilter, "reason", ReportedUserFilter, "created_at")
    search_fields = ("reply__body", "note", "reporter__username")
    list_select_related = ("reply__author", "reply__thread", "reporter", "decided_by")
    list_per_page = 100
    show_full_result_count = False
    actions = ("dismiss_reports", "remove_reported_replies")
    fields = (
        "reply",
        "reporter",
        "reason",
        "note",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
    )
    readonly_fields = fields

    def get_ordering(self, request):
        # Open reports first; within them the most reported reply first, and
        # each reply's reports next to each other.
        return [
            Case(When(status=Flag.Status.OPEN, then=Value(0)), default=Value(1)).asc(),
            F("reply__open_flag_count").desc(),
            "reply_id",
            "created_at",
        ]

    @admin.display(description=gettext_lazy("reply"))
    def reply_link(self, obj):
        reply = obj.reply
        return format_html(
            '<a href="{}">#{} <bdi>{}</bdi></a><br><small><bdi>{}</bdi></small>',
            admin_url(reply),
            reply.pk,
            excerpt(reply.body, 120),
            excerpt(reply.thread.title, 80),
        )

    @admin.display(description=gettext_lazy("author"))
    def reply_author(self, obj):
        return format_html("<bdi>{}</bdi>", obj.reply.author)

    @admin.display(
        description=gettext_lazy("open reports"),
        ordering="reply__open_flag_count",
    )
    def reply_reports(self, obj):
        reply = obj.reply
        if reply.is_removed:
            return _("Removed")
        return reply.open_flag_count

    @admin.display(description=gettext_lazy("report"), ordering="reason")
    def report(self, obj):
        return format_html(
            "<strong>{}</strong> — <bdi>{}</bdi><br><small><bdi>{}</bdi></small>",
            obj.get_reason_display(),
            obj.reporter,
            excerpt(obj.note, 120),
        )

    @admin.display(description=gettext_lazy("decision"), ordering="status")
    def decision(self, obj):
        if obj.status == Flag.Status.OPEN:
            return _("Waiting")
        return format_html(
            "{}<br><small>{} — {}</small>",
            obj.get_status_display(),
            obj.decided_by or "—",
            date_format(timezone.localtime(obj.decided_at), "SHORT_DATETIME_FORMAT")
            if obj.decided_at
            else "—",
        )

    def _replies(self, queryset):
        return Reply.objects.filter(pk__in=queryset.values("reply_id"))

    @admin.action(
        description=gettext_lazy("Dismiss the reports (the replies stay published)"),
        permissions=["moderate"],
    )
    def dismiss_reports(self, request, queryset):
        open_reports = queryset.filter(status=Flag.Status.OPEN)
        return self.dismiss(request, self._replies(open_reports))

    @admin.action(
        description=gettext_lazy("Remove the reported replies…"),
        permissions=["moderate"],
    )
    def remove_reported_replies(self, request, queryset):
        reasons = Counter(queryset.values_list("reason", flat=True))
        initial = REASON_FROM_REPORT.get(reasons.most_common(1)[0][0], "")
        return self.remove_with_reason(
            request, queryset, self._replies(queryset), initial_reason=initial
        )
