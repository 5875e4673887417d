"""Transparency figures for a period, from the command and the admin page."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from forum.models import Appeal, Flag, ModerationDecision, Reply, WordRule
from forum.services import (
    appeal_decision,
    decide_appeal,
    flag_reply,
    post_reply,
    remove_reply,
)
from tests.api.conftest import client_for
from tests.factories import ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db


def report(*args) -> str:
    out = io.StringIO()
    call_command("moderation_report", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def activity(thread, moderator):
    """Two reports and a removal ten minutes after the first, a second one
    an hour after; an automatic hold; one appeal reversed, one upheld."""
    from accounts.services import make_moderator

    other_moderator = make_moderator(user=UserFactory(username="claire"))
    now = timezone.now()
    first = ReplyFactory(thread=thread)
    second = ReplyFactory(thread=thread)
    flag_reply(reply=first, reporter=UserFactory(), reason=Flag.Reason.SPAM)
    flag_reply(reply=second, reporter=UserFactory(), reason=Flag.Reason.PERSONAL_DATA)
    Flag.objects.filter(reply=first).update(
        created_at=now - datetime.timedelta(minutes=10)
    )
    Flag.objects.filter(reply=second).update(
        created_at=now - datetime.timedelta(hours=1)
    )
    remove_reply(reply=first, by=moderator, reason=Reply.RemovalReason.SPAM, note="Pub")
    remove_reply(
        reply=second, by=moderator, reason=Reply.RemovalReason.PERSONAL_DATA, note="Tél"
    )
    WordRule.objects.create(word="crypto", kind=WordRule.Kind.SUSPECT)
    post_reply(thread=thread, author=UserFactory(), body="En crypto ?")
    reversed_appeal = appeal_decision(
        decision=ModerationDecision.objects.get(reply=first),
        appellant=first.author,
        text="Erreur",
    )
    upheld_appeal = appeal_decision(
        decision=ModerationDecision.objects.get(reply=second),
        appellant=second.author,
        text="Erreur",
    )
    decide_appeal(appeal=reversed_appeal, by=other_moderator, reverse=True)
    decide_appeal(appeal=upheld_appeal, by=other_moderator, reverse=False)


def _first_day_of_activity() -> str:
    """The day of the earliest report, an hour ago: the period then holds
    all of the activity at any time of day, just after midnight too."""
    earliest = timezone.localtime() - datetime.timedelta(hours=1, minutes=1)
    return earliest.date().isoformat()


def test_the_command_gives_the_periods_figures_as_json(activity):
    since = _first_day_of_activity()

    figures = json.loads(report("--since", since, "--format", "json"))

    assert figures["reports"]["total"] == 2
    assert figures["reports"]["by_reason"]["spam"] == 1
    assert figures["reports"]["by_reason"]["personal_data"] == 1
    assert figures["reports"]["by_reason"]["illegal"] == 0
    decisions = figures["decisions"]
    assert decisions["total"] == 3
    assert decisions["by_action"] == {
        "removal": 2,
        "hold": 1,
        "edit_hold": 0,
        "hide": 0,
        "lock": 0,
        "ban": 0,
    }
    assert decisions["by_reason"]["suspect_word"] == 1
    assert (decisions["manual"], decisions["automatic"]) == (2, 1)
    # Ten minutes and an hour: the median of two is their mean.
    assert decisions["median_seconds_to_decision"] == pytest.approx(2100, abs=5)
    assert figures["appeals"] == {
        "received": 2,
        "open": 0,
        "upheld": 1,
        "reversed": 1,
        "reversal_rate": 0.5,
    }


def test_the_command_gives_the_same_figures_as_csv(activity):
    since = _first_day_of_activity()

    rows = list(csv.reader(io.StringIO(report("--since", since, "--format", "csv"))))

    assert rows[0] == ["section", "measure", "value"]
    assert ["decisions", "manual", "2"] in rows
    assert ["appeals", "reversal_rate", "0.5"] in rows
    assert ["reports", "by_reason.spam", "1"] in rows


def test_a_period_before_the_activity_counts_nothing(activity):
    figures = json.loads(
        report("--since", "2020-01-01", "--until", "2020-12-31", "--format", "json")
    )

    assert figures["decisions"]["total"] == 0
    assert figures["decisions"]["median_seconds_to_decision"] is None
    assert figures["appeals"]["reversal_rate"] is None


@pytest.mark.parametrize(
    "arguments",
    [["--since", "yesterday"], ["--since", "2026-02-01", "--until", "2026-01-01"]],
)
def test_the_command_refuses_a_bad_period(db, arguments):
    with pytest.raises(CommandError):
        report(*arguments)


def test_the_admin_page_shows_the_same_figures(activity, client, moderator):
    client.force_login(moderator)
    today = timezone.localdate().isoformat()

    response = client.get(
        reverse("admin:forum_moderation_transparency"),
        {"since": today, "until": today},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.context["figures"] == json.loads(
        report("--since", today, "--until", today, "--format", "json")
    )
    page = response.content.decode()
    assert "reversal_rate" in page
    assert "Transparency report" in page


def test_readers_cannot_open_the_transparency_page(client, user):
    client.force_login(user)

    response = client.get(reverse("admin:forum_moderation_transparency"))

    assert response.status_code == 302
    assert Appeal.objects.count() == 0


def test_readers_may_report_personal_data_and_illegal_content_in_the_api(
    reply, other_user
):
    api = client_for(other_user)

    response = api.post(
        f"/api/v1/replies/{reply.pk}/flags/", {"reason": "illegal"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert Flag.objects.get(reply=reply).reason == "illegal"
