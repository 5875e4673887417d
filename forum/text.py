"""Whether user text shows anything: the one rule behind every "empty" error.

A reply body or a thread title made only of characters that draw nothing is
as empty as a blank one: spaces, format characters (category Cf:
zero-width space U+200B, byte-order mark U+FEFF, word joiner U+2060, bidi
controls), controls, combining marks with no letter to sit on, variation
selectors and the blank-looking fillers that Unicode lists as letters or
symbols. The text is judged, never rewritten: what a user wrote is stored as
written, zero-width joiners inside emoji included.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Categories that draw nothing by themselves: separators, controls, format
# characters, surrogates, and marks (which only decorate a preceding letter).
INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Mn", "Me"})

# Characters of other categories that render as blank space (Hangul fillers,
# the blank Braille pattern).
BLANK_CHARACTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")

EMPTY_MESSAGE = _("The message is empty.")
EMPTY_TITLE = _("The question is empty.")


def is_visible_character(char: str) -> bool:
    return (
        unicodedata.category(char) not in INVISIBLE_CATEGORIES
        and char not in BLANK_CHARACTERS
    )


def shows_nothing(value: str) -> bool:
    """True when the text has no character that draws anything."""
    return not any(is_visible_character(char) for char in value)


@deconstructible
class VisibleTextValidator:
    """Refuse text that shows nothing, with the message given for blank text."""

    def __init__(self, message=EMPTY_MESSAGE, code="empty"):
        self.message = message
        self.code = code

    def __call__(self, value):
        if isinstance(value, str) and shows_nothing(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return (
            isinstance(other, VisibleTextValidator)
            and self.message == other.message
            and self.code == other.code
        )


def require_visible(value: str, *, field: str, message=EMPTY_MESSAGE) -> None:
    """Raise the field's "empty" error when the text shows nothing."""
    if shows_nothing(value):
        raise ValidationError({field: message}, code="required")


class VisibleTextField:
    """Form-field mixin: text that shows nothing is missing text."""

    empty_message = EMPTY_MESSAGE

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {}).setdefault(
            "required", self.empty_message
        )
        super().__init__(*args, **kwargs)

    def validate(self, value):
        if isinstance(value, str) and shows_nothing(value):
            value = ""
        super().validate(value)


class VisibleCharField(VisibleTextField, forms.CharField):
    """A CharField whose text must show something."""


class VisibleTitleField(VisibleCharField):
    """A thread's question, which must show something."""

    empty_message = EMPTY_TITLE
