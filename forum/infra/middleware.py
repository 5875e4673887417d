from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from forum.infra.errors import database_reachable, error_response


def readiness() -> dict[str, str]:
    """What this server depends on, each "ok" or "unreachable".

    The database always, and its read replica when one is configured; Redis
    when REDIS_URL configures it (a cache backend that can be asked with
    ping()).
    """
    checks = {
        "database" if alias == "default" else alias: (
            "ok" if database_reachable(alias) else "unreachable"
        )
        for alias in settings.DATABASES
    }
    ping = getattr(cache, "ping", None)
    if ping is not None:
        checks["cache"] = "ok" if ping() else "unreachable"
    return checks


class HealthCheckMiddleware:
    """Answer the probes before sessions, users or the database are touched.

    /healthz is the liveness probe: the process answers, nothing else is
    asked. /readyz is the readiness probe for load balancers: 200 when the
    database and a configured Redis answer, 503 otherwise
    (docs/deployment.md).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return HttpResponse("ok", content_type="text/plain")
        if request.path == "/readyz":
            checks = readiness()
            ready = all(state == "ok" for state in checks.values())
            response = JsonResponse(
                {"status": "ok" if ready else "unavailable", "checks": checks},
                status=200 if ready else 503,
            )
            response["Cache-Control"] = "no-store"
            if not ready:
                response["Retry-After"] = str(settings.FORUM_RETRY_AFTER_SECONDS)
            return response
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


def _query_bytes(request) -> bytes:
    # WSGI carries the query string as bytes decoded as latin-1.
    return request.META.get("QUERY_STRING", "").encode("latin-1", "replace")


class QueryStringMiddleware:
    """Refuse query strings Django would refuse later, or read damaged.

    Too long (over FORUM_MAX_QUERY_STRING bytes): 414. Not UTF-8 once decoded
    (Django would read U+FFFD and go on): 400. More parameters than
    DATA_UPLOAD_MAX_NUMBER_FIELDS (Django would raise TooManyFieldsSent the
    first time anything read request.GET): 400. Each in the site's page style,
    or JSON under /api/, before any view reads the parameters.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = _query_bytes(request)
        if not query:
            return self.get_response(request)
        limit = settings.FORUM_MAX_QUERY_STRING
        if len(query) > limit:
            return error_response(
                request,
                414,
                _("Address too long"),
                _(
                    "The address of this page is too long: at most %(limit)s "
                    "characters may follow the question mark."
                )
                % {"limit": limit},
            )
        if not _is_utf8_form(query):
            return error_response(
                request,
                400,
                _("Bad request"),
                _("The address could not be read: it is not valid UTF-8 text."),
            )
        fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        if fields is not None and query.count(b"&") + 1 > fields:
            return error_response(
                request,
                400,
                _("Bad request"),
                _("The address has too many parameters: at most %(limit)s are read.")
                % {"limit": fields},
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
