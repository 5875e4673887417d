"""Who may do what: plain predicates shared by services, templates and the API.

Each `can_*` answers a yes/no; each `check_*` raises the translated reason.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from articles.models import sees_drafts
from forum.models import Reply, Thread, is_moderator

__all__ = [
    "is_moderator",
    "sees_drafts",
    "can_see_reply",
    "can_write",
    "can_reply",
    "can_edit",
    "can_vote",
    "can_flag",
    "can_remove",
    "check_can_write",
    "check_can_reply",
    "check_can_edit",
    "check_can_vote",
    "check_can_flag",
    "check_can_remove",
    "check_is_moderator",
]


class BanRefusal(str):
    """The refusal of a banned user's write, carrying the ban's reason and
    end (None for a ban until lifted), so that pages and the API can show
    both."""

    reason: str = ""
    until = None


class Banned(PermissionDenied):
    """A write refused because its author is banned."""

    def __init__(self, refusal: BanRefusal):
        super().__init__(str(refusal))
        self.reason = refusal.reason
        self.until = refusal.until


def ban_refusal(user) -> BanRefusal:
    """What a banned user is told whenever a write is refused: why, until
    when, and that they may appeal."""
    if user.banned_until is None:
        text = _(
            "Your account is banned until a moderator lifts the ban: you can "
            "read but not write. Reason: %(reason)s. You may appeal the ban."
        ) % {"reason": user.ban_reason}
    else:
        text = _(
            "Your account is banned until %(until)s: you can read but not "
            "write. Reason: %(reason)s. You may appeal the ban."
        ) % {
            "until": formats.date_format(
                timezone.localtime(user.banned_until), "DATETIME_FORMAT"
            ),
            "reason": user.ban_reason,
        }
    refusal = BanRefusal(text)
    refusal.reason = user.ban_reason
    refusal.until = user.banned_until
    return refusal


def _write_refusal(user):
    if user is None or not user.is_authenticated:
        return _("You must be signed in.")
    if not user.is_active:
        return _("This account is inactive.")
    if getattr(user, "is_banned", False):
        return ban_refusal(user)
    return None


def _after_write_rules(rules):
    """Refuse first as any write does, then by the `rules` given."""

    @functools.wraps(rules)
    def refusal(user, target):
        return _write_refusal(user) or rules(user, target)

    return refusal


@_after_write_rules
def _reply_refusal(user, thread: Thread):
    if not (user.has_verified_email or user.is_staff):
        return _(
            "Confirm your e-mail address before replying: follow the link we "
            "sent you, or ask for a new one from your profile."
        )
    if thread.is_hidden and not is_moderator(user):
        return _("This thread is hidden.")
    if thread.is_locked:
        return _("This thread is locked: no new replies.")
    if thread.article_id and not thread.article.is_published and not sees_drafts(user):
        return _("This article is not published.")
    return None


@_after_write_rules
def _edit_refusal(user, reply: Reply):
    if reply.author_id != user.pk:
        return _("Only its author can edit a reply.")
    if reply.is_removed:
        return _("A removed reply cannot be edited.")
    if reply.thread.is_locked:
        return _("This thread is locked.")
    return None


@_after_write_rules
def _vote_refusal(user, reply: Reply):
    if reply.author_id == user.pk:
        return _("You cannot vote on your own reply.")
    if not reply.is_public:
        return _("You cannot vote on a removed or hidden reply.")
    if reply.thread.is_locked:
        return _("This thread is locked.")
    return None


@_after_write_rules
def _flag_refusal(user, reply: Reply):
    if reply.author_id == user.pk:
        return _("You cannot report your own reply.")
    if reply.is_removed:
        return _("This reply has already been removed.")
    return None


def _remove_refusal(user, reply: Reply, moderator: bool | None = None):
    if is_moderator(user) if moderator is None else moderator:
        return None
    return _own_removal_refusal(user, reply)


@_after_write_rules
def _own_removal_refusal(user, reply: Reply):
    if reply.author_id != user.pk:
        return _("Only its author or a moderator can remove a reply.")
    return None


def can_see_reply(user, reply: Reply) -> bool:
    """Whether a user may open a reply, as Reply.objects.visible_to selects:
    moderators every reply, others public ones and their own not removed."""
    if reply.is_public or is_moderator(user):
        return True
    signed_in = user is not None and user.is_authenticated
    return signed_in and reply.author_id == user.pk and not reply.is_removed


def can_write(user) -> bool:
    return _write_refusal(user) is None


def can_reply(user, thread: Thread) -> bool:
    return _reply_refusal(user, thread) is None


def can_edit(user, reply: Reply) -> bool:
    return _edit_refusal(user, reply) is None


def can_vote(user, reply: Reply) -> bool:
    return _vote_refusal(user, reply) is None


def can_flag(user, reply: Reply) -> bool:
    return _flag_refusal(user, reply) is None


def can_remove(user, reply: Reply, *, moderator: bool | None = None) -> bool:
    """`moderator`, when the caller knows it, saves asking is_moderator."""
    return _remove_refusal(user, reply, moderator) is None


def _raise_if(refusal) -> None:
    if isinstance(refusal, BanRefusal):
        raise Banned(refusal)
    if refusal:
        raise PermissionDenied(refusal)


def check_can_write(user) -> None:
    _raise_if(_write_refusal(user))


def check_can_reply(user, thread: Thread) -> None:
    _raise_if(_reply_refusal(user, thread))


def check_can_edit(user, reply: Reply) -> None:
    _raise_if(_edit_refusal(user, reply))


def check_can_vote(user, reply: Reply) -> None:
    _raise_if(_vote_refusal(user, reply))


def check_can_flag(user, reply: Reply) -> None:
    _raise_if(_flag_refusal(user, reply))


def check_can_remove(user, reply: Reply) -> None:
    _raise_if(_remove_refusal(user, reply))


def check_is_moderator(user, refusal) -> None:
    """Refuse whoever is not a moderator, giving the refusal as the reason."""
    _raise_if(None if is_moderator(user) else refusal)
