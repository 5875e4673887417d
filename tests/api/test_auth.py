import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_digest, ban_user, create_api_token
from forum.models import Reply

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def test_token_is_given_for_a_username_and_password(api_client, user):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}
    )

    assert response.status_code == 200
    secret = response.json()["token"]
    stored = ApiToken.objects.get(user=user)
    assert stored.digest == api_token_digest(secret) != secret
    assert response.json()["name"] == stored.name == "Token"


def test_token_request_accepts_a_form_body(api_client, user):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": "alice", "password": PASSWORD},
        format="multipart",
    )

    assert response.status_code == 415
    assert not ApiToken.objects.filter(user=user).exists()
    form = api_client.generic(
        "POST",
        "/api/v1/auth/token/",
        f"username=alice&password={PASSWORD}",
        content_type="application/x-www-form-urlencoded",
    )
    assert form.status_code == 200
    assert ApiToken.objects.get(user=user).digest == api_token_digest(
        form.json()["token"]
    )


def test_wrong_password_answers_401_without_a_token(api_client, user):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "alice", "password": "wrong-password"}
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert list(response.json()) == ["detail"]
    assert not ApiToken.objects.filter(user=user).exists()


def test_credentials_that_are_not_text_answer_400(api_client, user):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": 0, "password": False}
    )

    assert response.status_code == 400
    assert sorted(response.json()) == ["password", "username"]
    assert not ApiToken.objects.filter(user=user).exists()


def test_inactive_account_gets_no_token(api_client, user):
    user.is_active = False
    user.save()

    response = api_client.post(
        "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}
    )

    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_banned_user_gets_a_token_to_read(api_client, user, moderator):
    ban_user(user=user, by=moderator, reason="Spam")

    response = api_client.post(
        "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}
    )
    me = APIClient(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}").get(
        "/api/v1/me/"
    )

    assert response.status_code == 200
    assert me.status_code == 200
    assert me.json()["is_banned"] is True


def test_bearer_token_signs_the_client_in(user_api, user):
    response = user_api.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["username"] == user.username == "alice"
    assert response.json()["is_moderator"] is False


def test_me_tells_moderators_apart(moderator_api):
    response = moderator_api.get("/api/v1/me/")

    assert response.json()["is_moderator"] is True


def test_me_without_credentials_answers_401(api_client):
    response = api_client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "detail" in response.json()


def test_unknown_token_answers_401_even_on_public_reads(thread):
    client = APIClient(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = client.get("/api/v1/threads/")

    assert response.status_code == 401
    assert "detail" in response.json()


def test_token_keyword_other_than_bearer_is_not_read(user):
    token = create_api_token(user=user, name="Script")
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.secret}")

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert ApiToken.objects.filter(user=user).exists()


def test_session_writes_need_the_csrf_token(user, thread):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)

    without = client.post(
        f"/api/v1/threads/{thread.pk}/replies/", {"body": "Sans jeton."}, format="json"
    )
    page = client.get(thread.get_absolute_url())
    token = page.cookies["csrftoken"].value
    with_token = client.post(
        f"/api/v1/threads/{thread.pk}/replies/",
        {"body": "Avec jeton."},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert without.status_code == 403
    assert "CSRF" in without.json()["detail"]
    assert with_token.status_code == 201
    assert list(Reply.objects.values_list("body", flat=True)) == ["Avec jeton."]
