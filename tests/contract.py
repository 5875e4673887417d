"""Every API response a test receives must be one the published schema describes.

ResponseSchemaMiddleware (added to MIDDLEWARE for every test by the
`_api_responses_follow_the_schema` fixture in tests/conftest.py) checks each
response under /api/v1/ against /api/schema/, with the same checks the
schemathesis fuzzer runs: the status code is documented for the operation,
and so are the content type, the required headers and the body. A response
that drifts from the schema fails the test that received it; one the schema
cannot describe (an unknown path, a method the path does not have, the
browsable HTML page a browser asks for) is left alone.
"""

import json
import re
import threading
from functools import cache

import requests
import schemathesis
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.test import Client
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

API_PREFIX = "/api/v1/"
SCHEMA_URL = "/api/schema/?format=json"
CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


class SchemaDrift(AssertionError):
    """A response the published schema does not describe."""


@cache
def published_schema():
    """The schema as /api/schema/ serves it, read once per test run."""
    response = Client().get(SCHEMA_URL)
    if response.status_code != 200:
        raise RuntimeError(f"{SCHEMA_URL} answered {response.status_code}")
    return schemathesis.openapi.from_dict(json.loads(response.content))


def _as_checked_response(request, response) -> Response:
    sent = requests.Request(
        method=request.method, url=request.build_absolute_uri()
    ).prepare()
    return Response(
        status_code=response.status_code,
        headers={name.lower(): [value] for name, value in response.items()},
        content=response.content,
        request=sent,
        elapsed=0.0,
        message=response.reason_phrase,
        encoding=response.charset,
        http_version="1.1",
        verify=True,
    )


def _browsable_page(request, response) -> bool:
    """DRF's browsable page, which a browser asked for: not part of the API."""
    return "text/html" in request.headers.get("Accept", "") and response.get(
        "Content-Type", ""
    ).startswith("text/html")


def _path_parameters(template: str, path: str) -> dict[str, str]:
    """{"id": "12"} for "/threads/{id}/" and "/threads/12/"."""
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    found = re.fullmatch(pattern, path)
    return found.groupdict() if found else {}


def drift(request, response) -> str | None:
    """How `response` departs from the schema, or None when it follows it."""
    if not request.path.startswith(API_PREFIX) or response.streaming:
        return None
    if _browsable_page(request, response):
        return None
    schema = published_schema()
    operation = schema.find_operation_by_path(request.method, request.path)
    if operation is None:
        return None
    if len(request.META.get("QUERY_STRING", "")) > settings.FORUM_MAX_QUERY_STRING:
        # Refused for its length before any API view ran.
        return None
    try:
        query = dict(request.GET.items())
    except (TooManyFieldsSent, RequestDataTooBig):
        # Refused before any API view ran (forum/infra/middleware.py): no
        # operation of the schema answered it.
        return None
    case = operation.Case(
        method=request.method,
        path_parameters=_path_parameters(operation.path, request.path),
        query=query,
    )
    try:
        case.validate_response(_as_checked_response(request, response), checks=CHECKS)
    except FailureGroup as failures:
        return f"{request.method} {request.get_full_path()}: {failures}"
    except AssertionError as failure:
        return f"{request.method} {request.get_full_path()}: {failure}"
    return None


class DriftLog:
    """What the live server found, for the test that drove it to read."""

    def __init__(self):
        self._lock = threading.Lock()
        self.found: list[str] = []

    def add(self, message: str) -> None:
        with self._lock:
            self.found.append(message)

    def take(self) -> list[str]:
        with self._lock:
            found, self.found = self.found, []
        return found


drift_log = DriftLog()


class ResponseSchemaMiddleware:
    """Report an API response the schema does not describe.

    Under Django's test client SchemaDrift reaches the test at the request;
    under the live server the drift is logged for the fixture to report
    when the test ends.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        message = drift(request, response)
        if message is None:
            return response
        # Django's test client re-raises the error in the test. A live
        # server's client gets the response as it was, and the fixture fails
        # the test with the log when it ends.
        if request.META.get("SERVER_NAME") == "testserver":
            raise SchemaDrift(message)
        drift_log.add(message)
        return response
