"""Request body parsing with the site's size limit and text rules."""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser

from forum.api.exceptions import PayloadTooLarge


def _has_surrogate(value) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= char <= "\udfff" for char in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(item) for item in value)
    return False


def read_limited(stream) -> bytes:
    """Read a body of at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes, or answer 413.

    DRF reads the body stream itself, past Django's own check, so the limit
    is applied here too, whatever the Content-Length claims.
    """
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    data = stream.read(limit + 1) if limit is not None else stream.read()
    if limit is not None and len(data) > limit:
        raise PayloadTooLarge()
    return data


class LimitedJSONParser(JSONParser):
    """JSON bodies within the size limit, as valid Unicode text."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = io.BytesIO(read_limited(stream))
        try:
            data = super().parse(body, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("JSON parse error - too deeply nested.")) from error
        if _has_surrogate(data):
            raise ParseError(_("JSON parse error - invalid Unicode text."))
        return data


class LimitedFormParser(FormParser):
    """Form-encoded bodies within the size limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(
            io.BytesIO(read_limited(stream)), media_type, parser_context
        )
