"""Text that shows nothing is empty text, on every path that writes it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forum.models import Reply, Revision, Thread
from forum.services import create_thread, update_thread
from forum.text import shows_nothing
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

INVISIBLE = [
    "\u200b",
    "\ufeff\u200b\ufeff",
    "\u2060 \u200d\u200c",
    "\u202e\u202c",
    " \u0301\u0308 ",
    "\u3164\u2800",
    "\u00a0\u3000\u200b",
]


@pytest.mark.parametrize("text", INVISIBLE)
def test_text_of_only_invisible_characters_shows_nothing(text):
    assert shows_nothing(text)


@pytest.mark.parametrize("text", ["a", "\u200bé\u200b", "👩\u200d💻", "\u0301x", "·"])
def test_text_with_one_visible_character_shows_something(text):
    assert not shows_nothing(text)


@pytest.mark.parametrize("body", ["", *INVISIBLE])
def test_reply_form_refuses_invisible_text_with_the_blank_error(
    auth_client, thread, body
):
    response = auth_client.post(
        reverse("forum:reply-create", kwargs={"thread_id": thread.pk}), {"body": body}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["body"] == ["The message is empty."]
    assert not Reply.objects.exists()


def test_edit_form_refuses_invisible_text_and_keeps_the_reply(auth_client, reply):
    original = reply.body

    response = auth_client.post(
        reverse("forum:reply-edit", kwargs={"reply_id": reply.pk}),
        {"body": "\u200b\ufeff"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["body"] == ["The message is empty."]
    reply.refresh_from_db()
    assert reply.body == original
    assert not Revision.objects.exists()


@pytest.mark.parametrize("body", ["   ", "\u200b\ufeff", "\u2060\u0301"])
def test_api_refuses_invisible_replies_with_the_blank_error(user, thread, body):
    response = client_for(user).post(
        f"/api/v1/threads/{thread.pk}/replies/", {"body": body}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"body": ["The message is empty."]}
    assert not Reply.objects.exists()


def test_api_refuses_an_edit_to_invisible_text(user, reply):
    original = reply.body

    response = client_for(user).patch(
        f"/api/v1/replies/{reply.pk}/", {"body": "\u200b"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"body": ["The message is empty."]}
    reply.refresh_from_db()
    assert reply.body == original


def test_reply_keeps_its_invisible_characters_when_it_shows_something(
    auth_client, thread
):
    auth_client.post(
        reverse("forum:reply-create", kwargs={"thread_id": thread.pk}),
        {"body": "Bravo 👩\u200d💻"},
    )

    assert Reply.objects.get().body == "Bravo 👩\u200d💻"


@pytest.mark.parametrize("title", ["  ", "\u200b\ufeff"])
def test_thread_services_refuse_a_question_that_shows_nothing(thread, title):
    with pytest.raises(ValidationError) as creating:
        create_thread(title=title)
    with pytest.raises(ValidationError) as renaming:
        update_thread(thread=thread, title=title)

    assert creating.value.message_dict == {"title": ["The question is empty."]}
    assert renaming.value.message_dict == {"title": ["The question is empty."]}
    assert Thread.objects.count() == 1


def test_admin_refuses_a_question_of_zero_width_spaces(admin_client, thread):
    original = thread.title

    response = admin_client.post(
        reverse("admin:forum_thread_change", args=[thread.pk]),
        {
            "title": "\u200b\u200b",
            "position": 0,
            "replies-TOTAL_FORMS": 0,
            "replies-INITIAL_FORMS": 0,
            "replies-MIN_NUM_FORMS": 0,
            "replies-MAX_NUM_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"] == [
        "The question is empty."
    ]
    thread.refresh_from_db()
    assert thread.title == original


def test_admin_gives_a_blank_question_the_same_error(admin_client, thread):
    response = admin_client.post(
        reverse("admin:forum_thread_change", args=[thread.pk]),
        {
            "title": "",
            "position": 0,
            "replies-TOTAL_FORMS": 0,
            "replies-INITIAL_FORMS": 0,
            "replies-MIN_NUM_FORMS": 0,
            "replies-MAX_NUM_FORMS": 0,
        },
    )

    assert response.context["adminform"].form.errors["title"] == [
        "The question is empty."
    ]
