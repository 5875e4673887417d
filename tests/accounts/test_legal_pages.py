"""The privacy notice and the terms: linked at sign-up and in the footer,
accepted at sign-up, kept by staff in the admin."""

import pytest
from django.urls import reverse

from accounts.models import LegalPage, User
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
            **fields,
        },
    )


def test_the_sign_up_page_links_the_terms_and_the_privacy_notice(client):
    page = client.get(reverse("account_signup")).content.decode()

    assert f'href="{reverse("accounts:terms")}"' in page
    assert f'href="{reverse("accounts:privacy")}"' in page
    assert 'name="accept_terms"' in page


def test_sign_up_without_accepting_the_terms_is_refused(client):
    response = sign_up(client)

    assert response.status_code == 200
    assert response.context["form"].errors["accept_terms"] == [
        "Acceptez les conditions d'utilisation pour créer un compte."
    ]
    assert not User.objects.filter(username="claire").exists()


def test_sign_up_records_when_the_terms_were_accepted(client):
    sign_up(client, accept_terms="on")

    assert User.objects.get(username="claire").terms_accepted_at is not None


@pytest.mark.parametrize(
    ("language", "kind", "title"),
    [
        ("fr", "privacy", "Confidentialité"),
        ("en", "privacy", "Privacy"),
        ("fr", "terms", "Conditions d'utilisation"),
        ("en", "terms", "Terms of use"),
    ],
)
def test_each_page_has_a_default_text_in_both_languages(client, language, kind, title):
    response = client.get(reverse(f"accounts:{kind}"), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in response.content.decode().replace("&#x27;", "'")


def test_the_footer_links_both_pages(client):
    page = client.get("/").content.decode()

    assert f'href="{reverse("accounts:privacy")}"' in page
    assert f'href="{reverse("accounts:terms")}"' in page


def test_the_privacy_notice_names_the_readers_rights(client):
    page = client.get(reverse("accounts:privacy")).content.decode()

    assert "Télécharger mes données" in page
    assert "Supprimer mon compte" in page
    assert "CNIL" in page


def test_staff_edit_the_privacy_notice_in_the_admin(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = LegalPage.objects.get(kind="privacy", language="fr")

    response = client.post(
        reverse("admin:accounts_legalpage_change", args=[page.pk]),
        {
            "kind": "privacy",
            "language": "fr",
            "title": "Vos données",
            "body": "Écrivez à **dpo@example.org**.\n\n<script>alert(1)</script>",
        },
    )

    assert response.status_code == 302
    shown = client.get(reverse("accounts:privacy")).content.decode()
    assert "<h1>Vos données</h1>" in shown
    assert "<strong>dpo@example.org</strong>" in shown
    assert "<script>alert(1)</script>" not in shown


def test_a_missing_page_comes_back_with_its_default_text(client):
    LegalPage.objects.all().delete()

    response = client.get(reverse("accounts:terms"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "<h1>Terms of use</h1>" in response.content.decode()
