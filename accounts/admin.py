"""Users in the admin: bans with a reason and an optional end, and a user's record.

A moderator reads accounts and bans or unbans them through the services; only
an administrator edits an account's details, groups and permissions.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from accounts.models import ApiToken, LegalPage, ReservedName, User
from accounts.services import ban_user, erase_account, unban_user
from accounts.usernames import normalize_username
from forum.adminbase import (
    ModerationAdmin,
    admin_url,
    apply_each,
    changelist_url,
    excerpt,
    moderation_action,
    reply_state,
)
from forum.models import Flag, ModerationDecision, Reply

# How many replies and reports a user's change page lists.
USER_PAGE_ITEMS = 10


class BanForm(forms.Form):
    reason_code = forms.ChoiceField(
        label=gettext_lazy("Reason code"),
        choices=[
            choice
            for choice in ModerationDecision.Reason.choices
            if choice[0]
            not in (
                ModerationDecision.Reason.SUSPECT_WORD,
                ModerationDecision.Reason.NEW_ACCOUNT,
            )
        ],
        initial=ModerationDecision.Reason.ABUSE,
        required=False,
        help_text=gettext_lazy("Kept in the statement of reasons; Other if none."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy(
            "Kept with the account and shown to the user whenever a write is "
            "refused, with the end date, and in the statement of reasons."
        ),
    )
    until = forms.DateTimeField(
        label=gettext_lazy("Until"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        help_text=gettext_lazy("Leave empty for a ban without end."),
    )


def ban_sentence(user: User) -> str:
    if user.banned_until:
        return _("Banned the user until %(until)s. Reason: %(reason)s") % {
            "until": timezone.localtime(user.banned_until).strftime("%Y-%m-%d %H:%M"),
            "reason": user.ban_reason,
        }
    return _("Banned the user without end. Reason: %(reason)s") % {
        "reason": user.ban_reason
    }


class EraseForm(forms.Form):
    KEEP = "keep"
    ERASE = "erase"

    replies = forms.ChoiceField(
        label=gettext_lazy("Their replies"),
        choices=[
            (KEEP, gettext_lazy("Keep their text, signed “deleted member”")),
            (ERASE, gettext_lazy("Erase their text; a notice stays in their place")),
        ],
        widget=forms.RadioSelect,
    )


class BanFilter(admin.SimpleListFilter):
    title = gettext_lazy("ban")
    parameter_name = "ban"

    def lookups(self, request, model_admin):
        return [
            ("active", _("Banned now")),
            ("ended", _("Ban ended")),
            ("never", _("Not banned")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        running = Q(banned_at__isnull=False) & (
            Q(banned_until__isnull=True) | Q(banned_until__gt=now)
        )
        value = self.value()
        if value == "active":
            return queryset.filter(running)
        if value == "ended":
            return queryset.filter(banned_at__isnull=False, banned_until__lte=now)
        if value == "never":
            return queryset.filter(banned_at__isnull=True)
        return queryset


BAN_FIELDS = ("ban_status", "ban_reason", "banned_at", "banned_until", "banned_by")
RECORD_FIELDS = ("recent_replies", "reports_received")


@admin.register(User)
class UserAdmin(ModerationAdmin, DjangoUserAdmin):
    list_display = (
        "username_shown",
        "display_name_shown",
        "email",
        "ban_status",
        "is_staff",
        "date_joined",
        "last_login",
    )
    list_filter = (BanFilter, "is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("username", "display_name", "email")
    ordering = ("-date_joined",)
    show_full_result_count = False
    readonly_fields = (
        *BAN_FIELDS,
        *RECORD_FIELDS,
        "last_login",
        "date_joined",
        "email_verified_at",
        "terms_accepted_at",
    )
    actions = ("ban_users", "unban_users", "erase_accounts")
    object_actions = ("ban_users", "unban_users")
    object_action_labels = {
        "ban_users": gettext_lazy("Ban…"),
        "unban_users": gettext_lazy("Lift the ban"),
    }

    # Names isolated, so that a right-to-left override stays inside its cell.
    @admin.display(description=gettext_lazy("username"), ordering="username")
    def username_shown(self, obj):
        return format_html("<bdi>{}</bdi>", obj.username)

    @admin.display(description=gettext_lazy("display name"), ordering="display_name")
    def display_name_shown(self, obj):
        return format_html("<bdi>{}</bdi>", obj.display_name)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        profile = (None, {"fields": ("username", "display_name", "email", "bio")})
        ban = (gettext_lazy("Ban"), {"fields": BAN_FIELDS})
        record = (gettext_lazy("Replies and reports"), {"fields": RECORD_FIELDS})
        if request.user.is_superuser:
            return [
                (None, {"fields": ("username", "password")}),
                (
                    gettext_lazy("Profile"),
                    {
                        "fields": (
                            "display_name",
                            "email",
                            "first_name",
                            "last_name",
                            "bio",
                            "email_on_reply",
                            "email_on_followed",
                            "email_digest",
                            "language",
                        )
                    },
                ),
                ban,
                record,
                (
                    gettext_lazy("Permissions"),
                    {
                        "fields": (
                            "is_active",
                            "is_staff",
                            "is_superuser",
                            "groups",
                            "user_permissions",
                        )
                    },
                ),
                (
                    gettext_lazy("Dates"),
                    {
                        "fields": (
                            "last_login",
                            "date_joined",
                            "email_verified_at",
                            "terms_accepted_at",
                        )
                    },
                ),
            ]
        status = (
            gettext_lazy("Account"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "last_login",
                    "date_joined",
                    "email_verified_at",
                    "terms_accepted_at",
                )
            },
        )
        return [profile, ban, record, status]

    def object_action_applies(self, obj, name):
        if name == "ban_users":
            return not obj.is_banned and not obj.is_superuser
        if name == "unban_users":
            return obj.banned_at is not None
        return True

    @admin.display(description=gettext_lazy("ban"))
    def ban_status(self, obj):
        if not obj.is_banned:
            return _("ended") if obj.banned_at else "—"
        if obj.banned_until:
            return _("banned until %(date)s") % {
                "date": timezone.localtime(obj.banned_until).strftime("%Y-%m-%d %H:%M")
            }
        return _("banned")

    @admin.display(description=gettext_lazy("latest replies"))
    def recent_replies(self, obj):
        if obj.pk is None:
            return "—"
        replies = list(
            Reply.objects.filter(author=obj)
            .select_related("thread")
            .order_by("-pk")[:USER_PAGE_ITEMS]
        )
        if not replies:
            return _("No reply yet.")
        rows = format_html_join(
            "",
            '<li><a href="{}">#{} {}</a> — {} <em>({})</em></li>',
            (
                (
                    admin_url(reply),
                    reply.pk,
                    excerpt(reply.body, 100),
                    reply_state(reply),
                    excerpt(reply.thread.title, 60),
                )
                for reply in replies
            ),
        )
        return format_html(
            '<ul class="user-record">{}</ul><a href="{}">{}</a>',
            rows,
            changelist_url(Reply, author=obj.pk),
            _("Every reply by this user"),
        )

    @admin.display(description=gettext_lazy("reports received"))
    def reports_received(self, obj):
        if obj.pk is None:
            return "—"
        flags = list(
            Flag.objects.filter(reply__author=obj)
            .select_related("reply", "reporter")
            .order_by("-created_at")[:USER_PAGE_ITEMS]
        )
        if not flags:
            return _("No report received.")
        rows = format_html_join(
            "",
            '<li>{} — {} — <a href="{}">#{} {}</a> ({})</li>',
            (
                (
                    flag.get_reason_display(),
                    flag.get_status_display(),
                    admin_url(flag.reply),
                    flag.reply_id,
                    excerpt(flag.reply.body, 80),
                    flag.reporter,
                )
                for flag in flags
            ),
        )
        return format_html(
            '<ul class="user-record">{}</ul><a href="{}">{}</a>',
            rows,
            changelist_url(Flag, reported_user=obj.pk),
            _("Every report on this user's replies"),
        )

    # Actions --------------------------------------------------------------

    @admin.action(
        description=gettext_lazy("Ban the selected users…"), permissions=["moderate"]
    )
    def ban_users(self, request, queryset):
        users = list(queryset.order_by("username"))
        form = BanForm(request.POST if "post" in request.POST else None)
        response = self.confirm(
            request,
            queryset,
            form=form,
            title=ngettext("Ban a user", "Ban %(count)s users", len(users))
            % {"count": len(users)},
            intro=ngettext(
                "This user will still read the forum but will not be able to "
                "write: no replies, votes, reports or edits.",
                "These %(count)s users will still read the forum but will not be "
                "able to write: no replies, votes, reports or edits.",
                len(users),
            )
            % {"count": len(users)},
            items=[
                format_html("<strong>{}</strong> {}", user.username, user.email)
                for user in users
            ],
            submit=_("Ban"),
        )
        if response is not None:
            return response
        apply_each(
            self,
            request,
            users,
            lambda user: ban_user(
                user=user,
                by=request.user,
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
                reason_code=form.cleaned_data["reason_code"] or "other",
            ),
            sentence=lambda user, _result: ban_sentence(user),
            done=ngettext_lazy(
                "%(count)s user banned.", "%(count)s users banned.", "count"
            ),
            nothing=_("No user was banned."),
        )
        return None

    @admin.action(
        description=gettext_lazy("Erase the selected accounts…"),
        permissions=["delete"],
    )
    def erase_accounts(self, request, queryset):
        users = list(queryset.order_by("username"))
        form = EraseForm(request.POST if "post" in request.POST else None)
        response = self.confirm(
            request,
            queryset,
            form=form,
            title=ngettext("Erase an account", "Erase %(count)s accounts", len(users))
            % {"count": len(users)},
            intro=_(
                "Each account is deleted with its e-mail addresses, votes "
                "(scores are recounted), reports, notifications, follows, API "
                "tokens and sessions. Its replies stay in their threads, "
                "signed “deleted member”, with or without their text. This "
                "cannot be undone."
            ),
            items=[
                format_html("<strong>{}</strong> {}", user.username, user.email)
                for user in users
            ],
            submit=_("Erase"),
        )
        if response is not None:
            return response
        keep_text = form.cleaned_data["replies"] == EraseForm.KEEP
        erased = 0
        for user in users:
            if user.pk == request.user.pk:
                self.refuse(
                    request,
                    user,
                    ValidationError(_("Erase your own account from your profile.")),
                )
                continue
            try:
                erase_account(user=user, keep_text=keep_text)
            except ValidationError as error:
                self.refuse(request, user, error)
                continue
            erased += 1
        self.announce(
            request,
            erased,
            ngettext("%(count)s account erased.", "%(count)s accounts erased.", erased)
            % {"count": erased},
            _("No account was erased."),
        )
        return None

    # Django's own delete (the change page's button, the list's action) is an
    # erasure that keeps the replies' text: votes leave their scores
    # recounted, replies pass to "deleted member".
    def get_deleted_objects(self, objs, request):
        # Rows go through erase_account, not through each model's admin (the
        # report queue, for one, deletes nothing): deleting a user needs no
        # permission on them.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        erase_account(user=obj, keep_text=True)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            erase_account(user=user, keep_text=True)

    unban_users = moderation_action(
        description=gettext_lazy("Lift the ban on the selected users"),
        select=lambda users: users.filter(banned_at__isnull=False),
        call=lambda user, by: unban_user(user=user, by=by),
        sentence=gettext_lazy("Lifted the ban: the user can write again."),
        done=ngettext_lazy(
            "Ban lifted on %(count)s user.",
            "Ban lifted on %(count)s users.",
            "count",
        ),
        nothing=gettext_lazy("No ban to lift: none of these users was banned."),
    )


class ReservedNameForm(forms.ModelForm):
    class Meta:
        model = ReservedName
        fields = ("name", "note")

    def clean_name(self):
        name = normalize_username(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("Give a name."))
        return name


@admin.register(ReservedName)
class ReservedNameAdmin(admin.ModelAdmin):
    """Names no one may take as a username, nor any name that looks like them."""

    form = ReservedNameForm
    list_display = ("name", "note", "created_at")
    search_fields = ("name", "note")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens, to see who holds which and revoke one.

    Only a hash of each secret is stored, so none can be read here; a token
    is made through the API, where its owner sees the secret once.
    """

    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "prefix"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    """The privacy notice and the terms, one page per language, in Markdown;
    sign-up and every page's footer link them."""

    list_display = ("title", "kind", "language", "updated_at")
    list_filter = ("kind", "language")
    readonly_fields = ("updated_at",)
    fields = ("kind", "language", "title", "body", "updated_at")
