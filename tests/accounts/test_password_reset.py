"""Password reset end to end, with the mail read back from each backend."""

import re
from email import message_from_bytes
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "une-toute-nouvelle-phrase-2025"


def outbox_locmem(tmp_path) -> list[str]:
    return [message.body for message in mail.outbox]


def outbox_file(tmp_path) -> list[str]:
    bodies = []
    for path in sorted(Path(tmp_path).glob("*.log")):
        # The file backend writes each message, then a line of dashes.
        for raw in path.read_bytes().split(b"-" * 79):
            if raw.strip():
                message = message_from_bytes(raw.strip())
                parts = message.walk() if message.is_multipart() else [message]
                bodies.extend(
                    part.get_payload(decode=True).decode(
                        part.get_content_charset() or "utf-8"
                    )
                    for part in parts
                    if part.get_content_type() == "text/plain"
                )
    return bodies


BACKENDS = {
    "locmem": ("django.core.mail.backends.locmem.EmailBackend", outbox_locmem),
    "file": ("django.core.mail.backends.filebased.EmailBackend", outbox_file),
}


@pytest.fixture(params=BACKENDS)
def outbox(request, settings, tmp_path):
    backend, read = BACKENDS[request.param]
    settings.EMAIL_BACKEND = backend
    settings.EMAIL_FILE_PATH = str(tmp_path)
    return lambda: read(tmp_path)


def test_a_reader_resets_their_password_and_signs_in_with_it(client, user, outbox):
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302

    (body,) = outbox()
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", body)
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    set_password_url = (
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1)
    )
    done = client.post(
        set_password_url,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert done.status_code == 302

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    client.logout()
    signed_in = client.post(
        reverse("account_login"), {"login": user.username, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_used_reset_link_does_not_work_twice(client, user, outbox):
    client.post(reverse("account_reset_password"), {"email": user.email})
    (body,) = outbox()
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", body)
    form = client.get(link.group(1), follow=True)
    set_password_url = form.redirect_chain[-1][0]
    client.post(
        set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    again = client.get(link.group(1), follow=True)

    assert "password1" not in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_an_unknown_address_gets_no_reset_link(client, db, outbox):
    response = client.post(
        reverse("account_reset_password"), {"email": "personne@example.org"}
    )

    assert response.status_code == 302
    assert not any("/accounts/password/reset/key/" in body for body in outbox())
