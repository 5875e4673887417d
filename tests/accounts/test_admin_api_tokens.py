import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import create_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(
        get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
    )
    return client


def test_the_admin_lists_tokens_without_their_secrets(admin_client, user):
    token = create_api_token(user=user, name="Script de veille")

    page = admin_client.get("/admin/accounts/apitoken/").content.decode()

    assert "Script de veille" in page
    assert token.prefix in page
    assert token.secret not in page
    assert ApiToken.objects.get(pk=token.pk).digest not in page


def test_an_administrator_revokes_a_token_from_the_admin(admin_client, user):
    token = create_api_token(user=user, name="Fuite")

    response = admin_client.post(
        f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {token.secret}")
    assert client.get("/api/v1/me/").status_code == 401


def test_no_token_is_made_in_the_admin(admin_client):
    response = admin_client.get("/admin/accounts/apitoken/add/")

    assert response.status_code == 403
