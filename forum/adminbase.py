"""What every app's admin shares: moderation actions that call services.

The forum's own admin (forum/admin/), the accounts admin and the articles
admin build on these pieces; none of them imports another app's admin.
`apply_each` is the one loop behind every action that calls a service on
each selected object: it reports each refusal, logs each change and
announces the result.
"""

from collections.abc import Callable, Iterable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from forum.models import Reply
from forum.permissions import is_moderator
from forum.selectors import moderation_state


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


def reply_state(reply: Reply) -> str:
    """A reply's state as moderators read it, wherever the admin lists one."""
    return moderation_state(reply)


# Announcing what an action did ----------------------------------------------


def announce(modeladmin, request, done: int, message: str, nothing: str) -> None:
    """Say how many objects an action changed, or that it changed none."""
    if done:
        modeladmin.message_user(request, message, messages.SUCCESS)
    else:
        modeladmin.message_user(request, nothing, messages.WARNING)


def refuse(modeladmin, request, obj, error) -> None:
    """Say why a service refused to act on one object."""
    reasons = (
        " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    )
    modeladmin.message_user(
        request,
        _("%(object)s: %(reasons)s") % {"object": obj, "reasons": reasons},
        messages.ERROR,
    )


def apply_each(
    modeladmin,
    request,
    objects: Iterable,
    service_call: Callable,
    *,
    sentence: Callable | str,
    done,
    nothing: str,
) -> int:
    """Call a service on each object, log each change and announce the count.

    `service_call(obj)` makes the change through a service; a ValidationError
    or PermissionDenied it raises is reported for that object, which is then
    skipped, and the others go on. `sentence` is the admin log's sentence, or
    `sentence(obj, result)` with what the service returned. `done` is a
    message with a `%(count)s` placeholder (ngettext_lazy with "count"),
    `nothing` the warning shown when no object changed. Returns how many
    objects changed.
    """
    count = 0
    for obj in objects:
        try:
            result = service_call(obj)
        except (PermissionDenied, ValidationError) as error:
            refuse(modeladmin, request, obj, error)
            continue
        text = sentence(obj, result) if callable(sentence) else sentence
        modeladmin.log_change(request, obj, str(text))
        count += 1
    announce(modeladmin, request, count, done % {"count": count}, nothing)
    return count


def moderation_action(
    *,
    description,
    select: Callable,
    call: Callable,
    sentence: Callable | str,
    done,
    nothing: str,
):
    """An admin action, for moderators, that calls a service on each selected
    object through apply_each.

    `select(queryset)` narrows the selection to the objects the action
    changes; `call(obj, by)` calls the service as the moderator `by`.
    """

    @admin.action(description=description, permissions=["moderate"])
    def action(modeladmin, request, queryset):
        apply_each(
            modeladmin,
            request,
            select(queryset),
            lambda obj: call(obj, request.user),
            sentence=sentence,
            done=done,
            nothing=nothing,
        )

    return action


# Shared machinery -----------------------------------------------------------


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
        announce(self, request, done, message, nothing)

    def refuse(self, request, obj, error) -> None:
        refuse(self, request, obj, error)


class SelectedOnlyFilter(admin.SimpleListFilter):
    """A filter reached through links, shown in the sidebar only when in use:
    the objects whose `field` is the selected `model` row."""

    model = None
    field = ""

    def value_object(self):
        value = self.value()
        if not value or not value.isdigit():
            return None
        return self.model.objects.filter(pk=value).first()

    def lookups(self, request, model_admin):
        selected = self.value_object()
        return [(str(selected.pk), str(selected))] if selected else []

    def queryset(self, request, queryset):
        selected = self.value_object()
        return queryset.filter(**{self.field: selected}) if selected else queryset


class OptionsFilter(admin.SimpleListFilter):
    """A sidebar filter of named options: `options` pairs each value with its
    label, and the method `only_<value>` narrows the queryset to it."""

    options = ()

    def lookups(self, request, model_admin):
        return list(self.options)

    def queryset(self, request, queryset):
        value = self.value()
        if value not in dict(self.options):
            return queryset
        return getattr(self, f"only_{value}")(queryset)


class WritesNothing:
    """Nothing is added, changed or deleted here: pages are read, and only
    actions, through the services, make changes."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(WritesNothing, admin.TabularInline):
    template = "admin/moderation/tabular.html"
    extra = 0
    can_delete = False
