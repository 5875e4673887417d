import json

from django.core.exceptions import RequestDataTooBig
from django.test import RequestFactory
from django.urls import reverse

from forum.infra.middleware import MaxBodySizeMiddleware
from forum.models import Reply

ONE_MEGABYTE = 1024 * 1024


def test_one_megabyte_reply_through_the_page_gets_a_413_page_and_stores_nothing(
    auth_client, thread
):
    response = auth_client.post(
        reverse("forum:reply-create", args=[thread.pk]), {"body": "a" * ONE_MEGABYTE}
    )

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "256 KB" in response.content.decode()
    assert response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert not Reply.objects.exists()
    thread.refresh_from_db()
    assert thread.reply_count == 0


def test_one_megabyte_body_under_api_gets_a_json_413(auth_client, thread):
    body = json.dumps({"body": "a" * ONE_MEGABYTE})

    response = auth_client.post(
        f"/api/v1/threads/{thread.pk}/replies/", body, content_type="application/json"
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "256 KB" in response.json()["detail"]
    assert not Reply.objects.exists()


def test_body_just_under_the_limit_reaches_the_form_and_its_length_check(
    auth_client, thread, settings
):
    body = "a" * (settings.FORUM_REPLY_MAX_LENGTH + 1)

    response = auth_client.post(
        reverse("forum:reply-create", args=[thread.pk]), {"body": body}
    )

    assert response.status_code == 400
    assert "form-errors" in response.content.decode()
    assert not Reply.objects.exists()


def test_limit_follows_the_setting(auth_client, thread, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048

    response = auth_client.post(
        reverse("forum:reply-create", args=[thread.pk]), {"body": "a" * 4096}
    )

    assert response.status_code == 413
    assert "2 KB" in response.content.decode()
    assert not Reply.objects.exists()


def test_body_found_too_big_while_a_view_reads_it_gets_the_same_413(db):
    middleware = MaxBodySizeMiddleware(lambda request: None)
    request = RequestFactory().post("/api/v1/threads/1/replies/")

    response = middleware.process_exception(
        request, RequestDataTooBig("Request body exceeded the limit.")
    )

    assert response.status_code == 413
    assert "detail" in json.loads(response.content)
