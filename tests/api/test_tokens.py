"""API tokens: named, several per user, hashed, revocable, expiring when idle."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_digest, create_api_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def bearer(secret: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_each_password_exchange_gives_a_new_token_and_both_work(api_client, user):
    credentials = {"username": "alice", "password": PASSWORD, "name": "Laptop"}

    first = api_client.post("/api/v1/auth/token/", credentials).json()
    second = api_client.post("/api/v1/auth/token/", credentials).json()

    assert first["token"] != second["token"]
    assert ApiToken.objects.filter(user=user, name="Laptop").count() == 2
    for secret in (first["token"], second["token"]):
        assert bearer(secret).get("/api/v1/me/").json()["username"] == "alice"


def test_only_a_hash_of_the_secret_is_stored(user):
    token = create_api_token(user=user, name="Script")

    stored = ApiToken.objects.values().get(pk=token.pk)

    assert stored["digest"] == api_token_digest(token.secret)
    assert token.secret not in {str(value) for value in stored.values()}
    assert token.secret.startswith(stored["prefix"])


def test_a_named_token_is_made_and_its_secret_shown_once(user_api, user):
    response = user_api.post("/api/v1/auth/tokens/", {"name": "Tableau de bord"})
    listed = user_api.get("/api/v1/auth/tokens/").json()["results"]

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Tableau de bord"
    assert bearer(body["token"]).get("/api/v1/me/").status_code == 200
    made = next(item for item in listed if item["id"] == body["id"])
    assert set(made) == {
        "id",
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
    }


def test_a_token_without_a_name_is_refused_and_none_is_made(user_api, user):
    before = ApiToken.objects.filter(user=user).count()

    blank = user_api.post("/api/v1/auth/tokens/", {"name": "   "})
    missing = user_api.post("/api/v1/auth/tokens/", {})

    assert (blank.status_code, list(blank.json())) == (400, ["name"])
    assert (missing.status_code, list(missing.json())) == (400, ["name"])
    assert ApiToken.objects.filter(user=user).count() == before


def test_the_list_shows_only_your_own_tokens_newest_first(user, other_user):
    older = create_api_token(user=user, name="Ancien")
    ApiToken.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    newer = create_api_token(user=user, name="Récent")
    create_api_token(user=other_user, name="Celui de Bob")

    response = bearer(newer.secret).get("/api/v1/auth/tokens/")

    assert response.status_code == 200
    assert [item["name"] for item in response.json()["results"]] == [
        "Récent",
        "Ancien",
    ]


def test_revoking_a_token_by_id_stops_it_and_leaves_the_others(user):
    kept = create_api_token(user=user, name="Gardé")
    revoked = create_api_token(user=user, name="Révoqué")

    response = bearer(kept.secret).delete(f"/api/v1/auth/tokens/{revoked.pk}/")

    assert response.status_code == 204
    assert not ApiToken.objects.filter(pk=revoked.pk).exists()
    assert bearer(revoked.secret).get("/api/v1/me/").status_code == 401
    assert bearer(kept.secret).get("/api/v1/me/").status_code == 200


def test_someone_elses_token_cannot_be_revoked(user, other_user):
    mine = create_api_token(user=user, name="Moi")
    theirs = create_api_token(user=other_user, name="Bob")

    response = bearer(mine.secret).delete(f"/api/v1/auth/tokens/{theirs.pk}/")

    assert response.status_code == 404
    assert bearer(theirs.secret).get("/api/v1/me/").status_code == 200


def test_revoking_the_token_in_use_signs_that_client_out(user):
    in_use = create_api_token(user=user, name="En cours")
    other = create_api_token(user=user, name="Autre")
    client = bearer(in_use.secret)

    response = client.delete("/api/v1/auth/token/")
    after = client.get("/api/v1/me/")

    assert response.status_code == 204
    assert after.status_code == 401
    assert list(ApiToken.objects.filter(user=user)) == [
        ApiToken.objects.get(pk=other.pk)
    ]


def test_revoking_the_token_in_use_needs_a_token(user):
    create_api_token(user=user, name="Autre")
    client = APIClient()
    client.force_login(user)

    signed_out = APIClient().delete("/api/v1/auth/token/")
    by_session = client.delete("/api/v1/auth/token/")

    assert signed_out.status_code == 401
    assert by_session.status_code == 400
    assert ApiToken.objects.filter(user=user).count() == 1


def test_a_token_unused_for_the_idle_time_answers_401(settings, user):
    settings.API_TOKEN_IDLE_DAYS = 7
    token = create_api_token(user=user, name="Oublié")
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - timedelta(days=7, minutes=1)
    )

    response = bearer(token.secret).get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "expired" in response.json()["detail"]


def test_each_use_moves_the_expiry_at_most_once_a_minute(settings, user):
    settings.API_TOKEN_IDLE_DAYS = 7
    token = create_api_token(user=user, name="Actif")
    six_days_ago = timezone.now() - timedelta(days=6)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=six_days_ago)
    client = bearer(token.secret)

    client.get("/api/v1/me/")
    moved = ApiToken.objects.get(pk=token.pk).last_used_at
    client.get("/api/v1/me/")
    listed = client.get("/api/v1/auth/tokens/").json()["results"][0]

    assert moved > six_days_ago + timedelta(days=5)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == moved
    assert parse_datetime(listed["expires_at"]) == moved + timedelta(days=7)


def test_a_deactivated_account_token_answers_401(user):
    token = create_api_token(user=user, name="Ancien compte")
    user.is_active = False
    user.save()

    response = bearer(token.secret).get("/api/v1/me/")

    assert response.status_code == 401


def test_a_banned_reader_still_lists_and_revokes_tokens(user, moderator):
    from accounts.services import ban_user

    token = create_api_token(user=user, name="Lecture")
    ban_user(user=user, by=moderator, reason="Spam")
    client = bearer(token.secret)

    listed = client.get("/api/v1/auth/tokens/")
    revoked = client.delete("/api/v1/auth/token/")

    assert listed.status_code == 200
    assert revoked.status_code == 204
    assert not ApiToken.objects.filter(user=user).exists()


def test_tokens_of_the_former_token_table_keep_working_once_carried_over():
    owner = UserFactory(username="ancien")
    key = "0123456789abcdef0123456789abcdef01234567"
    created = timezone.now().replace(microsecond=0) - timezone.timedelta(days=3)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token "
            "(key varchar(40) PRIMARY KEY, created timestamp, user_id integer)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            [key, created, owner.pk],
        )
    migration = importlib.import_module(
        "accounts.migrations.0005_api_tokens_from_authtoken"
    )

    migration.copy_tokens(apps, SimpleNamespace(connection=connection))

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        (left,) = cursor.fetchone()
    assert left == 0
    token = ApiToken.objects.get(user=owner)
    assert token.digest == api_token_digest(key)
    assert token.created_at == created
    assert bearer(key).get("/api/v1/me/").json()["username"] == "ancien"


def test_a_token_name_must_be_text(user_api, user):
    before = ApiToken.objects.filter(user=user).count()

    response = user_api.post("/api/v1/auth/tokens/", {"name": 0})

    assert (response.status_code, list(response.json())) == (400, ["name"])
    assert ApiToken.objects.filter(user=user).count() == before


def test_a_token_name_is_stored_without_its_surrounding_spaces(user_api, user):
    response = user_api.post("/api/v1/auth/tokens/", {"name": "  Veille  "})

    assert response.status_code == 201
    assert ApiToken.objects.get(pk=response.json()["id"]).name == "Veille"
