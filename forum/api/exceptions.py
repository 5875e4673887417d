"""One exception handler: every error under /api/ answers JSON.

Services raise Django's ValidationError, PermissionDenied and Http404, and
RateLimited (a ValidationError) when their author acts too often; each maps
to the status a client expects, with a message per field for a 400. Two
kinds of invalid request have a status of their own: credentials that do not
match (code "authorization") answer 401, and a second report of what one
already reported (code "duplicate") answers 409 Conflict.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from forum.permissions import Banned
from forum.ratelimit import RateLimited


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "payload_too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This conflicts with what is already recorded.")
    default_code = "conflict"


def _codes(detail) -> set[str]:
    """Every error code in a ValidationError's detail, however nested."""
    if isinstance(detail, dict):
        return set().union(*(_codes(value) for value in detail.values()))
    if isinstance(detail, list):
        return set().union(*(_codes(value) for value in detail))
    return {getattr(detail, "code", "")}


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        return _first_message(next(iter(detail.values())))
    if isinstance(detail, list):
        return _first_message(detail[0])
    return str(detail)


def _translate_invalid(exc: exceptions.ValidationError) -> Exception:
    codes = _codes(exc.detail)
    if codes == {"authorization"}:
        failed = exceptions.AuthenticationFailed(detail=_first_message(exc.detail))
        failed.auth_header = "Bearer"
        return failed
    if codes == {"duplicate"}:
        return Conflict(detail=_first_message(exc.detail))
    return exc


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
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    if isinstance(exc, exceptions.ValidationError):
        return _translate_invalid(exc)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(detail=str(exc) or None)
    return exc


def exception_handler(exc, context):
    """DRF's handler, after turning the services' exceptions into API ones.

    A write refused because its author is banned answers 403 with a `ban`
    object beside `detail`: the reason, the end (null for a ban until
    lifted) and where to appeal."""
    response = drf_exception_handler(_translate(exc), context)
    if isinstance(exc, Banned) and response is not None:
        response.data["ban"] = {
            "reason": exc.reason,
            "until": exc.until.isoformat() if exc.until else None,
            "appeal_url": reverse("forum:ban-appeal"),
        }
    return response
