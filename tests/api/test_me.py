"""/api/v1/me/ (profile settings) and /api/v1/me/replies/ (own replies)."""

import re

import pytest
from django.utils import timezone

from forum.models import Reply
from forum.services import remove_reply
from tests.factories import ReplyFactory

pytestmark = pytest.mark.django_db


def test_me_shows_the_settings_of_the_profile_page(user_api, user):
    user.email = "alice@example.org"
    user.email_on_reply = True
    user.save()

    body = user_api.get("/api/v1/me/").json()

    assert (body["display_name"], body["email"], body["email_on_reply"]) == (
        "Alice",
        "alice@example.org",
        True,
    )


def test_patch_changes_the_settings_sent_and_keeps_the_others(user_api, user):
    user.bio = "Data scientist."
    user.save()

    response = user_api.patch(
        "/api/v1/me/", {"display_name": "Alice M.", "email_on_reply": True}
    )

    assert response.status_code == 200
    assert response.json()["display_name"] == "Alice M."
    user.refresh_from_db()
    assert (user.display_name, user.email_on_reply, user.bio) == (
        "Alice M.",
        True,
        "Data scientist.",
    )


def test_patch_applies_the_profile_forms_rules_and_changes_nothing_when_refused(
    user_api, user
):
    disguised = user_api.patch(
        "/api/v1/me/",
        {"display_name": "Ali\u202ece", "bio": "Nouvelle bio."},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    bad_email = user_api.patch("/api/v1/me/", {"email": "pas-une-adresse"})

    assert (disguised.status_code, list(disguised.json())) == (400, ["display_name"])
    assert "invisible" in disguised.json()["display_name"][0]
    assert (bad_email.status_code, list(bad_email.json())) == (400, ["email"])
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.email) == ("Alice", "", user.email)


def test_patch_cannot_change_the_username_or_a_ban(user_api, user):
    response = user_api.patch(
        "/api/v1/me/", {"username": "mallory", "is_banned": False, "bio": "Bio."}
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.username, user.bio) == ("alice", "Bio.")


def test_me_needs_credentials_to_change_settings(api_client, user):
    response = api_client.patch("/api/v1/me/", {"bio": "Anonyme."})

    assert response.status_code == 401
    user.refresh_from_db()
    assert user.bio == ""


def test_own_replies_are_listed_newest_first_without_the_deleted_ones(
    user_api, user, thread, other_user
):
    older = ReplyFactory(thread=thread, author=user)
    Reply.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=1)
    )
    newer = ReplyFactory(thread=thread, author=user)
    deleted = ReplyFactory(thread=thread, author=user)
    remove_reply(reply=deleted, by=user, reason="author")
    ReplyFactory(thread=thread, author=other_user)

    response = user_api.get("/api/v1/me/replies/")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [
        newer.pk,
        older.pk,
    ]


def test_own_replies_are_paged_by_cursor(user_api, user, thread):
    replies = ReplyFactory.create_batch(3, thread=thread, author=user)

    first = user_api.get("/api/v1/me/replies/?page_size=2").json()
    second = user_api.get(first["next"]).json()

    listed = [item["id"] for item in first["results"] + second["results"]]
    assert sorted(listed) == sorted(reply.pk for reply in replies)
    assert second["next"] is None


def test_own_replies_need_credentials(api_client):
    response = api_client.get("/api/v1/me/replies/")

    assert response.status_code == 401


def test_patch_takes_settings_only_in_their_own_types(user_api, user):
    number = user_api.patch("/api/v1/me/", {"email_on_reply": 1})
    text = user_api.patch("/api/v1/me/", {"display_name": 42})

    assert (number.status_code, list(number.json())) == (400, ["email_on_reply"])
    assert (text.status_code, list(text.json())) == (400, ["display_name"])
    user.refresh_from_db()
    assert (user.email_on_reply, user.display_name) == (False, "Alice")


def test_me_shows_an_empty_email_when_none_is_set(user_api, user):
    user.email = ""
    user.save()

    response = user_api.get("/api/v1/me/")

    assert response.json()["email"] == ""


@pytest.mark.parametrize(
    ("name", "accepted"),
    [
        ("Léa D.", True),
        ("Ali\u202ece", False),
        ("a\bb", False),
        ("Zoé 🚀", True),
        ("Zoé\u200b", False),
    ],
)
def test_the_schema_pattern_for_a_display_name_is_the_servers_rule(
    user_api, name, accepted
):
    schema = user_api.get("/api/schema/?format=json").json()
    field = schema["components"]["schemas"]["PatchedMeUpdateRequest"]["properties"][
        "display_name"
    ]
    pattern = field["oneOf"][0]["pattern"]

    response = user_api.patch("/api/v1/me/", {"display_name": name})

    assert bool(re.search(pattern, name)) is accepted
    assert response.status_code == (200 if accepted else 400)
