import pytest
from django.urls import reverse

from forum.models import Notification, OutgoingEmail, Reply
from forum.services import edit_reply, post_reply
from tests.factories import ReplyFactory, UserFactory
from tests.support import committed

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol(db):
    return UserFactory(username="carol", email_on_reply=True)


def reply_url(thread):
    return reverse("forum:reply-create", kwargs={"thread_id": thread.pk})


def test_mention_links_the_profile_and_notifies_the_reader(auth_client, thread, carol):
    with committed():
        response = auth_client.post(
            reply_url(thread), {"body": "Qu'en pense @carol ? Et @personne ?"}
        )

    assert response.status_code == 302
    reply = Reply.objects.get(thread=thread)
    assert '<a href="/u/carol/" rel="nofollow ugc noopener">@carol</a>' in (
        reply.body_html
    )
    assert "@personne" in reply.body_html
    assert "/u/personne/" not in reply.body_html
    notification = Notification.objects.get(recipient=carol)
    assert notification.kind == Notification.Kind.MENTION
    assert notification.reply == reply
    assert Notification.objects.count() == 1


def test_mention_in_code_or_a_link_is_not_one(auth_client, thread, carol):
    with committed():
        auth_client.post(
            reply_url(thread), {"body": "`@carol` et [@carol](https://example.org)"}
        )

    assert not Notification.objects.filter(recipient=carol).exists()
    assert "/u/carol/" not in Reply.objects.get(thread=thread).body_html


def test_authors_mention_of_themself_notifies_no_one(auth_client, thread, user):
    with committed():
        auth_client.post(
            reply_url(thread), {"body": "Comme je disais, @alice a raison."}
        )

    assert "/u/alice/" in Reply.objects.get(thread=thread).body_html
    assert not Notification.objects.exists()


def test_mentions_are_capped_per_reply(thread, user, settings):
    settings.FORUM_MENTIONS_PER_REPLY = 2
    readers = [UserFactory(username=f"lecteur{n}") for n in range(4)]

    with committed():
        reply = post_reply(
            thread=thread,
            author=user,
            body=" ".join(f"@{reader.username}" for reader in readers),
        )

    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"lecteur0", "lecteur1"}
    assert "/u/lecteur2/" not in reply.body_html


def test_mentioned_reader_gets_an_email_when_they_asked_for_replies(
    thread, user, carol, mailoutbox
):
    with committed():
        post_reply(thread=thread, author=user, body="Bonjour @carol.")

    assert OutgoingEmail.objects.get(recipient=carol).kind == "mention"
    assert [message.to for message in mailoutbox] == [[carol.email]]


def test_mentioned_reader_who_wants_no_email_gets_only_the_notification(
    thread, user, mailoutbox
):
    quiet = UserFactory(username="quiet", email_on_reply=False)

    with committed():
        post_reply(thread=thread, author=user, body="Bonjour @quiet.")

    assert Notification.objects.filter(recipient=quiet).exists()
    assert not OutgoingEmail.objects.filter(recipient=quiet).exists()
    assert mailoutbox == []


def test_edit_notifies_only_names_it_adds(thread, user, carol):
    dave = UserFactory(username="dave")
    with committed():
        reply = post_reply(thread=thread, author=user, body="Pour @carol.")

    with committed():
        edit_reply(reply=reply, editor=user, body="Pour @carol et @dave.")
    with committed():
        edit_reply(reply=reply, editor=user, body="Pour @carol, @dave, encore.")

    assert Notification.objects.filter(recipient=carol).count() == 1
    assert Notification.objects.filter(recipient=dave).count() == 1
    assert "/u/dave/" in Reply.objects.get(pk=reply.pk).body_html


def test_parent_author_mentioned_is_told_once_as_answered(thread, user, carol):
    parent = ReplyFactory(thread=thread, author=carol)

    with committed():
        post_reply(
            thread=thread, author=user, body="@carol je te réponds", parent=parent
        )

    assert list(Notification.objects.values_list("kind", flat=True)) == ["reply"]


def test_notification_page_says_who_mentioned_you(client, thread, user, carol):
    with committed():
        post_reply(thread=thread, author=user, body="Bonjour @carol.")
    client.force_login(carol)

    page = client.get(reverse("forum:notification-list")).content.decode()

    assert "vous a mentionné" in page


# Preview -------------------------------------------------------------------


def test_preview_button_shows_the_rendered_reply_and_posts_nothing(
    auth_client, thread, carol
):
    response = auth_client.post(
        reply_url(thread),
        {"body": "**Gras** pour @carol <script>x</script>", "preview": "1"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Gras</strong>" in page
    assert '<a href="/u/carol/" rel="nofollow ugc noopener">@carol</a>' in page
    assert "<script>x</script>" not in page
    assert "**Gras** pour @carol" in page  # still in the form
    assert not Reply.objects.exists()
    assert not Notification.objects.exists()


def test_preview_of_an_answer_keeps_its_parent(auth_client, thread, reply):
    response = auth_client.post(
        reply_url(thread), {"body": "Oui.", "parent": reply.pk, "preview": "1"}
    )

    assert f'name="parent" value="{reply.pk}"' in response.content.decode()


def test_preview_of_an_empty_reply_shows_the_error(auth_client, thread):
    response = auth_client.post(reply_url(thread), {"body": " ", "preview": "1"})

    assert 'class="form-errors"' in response.content.decode()
    assert not Reply.objects.exists()


def test_preview_while_editing_changes_nothing(auth_client, reply):
    before = reply.body

    response = auth_client.post(
        reverse("forum:reply-edit", kwargs={"reply_id": reply.pk}),
        {"body": "*Nouveau*", "preview": "1"},
    )

    assert "<em>Nouveau</em>" in response.content.decode()
    reply.refresh_from_db()
    assert reply.body == before
    assert not reply.revisions.exists()


def test_preview_endpoint_renders_through_the_sanitiser(auth_client, carol):
    response = auth_client.post(
        reverse("forum:reply-preview"),
        {"body": "[x](javascript:alert(1)) @carol"},
    )

    html = response.json()["html"]
    assert 'href="javascript' not in html
    assert 'href="/u/carol/"' in html


def test_preview_endpoint_refuses_an_empty_text(auth_client):
    response = auth_client.post(reverse("forum:reply-preview"), {"body": ""})

    assert response.status_code == 400
    assert "body" in response.json()["errors"]


def test_preview_endpoint_needs_a_csrf_token(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(reverse("forum:reply-preview"), {"body": "x"})

    assert response.status_code == 403


def test_preview_endpoint_is_for_signed_in_readers(client, db):
    response = client.post(reverse("forum:reply-preview"), {"body": "x"})

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_mention_ignores_the_case_of_the_name(thread, user, carol):
    with committed():
        reply = post_reply(thread=thread, author=user, body="Merci @Carol et @CAROL.")

    assert reply.body_html.count('href="/u/carol/"') == 2
    assert Notification.objects.filter(recipient=carol).count() == 1


def test_inactive_reader_is_neither_linked_nor_told(thread, user):
    gone = UserFactory(username="parti", is_active=False)

    with committed():
        reply = post_reply(thread=thread, author=user, body="Où est @parti ?")

    assert "/u/parti/" not in reply.body_html
    assert not Notification.objects.filter(recipient=gone).exists()
