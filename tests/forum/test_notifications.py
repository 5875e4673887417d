from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import Notification, Reply
from forum.services import (
    mark_notifications_read,
    post_reply,
    remove_reply,
    restore_reply,
)
from tests.factories import ArticleFactory, ReplyFactory, ThreadFactory, UserFactory
from tests.support import committed

INBOX = "/notifications/"


def post_and_commit(**kwargs):
    """Post a reply and run what waits for its commit: the queued fan-out."""
    with committed():
        return post_reply(**kwargs)


def _answer(reply, author, body="Je ne suis pas d'accord avec vous."):
    return post_and_commit(thread=reply.thread, author=author, body=body, parent=reply)


def test_answering_a_reply_from_the_thread_page_notifies_its_author(
    client, reply, user, other_user
):
    client.force_login(other_user)

    with committed():
        response = client.post(
            reverse("forum:reply-create", args=[reply.thread.pk]),
            {"body": "Ces salaires me semblent exagérés.", "parent": reply.pk},
        )

    assert response.status_code == 302
    answer = Reply.objects.get(parent=reply)
    notification = Notification.objects.get(recipient=user)
    assert notification.reply == answer
    assert notification.kind == Notification.Kind.REPLY
    assert notification.read_at is None


def test_inbox_lists_the_answer_with_a_link_to_it(client, reply, user, other_user):
    answer = _answer(reply, other_user)
    client.force_login(user)

    response = client.get(INBOX, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<bdi>bob</bdi> replied to you in “" + reply.thread.title + "”" in html
    notification = Notification.objects.get(recipient=user)
    assert f'href="/notifications/{notification.pk}/"' in html
    opened = client.get(f"/notifications/{notification.pk}/")
    assert opened["Location"] == (
        f"{reply.thread.get_absolute_url()}#reply-{answer.pk}"
    )
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "Je ne suis pas d&#x27;accord avec vous." in html


def test_inbox_is_in_french_by_default(client, reply, user, other_user):
    _answer(reply, other_user)
    client.force_login(user)

    response = client.get(INBOX)

    html = response.content.decode()
    assert (
        f"<bdi>bob</bdi> vous a répondu dans «\u00a0{reply.thread.title}\u00a0»" in html
    )
    assert "Tout marquer comme lu" in html


def test_header_shows_the_number_of_unread_notifications(
    client, reply, user, other_user
):
    _answer(reply, other_user, "Première réponse.")
    second = ReplyFactory(thread=reply.thread, author=user)
    _answer(second, other_user, "Deuxième réponse.")
    client.force_login(user)

    response = client.get("/")

    assert '<span class="badge unread"' in response.content.decode()
    assert ">2</span>" in response.content.decode()
    assert Notification.objects.filter(recipient=user, read_at=None).count() == 2


def test_unread_notifications_come_first_and_are_marked_new(
    client, reply, user, other_user
):
    older_unread = Notification.objects.get(
        reply=_answer(reply, other_user, "Ancienne réponse non lue."), recipient=user
    )
    read = Notification.objects.get(
        reply=_answer(reply, other_user, "Réponse déjà lue."), recipient=user
    )
    mark_notifications_read(user=user, ids=[read.pk])
    client.force_login(user)

    response = client.get(INBOX)

    listed = [item.pk for item in response.context["notifications"]]
    assert listed == [older_unread.pk, read.pk]
    html = response.content.decode()
    assert f'class="notification unread" id="notification-{older_unread.pk}"' in html
    assert f'class="notification" id="notification-{read.pk}"' in html


def test_marking_one_notification_read_returns_to_the_inbox(
    client, reply, user, other_user
):
    answer = _answer(reply, other_user)
    notification = Notification.objects.get(recipient=user, reply=answer)
    client.force_login(user)

    response = client.post(
        reverse("forum:notification-read", args=[notification.pk]),
        {"next": INBOX},
    )

    assert response.status_code == 302
    assert response["Location"] == INBOX
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert '<span class="badge unread"' not in client.get(INBOX).content.decode()


def test_marking_all_read_clears_every_unread_notification(
    client, reply, user, other_user
):
    for number in range(3):
        _answer(reply, other_user, f"Réponse numéro {number}.")
    client.force_login(user)

    response = client.post(reverse("forum:notifications-read-all"))

    assert response.status_code == 302
    assert response["Location"] == INBOX
    assert Notification.objects.filter(recipient=user, read_at=None).count() == 0
    assert Notification.objects.filter(recipient=user).count() == 3


def test_marking_read_does_not_touch_other_readers_notifications(
    client, reply, user, other_user
):
    _answer(reply, other_user)
    theirs = ReplyFactory(thread=reply.thread, author=other_user)
    _answer(theirs, user)
    client.force_login(user)

    client.post(reverse("forum:notifications-read-all"))

    assert Notification.objects.get(recipient=other_user).read_at is None
    assert Notification.objects.get(recipient=user).read_at is not None


def test_nobody_can_mark_someone_elses_notification_read(
    client, reply, user, other_user
):
    _answer(reply, other_user)
    notification = Notification.objects.get(recipient=user)
    client.force_login(other_user)

    response = client.post(reverse("forum:notification-read", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_needs_a_post(client, reply, user, other_user):
    _answer(reply, other_user)
    notification = Notification.objects.get(recipient=user)
    client.force_login(user)

    response = client.get(reverse("forum:notification-read", args=[notification.pk]))

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_ignores_a_next_address_on_another_site(
    client, reply, user, other_user
):
    _answer(reply, other_user)
    client.force_login(user)

    response = client.post(
        reverse("forum:notifications-read-all"), {"next": "https://evil.example/"}
    )

    assert response["Location"] == INBOX
    assert Notification.objects.filter(recipient=user, read_at=None).count() == 0


def test_inbox_asks_an_anonymous_visitor_to_log_in(client, db):
    response = client.get(INBOX)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_inbox_shows_a_placeholder_for_a_removed_reply(
    client, reply, user, other_user, moderator
):
    answer = _answer(reply, other_user, "Un message insultant.")
    remove_reply(reply=answer, by=moderator, reason=Reply.RemovalReason.ABUSE)
    client.force_login(user)

    response = client.get(INBOX)

    html = response.content.decode()
    assert "[message removed by the moderators]" not in html
    assert "[message supprimé par la modération]" in html
    assert "Un message insultant." not in html


def test_inbox_keeps_a_notification_from_a_hidden_thread_without_its_link(
    client, reply, user, other_user, moderator
):
    answer = _answer(reply, other_user)
    thread = reply.thread
    thread.is_hidden = True
    thread.save()
    client.force_login(user)

    response = client.get(INBOX, HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert "This thread is no longer available." in html
    assert answer.get_absolute_url() not in html
    assert Notification.objects.filter(recipient=user).count() == 1


def test_inbox_is_paginated(client, user, other_user):
    thread = ThreadFactory()
    for number in range(23):
        parent = ReplyFactory(thread=thread, author=user)
        post_and_commit(
            thread=thread, author=other_user, body=f"Réponse {number}.", parent=parent
        )
    client.force_login(user)

    first = client.get(INBOX)
    second = client.get(INBOX, {"page": 2})

    assert len(first.context["notifications"]) == 20
    assert len(second.context["notifications"]) == 3
    assert 'rel="next"' in first.content.decode()


def test_inbox_costs_the_same_queries_whatever_the_number_of_notifications(
    client, user, settings
):
    def queries_for_inbox():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(INBOX)
        assert response.status_code == 200
        return len(captured)

    # Sessions in the database, whichever cache is configured, so that the
    # count below is the same on every set-up.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    article = ArticleFactory()
    client.force_login(user)
    for number in range(2):
        parent = ReplyFactory(thread=ThreadFactory(article=article), author=user)
        post_and_commit(
            thread=parent.thread,
            author=UserFactory(),
            body=f"Réponse {number}.",
            parent=parent,
        )
    few = queries_for_inbox()

    for number in range(15):
        parent = ReplyFactory(thread=ThreadFactory(), author=user)
        post_and_commit(
            thread=parent.thread,
            author=UserFactory(),
            body=f"Autre réponse {number}.",
            parent=parent,
        )
    many = queries_for_inbox()

    # session, user, the user's own and group permissions (may they open
    # hidden threads?), the total for the paginator, the page of
    # notifications with their replies, authors, threads and articles, the
    # header's unread count
    assert few == many == 7


def test_opted_in_reader_gets_an_email_linking_to_the_answer(
    client, reply, user, other_user, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://forum.example.org"
    user.email_on_reply = True
    user.save()
    reply.thread.title = "L'IA paie-t-elle trop ?"
    reply.thread.save()
    client.force_login(other_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("forum:reply-create", args=[reply.thread.pk]),
            {"body": "Les salaires suivent la rareté des profils.", "parent": reply.pk},
        )

    answer = Reply.objects.get(parent=reply)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == (
        "\u2068bob\u2069 a répondu dans « L'IA paie-t-elle trop ? »"
    )
    assert f"https://forum.example.org{answer.get_absolute_url()}" in message.body
    assert "Les salaires suivent la rareté des profils." in message.body
    assert "Bonjour \u2068Alice\u2069," in message.body


def test_reader_who_did_not_opt_in_gets_no_email(
    reply, user, other_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _answer(reply, other_user)

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=user).count() == 1


def test_answering_your_own_reply_notifies_nobody(
    reply, user, django_capture_on_commit_callbacks
):
    user.email_on_reply = True
    user.save()

    with django_capture_on_commit_callbacks(execute=True):
        _answer(reply, user, "Je complète mon propre message.")

    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_a_moderator_removing_a_reply_tells_its_author(client, reply, user, moderator):
    with committed():
        remove_reply(reply=reply, by=moderator, reason=Reply.RemovalReason.ABUSE)
    client.force_login(user)

    response = client.get(INBOX)

    notification = Notification.objects.get(recipient=user)
    assert (notification.reply, notification.kind) == (reply, "removed")
    assert (
        f"Un modérateur a retiré votre réponse dans «\u00a0{reply.thread.title}\u00a0»"
        in response.content.decode()
    )


def test_an_author_removing_their_own_reply_is_not_told(reply, user):
    with committed():
        remove_reply(reply=reply, by=user, reason=Reply.RemovalReason.AUTHOR)

    assert Notification.objects.filter(recipient=user).count() == 0


def test_restoring_a_removed_reply_tells_its_author_again(reply, user, moderator):
    with committed():
        remove_reply(reply=reply, by=moderator, reason=Reply.RemovalReason.SPAM)
    mark_notifications_read(user=user)

    with committed():
        restore_reply(reply=reply, by=moderator)

    notification = Notification.objects.get(recipient=user)
    assert notification.kind == Notification.Kind.RESTORED
    assert notification.read_at is None
