"""Every error under /api/ is JSON with the status a client expects."""

import base64
import json

import pytest
from django.test import override_settings
from django.urls import include, path
from rest_framework.views import APIView

from forum.api.exceptions import exception_handler
from forum.models import Reply
from forum.ratelimit import RateLimited
from tests.factories import ThreadFactory

pytestmark = pytest.mark.django_db


def _is_json(response) -> bool:
    return response["Content-Type"].startswith("application/json")


def test_malformed_json_answers_400_in_json(user_api, thread):
    response = user_api.generic(
        "POST",
        f"/api/v1/threads/{thread.pk}/replies/",
        '{"body": "oops"',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert _is_json(response)
    assert "detail" in response.json()
    assert not Reply.objects.exists()


def test_lone_surrogates_and_null_characters_answer_400(user_api, thread):
    surrogate = user_api.generic(
        "POST",
        f"/api/v1/threads/{thread.pk}/replies/",
        '{"body": "\\ud800"}',
        content_type="application/json",
    )
    null = user_api.post(f"/api/v1/threads/{thread.pk}/replies/", {"body": "a\x00b"})

    assert surrogate.status_code == 400
    assert null.status_code == 400
    assert list(null.json()) == ["body"]
    assert not Reply.objects.exists()


def test_deeply_nested_json_answers_400(user_api, thread):
    response = user_api.generic(
        "POST",
        f"/api/v1/threads/{thread.pk}/replies/",
        "[" * 50_000 + "]" * 50_000,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert _is_json(response)
    assert not Reply.objects.exists()


def test_a_body_that_is_not_json_answers_415(user_api, thread):
    response = user_api.generic(
        "POST",
        f"/api/v1/threads/{thread.pk}/replies/",
        "body=hello",
        content_type="text/plain",
    )

    assert response.status_code == 415
    assert _is_json(response)
    assert not Reply.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_size_limit_answers_413(user_api, thread):
    response = user_api.post(
        f"/api/v1/threads/{thread.pk}/replies/", {"body": "x" * 2000}, format="json"
    )

    assert response.status_code == 413
    assert _is_json(response)
    assert not Reply.objects.exists()


def test_unknown_path_under_api_answers_404_in_json(api_client):
    response = api_client.get("/api/v1/nowhere/")

    assert response.status_code == 404
    assert _is_json(response)
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/threads/abc/",
        "/api/v1/threads/99999999999999999999999/",
        "/api/v1/replies/-1/",
        "/api/v1/articles/%00/",
        "/api/v1/threads/0/export/",
    ],
)
def test_ids_that_cannot_exist_answer_404_in_json(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert _is_json(response)


@pytest.mark.parametrize("method", ["delete", "put", "trace"])
def test_a_method_a_path_lacks_answers_405_even_without_credentials(
    api_client, thread, method
):
    response = api_client.generic(method.upper(), f"/api/v1/threads/{thread.pk}/")

    assert response.status_code == 405
    assert _is_json(response)


def test_method_not_allowed_answers_405_in_json(user_api, thread):
    response = user_api.delete(f"/api/v1/threads/{thread.pk}/")

    thread.refresh_from_db()
    assert response.status_code == 405
    assert _is_json(response)
    assert response["Allow"]


@pytest.mark.parametrize(
    "query",
    [
        "updated_after=0001-01-01T00:00:00%2B01:00",
        "updated_after=9999-12-31T23:59:59-01:00",
        "updated_after=not-a-date",
        "posting=99999999999999999999999",
        "posting=1.5",
        "article=%00",
        "page_size=-3",
        "page_size=%E2%91%A0",
        "locked=2",
        "company=a%20b",
        "article=caf%C3%A9",
        "updated_after=",
        "ordering=",
        "locked=",
        "posting=",
        "page_size=",
    ],
)
def test_bad_query_values_answer_400_never_500(api_client, thread, query):
    response = api_client.get(f"/api/v1/threads/?{query}")

    assert response.status_code == 400, response.content
    assert _is_json(response)
    assert len(response.json()) == 1


THREAD_ORDER = ["-last_activity_at", "-id"]
BEST_ORDER = ["-is_featured", "-wilson", "-score", "-id"]


@pytest.mark.parametrize(
    "replies, ordering, values",
    [
        (False, THREAD_ORDER, ["2025-01-01T00:00:00+00:00", "99999999999999999999999"]),
        (False, THREAD_ORDER, ["0001-01-01T00:00:00+01:00", "1"]),
        (False, THREAD_ORDER, ["2025-01-01T00:00:00", "1"]),
        (False, THREAD_ORDER, [None, "1"]),
        (False, THREAD_ORDER, ["2025-01-01T00:00:00+00:00"]),
        (True, BEST_ORDER, ["True", "nan", "0", "1"]),
        (True, BEST_ORDER, ["True", {"x": 1}, "0", "1"]),
    ],
)
def test_forged_cursors_answer_404(api_client, thread, replies, ordering, values):
    payload = json.dumps({"o": ordering, "p": values, "b": False}).encode()
    cursor = base64.urlsafe_b64encode(payload).decode()
    path = f"/api/v1/threads/{thread.pk}/replies/" if replies else "/api/v1/threads/"

    response = api_client.get(path, {"cursor": cursor})

    assert response.status_code == 404, response.content
    assert list(response.json()) == ["detail"]


@pytest.mark.parametrize("cursor", ["%%%", "eyJvIjogWyJ4Il19", "\u00e9t\u00e9"])
def test_unreadable_cursors_answer_404_as_a_page_that_does_not_exist(
    api_client, cursor
):
    response = api_client.get("/api/v1/threads/", {"cursor": cursor})

    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "Ce curseur n'est pas valide."}


def test_cursor_of_another_ordering_is_refused(api_client):
    ThreadFactory.create_batch(3)
    first = api_client.get("/api/v1/threads/?ordering=created_at&page_size=1")
    cursor = first.json()["next"].split("cursor=")[1].split("&")[0]

    response = api_client.get(f"/api/v1/threads/?ordering=-score&cursor={cursor}")

    assert response.status_code == 404
    assert list(response.json()) == ["detail"]


def test_service_rate_limit_answers_429_with_retry_after(
    other_api, settings, thread, reply
):
    # An hour-long window: two requests never straddle two windows.
    settings.FORUM_RATE_LIMITS = {"reply": "1/3600"}
    first = other_api.post(f"/api/v1/threads/{thread.pk}/replies/", {"body": "Un."})

    second = other_api.post(f"/api/v1/threads/{thread.pk}/replies/", {"body": "Deux."})

    assert first.status_code == 201
    assert second.status_code == 429
    assert 1 <= int(second["Retry-After"]) <= 3600
    assert _is_json(second)
    assert Reply.objects.filter(thread=thread).count() == 2


def test_rate_limited_is_checked_before_other_validation_errors():
    response = exception_handler(RateLimited(retry_after=7), {})

    assert response.status_code == 429
    assert response["Retry-After"] == "7"


class Broken(APIView):
    permission_classes = []

    def get(self, request):
        raise RuntimeError("An unexpected failure")


urlpatterns = [
    path("api/v1/broken/", Broken.as_view()),
    path("", include("forum.urls")),
]
handler500 = "forum.infra.errors.server_error"


@pytest.mark.urls(__name__)
def test_unexpected_errors_answer_500_in_json(client):
    client.raise_request_exception = False

    response = client.get("/api/v1/broken/")

    assert response.status_code == 500
    assert _is_json(response)
    assert response.json()["detail"]


@pytest.mark.parametrize("query", ["q=%3F%21%E2%80%A6", "q=salaires&limit="])
def test_a_search_without_a_word_or_with_an_empty_limit_answers_400(api_client, query):
    response = api_client.get(f"/api/v1/search/?{query}")

    assert response.status_code == 400
    assert len(response.json()) == 1
