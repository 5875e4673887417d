import pytest
from django.core import mail

from accounts.services import create_api_token
from forum.services import edit_reply, post_reply

pytestmark = pytest.mark.django_db


def test_a_reader_downloads_their_data_through_the_api(user_api, user, thread):
    create_api_token(user=user, name="laptop")
    reply = post_reply(thread=thread, author=user, body="Première.")
    edit_reply(reply=reply, editor=user, body="Seconde.")

    response = user_api.get("/api/v1/me/export/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    data = response.json()
    assert data["format"] == "forum-account-export/1"
    assert data["profile"]["username"] == user.username
    assert [(r["id"], r["body"]) for r in data["replies"]] == [(reply.pk, "Seconde.")]
    assert [v["body"] for v in data["replies"][0]["revisions"]] == ["Première."]
    assert sorted(token["name"] for token in data["api_tokens"]) == ["laptop", "test"]
    assert "fia_" not in response.content.decode()


def test_the_api_export_needs_a_signed_in_reader(api_client):
    response = api_client.get("/api/v1/me/export/")

    assert response.status_code == 401
    assert "detail" in response.json()


def test_me_says_whether_the_address_is_confirmed(user_api, user):
    assert user_api.get("/api/v1/me/").json()["email_verified"] is True


def test_a_new_address_sent_through_the_api_is_confirmed_again(user_api, user):
    response = user_api.patch("/api/v1/me/", {"email": "alice@nouvelle.example"})

    assert response.status_code == 200
    assert response.json()["email_verified"] is False
    user.refresh_from_db()
    assert not user.has_verified_email
    assert [message.to for message in mail.outbox] == [["alice@nouvelle.example"]]
