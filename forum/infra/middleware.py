from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.utils.translation import gettext as _

from forum.infra.errors import error_response


class HealthCheckMiddleware:
    """Answer /healthz before sessions, users or the database are touched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return HttpResponse("ok", content_type="text/plain")
        return self.get_response(request)


def _declared_length(request) -> int:
    # Django reads an unparsable Content-Length as 0 and then reads nothing.
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def body_too_large_response(request) -> HttpResponse:
    """The 413 answer: JSON under /api/, the site's error page elsewhere."""
    limit_kb = max(1, settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024)
    message = _(
        "The request is too large: at most %(limit)s KB can be sent at once."
    ) % {"limit": limit_kb}
    return error_response(request, 413, _("Request too large"), message)


class MaxBodySizeMiddleware:
    """Refuse request bodies over DATA_UPLOAD_MAX_MEMORY_SIZE with a clear 413.

    The declared Content-Length is checked before anything reads the body
    (the CSRF check reads POST data in process_view, which runs after every
    middleware's __call__), so an oversized body is never read. A body that
    Django itself finds too big while a view reads it (RequestDataTooBig,
    otherwise a bare 400) gets the same answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _declared_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return body_too_large_response(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return body_too_large_response(request)
        return None


def _is_utf8_form(body: bytes) -> bool:
    try:
        for pair in body.split(b"&"):
            unquote_to_bytes(pair.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class FormEncodingMiddleware:
    """Refuse a form whose fields are not UTF-8 instead of mangling them.

    Django reads undecodable bytes in a form as U+FFFD and goes on; a reply
    would then be stored with its text silently damaged. Forms sent by
    browsers (application/x-www-form-urlencoded) are checked byte for byte
    and refused with a 400; the API's JSON parser already refuses bad UTF-8.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in {"POST", "PUT", "PATCH"}
            and request.content_type == "application/x-www-form-urlencoded"
            and not _is_utf8_form(request.body)
        ):
            return error_response(
                request,
                400,
                _("Bad request"),
                _("The form could not be read: it is not valid UTF-8 text."),
            )
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Send a Content-Security-Policy: scripts only from this site's static files.

    CONTENT_SECURITY_POLICY sets the policy (empty: no header);
    CONTENT_SECURITY_POLICY_PATHS gives another one to the paths starting
    with a prefix. A view that sets the header itself is left as it is.
    """

    DEFAULT_POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def policy_for(self, path: str) -> str:
        overrides = getattr(settings, "CONTENT_SECURITY_POLICY_PATHS", {})
        for prefix, policy in overrides.items():
            if path.startswith(prefix):
                return policy
        return getattr(settings, "CONTENT_SECURITY_POLICY", self.DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        policy = self.policy_for(request.path)
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        permissions = getattr(settings, "PERMISSIONS_POLICY", "")
        if permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions
        return response
