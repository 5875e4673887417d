"""Writes to accounts: bans, moderators and API tokens."""

import hashlib
import secrets
from datetime import datetime
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import (
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, LegalPage, User
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


# Erasure ------------------------------------------------------------------


def end_sessions(*, user: User) -> int:
    """End every session signed in as this user, in the database and cache."""
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    sessions = Session.objects.filter(expire_date__gt=timezone.now())
    for key, data in sessions.values_list("session_key", "session_data").iterator():
        if store().decode(data).get(SESSION_KEY) == str(user.pk):
            store(session_key=key).delete()
            ended += 1
    return ended


@transaction.atomic
def erase_account(*, user: User, keep_text: bool) -> None:
    """Delete an account and everything personal it left, keeping its replies
    in their threads, authored by "deleted member", with their text or not.

    The reader's confirmation (password) is asked by the page; staff erase
    from the admin.
    """
    if user.is_deleted_member:
        raise ValidationError(
            _("The deleted member account cannot be erased."), code="placeholder"
        )
    from forum.services import forget_author

    forget_author(user=user, keep_text=keep_text)
    end_sessions(user=user)
    # The admin log keeps what moderators did about the account, under its
    # number instead of its name.
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
    ).update(object_repr=f"#{user.pk}")
    # The rest goes with the row: e-mail addresses and their confirmations
    # (allauth), API tokens, group and permission links.
    user.delete()


# E-mail verification ------------------------------------------------------


def record_email_verified(*, email: str, user_id: int) -> None:
    """Mark an account verified if `email` (just confirmed) is its address,
    unverified if `email` is empty."""
    users = User.objects.filter(pk=user_id)
    if not email:
        users.update(email_verified_at=None)
        return
    users.filter(email__iexact=email).update(email_verified_at=timezone.now())


def send_verification(*, request, user: User) -> bool:
    """Send (again) the link that confirms a reader's address; False when
    there is no address or allauth's rate limit holds the mail back."""
    from allauth.account.internal.flows.email_verification import (
        send_verification_email_to_address,
    )
    from allauth.account.models import EmailAddress

    if not user.email:
        return False
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        address = EmailAddress.objects.create(
            user=user,
            email=user.email,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
        )
    if address.verified:
        record_email_verified(email=address.email, user_id=user.pk)
        user.refresh_from_db(fields=["email_verified_at"])
        return False
    return send_verification_email_to_address(request, address)


@transaction.atomic
def save_profile(*, request, form) -> User:
    """Save the profile form; a new address must be confirmed again, and its
    confirmation link is sent."""
    changed = "email" in form.changed_data
    user = form.save()
    if changed:
        from allauth.account.models import EmailAddress

        user.email_verified_at = None
        User.objects.filter(pk=user.pk).update(email_verified_at=None)
        # allauth's rows follow the account's one address.
        EmailAddress.objects.filter(user=user).exclude(
            email__iexact=user.email
        ).delete()
        if user.email:
            send_verification(request=request, user=user)
    return user


# Privacy notice and terms ------------------------------------------------------

LEGAL_TEXTS = Path(__file__).resolve().parent / "legal"
LEGAL_TITLES = {
    ("privacy", "fr"): "Confidentialité",
    ("privacy", "en"): "Privacy",
    ("terms", "fr"): "Conditions d'utilisation",
    ("terms", "en"): "Terms of use",
}


def legal_page(*, kind: str, language: str) -> LegalPage:
    """The privacy notice or terms in a language (French when missing), made
    from the default text the first time if staff never saved one."""
    pages = {page.language: page for page in LegalPage.objects.filter(kind=kind)}
    page = pages.get(language) or pages.get(settings.LANGUAGE_CODE)
    if page is None:
        language = language if (kind, language) in LEGAL_TITLES else "fr"
        page, _created = LegalPage.objects.get_or_create(
            kind=kind,
            language=language,
            defaults={
                "title": LEGAL_TITLES[(kind, language)],
                "body": (LEGAL_TEXTS / f"{kind}.{language}.md").read_text(
                    encoding="utf-8"
                ),
            },
        )
    return page
