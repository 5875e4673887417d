import functools
import unicodedata

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control, format (bidi overrides, zero-width), private-use and surrogate
# characters: invisible, so they can disguise a name.
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cs"})


def reject_invisible_characters(value: str) -> None:
    """Refuse format characters (bidi overrides, zero-width) that disguise a name."""
    if any(unicodedata.category(char) in INVISIBLE_CATEGORIES for char in value):
        raise ValidationError(
            _("This value may not contain invisible or control characters."),
            code="invisible_characters",
        )


@functools.cache
def visible_characters() -> str:
    """A regular-expression class of the characters that are not invisible,
    for the API's schema: text made of them passes reject_invisible_characters.

    Built from this Python's Unicode tables, so the two agree on the first
    plane. Surrogates and the few invisible characters beyond the first
    plane (tags, supplementary private use) are left out: OpenAPI validators
    and fuzzers read patterns with engines that cannot all write them, so
    the server alone refuses those.
    """
    ranges = []
    start = None
    for point in range(0x10000 + 1):
        inside = (
            point <= 0xFFFF
            and not 0xD800 <= point <= 0xDFFF
            and unicodedata.category(chr(point)) in INVISIBLE_CATEGORIES
        )
        if inside and start is None:
            start = point
        elif not inside and start is not None:
            ranges.append((start, point - 1))
            start = None
    excluded = "".join(
        f"\\u{first:04x}" if first == last else f"\\u{first:04x}-\\u{last:04x}"
        for first, last in ranges
    )
    return f"[^{excluded}]"


username_validators = [UnicodeUsernameValidator(), reject_invisible_characters]
