"""Reports weighed by their reporter's standing: throwaway accounts cannot
hide a reply, readers whose reports were upheld before can."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum.models import Flag, ModerationDecision, Reply
from forum.services import dismiss_flags, flag_reply, remove_reply
from tests.factories import ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db


def flag_url(reply):
    return reverse("forum:reply-flag", kwargs={"reply_id": reply.pk})


def report_on_the_page(reporter, reply, reason="abuse"):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(reporter)
    return client.post(flag_url(reply), {"reason": reason})


def public_page(reply) -> str:
    return Client().get(reply.thread.get_absolute_url()).content.decode()


def with_a_record(reporter, moderator, thread, *, upheld=0, dismissed=0):
    """Reports the reporter made before, decided by a moderator."""
    for _ in range(upheld):
        earlier = ReplyFactory(thread=thread)
        flag_reply(reply=earlier, reporter=reporter, reason=Flag.Reason.SPAM)
        remove_reply(reply=earlier, by=moderator, reason=Reply.RemovalReason.SPAM)
    for _ in range(dismissed):
        earlier = ReplyFactory(thread=thread)
        flag_reply(reply=earlier, reporter=reporter, reason=Flag.Reason.SPAM)
        dismiss_flags(reply=earlier, by=moderator)
    return reporter


def test_three_new_accounts_cannot_hide_a_reply(reply, settings):
    settings.FORUM_FLAGS_TO_HIDE = 3
    newcomers = UserFactory.create_batch(3, date_joined=timezone.now())

    for reporter in newcomers:
        assert report_on_the_page(reporter, reply).status_code == 302

    reply.refresh_from_db()
    assert reply.open_flag_count == 3
    assert not reply.is_hidden_by_flags
    assert reply.body in public_page(reply)


def test_accounts_created_after_the_reply_count_for_little(thread, settings):
    reply = ReplyFactory(
        thread=thread, created_at=timezone.now() - datetime.timedelta(days=60)
    )
    late = UserFactory(date_joined=timezone.now() - datetime.timedelta(days=30))

    report_on_the_page(late, reply)

    assert Flag.objects.get(reporter=late).weight == settings.FORUM_REPORT_WEIGHT_LATE


def test_two_reporters_whose_reports_were_upheld_before_can_hide_a_reply(
    thread, reply, moderator, settings
):
    settings.FORUM_FLAGS_TO_HIDE = 3
    trusted = [
        with_a_record(UserFactory(), moderator, thread, upheld=2) for _ in range(2)
    ]

    for reporter in trusted:
        report_on_the_page(reporter, reply)

    reply.refresh_from_db()
    assert reply.is_hidden_by_flags
    assert reply.body not in public_page(reply)


def test_two_ordinary_reporters_cannot_hide_a_reply(reply, settings):
    settings.FORUM_FLAGS_TO_HIDE = 3

    for reporter in UserFactory.create_batch(2):
        report_on_the_page(reporter, reply)

    reply.refresh_from_db()
    assert not reply.is_hidden_by_flags


def test_reports_dismissed_before_make_a_reporter_count_for_less(
    thread, reply, moderator
):
    serial = with_a_record(UserFactory(), moderator, thread, dismissed=2)

    report_on_the_page(serial, reply)

    assert Flag.objects.get(reply=reply).weight == 10


def test_a_trusted_reader_counts_twice(reply):
    reader = UserFactory()
    reader.groups.add(Group.objects.create(name="Trusted readers"))

    report_on_the_page(reader, reply)

    assert Flag.objects.get(reply=reply).weight == 200


def test_a_moderators_report_hides_the_reply_at_once(reply, moderator):
    flag_reply(reply=reply, reporter=moderator, reason=Flag.Reason.ABUSE)

    reply.refresh_from_db()
    assert reply.is_hidden_by_flags


def test_a_decision_clears_the_weight_with_the_reports(reply, moderator):
    for reporter in UserFactory.create_batch(3):
        flag_reply(reply=reply, reporter=reporter, reason=Flag.Reason.SPAM)

    dismiss_flags(reply=reply, by=moderator)

    reply.refresh_from_db()
    assert (reply.open_flag_count, reply.open_flag_weight) == (0, 0)
    assert not reply.is_hidden_by_flags


@pytest.mark.parametrize("reason", ["personal_data", "illegal"])
def test_readers_may_report_personal_data_and_illegal_content(
    reply, other_user, reason
):
    form = Client(HTTP_ACCEPT_LANGUAGE="en")
    form.force_login(other_user)
    page = form.get(flag_url(reply)).content.decode()

    response = report_on_the_page(other_user, reply, reason=reason)

    assert f'value="{reason}"' in page
    assert response.status_code == 302
    assert Flag.objects.get(reply=reply).reason == reason


def test_hiding_by_reports_is_an_automatic_decision_its_author_may_appeal(
    reply, user, settings
):
    settings.FORUM_FLAGS_TO_HIDE = 2
    for reason in ("spam", "spam"):
        report_on_the_page(UserFactory(), reply, reason=reason)
    author = Client(HTTP_ACCEPT_LANGUAGE="en")
    author.force_login(user)

    page = author.get(reply.thread.get_absolute_url()).content.decode()

    decision = ModerationDecision.objects.get()
    assert (decision.action, decision.reason, decision.is_automatic) == (
        "hide",
        "spam",
        True,
    )
    assert "hidden after reports from readers" in page
    assert reverse("forum:reply-appeal", kwargs={"reply_id": reply.pk}) in page


def test_reversing_an_appeal_against_hiding_dismisses_the_reports(
    reply, user, moderator, settings
):
    from forum.services import appeal_decision, decide_appeal

    settings.FORUM_FLAGS_TO_HIDE = 1
    report_on_the_page(UserFactory(), reply)
    appeal = appeal_decision(
        decision=ModerationDecision.objects.get(), appellant=user, text="Rien de mal."
    )

    decide_appeal(appeal=appeal, by=moderator, reverse=True)

    reply.refresh_from_db()
    assert not reply.is_hidden_by_flags
    assert set(Flag.objects.values_list("status", flat=True)) == {"dismissed"}
