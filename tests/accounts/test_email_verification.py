"""An address is required at sign-up and confirmed before a first reply."""

import importlib
import re
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import create_api_token
from forum.models import Reply
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG = "un-mot-de-passe-solide-2024"


def sign_up(client, **fields):
    return client.post(
        reverse("account_signup"),
        {
            "username": "claire",
            "email": "claire@example.org",
            "password1": STRONG,
            "password2": STRONG,
            "accept_terms": "on",
            **fields,
        },
    )


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def reply_through_the_page(client, thread, body="Ma première réponse."):
    return client.post(reverse("forum:reply-create", args=[thread.pk]), {"body": body})


def test_sign_up_without_an_address_is_refused(client):
    response = sign_up(client, email="")

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not User.objects.filter(username="claire").exists()


def test_sign_up_sends_the_confirmation_link_and_leaves_the_address_unconfirmed(
    client,
):
    response = sign_up(client)

    assert response.status_code == 302
    user = User.objects.get(username="claire")
    assert not user.has_verified_email
    assert [message.to for message in mail.outbox] == [["claire@example.org"]]
    assert "/accounts/confirm-email/" in link_in(mail.outbox[0])


def test_an_unconfirmed_reader_sees_why_and_a_resend_button_instead_of_the_form(
    client, thread
):
    sign_up(client)

    page = client.get(thread.get_absolute_url()).content.decode()

    assert 'id="reply-form"' not in page
    assert "Confirmez votre adresse e-mail avant votre première réponse" in page
    assert reverse("accounts:verify-email") in page


def test_an_unconfirmed_readers_reply_is_refused_and_stores_nothing(client, thread):
    sign_up(client)

    response = reply_through_the_page(client, thread)

    assert response.status_code in (200, 403)
    assert "Confirmez votre adresse e-mail avant de répondre" in (
        response.content.decode()
    )
    assert not Reply.objects.exists()


def test_the_api_refuses_an_unconfirmed_readers_reply_with_a_clear_403(thread):
    user = UserFactory(username="claire", email_verified_at=None)
    client = APIClient()
    token = create_api_token(user=user, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.secret}")

    response = client.post(
        f"/api/v1/threads/{thread.pk}/replies/",
        {"body": "Ma première réponse."},
        format="json",
    )

    assert response.status_code == 403
    assert (
        "Confirmez votre adresse e-mail avant de répondre"
        in (response.json()["detail"])
    )
    assert not Reply.objects.exists()


def test_following_the_link_lets_the_reader_reply(client, thread):
    sign_up(client)
    link = link_in(mail.outbox[0])

    assert client.get(link).status_code == 200
    client.post(link)

    user = User.objects.get(username="claire")
    assert user.has_verified_email
    assert EmailAddress.objects.get(user=user).verified
    response = reply_through_the_page(client, thread)
    assert response.status_code == 302
    assert Reply.objects.get().author == user


def test_the_resend_button_sends_a_new_link(client, thread):
    client.force_login(UserFactory(username="claire", email_verified_at=None))

    response = client.post(
        reverse("accounts:verify-email"), {"next": thread.get_absolute_url()}
    )

    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert [message.to for message in mail.outbox] == [["claire@example.org"]]


def test_a_second_link_asked_at_once_is_not_sent(client, thread):
    sign_up(client)
    mail.outbox.clear()

    response = client.post(
        reverse("accounts:verify-email"),
        {"next": thread.get_absolute_url()},
        follow=True,
    )

    assert mail.outbox == []
    assert "attendez quelques minutes" in response.content.decode()


def test_the_resend_button_never_sends_the_reader_to_another_site(client):
    sign_up(client)

    response = client.post(
        reverse("accounts:verify-email"), {"next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("accounts:profile-edit")


def test_an_existing_account_without_a_confirmed_address_gets_a_link_to_confirm(
    client, thread
):
    """Accounts made before addresses were confirmed: a link is sent on
    request, for the address already on the account."""
    user = UserFactory(username="ancien", email_verified_at=None)
    client.force_login(user)
    assert not EmailAddress.objects.filter(user=user).exists()

    client.post(reverse("accounts:verify-email"))
    client.post(link_in(mail.outbox[0]))

    user.refresh_from_db()
    assert user.has_verified_email
    assert reply_through_the_page(client, thread).status_code == 302


def test_an_existing_account_without_an_address_is_asked_to_add_one(client, thread):
    client.force_login(UserFactory(username="ancien", email="", email_verified_at=None))

    page = client.get(thread.get_absolute_url()).content.decode()

    assert reverse("accounts:profile-edit") in page
    assert "Ajoutez une adresse e-mail à votre profil" in page


def test_changing_the_address_asks_to_confirm_it_again(client, user, thread):
    client.force_login(user)

    client.post(
        reverse("accounts:profile-edit"),
        {"display_name": "Alice", "email": "alice@nouvelle.example", "language": ""},
    )

    user.refresh_from_db()
    assert user.email == "alice@nouvelle.example"
    assert not user.has_verified_email
    assert [message.to for message in mail.outbox] == [["alice@nouvelle.example"]]
    assert reply_through_the_page(client, thread).status_code != 302


def test_staff_reply_without_a_confirmed_address(client, thread):
    client.force_login(
        UserFactory(username="redaction", is_staff=True, email_verified_at=None)
    )

    assert reply_through_the_page(client, thread).status_code == 302


def test_the_migration_counts_only_addresses_allauth_had_confirmed():
    migration = importlib.import_module(
        "accounts.migrations.0006_user_email_verified_at"
    )
    state = MigrationExecutor(connection).loader.project_state(
        ("accounts", "0006_user_email_verified_at")
    )
    confirmed = UserFactory(username="confirmee", email_verified_at=None)
    EmailAddress.objects.create(user=confirmed, email=confirmed.email, verified=True)
    pending = UserFactory(username="en-attente", email_verified_at=None)
    EmailAddress.objects.create(user=pending, email=pending.email, verified=False)
    without = UserFactory(username="sans-adresse", email="", email_verified_at=None)

    migration.carry_over_verified_addresses(
        state.apps, SimpleNamespace(connection=connection)
    )

    for account in (confirmed, pending, without):
        account.refresh_from_db()
    assert confirmed.has_verified_email
    assert not pending.has_verified_email
    assert not without.has_verified_email


def test_staff_see_when_an_address_was_confirmed_and_the_terms_accepted(client, user):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:accounts_user_change", args=[user.pk]))

    fields = page.context["adminform"].readonly_fields
    assert {"email_verified_at", "terms_accepted_at"} <= set(fields)
    assert "adresse e-mail confirmée le" in page.content.decode().lower()
