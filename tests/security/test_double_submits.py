"""A form sent twice, or an API request sent again with its key, stores one reply."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum.models import Reply
from forum.sharedstore import shared_cache
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate_window(settings):
    settings.FORUM_DUPLICATE_REPLY_SECONDS = 60


def reply_url(thread):
    return reverse("forum:reply-create", kwargs={"thread_id": thread.pk})


def api_url(thread):
    return f"/api/v1/threads/{thread.pk}/replies/"


def test_a_page_form_sent_twice_stores_one_reply(
    duplicate_window, rate_limits, auth_client, thread
):
    first = auth_client.post(reply_url(thread), {"body": "Un seul avis, merci."})

    second = auth_client.post(reply_url(thread), {"body": "Un seul avis, merci."})

    reply = Reply.objects.get()
    assert (first.status_code, second.status_code) == (302, 302)
    place = f"{thread.get_absolute_url()}#reply-{reply.pk}"
    assert first["Location"] == second["Location"] == place
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_the_same_text_elsewhere_or_later_is_a_new_reply(
    duplicate_window, auth_client, thread, reply
):
    auth_client.post(reply_url(thread), {"body": "D'accord."})
    auth_client.post(reply_url(thread), {"body": "D'accord.", "parent": reply.pk})
    Reply.objects.filter(body="D'accord.").update(
        created_at=timezone.now() - timezone.timedelta(seconds=61)
    )

    auth_client.post(reply_url(thread), {"body": "D'accord."})

    assert Reply.objects.filter(body="D'accord.").count() == 3


def test_another_author_may_write_the_same_words(
    duplicate_window, user, other_user, thread
):
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(other_user)
    first.post(reply_url(thread), {"body": "+1"})

    second.post(reply_url(thread), {"body": "+1"})

    assert Reply.objects.filter(body="+1").count() == 2


def test_an_api_post_sent_again_with_its_key_stores_one_reply(user, thread):
    api = client_for(user)
    headers = {"HTTP_IDEMPOTENCY_KEY": "7c0e2a5e-retry"}

    first = api.post(api_url(thread), {"body": "Envoyé deux fois."}, **headers)
    again = api.post(api_url(thread), {"body": "Envoyé deux fois."}, **headers)

    reply = Reply.objects.get()
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.json()["id"] == reply.pk
    assert again["Location"] == first["Location"] == f"/api/v1/replies/{reply.pk}/"
    assert again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")


def test_posts_without_a_key_or_with_different_keys_are_separate(user, thread):
    api = client_for(user)

    api.post(api_url(thread), {"body": "Même texte."})
    api.post(api_url(thread), {"body": "Même texte."}, HTTP_IDEMPOTENCY_KEY="a")
    api.post(api_url(thread), {"body": "Même texte."}, HTTP_IDEMPOTENCY_KEY="b")

    assert Reply.objects.count() == 3


def test_a_key_belongs_to_its_user(user, other_user, thread):
    client_for(user).post(api_url(thread), {"body": "À moi."}, HTTP_IDEMPOTENCY_KEY="k")

    response = client_for(other_user).post(
        api_url(thread), {"body": "À moi aussi."}, HTTP_IDEMPOTENCY_KEY="k"
    )

    assert response.status_code == 201
    assert Reply.objects.count() == 2


def test_the_same_key_with_another_body_answers_422(user, thread):
    api = client_for(user)
    api.post(api_url(thread), {"body": "Premier texte."}, HTTP_IDEMPOTENCY_KEY="k")

    response = api.post(api_url(thread), {"body": "Autre."}, HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert list(Reply.objects.values_list("body", flat=True)) == ["Premier texte."]


def test_a_refused_request_can_be_corrected_under_the_same_key(user, thread):
    api = client_for(user)
    refused = api.post(api_url(thread), {"body": "\u200b"}, HTTP_IDEMPOTENCY_KEY="k")

    accepted = api.post(api_url(thread), {"body": "Corrigé."}, HTTP_IDEMPOTENCY_KEY="k")

    assert (refused.status_code, accepted.status_code) == (400, 201)
    assert list(Reply.objects.values_list("body", flat=True)) == ["Corrigé."]


def test_a_retry_while_the_first_request_runs_answers_409(user, thread):
    digest = hashlib.sha256(b"k").hexdigest()
    shared_cache().add(f"idempotency:{user.pk}:{digest}:running", True, 60)

    response = client_for(user).post(
        api_url(thread), {"body": "Trop tôt."}, HTTP_IDEMPOTENCY_KEY="k"
    )

    assert response.status_code == 409
    assert response["Retry-After"] == "1"
    assert not Reply.objects.exists()


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there"])
def test_a_malformed_key_answers_400(user, thread, key):
    response = client_for(user).post(
        api_url(thread), {"body": "Clé bizarre."}, HTTP_IDEMPOTENCY_KEY=key
    )

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not Reply.objects.exists()
