"""Word lists and held replies, from the moderator's form to the reader's page."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from forum.models import Reply, WordRule
from tests.factories import ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db

REPLIES = reverse("admin:forum_reply_changelist")


def add_rule(client, word, kind):
    return client.post(
        reverse("admin:forum_wordrule_add"), {"word": word, "kind": kind}
    )


def post_reply_as(client, user, thread, body):
    client.force_login(user)
    return client.post(
        reverse("forum:reply-create", kwargs={"thread_id": thread.pk}),
        {"body": body},
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.fixture
def moderator_client(client, moderator):
    # The admin speaks the browser's language; these tests read its English.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(moderator)
    return client


def test_moderator_adds_a_banned_word_and_replies_with_it_are_refused(
    moderator_client, client, user, thread
):
    added = add_rule(moderator_client, "  arnaque ", "banned")

    response = post_reply_as(client, user, thread, "Ces offres sont une Arnaque.")

    assert added.status_code == 302
    assert WordRule.objects.get().word == "arnaque"
    assert response.status_code == 400
    assert "contains a word that is not allowed here (arnaque)" in (
        response.content.decode()
    )
    assert not Reply.objects.filter(thread=thread).exists()


def test_suspect_word_holds_the_reply_for_review(
    moderator_client, client, user, other_user, thread
):
    add_rule(moderator_client, "crypto", "suspect")

    response = post_reply_as(client, user, thread, "Payé en crypto, vraiment ?")

    assert response.status_code == 302
    reply = Reply.objects.get(thread=thread)
    assert reply.status == Reply.Status.PENDING
    assert reply.held_reason == "contains a suspect word: crypto"
    own_view = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(other_user)
    other_view = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "Payé en crypto" in own_view.content.decode()
    assert "Pending review" in own_view.content.decode()
    assert "Payé en crypto" not in other_view.content.decode()


def test_held_reply_waits_in_the_queue_until_approved(
    moderator_client, moderator, client, other_user, thread
):
    held = ReplyFactory(
        thread=thread,
        body="Un premier message",
        status=Reply.Status.PENDING,
        held_reason="one of the first replies of a new account",
    )
    ReplyFactory(thread=thread, body="Déjà publié")
    thread.refresh_from_db()
    counted_before = thread.reply_count
    queue = moderator_client.get(f"{REPLIES}?state=pending")

    response = moderator_client.post(
        REPLIES,
        {"action": "approve_replies", "_selected_action": [held.pk], "index": 0},
    )

    assert [r.body for r in queue.context["cl"].result_list] == ["Un premier message"]
    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.status, held.held_reason) == (Reply.Status.PUBLISHED, "")
    thread.refresh_from_db()
    assert thread.reply_count == counted_before + 1
    client.force_login(other_user)
    assert (
        "Un premier message" in client.get(thread.get_absolute_url()).content.decode()
    )
    assert LogEntry.objects.get(object_id=str(held.pk)).get_change_message() == (
        "Approved the reply held for review: published."
    )


def test_first_replies_of_a_new_account_are_held(client, thread, settings):
    settings.FORUM_HOLD_FIRST_REPLIES = 2
    newcomer = UserFactory()

    post_reply_as(client, newcomer, thread, "Premier message")
    post_reply_as(client, newcomer, thread, "Deuxième message")
    post_reply_as(client, newcomer, thread, "Troisième message")

    statuses = dict(Reply.objects.filter(author=newcomer).values_list("body", "status"))
    assert statuses == {
        "Premier message": "pending",
        "Deuxième message": "pending",
        "Troisième message": "published",
    }


def test_removing_a_word_rule_lets_the_word_through_again(
    moderator_client, client, user, thread
):
    rule = WordRule.objects.create(word="arnaque", kind=WordRule.Kind.BANNED)

    deleted = moderator_client.post(
        reverse("admin:forum_wordrule_delete", args=[rule.pk]), {"post": "yes"}
    )
    response = post_reply_as(client, user, thread, "Une arnaque ? Non.")

    assert deleted.status_code == 302
    assert response.status_code == 302
    assert Reply.objects.filter(thread=thread, body="Une arnaque ? Non.").exists()


def test_a_blank_word_is_refused(moderator_client):
    response = add_rule(moderator_client, "   ", "banned")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["word"]
    assert not WordRule.objects.exists()


def test_staff_outside_the_group_cannot_edit_the_word_lists(client):
    client.force_login(UserFactory(is_staff=True))

    response = add_rule(client, "arnaque", "banned")

    assert response.status_code == 403
    assert not WordRule.objects.exists()
