"""Moderation in the admin: replies, the report queue, threads, word lists.

Every action calls a service, so moderators are bound by the same rules as
the site, and writes a sentence a person can read to the admin log. Nothing a
user wrote is editable here, and nothing is deleted: removal is a soft state.
"""

from collections import Counter

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from forum.models import Flag, Reply, Revision, Thread, WordRule
from forum.permissions import is_moderator
from forum.services import (
    approve_reply,
    create_thread,
    dismiss_flags,
    feature_reply,
    hide_thread,
    lock_thread,
    pin_thread,
    remove_reply,
    restore_reply,
    set_thread_postings,
    update_thread,
)

admin.site.site_header = gettext_lazy("Forum moderation")
admin.site.site_title = gettext_lazy("Forum moderation")
admin.site.index_title = gettext_lazy("Moderation")
# The queues are wide tables: give them the whole width of the page.
admin.site.enable_nav_sidebar = False

# How many of a thread's latest replies its change page lists; the rest are
# one click away in the reply list, filtered on the thread.
THREAD_PAGE_REPLIES = 20
# How many replies and reports a user's change page lists.
USER_PAGE_ITEMS = 10


def excerpt(text: str, length: int = 80) -> str:
    return Truncator(" ".join(text.split())).chars(length)


def admin_url(obj, view: str = "change") -> str:
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[quote(obj.pk)]
    )


def changelist_url(model, **params) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


# Shared machinery ---------------------------------------------------------


class ModerationAdmin(admin.ModelAdmin):
    """Actions that call services, confirm with a form, and are logged.

    The actions named in `object_actions` are also offered as buttons on the
    change page; they run through the same functions, on that one object.
    """

    object_actions: tuple[str, ...] = ()
    # Button labels on the change page, where the action is about one object.
    object_action_labels: dict = {}
    change_form_template = "admin/moderation/change_form.html"

    def has_moderate_permission(self, request):
        return is_moderator(request.user)

    def object_action_applies(self, obj, name: str) -> bool:
        return True

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "<path:object_id>/act/<str:action>/",
                self.admin_site.admin_view(self.object_action_view),
                name=f"{opts.app_label}_{opts.model_name}_act",
            ),
            *super().get_urls(),
        ]

    def object_action_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("This object does not exist."))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        actions = self.get_actions(request)
        if action not in self.object_actions or action not in actions:
            raise PermissionDenied
        request.moderation_return_url = admin_url(obj)
        function = actions[action][0]
        response = function(self, request, self.get_queryset(request).filter(pk=obj.pk))
        return response or HttpResponseRedirect(request.moderation_return_url)

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        buttons = []
        if obj is not None:
            actions = self.get_actions(request)
            buttons = [
                (name, self.object_action_labels.get(name, actions[name][2]))
                for name in self.object_actions
                if name in actions and self.object_action_applies(obj, name)
            ]
        context["object_actions"] = buttons
        return super().render_change_form(request, context, add, change, form_url, obj)

    def confirm(self, request, queryset, *, form, title, intro, items, submit):
        """The page an action shows to ask for a reason, like a delete confirmation.

        Returns the response to show, or None once the submitted form is valid.
        """
        if "post" in request.POST and form.is_valid():
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "items": items,
            "form": form,
            "submit": submit,
            "opts": self.opts,
            "action": request.POST.get("action", ""),
            "selected": [str(pk) for pk in queryset.values_list("pk", flat=True)],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_url": getattr(
                request, "moderation_return_url", request.get_full_path()
            ),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/moderation/confirm.html", context)

    def announce(self, request, done: int, message: str, nothing: str) -> None:
        if done:
            self.message_user(request, message, messages.SUCCESS)
        else:
            self.message_user(request, nothing, messages.WARNING)

    def refuse(self, request, obj, error) -> None:
        reasons = (
            " ".join(error.messages)
            if isinstance(error, ValidationError)
            else str(error)
        )
        self.message_user(
            request,
            _("%(object)s: %(reasons)s") % {"object": obj, "reasons": reasons},
            messages.ERROR,
        )


class SelectedOnlyFilter(admin.SimpleListFilter):
    """A filter reached through links, shown in the sidebar only when in use."""

    model = None

    def value_object(self):
        value = self.value()
        if not value or not value.isdigit():
            return None
        return self.model.objects.filter(pk=value).first()

    def lookups(self, request, model_admin):
        selected = self.value_object()
        return [(str(selected.pk), str(selected))] if selected else []


class ReadOnlyInline(admin.TabularInline):
    template = "admin/moderation/tabular.html"
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Replies ------------------------------------------------------------------


class RemovalForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=[
            choice
            for choice in Reply.RemovalReason.choices
            if choice[0] != Reply.RemovalReason.AUTHOR
        ],
        widget=forms.RadioSelect(attrs={"class": "radiolist"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the other moderators"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("Not shown to the public or to the author."),
    )


# A report's reason, as the likely reason to remove the reply.
REASON_FROM_REPORT = {
    Flag.Reason.SPAM: Reply.RemovalReason.SPAM,
    Flag.Reason.ABUSE: Reply.RemovalReason.ABUSE,
    Flag.Reason.OFF_TOPIC: Reply.RemovalReason.OFF_TOPIC,
    Flag.Reason.OTHER: Reply.RemovalReason.OTHER,
}


def reply_state(reply: Reply) -> str:
    if reply.is_removed:
        return _("Removed (%(reason)s)") % {
            "reason": reply.get_removal_reason_display()
        }
    if reply.is_pending:
        return _("Pending review")
    if reply.is_hidden_by_flags:
        return _("Hidden by reports")
    return _("Published")


def removal_sentence(reply: Reply) -> str:
    sentence = _("Removed the reply (reason: %(reason)s).") % {
        "reason": reply.get_removal_reason_display()
    }
    if reply.removal_note:
        sentence += " " + _("Note: %(note)s") % {"note": reply.removal_note}
    return sentence


class StateFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("published", _("Published")),
            ("pending", _("Pending review")),
            ("hidden", _("Hidden by reports")),
            ("removed", _("Removed")),
        ]

    def queryset(self, request, queryset):
        threshold = settings.FORUM_FLAGS_TO_HIDE
        value = self.value()
        if value == "published":
            return queryset.visible()
        if value == "pending":
            return queryset.filter(status=Reply.Status.PENDING).not_removed()
        if value == "hidden":
            return queryset.not_removed().filter(open_flag_count__gte=threshold)
        if value == "removed":
            return queryset.filter(removed_at__isnull=False)
        return queryset


class ReportsFilter(admin.SimpleListFilter):
    title = gettext_lazy("reports")
    parameter_name = "reports"

    def lookups(self, request, model_admin):
        return [
            ("open", _("Open reports")),
            ("any", _("Reported at least once")),
            ("none", _("Never reported")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        reported = Exists(Flag.objects.filter(reply=OuterRef("pk")))
        if value == "open":
            return queryset.filter(open_flag_count__gt=0)
        if value == "any":
            return queryset.filter(reported)
        if value == "none":
            return queryset.filter(~reported)
        return queryset


class ThreadFilter(admin.SimpleListFilter):
    """Threads with replies waiting for a moderator, and the one selected."""

    title = gettext_lazy("thread")
    parameter_name = "thread"

    def lookups(self, request, model_admin):
        waiting = Q(
            pk__in=Flag.objects.filter(status=Flag.Status.OPEN).values(
                "reply__thread_id"
            )
        ) | Q(
            pk__in=Reply.objects.filter(status=Reply.Status.PENDING).values("thread_id")
        )
        value = self.value()
        if value and value.isdigit():
            waiting |= Q(pk=value)
        threads = Thread.objects.filter(waiting).order_by("-last_activity_at")[:30]
        return [(str(thread.pk), excerpt(thread.title, 60)) for thread in threads]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(thread_id=value)
        return queryset


class AuthorFilter(SelectedOnlyFilter):
    title = gettext_lazy("author")
    parameter_name = "author"

    model = User

    def queryset(self, request, queryset):
        selected = self.value_object()
        return queryset.filter(author=selected) if selected else queryset


class RevisionInline(ReadOnlyInline):
    model = Revision
    fields = ("created_at", "editor", "body")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Earlier versions")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("editor")


class FlagInline(ReadOnlyInline):
    model = Flag
    fields = (
        "created_at",
        "reporter",
        "reason",
        "note",
        "status",
        "decided_by",
        "decided_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reporter", "decided_by")


class ReplyModeration:
    """Removal with a reason and dismissal, shared by replies and reports."""

    def remove_with_reason(
        self, request, selection, replies, *, initial_reason="", authors=None
    ):
        """Ask for a reason, then remove the replies not removed yet."""
        replies = list(
            replies.filter(removed_at__isnull=True).select_related("thread", "author")
        )
        form = RemovalForm(
            request.POST if "post" in request.POST else None,
            initial={"reason": initial_reason},
        )
        intro = ngettext(
            "This reply will be taken out of public view. Its text stays in "
            "the database and can be restored.",
            "These %(count)s replies will be taken out of public view. Their "
            "text stays in the database and they can be restored.",
            len(replies),
        ) % {"count": len(replies)}
        if authors is not None:
            intro = (
                _("Everything written by %(authors)s.")
                % {"authors": ", ".join(str(author) for author in authors)}
                + " "
                + intro
            )
        response = self.confirm(
            request,
            selection,
            form=form,
            title=ngettext("Remove a reply", "Remove %(count)s replies", len(replies))
            % {"count": len(replies)},
            intro=intro,
            items=[
                format_html(
                    "<strong>{}</strong> — {} <em>({})</em>",
                    reply.author,
                    excerpt(reply.body, 160),
                    reply.thread,
                )
                for reply in replies
            ],
            submit=_("Remove"),
        )
        if response is not None:
            return response
        reason, note = form.cleaned_data["reason"], form.cleaned_data["note"]
        done = 0
        for reply in replies:
            try:
                remove_reply(reply=reply, by=request.user, reason=reason, note=note)
            except (PermissionDenied, ValidationError) as error:
                self.refuse(request, reply, error)
                continue
            self.log_change(request, reply, removal_sentence(reply))
            done += 1
        self.announce(
            request,
            done,
            ngettext("%(count)s reply removed.", "%(count)s replies removed.", done)
            % {"count": done},
            _("No reply was removed: they were already removed."),
        )
        return None

    def dismiss(self, request, replies):
        done = 0
        for reply in replies.filter(open_flag_count__gt=0).select_related("thread"):
            closed = dismiss_flags(reply=reply, by=request.user)
            self.log_change(
                request,
                reply,
                ngettext(
                    "Dismissed %(count)s report: the reply stays published.",
                    "Dismissed %(count)s reports: the reply stays published.",
                    closed,
                )
                % {"count": closed},
            )
            done += 1
        self.announce(
            request,
            done,
            ngettext(
                "Reports dismissed on %(count)s reply.",
                "Reports dismissed on %(count)s replies.",
                done,
            )
            % {"count": done},
            _("No report was dismissed: none of them was open."),
        )


@admin.register(Reply)
class ReplyAdmin(ReplyModeration, ModerationAdmin):
    list_display = (
        "reply",
        "thread",
        "author",
        "score",
        "open_reports",
        "state",
        "is_featured",
        "created_at",
    )
    list_display_links = ("reply",)
    list_filter = (
        StateFilter,
        ReportsFilter,
        ThreadFilter,
        AuthorFilter,
        "is_featured",
        "created_at",
    )
    search_fields = ("body", "author__username", "author__display_name")
    list_select_related = ("thread", "author")
    list_per_page = 50
    show_full_result_count = False
    ordering = ("-pk",)
    inlines = (RevisionInline, FlagInline)
    fieldsets = (
        (None, {"fields": ("thread", "parent", "author", "created_at", "edited_at")}),
        (gettext_lazy("Message"), {"fields": ("body",)}),
        (
            gettext_lazy("State"),
            {"fields": ("state", "status", "held_reason", "open_flag_count")},
        ),
        (gettext_lazy("Votes"), {"fields": ("score", "upvotes", "downvotes")}),
        (
            gettext_lazy("Moderation"),
            {
                "fields": (
                    "is_featured",
                    "featured_at",
                    "featured_by",
                    "removed_at",
                    "removed_by",
                    "removal_reason",
                    "removal_note",
                )
            },
        ),
    )
    readonly_fields = (
        "thread",
        "parent",
        "author",
        "created_at",
        "edited_at",
        "body",
        "state",
        "status",
        "held_reason",
        "open_flag_count",
        "score",
        "upvotes",
        "downvotes",
        "is_featured",
        "featured_at",
        "featured_by",
        "removed_at",
        "removed_by",
        "removal_reason",
        "removal_note",
    )
    actions = (
        "remove_replies",
        "restore_replies",
        "approve_replies",
        "dismiss_reports",
        "feature_replies",
        "unfeature_replies",
        "remove_everything_by_authors",
    )
    object_actions = actions
    object_action_labels = {
        "remove_replies": gettext_lazy("Remove…"),
        "restore_replies": gettext_lazy("Restore"),
        "approve_replies": gettext_lazy("Approve and publish"),
        "dismiss_reports": gettext_lazy("Dismiss the reports"),
        "feature_replies": gettext_lazy("Feature as editor's pick"),
        "unfeature_replies": gettext_lazy("Stop featuring"),
        "remove_everything_by_authors": gettext_lazy(
            "Remove everything by this author…"
        ),
    }

    def get_queryset(self, request):
        open_flags = Flag.objects.filter(status=Flag.Status.OPEN).only(
            "reply_id", "reason"
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("flags", open_flags, to_attr="open_flags"))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Nothing a user wrote is changed by moderation: actions only.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def object_action_applies(self, obj, name):
        applies = {
            "remove_replies": not obj.is_removed,
            "restore_replies": obj.is_removed,
            "approve_replies": obj.is_pending and not obj.is_removed,
            "dismiss_reports": obj.open_flag_count > 0,
            "feature_replies": not obj.is_featured and not obj.is_removed,
            "unfeature_replies": obj.is_featured,
            "remove_everything_by_authors": True,
        }
        return applies.get(name, True)

    @admin.display(description=gettext_lazy("reply"), ordering="pk")
    def reply(self, obj):
        return f"#{obj.pk} {excerpt(obj.body)}"

    @admin.display(description=gettext_lazy("open reports"), ordering="open_flag_count")
    def open_reports(self, obj):
        flags = getattr(obj, "open_flags", None)
        if not obj.open_flag_count or not flags:
            return obj.open_flag_count or "—"
        counts = Counter(flag.get_reason_display() for flag in flags)
        reasons = ", ".join(
            f"{reason} ×{count}" if count > 1 else str(reason)
            for reason, count in counts.most_common()
        )
        return f"{obj.open_flag_count} ({reasons})"

    @admin.display(description=gettext_lazy("state"))
    def state(self, obj):
        return reply_state(obj)

    # Actions --------------------------------------------------------------

    @admin.action(
        description=gettext_lazy("Remove the selected replies…"),
        permissions=["moderate"],
    )
    def remove_replies(self, request, queryset):
        return self.remove_with_reason(request, queryset, queryset)

    @admin.action(
        description=gettext_lazy("Restore the selected replies"),
        permissions=["moderate"],
    )
    def restore_replies(self, request, queryset):
        done = 0
        for reply in queryset.filter(removed_at__isnull=False).select_related("thread"):
            restore_reply(reply=reply, by=request.user)
            self.log_change(request, reply, _("Restored the reply to public view."))
            done += 1
        self.announce(
            request,
            done,
            ngettext("%(count)s reply restored.", "%(count)s replies restored.", done)
            % {"count": done},
            _("No reply was restored: none of them was removed."),
        )

    @admin.action(
        description=gettext_lazy("Approve the selected held replies"),
        permissions=["moderate"],
    )
    def approve_replies(self, request, queryset):
        done = 0
        held = queryset.filter(status=Reply.Status.PENDING).select_related(
            "thread", "parent"
        )
        for reply in held:
            approve_reply(reply=reply, by=request.user)
            self.log_change(
                request, reply, _("Approved the reply held for review: published.")
            )
            done += 1
        self.announce(
            request,
            done,
            ngettext(
                "%(count)s reply approved and published.",
                "%(count)s replies approved and published.",
                done,
            )
            % {"count": done},
            _("No reply was approved: none of them was held for review."),
        )

    @admin.action(
        description=gettext_lazy("Dismiss the reports on the selected replies"),
        permissions=["moderate"],
    )
    def dismiss_reports(self, request, queryset):
        return self.dismiss(request, queryset)

    @admin.action(
        description=gettext_lazy("Feature the selected replies as editor's picks"),
        permissions=["moderate"],
    )
    def feature_replies(self, request, queryset):
        done = 0
        for reply in queryset.filter(is_featured=False, removed_at__isnull=True):
            feature_reply(reply=reply, by=request.user)
            self.log_change(
                request,
                reply,
                _("Featured the reply as an editor's pick: it is shown first."),
            )
            done += 1
        self.announce(
            request,
            done,
            ngettext("%(count)s reply featured.", "%(count)s replies featured.", done)
            % {"count": done},
            _("No reply was featured: they were already featured or removed."),
        )

    @admin.action(
        description=gettext_lazy("Stop featuring the selected replies"),
        permissions=["moderate"],
    )
    def unfeature_replies(self, request, queryset):
        done = 0
        for reply in queryset.filter(is_featured=True):
            feature_reply(reply=reply, by=request.user, featured=False)
            self.log_change(
                request, reply, _("Stopped featuring the reply as an editor's pick.")
            )
            done += 1
        self.announce(
            request,
            done,
            ngettext(
                "%(count)s reply no longer featured.",
                "%(count)s replies no longer featured.",
                done,
            )
            % {"count": done},
            _("No reply was featured."),
        )

    @admin.action(
        description=gettext_lazy(
            "Remove every reply by the authors of the selected replies…"
        ),
        permissions=["moderate"],
    )
    def remove_everything_by_authors(self, request, queryset):
        authors = list(
            User.objects.filter(pk__in=queryset.values("author_id")).order_by(
                "username"
            )
        )
        replies = Reply.objects.filter(author__in=authors)
        return self.remove_with_reason(request, queryset, replies, authors=authors)


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

    def queryset(self, request, queryset):
        selected = self.value_object()
        return queryset.filter(reply__author=selected) if selected else queryset


@admin.register(Flag)
class FlagAdmin(ReplyModeration, ModerationAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("reply"))
    def reply_link(self, obj):
        reply = obj.reply
        return format_html(
            '<a href="{}">#{} {}</a><br><small>{}</small>',
            admin_url(reply),
            reply.pk,
            excerpt(reply.body, 120),
            excerpt(reply.thread.title, 80),
        )

    @admin.display(description=gettext_lazy("author"))
    def reply_author(self, obj):
        return obj.reply.author

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
            "<strong>{}</strong> — {}<br><small>{}</small>",
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


# Threads ------------------------------------------------------------------


class LatestRepliesFormSet(BaseInlineFormSet):
    def get_queryset(self):
        if not hasattr(self, "_latest_replies"):
            self._latest_replies = (
                super().get_queryset().order_by("-pk")[:THREAD_PAGE_REPLIES]
            )
        return self._latest_replies


class ThreadReplyInline(ReadOnlyInline):
    model = Reply
    fk_name = "thread"
    formset = LatestRepliesFormSet
    fields = ("created_at", "author", "message", "score", "state")
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = gettext_lazy("Latest replies")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    @admin.display(description=gettext_lazy("message"))
    def message(self, obj):
        return excerpt(obj.body, 140)

    @admin.display(description=gettext_lazy("state"))
    def state(self, obj):
        return reply_state(obj)


class ThreadForm(forms.ModelForm):
    class Meta:
        model = Thread
        fields = (
            "article",
            "title",
            "position",
            "postings",
            "is_locked",
            "is_pinned",
            "is_hidden",
        )


# Flag of the thread, the service that changes it and its keyword.
THREAD_SWITCHES = (
    ("is_locked", lock_thread, "locked"),
    ("is_pinned", pin_thread, "pinned"),
    ("is_hidden", hide_thread, "hidden"),
)


def thread_switch_sentence(field: str, value: bool) -> str:
    sentences = {
        ("is_locked", True): _("Locked the thread: no new replies."),
        ("is_locked", False): _("Unlocked the thread."),
        ("is_pinned", True): _("Pinned the thread to the top of the lists."),
        ("is_pinned", False): _("Unpinned the thread."),
        ("is_hidden", True): _("Hid the thread from the public."),
        ("is_hidden", False): _("Showed the thread to the public again."),
    }
    return sentences[field, value]


@admin.register(Thread)
class ThreadAdmin(ModerationAdmin):
    form = ThreadForm
    list_display = (
        "title",
        "article",
        "position",
        "reply_count",
        "score",
        "is_locked",
        "is_pinned",
        "is_hidden",
        "last_activity_at",
        "replies_link",
    )
    list_editable = ("position",)
    list_filter = (
        "is_locked",
        "is_pinned",
        "is_hidden",
        ("article", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "article__title")
    list_select_related = ("article",)
    autocomplete_fields = ("article", "postings")
    fieldsets = (
        (None, {"fields": ("article", "title", "position", "postings")}),
        (
            gettext_lazy("Moderation"),
            {"fields": ("is_locked", "is_pinned", "is_hidden")},
        ),
        (
            gettext_lazy("Activity"),
            {
                "fields": (
                    "author",
                    "slug",
                    "reply_count",
                    "score",
                    "last_activity_at",
                    "created_at",
                    "updated_at",
                    "replies_link",
                )
            },
        ),
    )
    readonly_fields = (
        "author",
        "slug",
        "reply_count",
        "score",
        "last_activity_at",
        "created_at",
        "updated_at",
        "replies_link",
    )
    inlines = (ThreadReplyInline,)
    actions = (
        "lock_threads",
        "unlock_threads",
        "pin_threads",
        "unpin_threads",
        "hide_threads",
        "show_threads",
    )

    def get_ordering(self, request):
        # Filtered on one article, the questions come in their order.
        if "article__id__exact" in request.GET:
            return ("position", "pk")
        return ("-last_activity_at",)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (*self.readonly_fields, "article")
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        # A thread holds what users wrote: hide it instead.
        return False

    @admin.display(description=gettext_lazy("replies"))
    def replies_link(self, obj):
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            changelist_url(Reply, thread=obj.pk),
            ngettext(
                "See its %(count)s reply",
                "See all its %(count)s replies",
                obj.reply_count,
            )
            % {"count": obj.reply_count},
        )

    # Saving through the services -----------------------------------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            thread = create_thread(
                title=data["title"],
                article=data.get("article"),
                position=data.get("position") or 0,
                author=request.user,
            )
            # The admin goes on with the form's object: make it the saved one.
            for field in Thread._meta.concrete_fields:
                setattr(obj, field.attname, getattr(thread, field.attname))
            obj._state.adding = False
            self._switch(request, obj, form, only_changed=False)
            return
        thread = Thread.objects.get(pk=obj.pk)
        changed = set(form.changed_data)
        if changed & {"title", "position"}:
            update_thread(
                thread=thread,
                title=data["title"] if "title" in changed else None,
                position=data["position"] if "position" in changed else None,
            )
        self._switch(request, thread, form, only_changed=True)
        obj.slug, obj.updated_at = thread.slug, thread.updated_at

    def _switch(self, request, thread, form, only_changed: bool):
        for field, service, keyword in THREAD_SWITCHES:
            if field not in form.cleaned_data:
                continue
            value = form.cleaned_data[field]
            if (field in form.changed_data) if only_changed else value:
                service(thread=thread, by=request.user, **{keyword: value})

    def save_related(self, request, form, formsets, change):
        # Replies are never written from the thread page.
        if "postings" in form.cleaned_data and (
            not change or "postings" in form.changed_data
        ):
            set_thread_postings(
                thread=form.instance, postings=form.cleaned_data["postings"]
            )

    def construct_change_message(self, request, form, formsets, add=False):
        if add:
            return _("Opened the thread.")
        sentences = []
        data = form.cleaned_data
        for field in form.changed_data:
            if field in {"is_locked", "is_pinned", "is_hidden"}:
                sentences.append(thread_switch_sentence(field, data[field]))
            elif field == "title":
                sentences.append(
                    _("Changed the question to “%(title)s”.") % {"title": data[field]}
                )
            elif field == "position":
                sentences.append(
                    _("Moved the question to position %(position)s.")
                    % {"position": data[field]}
                )
            elif field == "postings":
                postings = ", ".join(str(posting) for posting in data[field])
                sentences.append(
                    _("Linked the thread to the postings: %(postings)s.")
                    % {"postings": postings or _("none")}
                    if postings
                    else _("Unlinked every posting from the thread.")
                )
        return " ".join(sentences) or _("Saved the thread without changes.")

    # Actions --------------------------------------------------------------

    def _set(self, request, queryset, field: str, value: bool) -> None:
        service, keyword = next(
            (service, keyword)
            for name, service, keyword in THREAD_SWITCHES
            if name == field
        )
        done = 0
        for thread in queryset.exclude(**{field: value}):
            service(thread=thread, by=request.user, **{keyword: value})
            self.log_change(request, thread, thread_switch_sentence(field, value))
            done += 1
        self.announce(
            request,
            done,
            ngettext("%(count)s thread changed.", "%(count)s threads changed.", done)
            % {"count": done},
            _("No thread needed this change."),
        )

    @admin.action(
        description=gettext_lazy("Lock the selected threads"), permissions=["moderate"]
    )
    def lock_threads(self, request, queryset):
        self._set(request, queryset, "is_locked", True)

    @admin.action(
        description=gettext_lazy("Unlock the selected threads"),
        permissions=["moderate"],
    )
    def unlock_threads(self, request, queryset):
        self._set(request, queryset, "is_locked", False)

    @admin.action(
        description=gettext_lazy("Pin the selected threads"), permissions=["moderate"]
    )
    def pin_threads(self, request, queryset):
        self._set(request, queryset, "is_pinned", True)

    @admin.action(
        description=gettext_lazy("Unpin the selected threads"), permissions=["moderate"]
    )
    def unpin_threads(self, request, queryset):
        self._set(request, queryset, "is_pinned", False)

    @admin.action(
        description=gettext_lazy("Hide the selected threads"), permissions=["moderate"]
    )
    def hide_threads(self, request, queryset):
        self._set(request, queryset, "is_hidden", True)

    @admin.action(
        description=gettext_lazy("Show the selected threads again"),
        permissions=["moderate"],
    )
    def show_threads(self, request, queryset):
        self._set(request, queryset, "is_hidden", False)


# Word lists ---------------------------------------------------------------


class WordRuleForm(forms.ModelForm):
    class Meta:
        model = WordRule
        fields = ("word", "kind")

    def clean_word(self):
        word = " ".join(self.cleaned_data["word"].split())
        if not word:
            raise ValidationError(_("Give a word or a phrase."))
        return word


@admin.register(WordRule)
class WordRuleAdmin(admin.ModelAdmin):
    form = WordRuleForm
    list_display = ("word", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("word",)
    ordering = ("kind", "word")


# The admin log -------------------------------------------------------------


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """Every moderation action, with who did it and when: read-only."""

    list_display = (
        "action_time",
        "user",
        "content_type",
        "object_link",
        "action_flag",
        "sentence",
    )
    list_filter = (
        "action_flag",
        ("content_type", admin.RelatedOnlyFieldListFilter),
        ("user", admin.RelatedOnlyFieldListFilter),
        "action_time",
    )
    search_fields = ("object_repr", "change_message", "user__username")
    list_select_related = ("user", "content_type")
    date_hierarchy = "action_time"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("object"), ordering="object_repr")
    def object_link(self, obj):
        url = obj.get_admin_url()
        if url:
            return format_html('<a href="{}">{}</a>', url, obj.object_repr)
        return obj.object_repr

    @admin.display(description=gettext_lazy("what was done"))
    def sentence(self, obj):
        return obj.get_change_message()
