"""Friendly error pages; JSON under /api/.

Error pages use no data from the request beyond its path's prefix: the
request that fails may be the reason (too many parameters, a query string
that does not decode), and reading it again would fail again.
"""

import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def error_response(request, status: int, title: str, message: str) -> HttpResponse:
    """An error answer: JSON under /api/, the site's error page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": message}, status=status)
    return render(
        request,
        "error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


def database_reachable(alias: str = "default") -> bool:
    """Whether the database answers a query now, on a connection of its own.

    A new connection, so the request's own (perhaps broken, perhaps inside a
    transaction) is left as it is.
    """
    connection = connections.create_connection(alias)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    finally:
        connection.close()
    return True


def is_database_outage(error: BaseException | None) -> bool:
    """Whether an error means the database cannot be reached (not a bug)."""
    return isinstance(error, OperationalError | InterfaceError) and not all(
        database_reachable(alias) for alias in settings.DATABASES
    )


def service_unavailable(request) -> HttpResponse:
    """The 503 answer, with Retry-After: JSON under /api/, a page elsewhere.

    The page is rendered without the request's context: sessions, the user
    and their notifications all live in the database that cannot be reached.
    """
    if _is_api(request):
        response = JsonResponse(
            {
                "detail": _(
                    "The service is temporarily unavailable. Try again in a moment."
                )
            },
            status=503,
        )
    else:
        response = render(None, "503.html", status=503)
    response["Retry-After"] = str(settings.FORUM_RETRY_AFTER_SECONDS)
    return response


def bad_request(request, exception=None):
    return error_response(
        request, 400, _("Bad request"), _("The request could not be read.")
    )


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    return error_response(
        request,
        403,
        _("Not allowed"),
        message or _("You are not allowed to do this."),
    )


def not_found(request, exception=None):
    return error_response(
        request,
        404,
        _("Page not found"),
        _("This page does not exist, or is no longer available."),
    )


def server_error(request):
    # Django calls this handler while it handles the exception.
    if is_database_outage(sys.exc_info()[1]):
        return service_unavailable(request)
    if _is_api(request):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    # Rendered without the request context: the error may come from it.
    return render(None, "500.html", status=500)


def csrf_failure(request, reason=""):
    return error_response(
        request,
        403,
        _("Form expired"),
        _(
            "The form could not be checked (CSRF). Reload the page and try "
            "again; cookies must be enabled."
        ),
    )
