"""The schema check every API test's responses pass through can fail."""

from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory

from tests.contract import drift


def test_a_body_the_schema_does_not_describe_is_drift():
    request = RequestFactory().get("/api/v1/threads/12/")
    response = JsonResponse({"id": "douze"})

    found = drift(request, response)

    assert found is not None
    assert "GET /api/v1/threads/12/" in found


def test_a_status_the_operation_does_not_document_is_drift():
    request = RequestFactory().post("/api/v1/replies/3/vote/")
    response = JsonResponse({"detail": "Oups."}, status=418)

    assert drift(request, response) is not None


def test_a_content_type_the_schema_does_not_document_is_drift():
    request = RequestFactory().get("/api/v1/threads/", HTTP_ACCEPT="application/json")
    response = HttpResponse("id;title\n", content_type="text/csv")

    assert drift(request, response) is not None


def test_a_documented_error_and_paths_outside_the_schema_are_not_drift():
    error = drift(
        RequestFactory().get("/api/v1/threads/12/"),
        JsonResponse({"detail": "Introuvable."}, status=404),
    )
    unknown_path = drift(
        RequestFactory().get("/api/v1/nowhere/"), JsonResponse({}, status=404)
    )

    assert error is None
    assert unknown_path is None
