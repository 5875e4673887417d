"""One exception handler: every error under /api/ answers JSON.

Services raise Django's ValidationError, PermissionDenied and Http404, and
RateLimited (a ValidationError) when their author acts too often; each maps
to the status a client expects, with a message per field for a 400.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from forum.ratelimit import RateLimited


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "payload_too_large"


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    # RateLimited first: it is a ValidationError too, but means "later".
    if isinstance(exc, RateLimited):
        throttled = exceptions.Throttled(detail=exc.messages[0])
        # Set after construction: the message already says when to retry.
        throttled.wait = exc.retry_after
        return throttled
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(detail=as_serializer_error(exc))
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(detail=str(exc) or None)
    return exc


def exception_handler(exc, context):
    """DRF's handler, after turning the services' exceptions into API ones."""
    return drf_exception_handler(_translate(exc), context)
