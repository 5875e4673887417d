"""Threads in the admin: questions, their postings, locks, pins and hiding."""

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from forum.admin.base import DecisionForm
from forum.adminbase import (
    ModerationAdmin,
    ReadOnlyInline,
    apply_each,
    changelist_url,
    excerpt,
    moderation_action,
    reply_state,
)
from forum.models import ModerationDecision, Reply, Thread
from forum.services import (
    create_thread,
    hide_thread,
    lock_thread,
    pin_thread,
    set_thread_postings,
    update_thread,
)
from forum.text import VisibleTitleField

# How many of a thread's latest replies its change page lists; the rest are
# one click away in the reply list, filtered on the thread.
THREAD_PAGE_REPLIES = 20


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
        field_classes = {"title": VisibleTitleField}


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


# What a thread's page shows of its activity; only services write it.
ACTIVITY_FIELDS = (
    "author",
    "slug",
    "reply_count",
    "score",
    "last_activity_at",
    "created_at",
    "updated_at",
    "replies_link",
)


def switch_action(field: str, value: bool, description):
    """The action setting one of the selected threads' flags through its
    service, on the threads where it differs."""
    service, keyword = next(
        (service, keyword)
        for name, service, keyword in THREAD_SWITCHES
        if name == field
    )
    return moderation_action(
        description=description,
        select=lambda threads: threads.exclude(**{field: value}),
        call=lambda thread, by: service(thread=thread, by=by, **{keyword: value}),
        sentence=lambda thread, result: thread_switch_sentence(field, value),
        done=ngettext_lazy(
            "%(count)s thread changed.", "%(count)s threads changed.", "count"
        ),
        nothing=gettext_lazy("No thread needed this change."),
    )


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
        (gettext_lazy("Activity"), {"fields": ACTIVITY_FIELDS}),
    )
    readonly_fields = ACTIVITY_FIELDS
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

    @admin.action(
        description=gettext_lazy("Lock the selected threads…"),
        permissions=["change"],
    )
    def lock_threads(self, request, queryset):
        threads = list(queryset.filter(is_locked=False))
        form = DecisionForm(request.POST if "post" in request.POST else None)
        response = self.confirm(
            request,
            queryset,
            form=form,
            title=ngettext("Lock a thread", "Lock %(count)s threads", len(threads))
            % {"count": len(threads)},
            intro=_(
                "No new replies, edits or votes until the thread is unlocked. "
                "The reason and explanation are kept as the statement of reasons."
            ),
            items=[str(thread) for thread in threads],
            submit=_("Lock"),
        )
        if response is not None:
            return response
        data = form.cleaned_data
        apply_each(
            self,
            request,
            threads,
            lambda thread: lock_thread(
                thread=thread,
                by=request.user,
                reason=data["reason"],
                explanation=data["explanation"],
            ),
            sentence=lambda thread, _result: (
                _("Locked the thread: no new replies. Reason: %(reason)s. %(text)s")
                % {
                    "reason": ModerationDecision.Reason(data["reason"]).label,
                    "text": data["explanation"],
                }
            ),
            done=ngettext_lazy(
                "%(count)s thread changed.", "%(count)s threads changed.", "count"
            ),
            nothing=_("No thread needed this change."),
        )
        return None

    unlock_threads = switch_action(
        "is_locked", False, gettext_lazy("Unlock the selected threads")
    )
    pin_threads = switch_action(
        "is_pinned", True, gettext_lazy("Pin the selected threads")
    )
    unpin_threads = switch_action(
        "is_pinned", False, gettext_lazy("Unpin the selected threads")
    )
    hide_threads = switch_action(
        "is_hidden", True, gettext_lazy("Hide the selected threads")
    )
    show_threads = switch_action(
        "is_hidden", False, gettext_lazy("Show the selected threads again")
    )
