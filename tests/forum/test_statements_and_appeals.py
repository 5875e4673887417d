"""Statements of reasons and appeals: the author is told what was decided,
why and how to contest it; an appeal is handled by another moderator and
reversing it restores."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import ban_user
from forum.models import (
    Appeal,
    ModerationDecision,
    Notification,
    Reply,
    WordRule,
)
from forum.services import lock_thread, remove_reply
from tests.api.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPLIES = reverse("admin:forum_reply_changelist")
APPEALS = reverse("admin:forum_appeal_changelist")


def english(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def remove_in_the_admin(moderator, reply, note="Lien publicitaire répété"):
    return english(moderator).post(
        REPLIES,
        {
            "action": "remove_replies",
            "_selected_action": [reply.pk],
            "post": "yes",
            "reason": "spam",
            "note": note,
        },
    )


def appeal_url(reply):
    return reverse("forum:reply-appeal", kwargs={"reply_id": reply.pk})


@pytest.fixture
def second_moderator(moderator):
    from accounts.services import make_moderator

    return make_moderator(user=UserFactory(username="claire"))


def test_the_admin_requires_an_explanation_to_remove_a_reply(moderator, reply):
    response = remove_in_the_admin(moderator, reply, note="")

    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    reply.refresh_from_db()
    assert not reply.is_removed
    assert not ModerationDecision.objects.exists()


def test_a_removal_records_its_statement_of_reasons(moderator, reply, user):
    remove_in_the_admin(moderator, reply)

    decision = ModerationDecision.objects.get()
    assert (decision.action, decision.reason, decision.explanation) == (
        "removal",
        "spam",
        "Lien publicitaire répété",
    )
    assert (decision.user, decision.reply, decision.decided_by) == (
        user,
        reply,
        moderator,
    )
    assert not decision.is_automatic


def test_the_author_sees_the_reason_on_their_removed_reply_and_others_do_not(
    moderator, reply, user, other_user
):
    remove_in_the_admin(moderator, reply)

    own = english(user).get(reply.thread.get_absolute_url()).content.decode()
    other = english(other_user).get(reply.thread.get_absolute_url()).content.decode()
    public = english().get(reply.thread.get_absolute_url()).content.decode()

    assert "The moderators removed this reply. Reason: Spam." in own
    assert "Lien publicitaire répété" in own
    assert appeal_url(reply) in own
    for page in (other, public):
        assert "[message removed by the moderators]" in page
        assert "Lien publicitaire répété" not in page
        assert "Reason: Spam" not in page


def test_the_author_is_notified_with_the_reason_and_how_to_appeal(
    moderator, reply, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        remove_in_the_admin(moderator, reply)

    inbox = english(user).get(reverse("forum:notification-list")).content.decode()

    assert Notification.objects.get(recipient=user).kind == "removed"
    assert "A moderator removed your reply" in inbox
    assert "Reason: Spam." in inbox
    assert "Lien publicitaire répété" in inbox
    assert appeal_url(reply) in inbox


def test_a_held_reply_records_an_automatic_decision_and_tells_its_author(
    auth_client, thread, user
):
    WordRule.objects.create(word="crypto", kind=WordRule.Kind.SUSPECT)

    auth_client.post(
        reverse("forum:reply-create", kwargs={"thread_id": thread.pk}),
        {"body": "Payé en cryptos ?"},
    )

    decision = ModerationDecision.objects.get()
    assert (decision.action, decision.reason, decision.is_automatic) == (
        "hold",
        "suspect_word",
        True,
    )
    assert decision.explanation.endswith("crypto")
    assert Notification.objects.get(recipient=user).kind == "held"


def test_a_lock_records_its_reason(moderator, thread):
    english(moderator).post(
        reverse("admin:forum_thread_changelist"),
        {
            "action": "lock_threads",
            "_selected_action": [thread.pk],
            "post": "yes",
            "reason": "abuse",
            "explanation": "Trop d'insultes",
        },
    )

    decision = ModerationDecision.objects.get()
    assert (decision.action, decision.reason, decision.explanation) == (
        "lock",
        "abuse",
        "Trop d'insultes",
    )


def test_a_banned_user_sees_reason_and_end_on_every_refused_write(
    moderator, user, thread, reply
):
    until = timezone.now() + datetime.timedelta(days=3)
    ban_user(user=user, by=moderator, reason="Insultes répétées", until=until)
    page_client = english(user)

    page = page_client.get(thread.get_absolute_url()).content.decode()
    refused = page_client.post(
        reverse("forum:reply-edit", kwargs={"reply_id": reply.pk}),
        {"body": "Modifié"},
    )
    api = client_for(user).post(
        f"/api/v1/threads/{thread.pk}/replies/", {"body": "Et par l'API ?"}
    )

    assert "Reason: Insultes répétées" in page
    assert "Your account is banned until" in page
    assert refused.status_code == 403
    assert "Insultes répétées" in refused.content.decode()
    assert api.status_code == 403
    assert api.json()["ban"]["reason"] == "Insultes répétées"
    assert api.json()["ban"]["until"] == until.isoformat()
    assert ModerationDecision.objects.get(action="ban").explanation == (
        "Insultes répétées"
    )


# Appeals ------------------------------------------------------------------


def test_the_author_appeals_once_and_the_appeal_waits_in_its_queue(
    moderator, second_moderator, reply, user
):
    remove_in_the_admin(moderator, reply)
    author = english(user)

    sent = author.post(appeal_url(reply), {"text": "Ce n'était pas une publicité."})
    again = author.post(appeal_url(reply), {"text": "Je réessaie."})

    assert sent.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.appellant, appeal.status, appeal.text) == (
        user,
        "open",
        "Ce n'était pas une publicité.",
    )
    assert again.status_code == 200
    assert "Your appeal: Waiting for a moderator." in again.content.decode()
    assert Appeal.objects.count() == 1
    queue = english(second_moderator).get(APPEALS, {"status__exact": "open"})
    assert list(queue.context["cl"].result_list) == [appeal]


def test_no_one_else_can_appeal_a_decision(moderator, reply, other_user):
    remove_in_the_admin(moderator, reply)

    response = english(other_user).post(appeal_url(reply), {"text": "Moi aussi."})

    assert response.status_code == 404
    assert not Appeal.objects.exists()


def test_an_empty_appeal_is_refused(moderator, reply, user):
    remove_in_the_admin(moderator, reply)

    response = english(user).post(appeal_url(reply), {"text": "   "})

    assert response.status_code == 400
    assert not Appeal.objects.exists()


def decide(client, appeal, action):
    return client.post(APPEALS, {"action": action, "_selected_action": [appeal.pk]})


def test_the_moderator_who_decided_cannot_handle_the_appeal_when_another_can(
    moderator, second_moderator, reply, user
):
    remove_in_the_admin(moderator, reply)
    english(user).post(appeal_url(reply), {"text": "Erreur."})
    appeal = Appeal.objects.get()

    response = decide(english(moderator), appeal, "reverse_decisions")

    appeal.refresh_from_db()
    reply.refresh_from_db()
    assert response.status_code == 302
    assert appeal.status == "open"
    assert reply.is_removed


def test_the_only_moderator_may_handle_an_appeal_against_their_own_decision(
    moderator, reply, user
):
    remove_in_the_admin(moderator, reply)
    english(user).post(appeal_url(reply), {"text": "Erreur."})
    appeal = Appeal.objects.get()

    decide(english(moderator), appeal, "uphold_decisions")

    appeal.refresh_from_db()
    assert (appeal.status, appeal.handled_by) == ("upheld", moderator)


def test_reversing_an_appeal_restores_the_reply_and_tells_the_author(
    moderator, second_moderator, reply, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        remove_in_the_admin(moderator, reply)
    english(user).post(appeal_url(reply), {"text": "Erreur."})
    appeal = Appeal.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        decide(english(second_moderator), appeal, "reverse_decisions")

    reply.refresh_from_db()
    appeal.refresh_from_db()
    assert not reply.is_removed
    assert (appeal.status, appeal.handled_by) == ("reversed", second_moderator)
    assert ModerationDecision.objects.get().reversed_at is not None
    assert Notification.objects.get(recipient=user).kind == "reversed"
    assert reply.body in english().get(reply.thread.get_absolute_url()).content.decode()


def test_upholding_an_appeal_keeps_the_decision_and_tells_the_author(
    moderator, second_moderator, reply, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        remove_in_the_admin(moderator, reply)
    english(user).post(appeal_url(reply), {"text": "Erreur."})

    decide(english(second_moderator), Appeal.objects.get(), "uphold_decisions")

    reply.refresh_from_db()
    assert reply.is_removed
    assert Notification.objects.get(recipient=user).kind == "upheld"
    inbox = english(user).get(reverse("forum:notification-list")).content.decode()
    assert "the decision stands" in inbox


def test_a_banned_user_appeals_the_ban_and_reversing_lifts_it(
    moderator, second_moderator, user
):
    ban_user(user=user, by=moderator, reason="Spam", reason_code="spam")
    banned = english(user)

    form = banned.get(reverse("forum:ban-appeal"))
    banned.post(reverse("forum:ban-appeal"), {"text": "Je ne recommencerai pas."})
    decide(english(second_moderator), Appeal.objects.get(), "reverse_decisions")

    afterwards = banned.get(reverse("forum:ban-appeal"))

    user.refresh_from_db()
    assert form.status_code == 200
    assert "Account banned" in form.content.decode()
    assert not user.is_banned
    assert "Your appeal: Decision reversed." in afterwards.content.decode()


def test_a_held_edit_can_be_appealed_and_reversing_publishes_it(
    auth_client, second_moderator, reply, user
):
    WordRule.objects.create(word="crypto", kind=WordRule.Kind.SUSPECT)
    auth_client.post(
        reverse("forum:reply-edit", kwargs={"reply_id": reply.pk}),
        {"body": "Payé en crypto."},
    )

    auth_client.post(appeal_url(reply), {"text": "C'est le sujet de l'article."})
    decide(english(second_moderator), Appeal.objects.get(), "reverse_decisions")

    reply.refresh_from_db()
    assert (reply.body, reply.has_pending_edit) == ("Payé en crypto.", False)


def test_a_restored_reply_can_no_longer_be_appealed(moderator, reply, user):
    remove_reply(reply=reply, by=moderator, reason=Reply.RemovalReason.SPAM, note="x")
    from forum.services import restore_reply

    restore_reply(reply=reply, by=moderator)

    assert english(user).get(appeal_url(reply)).status_code == 404


def test_unlocking_on_appeal_reopens_the_thread(moderator, second_moderator, user):
    from tests.factories import ThreadFactory

    thread = ThreadFactory(author=user)
    lock_thread(thread=thread, by=moderator, reason="abuse", explanation="Insultes")
    decision = ModerationDecision.objects.get()
    from forum.services import appeal_decision, decide_appeal

    appeal = appeal_decision(decision=decision, appellant=user, text="Déjà calmé.")
    decide_appeal(appeal=appeal, by=second_moderator, reverse=True)

    thread.refresh_from_db()
    assert not thread.is_locked


def test_an_author_who_asked_for_e_mails_gets_the_statement_of_reasons(
    moderator, reply, user, mailoutbox, django_capture_on_commit_callbacks
):
    user.email_on_reply = True
    user.language = "en"
    user.save()

    with django_capture_on_commit_callbacks(execute=True):
        remove_in_the_admin(moderator, reply)

    [message] = mailoutbox
    assert message.to == [user.email]
    assert "removed your reply" in message.subject
    assert "Reason: Spam." in message.body
    assert "Lien publicitaire répété" in message.body
    assert appeal_url(reply) in message.body


def test_an_author_who_did_not_ask_for_e_mails_gets_none(
    moderator, reply, user, mailoutbox, django_capture_on_commit_callbacks
):
    user.email_on_reply = False
    user.save()

    with django_capture_on_commit_callbacks(execute=True):
        remove_in_the_admin(moderator, reply)

    assert mailoutbox == []
    assert Notification.objects.get(recipient=user).kind == "removed"
