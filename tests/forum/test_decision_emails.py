"""Statements of reasons by e-mail: every decision about someone, and the
outcome of their appeal, is e-mailed to them once, in their language, with
the reason, the explanation and how to appeal."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.services import ban_user
from forum.models import Appeal, ModerationDecision, Reply, WordRule
from forum.notifications import send_decision_email
from forum.services import (
    appeal_decision,
    decide_appeal,
    lock_thread,
    post_reply,
    remove_reply,
)
from forum.tasks import send_appeal_outcome_email
from tests.factories import ReplyFactory, ThreadFactory, UserFactory
from tests.support import committed

pytestmark = pytest.mark.django_db

SITE = "https://forum.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def author(db):
    return UserFactory(
        username="alice", display_name="Alice", email_on_reply=True, language="en"
    )


@pytest.fixture
def second_moderator(moderator):
    from accounts.services import make_moderator

    return make_moderator(user=UserFactory(username="claire"))


def _hold_a_reply(thread, author):
    WordRule.objects.create(word="crypto", kind=WordRule.Kind.SUSPECT)
    with committed():
        return post_reply(thread=thread, author=author, body="Payé en cryptos ?")


def test_a_held_reply_is_e_mailed_with_its_reason_and_appeal_link(thread, author):
    reply = _hold_a_reply(thread, author)

    [message] = mail.outbox
    appeal = f"{SITE}{reverse('forum:reply-appeal', args=[reply.pk])}"
    assert message.to == [author.email]
    assert message.subject == "Moderation decision: Reply held for review"
    assert "Reason: Suspect word." in message.body
    assert "crypto" in message.body
    assert appeal in message.body
    assert appeal in message.alternatives[0][0]
    assert ModerationDecision.objects.get().emailed_at is not None


def test_a_ban_is_e_mailed_with_its_end_and_appeal_link_whatever_the_settings(
    moderator, author
):
    author.email_on_reply = False
    author.save()
    until = timezone.now() + datetime.timedelta(days=3)

    with committed():
        ban_user(
            user=author,
            by=moderator,
            reason="Insultes répétées",
            until=until,
            reason_code="abuse",
        )

    [message] = mail.outbox
    assert message.subject == "Moderation decision: Account banned"
    assert "Reason: Abuse or harassment." in message.body
    assert "Insultes répétées" in message.body
    assert "The ban ends on" in message.body
    assert str(until.year) in message.body
    assert f"{SITE}{reverse('forum:ban-appeal')}" in message.body
    assert "List-Unsubscribe" not in message.extra_headers


def test_a_ban_without_end_says_so(moderator, author):
    with committed():
        ban_user(user=author, by=moderator, reason="Spam", reason_code="spam")

    [message] = mail.outbox
    assert "The ban has no end date" in message.body


def test_a_lock_is_e_mailed_to_the_thread_s_author(moderator, author):
    thread = ThreadFactory(author=author, title="Salaires en IA")

    with committed():
        lock_thread(thread=thread, by=moderator, reason="abuse", explanation="Insultes")

    [message] = mail.outbox
    assert message.to == [author.email]
    assert message.subject == "Moderation decision: Thread locked"
    assert 'Thread: "Salaires en IA"' in message.body
    assert "Reason: Abuse or harassment." in message.body
    assert "Insultes" in message.body
    assert f"{SITE}{reverse('forum:thread-appeal', args=[thread.pk])}" in message.body


def test_the_author_of_a_locked_thread_appeals_and_a_reversal_unlocks_it(
    client, moderator, second_moderator, author
):
    thread = ThreadFactory(author=author, title="Salaires en IA")
    lock_thread(thread=thread, by=moderator, reason="abuse", explanation="Insultes")
    url = reverse("forum:thread-appeal", args=[thread.pk])
    client.force_login(author)

    page = client.get(url)
    response = client.post(url, {"text": "Le fil était calme."})

    assert "Insultes" in page.content.decode()
    assert response.status_code == 302
    appeal = Appeal.objects.get(appellant=author)
    assert appeal.decision.action == ModerationDecision.Action.LOCK
    # once per decision
    assert "Le fil était calme." not in client.get(url).content.decode()
    decide_appeal(appeal=appeal, by=second_moderator, reverse=True)
    thread.refresh_from_db()
    assert not thread.is_locked


def test_only_the_author_of_a_locked_thread_may_appeal_its_lock(
    client, moderator, author
):
    thread = ThreadFactory(author=author)
    lock_thread(thread=thread, by=moderator, reason="spam", explanation="Pub")
    client.force_login(UserFactory(username="mallory"))

    response = client.post(
        reverse("forum:thread-appeal", args=[thread.pk]), {"text": "Moi aussi."}
    )

    assert response.status_code == 404
    assert not Appeal.objects.exists()


def test_an_unlocked_thread_has_nothing_to_appeal(client, author):
    thread = ThreadFactory(author=author)
    client.force_login(author)

    assert (
        client.get(reverse("forum:thread-appeal", args=[thread.pk])).status_code == 404
    )


def test_a_reversed_appeal_is_e_mailed_with_the_moderator_s_answer(
    moderator, second_moderator, author
):
    with committed():
        ban_user(user=author, by=moderator, reason="Spam", reason_code="spam")
    appeal = appeal_decision(
        decision=ModerationDecision.objects.get(), appellant=author, text="Erreur."
    )
    mail.outbox.clear()

    with committed():
        decide_appeal(
            appeal=appeal,
            by=second_moderator,
            reverse=True,
            response="Vos messages étaient légitimes.",
        )

    [message] = mail.outbox
    assert message.subject == "Your appeal was accepted"
    assert "was accepted: the decision is reversed" in message.body
    assert "Vos messages étaient légitimes." in message.body
    appeal.refresh_from_db()
    assert appeal.emailed_at is not None


def test_an_upheld_appeal_is_e_mailed(moderator, second_moderator, thread, author):
    reply = _hold_a_reply(thread, author)
    appeal = appeal_decision(
        decision=ModerationDecision.objects.get(reply=reply),
        appellant=author,
        text="C'est le sujet.",
    )
    mail.outbox.clear()

    with committed():
        decide_appeal(appeal=appeal, by=second_moderator, reverse=False)

    [message] = mail.outbox
    assert message.subject == "Your appeal was rejected"
    assert "was rejected: the decision stands" in message.body
    assert "The moderator's answer" not in message.body


def test_an_author_who_did_not_ask_for_e_mails_gets_none_but_a_ban(
    moderator, thread, author
):
    author.email_on_reply = False
    author.save()

    _hold_a_reply(thread, author)
    with committed():
        lock_thread(thread=ThreadFactory(author=author), by=moderator, reason="spam")

    assert mail.outbox == []
    assert not ModerationDecision.objects.filter(emailed_at__isnull=False).exists()


def test_a_removal_is_e_mailed_exactly_once(moderator, author, thread):
    reply = ReplyFactory(thread=thread, author=author)

    with committed():
        remove_reply(
            reply=reply, by=moderator, reason=Reply.RemovalReason.SPAM, note="Pub"
        )

    [message] = mail.outbox
    assert "removed your reply" in message.subject


def test_running_the_task_twice_sends_once(moderator, author):
    thread = ThreadFactory(author=author)
    with committed():
        lock_thread(thread=thread, by=moderator, reason="abuse", explanation="x")
    decision = ModerationDecision.objects.get()

    again = send_decision_email(decision.pk)

    assert again is False
    assert len(mail.outbox) == 1


def test_running_the_appeal_outcome_task_twice_sends_once(
    moderator, second_moderator, author
):
    with committed():
        ban_user(user=author, by=moderator, reason="Spam", reason_code="spam")
    appeal = appeal_decision(
        decision=ModerationDecision.objects.get(), appellant=author, text="Erreur."
    )
    with committed():
        decide_appeal(appeal=appeal, by=second_moderator, reverse=False)
    mail.outbox.clear()

    again = send_appeal_outcome_email.delay(appeal.pk).get()

    assert again is False
    assert mail.outbox == []
    assert Appeal.objects.get().status == "upheld"


def test_a_french_reader_gets_the_statement_in_french(moderator, author):
    author.language = "fr"
    author.save()

    with committed():
        ban_user(user=author, by=moderator, reason="Spam", reason_code="spam")

    [message] = mail.outbox
    assert message.subject == "Décision de modération : Compte banni"
    assert "Le bannissement n'a pas de date de fin" in message.body
    assert "Vous recevez cet e-mail parce qu'il concerne votre compte." in (
        message.body
    )
