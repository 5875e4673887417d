import pytest
from django.core import mail

from accounts.models import User

pytestmark = pytest.mark.django_db

STRONG = "un-mot-de-passe-solide-2024"


def test_visitor_signs_up_and_is_signed_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "claire",
            "email": "claire@example.org",
            "password1": STRONG,
            "password2": STRONG,
            "display_name": "Claire D.",
            "accept_terms": "on",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="claire")
    assert user.display_name == "Claire D."
    assert client.get("/").context["user"] == user


@pytest.mark.parametrize("password", ["court-2024", "password1234", "123456789012"])
def test_short_or_common_passwords_are_refused(client, password):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "denis",
            "email": "denis@example.org",
            "password1": password,
            "password2": password,
            "accept_terms": "on",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.filter(username="denis").exists()


def test_username_with_a_right_to_left_override_is_refused(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "adm\u202enimi",
            "email": "nimi@example.org",
            "password1": STRONG,
            "password2": STRONG,
            "accept_terms": "on",
        },
    )

    assert response.status_code == 200
    assert not User.objects.exists()


def test_reader_logs_in_and_out(client, user):
    login = client.post(
        "/accounts/login/",
        {"login": "alice", "password": "correct-horse-battery-staple"},
    )
    logout = client.post("/accounts/logout/")

    assert login.status_code == 302
    assert logout.status_code == 302
    assert client.get("/").context["user"].is_anonymous


def test_password_reset_sends_an_email(client, user):
    response = client.post("/accounts/password/reset/", {"email": user.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert user.email in mail.outbox[0].to
