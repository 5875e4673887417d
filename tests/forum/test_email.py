"""E-mail readers can control: their language, text and HTML, one-click
unsubscribe, separate settings, a daily digest, and failures that never
reach the author of the reply."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import create_api_token
from forum.models import Notification, OutgoingEmail, Reply, TaskFailure
from forum.notifications import unsubscribe_token
from forum.services import follow_thread, post_reply
from forum.settings import email_settings
from forum.tasks import retry_pending_work, send_email
from tests.factories import ReplyFactory, ThreadFactory, UserFactory
from tests.support import committed

BROKEN = "tests.support.BrokenEmailBackend"


def _answer(reply, author, body="Les salaires suivent la rareté."):
    with committed():
        return post_reply(thread=reply.thread, author=author, body=body, parent=reply)


def _unsubscribe_link(message):
    return re.search(r"<(https?://[^>]+)>", message.extra_headers["List-Unsubscribe"])[
        1
    ]


@pytest.fixture
def subscriber(db):
    return UserFactory(
        username="alice", display_name="Alice", email_on_reply=True, language=""
    )


def test_a_reader_who_uses_the_site_in_english_gets_the_email_in_english(
    subscriber, other_user, settings
):
    settings.SITE_URL = "https://forum.example.org"
    subscriber.language = "en"
    subscriber.save()
    reply = ReplyFactory(author=subscriber, thread=ThreadFactory(title="AI pay?"))

    answer = _answer(reply, other_user)

    [message] = mail.outbox
    assert message.subject == '\u2068bob\u2069 replied in "AI pay?"'
    assert "Hello \u2068Alice\u2069," in message.body
    assert f"https://forum.example.org{answer.get_absolute_url()}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en">' in html
    assert f'href="https://forum.example.org{answer.get_absolute_url()}"' in html
    assert "<p>Les salaires suivent la rareté.</p>" in html


def test_the_last_language_used_on_the_site_chooses_the_email_language(
    subscriber, other_user
):
    client = Client()
    subscriber.set_password("un mot de passe solide")
    subscriber.save()
    client.post(
        reverse("account_login"),
        {"login": "alice", "password": "un mot de passe solide"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    reply = ReplyFactory(author=subscriber)

    _answer(reply, other_user)

    subscriber.refresh_from_db()
    assert subscriber.last_language == "en"
    assert mail.outbox[0].body.startswith("Hello \u2068Alice\u2069,")


def test_each_email_carries_one_click_unsubscribe_headers(subscriber, other_user):
    _answer(ReplyFactory(author=subscriber), other_user)

    [message] = mail.outbox
    link = _unsubscribe_link(message)
    assert link.startswith("http://127.0.0.1:8000/email/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert link in message.body


def test_the_mail_clients_one_click_post_unsubscribes_without_signing_in(
    subscriber, other_user
):
    _answer(ReplyFactory(author=subscriber), other_user)
    link = _unsubscribe_link(mail.outbox[0])

    response = Client().post(
        link, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.email_on_reply is False


def test_opening_the_unsubscribe_link_asks_before_changing_anything(subscriber):
    path = reverse(
        "forum:email-unsubscribe", args=[unsubscribe_token(subscriber, "reply")]
    )

    page = Client().get(path)

    assert page.status_code == 200
    assert "Arrêter ces e-mails" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.email_on_reply is True


def test_a_tampered_unsubscribe_link_is_refused_and_changes_nothing(subscriber):
    token = unsubscribe_token(subscriber, "reply")
    forged = token.replace(token[-3:], "abc" if token[-3:] != "abc" else "abd")

    response = Client().post(
        reverse("forum:email-unsubscribe", args=[forged]),
        "List-Unsubscribe=One-Click",
        "application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.email_on_reply is True


def test_unsubscribing_from_followed_threads_keeps_replies_to_me(subscriber):
    subscriber.email_on_followed = True
    subscriber.save()
    path = reverse(
        "forum:email-unsubscribe", args=[unsubscribe_token(subscriber, "followed")]
    )

    Client().post(path)

    subscriber.refresh_from_db()
    assert subscriber.email_on_followed is False
    assert subscriber.email_on_reply is True


def test_the_profile_has_separate_settings_for_replies_and_followed_threads(
    auth_client, user
):
    response = auth_client.post(
        reverse("accounts:profile-edit"),
        {
            "display_name": "Alice",
            "bio": "",
            "email": "alice@example.org",
            "email_on_followed": "on",
            "email_digest": "on",
            "language": "en",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.email_on_reply, user.email_on_followed, user.email_digest) == (
        False,
        True,
        True,
    )
    assert user.language == "en"


def test_a_digest_reader_gets_one_email_a_day_listing_the_replies(
    subscriber, other_user
):
    subscriber.email_digest = True
    subscriber.email_on_followed = True
    subscriber.save()
    thread = ThreadFactory(title="Les salaires de l'IA")
    follow_thread(thread=thread, user=subscriber)
    mine = ReplyFactory(thread=thread, author=subscriber)
    _answer(mine, other_user, "Première réponse.")
    with committed():
        post_reply(thread=thread, author=UserFactory(), body="Seconde réponse.")
    assert mail.outbox == []

    with committed():
        call_command("send_digests", stdout=StringIO())
    with committed():
        call_command("send_digests", stdout=StringIO())

    [digest] = mail.outbox
    assert digest.to == [subscriber.email]
    assert digest.subject == "2 nouvelles réponses sur le forum"
    assert "Première réponse." in digest.body
    assert "Seconde réponse." in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_sending_an_email_twice_sends_it_once(subscriber, other_user):
    _answer(ReplyFactory(author=subscriber), other_user)
    email = OutgoingEmail.objects.get()

    send_email.apply(args=[email.pk])

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 1


def test_a_failed_email_is_kept_then_sent_once_by_the_retry(
    subscriber, other_user, settings
):
    settings.EMAIL_BACKEND = BROKEN
    _answer(ReplyFactory(author=subscriber), other_user)
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.PENDING
    assert "SMTP relay refused" in email.last_error
    OutgoingEmail.objects.filter(pk=email.pk).update(
        created_at=email.created_at.replace(year=email.created_at.year - 1)
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with committed():
        retry_pending_work()
    with committed():
        retry_pending_work()

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 2)


def test_an_email_that_keeps_failing_is_shown_to_staff(
    subscriber, other_user, settings, admin_client
):
    settings.EMAIL_BACKEND = BROKEN
    settings.FORUM_EMAIL_MAX_ATTEMPTS = 1

    _answer(ReplyFactory(author=subscriber), other_user)

    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.FAILED
    failures = admin_client.get(reverse("admin:forum_taskfailure_changelist"))
    emails = admin_client.get(
        reverse("admin:forum_outgoingemail_changelist"), {"status": "failed"}
    )
    assert "forum.tasks.send_email" in failures.content.decode()
    assert "SMTP relay refused the connection" in failures.content.decode()
    assert "SMTP relay refused the connection" in emails.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_backend_never_fails_the_api_request(settings):
    settings.EMAIL_BACKEND = BROKEN
    author = UserFactory(username="alice", email_on_reply=True)
    replier = UserFactory(username="bob")
    parent = ReplyFactory(author=author)
    token = create_api_token(user=replier, name="test")
    api = APIClient(HTTP_AUTHORIZATION=f"Bearer {token.secret}")

    response = api.post(
        f"/api/v1/threads/{parent.thread_id}/replies/",
        {"body": "Une réponse qui doit arriver une fois.", "parent": parent.pk},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert Reply.objects.filter(parent=parent).count() == 1
    assert Notification.objects.filter(recipient=author).count() == 1
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.PENDING
    assert TaskFailure.objects.filter(task_name="forum.tasks.send_email").exists()


def test_email_url_gives_djangos_smtp_settings():
    values = email_settings(
        {"EMAIL_URL": "smtp+tls://mailer:s%40cret@smtp.example.org:2525"}
    )

    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("smtp.example.org", 2525)
    assert (values["EMAIL_HOST_USER"], values["EMAIL_HOST_PASSWORD"]) == (
        "mailer",
        "s@cret",
    )
    assert values["EMAIL_USE_TLS"] is True


def test_email_url_with_an_unknown_scheme_is_a_clear_error():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="unknown scheme 'gopher'"):
        email_settings({"EMAIL_URL": "gopher://mail"})


def test_the_sender_address_is_not_at_localhost(settings):
    assert "@localhost" not in settings.DEFAULT_FROM_EMAIL


def test_the_digests_unsubscribe_link_stops_the_digest_already_waiting(
    subscriber, other_user
):
    subscriber.email_digest = True
    subscriber.save()
    _answer(ReplyFactory(author=subscriber), other_user)
    with committed():
        call_command("send_digests", stdout=StringIO())
    link = _unsubscribe_link(mail.outbox[0])
    _answer(ReplyFactory(author=subscriber), other_user, "Une autre réponse.")

    Client().post(
        link, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded"
    )
    with committed():
        call_command("send_digests", stdout=StringIO())

    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.filter(status="cancelled").count() == 1


def test_staff_send_a_failed_email_again_from_the_admin(
    subscriber, other_user, settings, admin_client
):
    settings.EMAIL_BACKEND = BROKEN
    settings.FORUM_EMAIL_MAX_ATTEMPTS = 1
    _answer(ReplyFactory(author=subscriber), other_user)
    email = OutgoingEmail.objects.get(status="failed")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with committed():
        response = admin_client.post(
            reverse("admin:forum_outgoingemail_changelist"),
            {"action": "send_again", "_selected_action": [email.pk]},
        )

    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert [message.to for message in mail.outbox] == [[subscriber.email]]
