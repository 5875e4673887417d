"""Writes to accounts: bans."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from forum.permissions import is_moderator


@transaction.atomic
def ban_user(
    *, user: User, by: User, reason: str, until: datetime | None = None
) -> User:
    """Stop a user from writing (they still read), until a date or for good."""
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
