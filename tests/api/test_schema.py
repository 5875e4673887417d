"""The OpenAPI schema: valid, complete, and served with its docs."""

import re

import pytest
import yaml
from django.core.management import call_command
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("get", "/api/v1/articles/"),
    ("get", "/api/v1/articles/{slug}/"),
    ("get", "/api/v1/threads/"),
    ("get", "/api/v1/threads/{id}/"),
    ("get", "/api/v1/threads/{id}/replies/"),
    ("post", "/api/v1/threads/{id}/replies/"),
    ("get", "/api/v1/threads/{id}/export/"),
    ("get", "/api/v1/replies/{id}/"),
    ("patch", "/api/v1/replies/{id}/"),
    ("post", "/api/v1/replies/{id}/vote/"),
    ("post", "/api/v1/replies/{id}/flags/"),
    ("get", "/api/v1/postings/"),
    ("get", "/api/v1/postings/{id}/"),
    ("get", "/api/v1/companies/"),
    ("delete", "/api/v1/replies/{id}/"),
    ("post", "/api/v1/threads/{id}/follow/"),
    ("delete", "/api/v1/threads/{id}/follow/"),
    ("get", "/api/v1/notifications/"),
    ("post", "/api/v1/notifications/{id}/read/"),
    ("post", "/api/v1/notifications/read-all/"),
    ("post", "/api/v1/auth/token/"),
    ("delete", "/api/v1/auth/token/"),
    ("get", "/api/v1/auth/tokens/"),
    ("post", "/api/v1/auth/tokens/"),
    ("delete", "/api/v1/auth/tokens/{id}/"),
    ("get", "/api/v1/me/"),
    ("patch", "/api/v1/me/"),
    ("get", "/api/v1/me/replies/"),
}


@pytest.fixture
def openapi(api_client):
    response = api_client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    return response.json()


def test_schema_passes_drf_spectacular_validation_without_warnings(tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
    )

    assert yaml.safe_load((tmp_path / "schema.yaml").read_text())["openapi"].startswith(
        "3."
    )


def test_schema_is_a_valid_openapi_document(openapi):
    validate(openapi)

    assert openapi["info"]["version"] == "1.0.0"


def test_schema_describes_every_endpoint(openapi):
    described = {
        (method, path)
        for path, operations in openapi["paths"].items()
        for method in operations
        if method in {"get", "post", "patch", "put", "delete"}
    }

    # Other parts of the site may add endpoints (search); these are this API's.
    assert described >= OPERATIONS


# Reads about the signed-in user: they need credentials.
OWN_READS = {
    "/api/v1/me/",
    "/api/v1/me/replies/",
    "/api/v1/me/export/",
    "/api/v1/notifications/",
    "/api/v1/auth/tokens/",
}


def test_every_write_documents_its_body_and_error_statuses(openapi):
    writes = [
        (path, method, operation)
        for path, operations in openapi["paths"].items()
        for method, operation in operations.items()
        if method in {"post", "patch", "delete"}
    ]

    for path, method, operation in writes:
        statuses = set(operation["responses"])
        assert "429" in statuses, (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= statuses, (method, path)
        if "{" in path:
            assert "404" in statuses, (method, path)
        if (method, path) == ("post", "/api/v1/auth/token/"):
            assert "security" not in operation, "a token needs no credentials"
            continue
        assert "401" in statuses, (method, path)
        assert operation["security"] == [{"bearerAuth": []}, {"cookieAuth": []}]
    bodies = {(method, path) for path, method, op in writes if "requestBody" in op}
    assert bodies == {
        ("post", "/api/v1/auth/token/"),
        ("post", "/api/v1/auth/tokens/"),
        ("patch", "/api/v1/me/"),
        ("patch", "/api/v1/replies/{id}/"),
        ("post", "/api/v1/replies/{id}/flags/"),
        ("post", "/api/v1/replies/{id}/vote/"),
        ("post", "/api/v1/threads/{id}/replies/"),
    }


def test_writes_on_forum_content_document_403(openapi):
    for path, method in (
        ("/api/v1/threads/{id}/replies/", "post"),
        ("/api/v1/threads/{id}/follow/", "post"),
        ("/api/v1/replies/{id}/", "patch"),
        ("/api/v1/replies/{id}/", "delete"),
        ("/api/v1/replies/{id}/vote/", "post"),
        ("/api/v1/replies/{id}/flags/", "post"),
    ):
        assert "403" in openapi["paths"][path][method]["responses"], (method, path)


def test_a_second_report_is_documented_as_a_conflict(openapi):
    responses = openapi["paths"]["/api/v1/replies/{id}/flags/"]["post"]["responses"]

    assert "409" in responses


def test_a_reply_body_may_not_be_empty_in_the_schema(openapi):
    schemas = openapi["components"]["schemas"]

    for name in ("ReplyCreateRequest", "PatchedReplyEditRequest"):
        body = schemas[name]["properties"]["body"]
        assert body["minLength"] == 1, name
        assert re.search(body["pattern"], "   ") is None, name
        assert re.search(body["pattern"], " Oui. ") is not None, name


def test_every_read_documents_its_errors_and_asks_no_credentials(openapi):
    reads = [
        (path, operation)
        for path, operations in openapi["paths"].items()
        for method, operation in operations.items()
        if method == "get"
    ]

    for path, operation in reads:
        statuses = set(operation["responses"])
        assert {"200", "401", "429"} <= statuses, path
        if "{" in path:
            assert "404" in statuses, path
        if path in OWN_READS:
            assert operation["security"] == [{"bearerAuth": []}, {"cookieAuth": []}]
        else:
            assert "security" not in operation, path
        assert operation["responses"]["429"]["headers"]["Retry-After"]["required"]


def test_conditional_reads_document_304_and_their_headers(openapi):
    for path in (
        "/api/v1/threads/{id}/",
        "/api/v1/threads/{id}/replies/",
        "/api/v1/threads/{id}/export/",
    ):
        operation = openapi["paths"][path]["get"]
        assert "304" in operation["responses"], path
        assert set(operation["responses"]["200"]["headers"]) == {
            "ETag",
            "Last-Modified",
        }
        assert any(p["name"] == "If-None-Match" for p in operation["parameters"])


def test_bearer_scheme_is_declared_for_generic_clients(openapi):
    assert openapi["components"]["securitySchemes"]["bearerAuth"]["type"] == "http"
    assert openapi["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_swagger_ui_is_served_locally_without_inline_script(api_client):
    page = api_client.get("/api/docs/")
    script = api_client.get("/api/docs/?script=")

    html = page.content.decode()
    assert page.status_code == 200
    assert (
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    )
    assert "<script>" not in html.replace(" ", "")
    assert "cdn" not in html.lower()
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
    assert "script-src 'self';" in page["Content-Security-Policy"]
    assert "unsafe-inline" not in page["Content-Security-Policy"].split("style-src")[0]


def test_browsable_api_answers_html_to_browsers(api_client, thread):
    response = api_client.get("/api/v1/threads/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert thread.title in response.content.decode()
