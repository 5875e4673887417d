"""User text and names are shown in bidirectional isolation.

A right-to-left override (U+202E) or a right-to-left name must not reorder
the text around it: reply bodies carry dir="auto", names sit in <bdi> in
pages and the admin, and between isolate marks in plain-text e-mails.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import ReplyFactory, UserFactory
from tests.support import post_reply_committed

pytestmark = pytest.mark.django_db

RLO = "\u202e"
# Names from before display names refused format characters, and a name
# written right to left.
TRICKY_NAME = f"{RLO}enilorac"
ARABIC_NAME = "\u0633\u0627\u0631\u0629"


def shown(page: str) -> str:
    """The page without its scripts (JSON-LD repeats the text as data)."""
    return re.sub(r"<script\b.*?</script>", "", page, flags=re.S)


def test_a_reply_with_an_override_stays_inside_its_own_isolated_block(client, thread):
    ReplyFactory(thread=thread, body=f"Avant {RLO}gnitsop ecneics{RLO} après.")

    page = shown(client.get(thread.get_absolute_url()).content.decode())

    blocks = re.findall(r'<div class="reply-body" dir="auto">(.*?)</div>', page, re.S)
    assert len(blocks) == 1
    assert blocks[0].count(RLO) == 2
    assert page.count(RLO) == 2


def test_authors_names_are_isolated_on_the_thread_page(client, thread):
    author = UserFactory(username="caroline", display_name=TRICKY_NAME)
    parent = ReplyFactory(thread=thread, author=author)
    ReplyFactory(thread=thread, parent=parent)

    page = shown(client.get(thread.get_absolute_url()).content.decode())

    assert (
        f'<a class="author" href="{author.get_absolute_url()}">'
        f"<bdi>{TRICKY_NAME}</bdi></a>"
    ) in page
    assert page.count(RLO) == page.count(f"<bdi>{RLO}")


def test_in_reply_to_names_are_isolated(client, thread, settings):
    settings.FORUM_DISPLAY_DEPTH_CAP = 1
    author = UserFactory(username=ARABIC_NAME)
    top = ReplyFactory(thread=thread)
    middle = ReplyFactory(thread=thread, parent=top, author=author)
    ReplyFactory(thread=thread, parent=middle)

    page = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    assert f"in reply to @<bdi>{ARABIC_NAME}</bdi>" in page.content.decode()


def test_the_profile_page_isolates_the_names_and_the_bio(client):
    person = UserFactory(username=ARABIC_NAME, display_name=TRICKY_NAME, bio="Bio")

    page = client.get(person.get_absolute_url()).content.decode()

    assert (
        f"<h1><bdi>{TRICKY_NAME}</bdi> <small>@<bdi>{ARABIC_NAME}</bdi></small></h1>"
    ) in page
    assert '<p class="bio" dir="auto">Bio</p>' in page


def test_the_header_isolates_the_signed_in_readers_name(client):
    reader = UserFactory(display_name=TRICKY_NAME)
    client.force_login(reader)

    page = client.get("/").content.decode()

    assert f'<a href="{reader.get_absolute_url()}"><bdi>{TRICKY_NAME}</bdi></a>' in (
        page
    )


def test_the_inbox_isolates_the_name_inside_the_sentence(auth_client, reply):
    post_reply_committed(
        thread=reply.thread,
        author=UserFactory(display_name=TRICKY_NAME),
        body="Réponse.",
        parent=reply,
    )

    page = auth_client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en")

    assert f"<bdi>{TRICKY_NAME}</bdi> replied to you in" in page.content.decode()


def test_e_mails_put_names_between_isolate_marks(
    client, reply, user, django_capture_on_commit_callbacks
):
    user.email_on_reply = True
    user.display_name = ARABIC_NAME
    user.save()
    answerer = UserFactory(display_name=TRICKY_NAME)
    client.force_login(answerer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("forum:reply-create", args=[reply.thread.pk]),
            {"body": "Une réponse.", "parent": reply.pk},
        )

    message = mail.outbox[0]
    assert message.subject.startswith(f"\u2068{TRICKY_NAME}\u2069 replied in")
    assert f"Hello \u2068{ARABIC_NAME}\u2069," in message.body
    assert f"\u2068{TRICKY_NAME}\u2069 wrote in" in message.body


def test_the_admin_lists_isolate_names_and_excerpts(admin_client, thread):
    author = UserFactory(username="caroline", display_name=TRICKY_NAME)
    ReplyFactory(thread=thread, author=author, body=f"Texte {RLO}esrever")

    replies = admin_client.get(reverse("admin:forum_reply_changelist"))
    users = admin_client.get(reverse("admin:accounts_user_changelist"))

    replies_html = replies.content.decode()
    assert f"<bdi>Texte {RLO}esrever</bdi>" in replies_html
    assert "<bdi>caroline</bdi>" in replies_html
    assert f"<bdi>{TRICKY_NAME}</bdi>" in users.content.decode()
