"""A reader's data in one JSON document (GDPR Art. 15 and 20).

Each section is a function taking the user and returning what JSON can
carry; EXPORT_SECTIONS names them in the order of the document. A new kind of
row a reader owns gets one function and one line here.
"""

from django.utils import timezone
from django.utils.module_loading import import_string

EXPORT_FORMAT = "forum-account-export/1"

EXPORT_SECTIONS = {
    "profile": "accounts.export.profile",
    "email_addresses": "accounts.export.email_addresses",
    "api_tokens": "accounts.export.api_tokens",
    "threads": "forum.selectors.exported_threads",
    "replies": "forum.selectors.exported_replies",
    "votes": "forum.selectors.exported_votes",
    "reports": "forum.selectors.exported_reports",
    "illegal_content_notices": "forum.selectors.exported_notices",
    "moderation_decisions": "forum.selectors.exported_decisions",
    "appeals": "forum.selectors.exported_appeals",
    "notifications": "forum.selectors.exported_notifications",
    "follows": "forum.selectors.exported_follows",
}


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def profile(user) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "bio": user.bio,
        "email": user.email,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "language": user.language,
        "last_language": user.last_language,
        "email_on_reply": user.email_on_reply,
        "email_on_followed": user.email_on_followed,
        "email_digest": user.email_digest,
        "banned_at": _when(user.banned_at),
        "banned_until": _when(user.banned_until),
        "ban_reason": user.ban_reason,
    }


def email_addresses(user) -> list[dict]:
    from allauth.account.models import EmailAddress

    return [
        {"email": email, "verified": verified, "primary": primary}
        for email, verified, primary in EmailAddress.objects.filter(user=user)
        .order_by("pk")
        .values_list("email", "verified", "primary")
    ]


def api_tokens(user) -> list[dict]:
    """Names and dates only: a token's secret is never stored, its digest is
    never shown."""
    return [
        {
            "name": name,
            "created_at": _when(created_at),
            "last_used_at": _when(last_used_at),
        }
        for name, created_at, last_used_at in user.api_tokens.order_by(
            "created_at", "pk"
        ).values_list("name", "created_at", "last_used_at")
    ]


def export_account(user) -> dict:
    """Everything the site holds about a reader, section by section."""
    document = {"format": EXPORT_FORMAT, "exported_at": _when(timezone.now())}
    for name, path in EXPORT_SECTIONS.items():
        document[name] = import_string(path)(user)
    return document
