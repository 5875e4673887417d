"""Friendly error pages; JSON under /api/."""

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
