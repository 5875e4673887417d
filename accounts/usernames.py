"""Usernames people can trust: normalised, and never a look-alike.

A username is stored in NFKC (Django's normalize_username), so a full-width
"ｃamille" is "camille". Two names are the same name when their confusable
skeletons match: the Unicode TR39 skeleton of the NFKC, case-folded name, in
which each character is replaced by the prototype it can be mistaken for
("а" Cyrillic → "a", "1" → "l", "rn" for "m"). A new or renamed username is
refused when its skeleton is that of another account or of a reserved name:
the fixed list in settings.ACCOUNTS_RESERVED_USERNAMES (which names the site)
and the names staff add in the admin (accounts.ReservedName).

The confusable pairs come from Unicode's confusables.txt as shipped by the
confusable-homoglyphs package, which stores each pair in both directions: a
source character has one entry, its prototype. A pair whose two sides each
have only the other is read with the lower code point as the prototype; any
consistent choice gives the same classes of look-alikes.
"""

import unicodedata
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Marks that the data file keeps around right-to-left characters.
_DIRECTION_MARKS = str.maketrans("", "", "\u200e\u200f")


@lru_cache(maxsize=1)
def _prototypes() -> dict[str, str]:
    """Each confusable character and the prototype it maps to."""
    from confusable_homoglyphs.confusables import confusables_data

    def clean(text: str) -> str:
        return text.translate(_DIRECTION_MARKS)

    table = {}
    for key, entries in confusables_data.items():
        char = clean(key)
        if len(char) != 1 or len(entries) != 1:
            continue
        target = clean(entries[0]["c"])
        if not target or target == char:
            continue
        back = [clean(entry["c"]) for entry in confusables_data.get(target, [])]
        # When each side has only the other, the lower code point is the
        # prototype.
        if len(target) == 1 and back == [char] and char < target:
            continue
        table[char] = target
    return table


def _map(text: str) -> str:
    table = _prototypes()
    return "".join(table.get(char, char) for char in text)


def normalize_username(username: str) -> str:
    """The username as stored: NFKC, surrounding spaces removed."""
    return unicodedata.normalize("NFKC", username).strip()


def skeleton(username: str) -> str:
    """The TR39 skeleton of the NFKC, case-folded name: equal for look-alikes."""
    text = unicodedata.normalize("NFKC", username).casefold()
    text = _map(unicodedata.normalize("NFD", text)).casefold()
    text = _map(unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", text)


def reserved_names() -> list[str]:
    """The names no one may take, or look like: fixed ones and staff's."""
    from accounts.models import ReservedName

    fixed = list(settings.ACCOUNTS_RESERVED_USERNAMES)
    return fixed + list(ReservedName.objects.values_list("name", flat=True))


def check_username(username: str, *, exclude_pk=None) -> None:
    """Refuse a username that is, or looks like, a reserved or existing one."""
    from accounts.models import User

    shape = skeleton(username)
    if any(skeleton(name) == shape for name in reserved_names()):
        raise ValidationError(
            _("This username is reserved. Please choose another one."),
            code="reserved",
        )
    others = User.objects.filter(username_skeleton=shape)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError(
            _(
                "This username is taken or too close to an existing one. "
                "Please choose another one."
            ),
            code="look_alike",
        )
