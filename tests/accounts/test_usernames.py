"""Usernames are normalised and never a look-alike of another or a reserved one."""

import pytest
from django.urls import reverse

from accounts.models import ReservedName, User
from accounts.usernames import skeleton
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG = "un-mot-de-passe-solide-2024"


def sign_up(client, username):
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": "newcomer@example.org",
            "password1": STRONG,
            "password2": STRONG,
            "accept_terms": "on",
        },
    )


def username_error_codes(response):
    return [
        error.code for error in response.context["form"].errors.as_data()["username"]
    ]


@pytest.mark.parametrize(
    ("name", "look_alike"),
    [
        ("admin", "\u0430dmin"),  # Cyrillic а
        ("camille", "\u0441\u0430mille"),  # Cyrillic с and а
        ("camille", "\uff43amille"),  # full-width ｃ
        ("camille", "Camille"),
        ("camille", "cami11e"),
    ],
)
def test_look_alike_names_share_a_skeleton(name, look_alike):
    assert skeleton(look_alike) == skeleton(name)


def test_different_names_keep_different_skeletons():
    assert skeleton("camille") != skeleton("camilla")


@pytest.mark.parametrize(
    "username", ["\u0441\u0430mille", "\uff43amille", "CAMILLE", "cam\u0456lle"]
)
def test_sign_up_refuses_a_look_alike_of_an_existing_name(client, username):
    UserFactory(username="camille")

    response = sign_up(client, username)

    assert response.status_code == 200
    # allauth itself finds the names equal once normalised and case-folded.
    assert username_error_codes(response) in (["look_alike"], ["username_taken"])
    assert list(User.objects.values_list("username", flat=True)) == ["camille"]


@pytest.mark.parametrize(
    "username",
    [
        "admin",
        "\u0430dmin",
        "Moderator",
        "moderation",
        "support",
        "api",
        "staff",
        "root",
        "system",
        "forum",
        "\uff53upport",
    ],
)
def test_sign_up_refuses_reserved_names_and_their_look_alikes(client, username):
    response = sign_up(client, username)

    assert response.status_code == 200
    assert "reserved" in username_error_codes(response)
    assert not User.objects.exists()


def test_sign_up_refuses_a_name_staff_reserved_in_the_admin(admin_client, client):
    admin_client.post(
        reverse("admin:accounts_reservedname_add"),
        {"name": " presse ", "note": "Le compte de la rédaction"},
    )

    response = sign_up(client, "pr\u0435sse")  # Cyrillic е

    assert ReservedName.objects.get().name == "presse"
    assert username_error_codes(response) == ["reserved"]
    assert not User.objects.filter(username__startswith="pr").exists()


def test_a_full_width_name_is_stored_in_its_normal_form(client):
    response = sign_up(client, "\uff4d\uff41\uff58\uff49\uff4d\uff45")

    assert response.status_code == 302
    user = User.objects.get()
    assert (user.username, user.username_skeleton) == ("maxime", skeleton("maxime"))


def test_admin_refuses_to_create_a_look_alike_user(admin_client):
    UserFactory(username="camille")

    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "\u0441\u0430mille",
            "password1": STRONG,
            "password2": STRONG,
            "usable_password": "true",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()["username"]
    assert [error.code for error in errors] == ["look_alike"]
    assert User.objects.filter(username="\u0441\u0430mille").count() == 0


def test_admin_refuses_to_rename_a_user_into_a_reserved_look_alike(admin_client):
    camille = UserFactory(username="camille")

    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[camille.pk]),
        {
            "username": "m\u043eder\u0430tor",
            "email": camille.email,
            "date_joined_0": "2024-01-01",
            "date_joined_1": "10:00:00",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()["username"]
    assert [error.code for error in errors] == ["reserved"]
    camille.refresh_from_db()
    assert camille.username == "camille"


def test_an_existing_account_keeps_its_reserved_name_when_edited(
    admin_client, admin_user
):
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[admin_user.pk]),
        {
            "username": admin_user.username,
            "email": "new-address@example.org",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "10:00:00",
        },
    )

    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.email == "new-address@example.org"


def test_renaming_keeps_the_skeleton_in_step(user):
    user.username = "\uff43amille"
    user.full_clean()
    user.save(update_fields=["username"])

    user.refresh_from_db()
    assert (user.username, user.username_skeleton) == ("camille", skeleton("camille"))
