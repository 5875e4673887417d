"""Writes to accounts: bans, moderators and API tokens."""

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import (
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, User
from forum.models import ModerationDecision
from forum.permissions import is_moderator
from forum.services import record_decision


@transaction.atomic
def ban_user(
    *,
    user: User,
    by: User,
    reason: str,
    until: datetime | None = None,
    reason_code: str = "other",
) -> User:
    """Stop a user from writing (they still read), until a date or for good,
    keeping the statement of reasons (a reason code and the explanation)."""
    if not is_moderator(by):
        raise PermissionDenied(_("Only moderators can ban users."))
    if user.pk == by.pk:
        raise ValidationError(_("You cannot ban yourself."), code="self_ban")
    if user.is_superuser:
        raise ValidationError(_("An administrator cannot be banned."), code="admin")
    if not reason.strip():
        raise ValidationError({"ban_reason": _("Give a reason for the ban.")})
    if until is not None and until <= timezone.now():
        raise ValidationError({"banned_until": _("The end of a ban must be later.")})
    user.banned_at = timezone.now()
    user.banned_until = until
    user.ban_reason = reason.strip()
    user.banned_by = by
    user.save(update_fields=["banned_at", "banned_until", "ban_reason", "banned_by"])
    record_decision(
        action=ModerationDecision.Action.BAN,
        reason=reason_code,
        explanation=user.ban_reason,
        user=user,
        by=by,
    )
    return user


@transaction.atomic
def unban_user(*, user: User, by: User) -> User:
    """Let a banned user write again."""
    if not is_moderator(by):
        raise PermissionDenied(_("Only moderators can lift a ban."))
    user.banned_at = None
    user.banned_until = None
    user.ban_reason = ""
    user.banned_by = None
    user.save(update_fields=["banned_at", "banned_until", "ban_reason", "banned_by"])
    return user


# Moderators ---------------------------------------------------------------

MODERATORS_GROUP = "Moderators"

# What moderation needs and nothing more: read replies, reports, revisions,
# articles and users; change threads (lock, pin, hide, order, postings),
# postings and companies (edit, merge); keep the word lists; read the admin
# log. Writing replies or users happens only through the moderation services.
MODERATOR_PERMISSIONS = (
    ("forum", "moderate_reply"),
    ("forum", "view_reply"),
    ("forum", "view_revision"),
    ("forum", "view_flag"),
    ("forum", "view_thread"),
    ("forum", "change_thread"),
    ("forum", "view_wordrule"),
    ("forum", "add_wordrule"),
    ("forum", "change_wordrule"),
    ("forum", "delete_wordrule"),
    ("articles", "view_article"),
    ("articles", "view_citation"),
    ("articles", "view_posting"),
    ("articles", "change_posting"),
    ("articles", "view_company"),
    ("articles", "change_company"),
    ("accounts", "view_user"),
    ("admin", "view_logentry"),
)


def moderators_group(*, apps=None, reset: bool = False):
    """The "Moderators" group, created with MODERATOR_PERMISSIONS if missing.

    `apps` lets a data migration pass its historical models; `reset` gives an
    existing group exactly the moderation permissions again.
    """
    from django.apps import apps as global_apps

    apps = apps or global_apps
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, created = group_model.objects.get_or_create(name=MODERATORS_GROUP)
    if created or reset:
        wanted = Q()
        for app_label, codename in MODERATOR_PERMISSIONS:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        permissions = list(permission_model.objects.filter(wanted))
        if len(permissions) != len(MODERATOR_PERMISSIONS):
            raise ImproperlyConfigured(
                "Some moderation permissions do not exist yet: run migrate."
            )
        group.permissions.set(permissions)
    return group


@transaction.atomic
def make_moderator(*, user: User, moderator: bool = True) -> User:
    """Give a user the admin and the moderators' group (or take the group away)."""
    group = moderators_group()
    if not moderator:
        user.groups.remove(group)
        return user
    if not user.is_active:
        raise ValidationError(
            _("An inactive account cannot moderate."), code="inactive"
        )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(group)
    # Permissions are cached on the user object: read them again.
    for cache_name in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache_name, None)
    return user


@transaction.atomic
def stop_emails(*, user: User, fields: list[str]) -> User:
    """Turn off some of a reader's e-mail settings (an unsubscribe link)."""
    for field in fields:
        setattr(user, field, False)
    User.objects.filter(pk=user.pk).update(**dict.fromkeys(fields, False))
    return user


# API tokens -------------------------------------------------------------------

# Prefix of every secret, so a leaked one is recognisable (secret scanners).
API_TOKEN_PREFIX = "fia_"


def api_token_digest(secret: str) -> str:
    """The stored form of a secret: its SHA-256, in hex.

    A secret is 256 random bits, so a fast hash is enough (there is nothing
    to guess); a password hasher would cost every request its work factor.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, user: User, name: str) -> ApiToken:
    """Make a named token; its secret is on the returned object only."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")}, code="blank")
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=secret[: len(API_TOKEN_PREFIX) + 4],
        digest=api_token_digest(secret),
    )
    token.full_clean()
    token.save()
    token.secret = secret
    return token


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: User) -> None:
    """Revoke a token: it stops working at once."""
    if token.user_id != by.pk:
        raise PermissionDenied(_("This token is not yours."))
    ApiToken.objects.filter(pk=token.pk).delete()


def touch_api_token(token: ApiToken, now: datetime | None = None) -> None:
    """Record a use, at most once every API_TOKEN_TOUCH_SECONDS."""
    now = now or timezone.now()
    if (now - token.last_used_at).total_seconds() < settings.API_TOKEN_TOUCH_SECONDS:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
