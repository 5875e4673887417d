"""Requests no browser sends: clear 400 and 414 answers, never a 500."""

import pytest
from django.urls import reverse

from forum.models import Reply

MANY_PARAMETERS = "&".join(["a=1"] * 1001)
LONG_QUERY = "q=" + "a" * 20_000


@pytest.mark.parametrize("path", ["/", "/postings/", "/search/"])
def test_a_page_with_1001_query_parameters_answers_400_in_the_page_style(
    client, db, path
):
    response = client.get(f"{path}?{MANY_PARAMETERS}")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Bad request" in page
    assert "at most 1000 are read" in page
    assert 'class="site-header"' in page


def test_the_api_with_1001_query_parameters_answers_400_in_json(client, db):
    response = client.get(f"/api/v1/threads/?{MANY_PARAMETERS}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "at most 1000 are read" in response.json()["detail"]


def test_a_page_with_a_20_kb_query_string_answers_414_in_the_page_style(client, db):
    response = client.get(f"/search/?{LONG_QUERY}")

    assert response.status_code == 414
    page = response.content.decode()
    assert "Address too long" in page
    assert 'class="site-header"' in page
    assert "a" * 5000 not in page


def test_the_api_with_a_20_kb_query_string_answers_414_in_json(client, db):
    response = client.get(f"/api/v1/threads/?{LONG_QUERY}")

    assert response.status_code == 414
    assert response["Content-Type"] == "application/json"
    assert "at most 4096 characters" in response.json()["detail"]


@pytest.mark.parametrize("query", ["q=%ff%fe", "q=caf%e9", "q=%C3"])
def test_a_query_string_that_is_not_utf8_answers_400(client, db, query):
    page = client.get(f"/search/?{query}")
    api = client.get(f"/api/v1/threads/?{query}")

    assert page.status_code == 400
    assert "not valid UTF-8" in page.content.decode()
    assert api.status_code == 400
    assert "not valid UTF-8" in api.json()["detail"]


def test_a_valid_utf8_query_string_is_still_read(client, db):
    response = client.get("/search/?q=r%C3%A9mun%C3%A9ration")

    assert response.status_code == 200
    assert 'value="rémunération"' in response.content.decode()


def test_a_form_with_1001_fields_answers_400_and_stores_nothing(auth_client, thread):
    fields = {f"p{number}": "1" for number in range(1001)}

    response = auth_client.post(
        reverse("forum:reply-create", args=[thread.pk]),
        {**fields, "body": "Une réponse noyée dans les champs."},
    )

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
    assert not Reply.objects.filter(thread=thread).exists()


def test_a_404_page_does_not_show_the_query_it_was_asked_with(client, db):
    response = client.get("/no-such-page/?q=un-mot-cherch%C3%A9")

    assert response.status_code == 404
    page = response.content.decode()
    assert "un-mot-cherch" not in page
    assert "no-such-page" not in page


def test_a_path_that_is_not_utf8_answers_404_in_the_page_style_or_json(client, db):
    page = client.get("/articles/caf%E9/")
    api = client.get("/api/v1/threads/%FF/")

    assert page.status_code == 404
    assert "Page not found" in page.content.decode()
    assert api.status_code == 404
    assert api["Content-Type"] == "application/json"
