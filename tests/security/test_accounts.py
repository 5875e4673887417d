import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.models import User

PASSWORD = "correct-horse-battery-staple"


def _log_in(client, login, password):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def _errors(response) -> str:
    """The text of the form's errors, without the echoed user name."""
    page = response.content.decode()
    block = re.search(r'class="form-errors".*?</div>', page, re.S)
    return block.group(0) if block else ""


def _sign_up(client, username, password, **extra):
    return client.post(
        reverse("account_signup"),
        {
            "username": username,
            "email": f"{username}@example.org",
            "password1": password,
            "password2": password,
            "accept_terms": "on",
            **extra,
        },
    )


def test_wrong_password_and_unknown_user_get_the_same_answer(client, user):
    known = _log_in(client, "alice", "not-the-password-at-all")

    unknown = _log_in(client, "nobody-by-this-name", "not-the-password-at-all")

    assert known.status_code == unknown.status_code == 200
    assert _errors(known) == _errors(unknown) != ""
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("login", ["alice", "nobody-by-this-name"])
def test_log_in_is_refused_after_five_failures_even_with_the_right_password(
    client, user, login
):
    for _attempt in range(5):
        _log_in(client, login, "not-the-password-at-all")

    response = _log_in(client, login, PASSWORD)

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_throttled_answer_is_the_same_for_known_and_unknown_users(client, user):
    for login in ("alice", "nobody-by-this-name"):
        for _attempt in range(5):
            _log_in(client, login, "not-the-password-at-all")

    known = _log_in(client, "alice", "still-not-the-password")
    unknown = _log_in(client, "nobody-by-this-name", "still-not-the-password")

    assert _errors(known) == _errors(unknown)
    assert "Too many failed login attempts" in _errors(known)


def test_log_in_through_the_form_changes_the_session_key(client, user):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key

    response = _log_in(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.session.session_key != before


def test_password_change_ends_the_other_sessions_and_keeps_this_one(user):
    laptop, phone = Client(), Client()
    _log_in(laptop, "alice", PASSWORD)
    _log_in(phone, "alice", PASSWORD)
    new_password = "an-entirely-new-passphrase-42"

    response = laptop.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert laptop.get(reverse("accounts:profile-edit")).status_code == 200
    assert phone.get(reverse("accounts:profile-edit")).status_code == 302


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("Short-pw-1", id="eleven-characters"),
        pytest.param("qwertyqwerty", id="common"),
        pytest.param("482910573628", id="numeric"),
        pytest.param("newcomer-2024", id="like-the-username"),
    ],
)
def test_sign_up_refuses_weak_passwords(client, db, password):
    response = _sign_up(client, "newcomer", password)

    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()


def test_sign_up_with_a_twelve_character_password_creates_the_account(client, db):
    response = _sign_up(
        client, "newcomer", "Vingt-trois!", display_name="Nouvelle venue"
    )

    assert response.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.display_name == "Nouvelle venue"
    assert newcomer.check_password("Vingt-trois!")
    assert client.session[SESSION_KEY] == str(newcomer.pk)


@pytest.mark.parametrize(
    "username",
    [
        pytest.param("alice\u202eecila", id="right-to-left-override"),
        pytest.param("ali\u200bce", id="zero-width-space"),
        pytest.param("alice\u2067", id="right-to-left-isolate"),
        pytest.param("ali ce", id="space"),
        pytest.param("<script>", id="markup"),
    ],
)
def test_sign_up_refuses_disguised_user_names(client, db, username):
    response = _sign_up(client, username, "Vingt-trois!")

    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_refuses_a_display_name_with_a_bidi_override(client, db):
    response = _sign_up(
        client, "newcomer", "Vingt-trois!", display_name="Admin\u202etrats"
    )

    assert response.status_code == 200
    assert not User.objects.exists()


def test_sign_ups_from_one_address_are_limited(client, db, settings):
    for number in range(5):
        _sign_up(Client(), f"newcomer{number}", "Vingt-trois!")

    response = _sign_up(client, "one-too-many", "Vingt-trois!")

    assert response.status_code == 429
    assert User.objects.count() == 5
    assert not User.objects.filter(username="one-too-many").exists()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_log_in_never_redirects_to_another_site(client, user, target):
    response = client.post(
        reverse("account_login"),
        {"login": "alice", "password": PASSWORD, "next": target},
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(user.pk)
