"""JSON bodies as valid Unicode text that the database can store.

The size limit is Django's own (DATA_UPLOAD_MAX_MEMORY_SIZE): DRF reads the
body through request.body, and forum.api.exceptions answers 413 past it.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _has_surrogate(value) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= char <= "\udfff" for char in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(item) for item in value)
    return False


class StrictJSONParser(JSONParser):
    """JSON without lone surrogates (which no database encodes) or deep nesting."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("JSON parse error - too deeply nested.")) from error
        if _has_surrogate(data):
            raise ParseError(_("JSON parse error - invalid Unicode text."))
        return data
