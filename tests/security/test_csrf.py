"""Writes from another site are refused: every form and script sends a token."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from forum.models import Reply, Vote
from tests.factories import ReplyFactory


@pytest.fixture
def strict_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_reply_posted_without_the_token_is_refused(strict_client, thread):
    response = strict_client.post(
        reverse("forum:reply-create", args=[thread.pk]), {"body": "Depuis ailleurs."}
    )

    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert not Reply.objects.exists()


def test_vote_from_the_page_script_without_the_token_is_refused(strict_client, thread):
    reply = ReplyFactory(thread=thread)

    response = strict_client.post(
        reverse("forum:reply-vote", args=[reply.pk]),
        {"value": 1},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_api_write_with_a_session_but_without_the_token_is_refused(
    strict_client, thread
):
    response = strict_client.post(
        f"/api/v1/threads/{thread.pk}/replies/",
        {"body": "Depuis ailleurs."},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Reply.objects.exists()


def test_reply_with_the_token_from_the_page_goes_through(strict_client, thread):
    page = strict_client.get(thread.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = strict_client.post(
        reverse("forum:reply-create", args=[thread.pk]),
        {"body": "Depuis le site.", "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert Reply.objects.get().body == "Depuis le site."
