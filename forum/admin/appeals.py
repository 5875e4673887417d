"""Statements of reasons, appeals against them, notices of illegal content
and the transparency figures, in the admin."""

import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from forum.adminbase import (
    ModerationAdmin,
    WritesNothing,
    admin_url,
    excerpt,
    moderation_action,
)
from forum.models import (
    Appeal,
    IllegalContentNotice,
    ModerationDecision,
    is_moderator,
)
from forum.services import (
    decide_appeal,
    other_moderator_available,
    reject_illegal_content_notice,
)
from forum.transparency import figures_as_rows, moderation_figures


class ForModerators:
    """Read by every moderator (the moderate_reply permission), with no
    model permission of its own to grant."""

    def has_view_permission(self, request, obj=None):
        return is_moderator(request.user)

    def has_module_permission(self, request):
        return is_moderator(request.user)


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(ForModerators, WritesNothing, ModerationAdmin):
    """Every statement of reasons: removals, holds, locks and bans."""

    list_display = (
        "created_at",
        "action",
        "reason",
        "explanation_excerpt",
        "user",
        "decided",
        "reversed_at",
    )
    list_filter = ("action", "reason", "is_automatic", "created_at")
    search_fields = ("explanation", "user__username")
    list_select_related = ("user", "decided_by")
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = (
        "action",
        "reason",
        "explanation",
        "user",
        "reply",
        "thread",
        "decided_by",
        "is_automatic",
        "noticed_at",
        "created_at",
        "reversed_at",
        "emailed_at",
    )

    @admin.display(description=gettext_lazy("explanation"))
    def explanation_excerpt(self, obj):
        return format_html("<bdi>{}</bdi>", excerpt(obj.explanation))

    @admin.display(description=gettext_lazy("decided by"))
    def decided(self, obj):
        return obj.decided_by or _("automatic")

    def get_urls(self):
        return [
            path(
                "transparency/",
                self.admin_site.admin_view(self.transparency_view),
                name="forum_moderation_transparency",
            ),
            *super().get_urls(),
        ]

    def transparency_view(self, request):
        """The transparency figures for a period (the last 30 days by default)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        try:
            since = datetime.date.fromisoformat(request.GET.get("since", ""))
        except ValueError:
            since = today - datetime.timedelta(days=30)
        try:
            until = datetime.date.fromisoformat(request.GET.get("until", ""))
        except ValueError:
            until = today

        def start(day):
            return timezone.make_aware(
                datetime.datetime.combine(day, datetime.time.min)
            )

        figures = moderation_figures(
            since=start(since), until=start(until + datetime.timedelta(days=1))
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Transparency report"),
            "opts": self.opts,
            "since": since.isoformat(),
            "until": until.isoformat(),
            "figures": figures,
            "rows": figures_as_rows(figures)[2:],
        }
        return TemplateResponse(request, "admin/moderation/transparency.html", context)


@admin.register(Appeal)
class AppealAdmin(ForModerators, WritesNothing, ModerationAdmin):
    """Appeals, open ones first: each to be handled by a moderator other
    than the one who decided, where there is one."""

    list_display = (
        "created_at",
        "status",
        "decision_link",
        "appellant",
        "text_excerpt",
        "decided_by",
        "handled_by",
    )
    list_filter = ("status", "decision__action", "created_at")
    search_fields = ("text", "appellant__username")
    list_select_related = ("decision__decided_by", "appellant", "handled_by")
    ordering = ("status", "created_at")
    readonly_fields = (
        "decision_link",
        "decision_reason",
        "decided_by",
        "appellant",
        "text",
        "status",
        "created_at",
        "handled_by",
        "handled_at",
        "response",
        "emailed_at",
    )
    actions = ("reverse_decisions", "uphold_decisions")
    object_actions = actions
    object_action_labels = {
        "reverse_decisions": gettext_lazy("Reverse the decision"),
        "uphold_decisions": gettext_lazy("Uphold the decision"),
    }

    def object_action_applies(self, obj, name):
        return obj.status == Appeal.Status.OPEN

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decision__decided_by")

    @admin.display(description=gettext_lazy("decision"))
    def decision_link(self, obj):
        decision = obj.decision
        return format_html('<a href="{}">{}</a>', admin_url(decision), str(decision))

    @admin.display(description=gettext_lazy("reason given"))
    def decision_reason(self, obj):
        return obj.decision.explanation

    @admin.display(description=gettext_lazy("decided by"))
    def decided_by(self, obj):
        decided_by = obj.decision.decided_by
        if decided_by is None:
            return _("automatic")
        return decided_by

    @admin.display(description=gettext_lazy("appeal"))
    def text_excerpt(self, obj):
        return format_html("<bdi>{}</bdi>", excerpt(obj.text))

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        mine = (
            obj is not None
            and obj.status == Appeal.Status.OPEN
            and other_moderator_available(request.user, obj.decision.decided_by_id)
        )
        if mine:
            self.message_user(
                request,
                _(
                    "You took the decision this appeal contests: another "
                    "moderator must handle it."
                ),
                level="warning",
            )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    reverse_decisions = moderation_action(
        description=gettext_lazy("Reverse the contested decisions (restore)"),
        select=lambda appeals: appeals.filter(status=Appeal.Status.OPEN),
        call=lambda appeal, by: decide_appeal(appeal=appeal, by=by, reverse=True),
        sentence=gettext_lazy(
            "Reversed the contested decision: restored, and the author told."
        ),
        done=ngettext_lazy(
            "%(count)s decision reversed.", "%(count)s decisions reversed.", "count"
        ),
        nothing=gettext_lazy("No decision was reversed: no appeal was open."),
    )

    uphold_decisions = moderation_action(
        description=gettext_lazy("Uphold the contested decisions"),
        select=lambda appeals: appeals.filter(status=Appeal.Status.OPEN),
        call=lambda appeal, by: decide_appeal(appeal=appeal, by=by, reverse=False),
        sentence=gettext_lazy("Upheld the contested decision; the author told."),
        done=ngettext_lazy(
            "%(count)s decision upheld.", "%(count)s decisions upheld.", "count"
        ),
        nothing=gettext_lazy("No decision was upheld: no appeal was open."),
    )


@admin.register(IllegalContentNotice)
class IllegalContentNoticeAdmin(ForModerators, WritesNothing, ModerationAdmin):
    """Notices of illegal content, open ones first, the oldest first."""

    list_display = (
        "created_at",
        "status",
        "reply_link",
        "explanation_excerpt",
        "sender",
        "decided_by",
    )
    list_filter = ("status", "created_at")
    search_fields = ("explanation", "location", "email", "name")
    list_select_related = ("reply", "reporter", "decided_by")
    ordering = ("status", "created_at")
    readonly_fields = (
        "reply_link",
        "location",
        "explanation",
        "name",
        "email",
        "reporter",
        "good_faith",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
    )
    actions = ("reject_notices",)
    object_actions = actions
    object_action_labels = {"reject_notices": gettext_lazy("No action")}

    def object_action_applies(self, obj, name):
        return obj.status == IllegalContentNotice.Status.OPEN

    @admin.display(description=gettext_lazy("reply"))
    def reply_link(self, obj):
        if obj.reply is None:
            return "—"
        return format_html(
            '<a href="{}">#{} <bdi>{}</bdi></a>',
            admin_url(obj.reply),
            obj.reply_id,
            excerpt(obj.reply.body, 60),
        )

    @admin.display(description=gettext_lazy("why it is illegal"))
    def explanation_excerpt(self, obj):
        return format_html("<bdi>{}</bdi>", excerpt(obj.explanation))

    @admin.display(description=gettext_lazy("sent by"))
    def sender(self, obj):
        parts = [str(part) for part in (obj.reporter, obj.name, obj.email) if part]
        return " · ".join(parts) or _("anonymous")

    reject_notices = moderation_action(
        description=gettext_lazy("Close the selected notices without action"),
        select=lambda notices: notices.filter(
            ~Q(status=IllegalContentNotice.Status.ACTED),
            status=IllegalContentNotice.Status.OPEN,
        ),
        call=lambda notice, by: reject_illegal_content_notice(notice=notice, by=by),
        sentence=gettext_lazy("Closed the notice without action."),
        done=ngettext_lazy(
            "%(count)s notice closed.", "%(count)s notices closed.", "count"
        ),
        nothing=gettext_lazy("No notice was closed: none was open."),
    )
