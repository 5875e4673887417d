import functools
import re
import sys
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
    """A regular-expression class of the characters that are not invisible:
    text made of them is what reject_invisible_characters accepts (for the
    API's schema).

    Built from this Python's Unicode tables, so the two always agree.
    Characters beyond the first plane are written `\\u{1f600}`, as ECMA
    262 (with its `u` flag) and the Rust engine of JSON Schema validators
    read them; Python's `re` reads `\\U0001f600` instead (python_pattern).
    """
    ranges = []
    start = None
    for point in range(sys.maxunicode + 2):
        # Surrogates are left out: no regular-expression engine outside
        # Python takes them, and JSON text decoded by a client has none.
        inside = (
            point <= sys.maxunicode
            and not 0xD800 <= point <= 0xDFFF
            and unicodedata.category(chr(point)) in INVISIBLE_CATEGORIES
        )
        if inside and start is None:
            start = point
        elif not inside and start is not None:
            ranges.append((start, point - 1))
            start = None

    def written(point: int) -> str:
        return f"\\u{point:04x}" if point <= 0xFFFF else f"\\u{{{point:x}}}"

    excluded = "".join(
        written(first) if first == last else f"{written(first)}-{written(last)}"
        for first, last in ranges
    )
    return f"[^{excluded}]"


def python_pattern(pattern: str) -> str:
    """An ECMA 262 pattern from visible_characters, as Python's re reads it."""
    return re.sub(
        r"\\u\{([0-9a-f]+)\}", lambda found: f"\\U{int(found[1], 16):08x}", pattern
    )


username_validators = [UnicodeUsernameValidator(), reject_invisible_characters]
