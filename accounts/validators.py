import unicodedata

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def reject_invisible_characters(value: str) -> None:
    """Refuse format characters (bidi overrides, zero-width) that disguise a name."""
    if any(unicodedata.category(char) in {"Cf", "Cc", "Co", "Cs"} for char in value):
        raise ValidationError(
            _("This value may not contain invisible or control characters."),
            code="invisible_characters",
        )


username_validators = [UnicodeUsernameValidator(), reject_invisible_characters]
