"""Replies in the admin: their state, reports, earlier versions and actions."""

from collections import Counter

from django.contrib import admin
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy, ngettext_lazy

from accounts.models import User
from forum.admin.base import ReplyModeration
from forum.adminbase import (
    ModerationAdmin,
    OptionsFilter,
    ReadOnlyInline,
    SelectedOnlyFilter,
    WritesNothing,
    excerpt,
    moderation_action,
    reply_state,
)
from forum.models import Flag, Reply, Revision, Thread, flag_weight_to_hide
from forum.services import (
    approve_edit,
    approve_reply,
    decline_edit,
    feature_reply,
    hide_revision,
    restore_reply,
)


class StateFilter(OptionsFilter):
    title = gettext_lazy("state")
    parameter_name = "state"
    options = (
        ("published", gettext_lazy("Published")),
        ("pending", gettext_lazy("Pending review")),
        ("held_edit", gettext_lazy("Edit held for review")),
        ("hidden", gettext_lazy("Hidden by reports")),
        ("removed", gettext_lazy("Removed")),
    )

    def only_published(self, queryset):
        return queryset.visible()

    def only_pending(self, queryset):
        return queryset.filter(status=Reply.Status.PENDING).not_removed()

    def only_held_edit(self, queryset):
        return queryset.filter(pending_edit_at__isnull=False).not_removed()

    def only_hidden(self, queryset):
        threshold = flag_weight_to_hide()
        return queryset.not_removed().filter(open_flag_weight__gte=threshold)

    def only_removed(self, queryset):
        return queryset.filter(removed_at__isnull=False)


class ReportsFilter(OptionsFilter):
    title = gettext_lazy("reports")
    parameter_name = "reports"
    options = (
        ("open", gettext_lazy("Open reports")),
        ("any", gettext_lazy("Reported at least once")),
        ("none", gettext_lazy("Never reported")),
    )

    def only_open(self, queryset):
        return queryset.filter(open_flag_count__gt=0)

    def only_any(self, queryset):
        return queryset.filter(_reported())

    def only_none(self, queryset):
        return queryset.filter(~_reported())


def _reported():
    return Exists(Flag.objects.filter(reply=OuterRef("pk")))


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
            pk__in=Reply.objects.filter(
                Q(status=Reply.Status.PENDING) | Q(pending_edit_at__isnull=False)
            ).values("thread_id")
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
    field = "author"


class RevisionInline(ReadOnlyInline):
    model = Revision
    fields = ("created_at", "editor", "body", "is_hidden")
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


@admin.register(Reply)
class ReplyAdmin(ReplyModeration, WritesNothing, ModerationAdmin):
    # Nothing a user wrote is changed by moderation: actions only.
    list_display = (
        "reply",
        "thread",
        "author_name",
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
            gettext_lazy("Edit held for review"),
            {"fields": ("pending_body", "pending_edit_at", "pending_edit_reason")},
        ),
        (
            gettext_lazy("State"),
            {
                "fields": (
                    "state",
                    "status",
                    "held_reason",
                    "open_flag_count",
                    "open_flag_weight",
                )
            },
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
        "open_flag_weight",
        "pending_body",
        "pending_edit_at",
        "pending_edit_reason",
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
        "approve_edits",
        "decline_edits",
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
        "approve_edits": gettext_lazy("Publish the held edit"),
        "decline_edits": gettext_lazy("Decline the held edit"),
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

    def object_action_applies(self, obj, name):
        applies = {
            "remove_replies": not obj.is_removed,
            "restore_replies": obj.is_removed,
            "approve_replies": obj.is_pending and not obj.is_removed,
            "approve_edits": obj.has_pending_edit,
            "decline_edits": obj.has_pending_edit,
            "dismiss_reports": obj.open_flag_count > 0,
            "feature_replies": not obj.is_featured and not obj.is_removed,
            "unfeature_replies": obj.is_featured,
            "remove_everything_by_authors": True,
        }
        return applies.get(name, True)

    @admin.display(description=gettext_lazy("reply"), ordering="pk")
    def reply(self, obj):
        # Isolated, so that a right-to-left override in it stays inside.
        return format_html("#{} <bdi>{}</bdi>", obj.pk, excerpt(obj.body))

    @admin.display(description=gettext_lazy("author"), ordering="author__username")
    def author_name(self, obj):
        return format_html("<bdi>{}</bdi>", obj.author)

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

    restore_replies = moderation_action(
        description=gettext_lazy("Restore the selected replies"),
        select=lambda replies: replies.filter(removed_at__isnull=False).select_related(
            "thread"
        ),
        call=lambda reply, by: restore_reply(reply=reply, by=by),
        sentence=gettext_lazy("Restored the reply to public view."),
        done=ngettext_lazy(
            "%(count)s reply restored.", "%(count)s replies restored.", "count"
        ),
        nothing=gettext_lazy("No reply was restored: none of them was removed."),
    )

    approve_replies = moderation_action(
        description=gettext_lazy("Approve the selected held replies"),
        select=lambda replies: replies.filter(
            status=Reply.Status.PENDING
        ).select_related("thread", "parent"),
        call=lambda reply, by: approve_reply(reply=reply, by=by),
        sentence=gettext_lazy("Approved the reply held for review: published."),
        done=ngettext_lazy(
            "%(count)s reply approved and published.",
            "%(count)s replies approved and published.",
            "count",
        ),
        nothing=gettext_lazy(
            "No reply was approved: none of them was held for review."
        ),
    )

    approve_edits = moderation_action(
        description=gettext_lazy("Publish the selected edits held for review"),
        select=lambda replies: replies.filter(
            pending_edit_at__isnull=False
        ).select_related("thread", "author"),
        call=lambda reply, by: approve_edit(reply=reply, by=by),
        sentence=gettext_lazy(
            "Published the edit held for review; the earlier text is kept."
        ),
        done=ngettext_lazy(
            "%(count)s held edit published.",
            "%(count)s held edits published.",
            "count",
        ),
        nothing=gettext_lazy("No edit was published: none was held for review."),
    )

    decline_edits = moderation_action(
        description=gettext_lazy("Decline the selected edits held for review"),
        select=lambda replies: replies.filter(
            pending_edit_at__isnull=False
        ).select_related("thread", "author"),
        call=lambda reply, by: decline_edit(reply=reply, by=by),
        sentence=gettext_lazy(
            "Declined the edit held for review; its text is kept as an earlier version."
        ),
        done=ngettext_lazy(
            "%(count)s held edit declined.",
            "%(count)s held edits declined.",
            "count",
        ),
        nothing=gettext_lazy("No edit was declined: none was held for review."),
    )

    @admin.action(
        description=gettext_lazy("Dismiss the reports on the selected replies"),
        permissions=["moderate"],
    )
    def dismiss_reports(self, request, queryset):
        return self.dismiss(request, queryset)

    feature_replies = moderation_action(
        description=gettext_lazy("Feature the selected replies as editor's picks"),
        select=lambda replies: replies.filter(
            is_featured=False, removed_at__isnull=True
        ),
        call=lambda reply, by: feature_reply(reply=reply, by=by),
        sentence=gettext_lazy(
            "Featured the reply as an editor's pick: it is shown first."
        ),
        done=ngettext_lazy(
            "%(count)s reply featured.", "%(count)s replies featured.", "count"
        ),
        nothing=gettext_lazy(
            "No reply was featured: they were already featured or removed."
        ),
    )

    unfeature_replies = moderation_action(
        description=gettext_lazy("Stop featuring the selected replies"),
        select=lambda replies: replies.filter(is_featured=True),
        call=lambda reply, by: feature_reply(reply=reply, by=by, featured=False),
        sentence=gettext_lazy("Stopped featuring the reply as an editor's pick."),
        done=ngettext_lazy(
            "%(count)s reply no longer featured.",
            "%(count)s replies no longer featured.",
            "count",
        ),
        nothing=gettext_lazy("No reply was featured."),
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


def _revision_switch(hidden: bool, description, sentence):
    return moderation_action(
        description=description,
        select=lambda revisions: revisions.exclude(is_hidden=hidden),
        call=lambda revision, by: hide_revision(
            revision=revision, by=by, hidden=hidden
        ),
        sentence=sentence,
        done=ngettext_lazy(
            "%(count)s earlier version changed.",
            "%(count)s earlier versions changed.",
            "count",
        ),
        nothing=gettext_lazy("No earlier version needed this change."),
    )


@admin.register(Revision)
class RevisionAdmin(WritesNothing, ModerationAdmin):
    """Earlier versions of replies, which everyone may read under "Earlier
    versions" unless a moderator hides them here."""

    list_display = ("__str__", "reply_link", "editor", "created_at", "is_hidden")
    list_filter = ("is_hidden", "created_at")
    search_fields = ("body", "reply__author__username")
    list_select_related = ("reply", "editor")
    ordering = ("-created_at",)
    fields = ("reply", "editor", "created_at", "body", "is_hidden")
    readonly_fields = fields
    actions = ("hide_revisions", "show_revisions")
    object_actions = actions

    hide_revisions = _revision_switch(
        True,
        gettext_lazy("Hide the selected earlier versions from the public"),
        gettext_lazy("Earlier version hidden from the public."),
    )
    show_revisions = _revision_switch(
        False,
        gettext_lazy("Show the selected earlier versions again"),
        gettext_lazy("Earlier version shown again."),
    )

    @admin.display(description=gettext_lazy("reply"), ordering="reply")
    def reply_link(self, revision):
        return format_html(
            '<a href="{}">#{}</a>',
            reverse("admin:forum_reply_change", args=[revision.reply_id]),
            revision.reply_id,
        )
