import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from forum.models import Flag, Reply
from forum.services import flag_reply
from tests.factories import ReplyFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:forum_flag_changelist")


def report(reply, times: int, reason: str = "spam") -> list[Flag]:
    return [
        flag_reply(reply=reply, reporter=UserFactory(), reason=reason)
        for _ in range(times)
    ]


@pytest.fixture
def moderator_client(client, moderator):
    # The admin speaks the browser's language; these tests read its English.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(moderator)
    return client


def test_queue_lists_open_reports_first_with_each_replys_reports_together(
    moderator_client, moderator
):
    thread = ThreadFactory()
    once, twice, decided = (ReplyFactory(thread=thread) for _ in range(3))
    report(decided, 1)
    Flag.objects.filter(reply=decided).update(
        status=Flag.Status.DISMISSED, decided_by=moderator
    )
    report(once, 1)
    report(twice, 2, reason="abuse")

    response = moderator_client.get(QUEUE)

    rows = [(flag.reply_id, flag.status) for flag in response.context["cl"].result_list]
    assert rows == [
        (twice.pk, "open"),
        (twice.pk, "open"),
        (once.pk, "open"),
        (decided.pk, "dismissed"),
    ]


def test_queue_shows_the_reply_its_author_and_the_reports_on_it(
    moderator_client, reply
):
    flag_reply(reply=reply, reporter=UserFactory(username="carol"), reason="abuse")

    response = moderator_client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert reply.body in page
    assert reverse("admin:forum_reply_change", args=[reply.pk]) in page
    assert "alice" in page
    assert "carol" in page
    assert "Abuse or harassment" in page


def test_queue_filters_on_open_reports_and_on_the_reported_user(
    moderator_client, moderator, user
):
    mine = ReplyFactory(author=user)
    theirs = ReplyFactory()
    report(mine, 1)
    report(theirs, 1)
    Flag.objects.filter(reply=theirs).update(status=Flag.Status.DISMISSED)

    open_only = moderator_client.get(f"{QUEUE}?status=open")
    about_alice = moderator_client.get(f"{QUEUE}?reported_user={user.pk}")

    assert [f.reply for f in open_only.context["cl"].result_list] == [mine]
    assert [f.reply for f in about_alice.context["cl"].result_list] == [mine]


def test_dismissing_closes_the_reports_and_shows_the_reply_again(
    moderator_client, moderator, reply, settings
):
    settings.FORUM_FLAGS_TO_HIDE = 2
    settings.FORUM_PAGE_CACHE_TIMEOUT = 0
    flags = report(reply, 2)
    # Read as the public reads it: moderators see the text of hidden replies.
    hidden = Client().get(reply.thread.get_absolute_url()).content.decode()

    response = moderator_client.post(
        QUEUE,
        {"action": "dismiss_reports", "_selected_action": [flags[0].pk], "index": 0},
    )

    assert response.status_code == 302
    for flag in flags:
        flag.refresh_from_db()
        assert (flag.status, flag.decided_by) == (Flag.Status.DISMISSED, moderator)
        assert flag.decided_at is not None
    reply.refresh_from_db()
    assert reply.open_flag_count == 0
    moderator_client.logout()
    shown = moderator_client.get(reply.thread.get_absolute_url()).content.decode()
    assert reply.body not in hidden
    assert reply.body in shown
    entry = LogEntry.objects.get(object_id=str(reply.pk))
    assert entry.get_change_message().startswith("Dismissed 2 reports")


def test_removing_from_the_queue_proposes_the_reported_reason(moderator_client, reply):
    flags = report(reply, 2, reason="off_topic")

    response = moderator_client.post(
        QUEUE,
        {
            "action": "remove_reported_replies",
            "_selected_action": [flag.pk for flag in flags],
            "index": 0,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].initial["reason"] == "off_topic"
    reply.refresh_from_db()
    assert reply.removed_at is None


def test_removing_from_the_queue_upholds_every_report_on_the_reply(
    moderator_client, moderator, reply
):
    flags = report(reply, 3)

    response = moderator_client.post(
        QUEUE,
        {
            "action": "remove_reported_replies",
            "_selected_action": [flags[0].pk],
            "post": "yes",
            "reason": "spam",
            "note": "Publicité",
        },
    )

    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.removal_reason, reply.removal_note, reply.removed_by) == (
        "spam",
        "Publicité",
        moderator,
    )
    assert set(Flag.objects.values_list("status", "decided_by")) == {
        (Flag.Status.UPHELD, moderator.pk)
    }


def test_three_open_reports_hide_a_reply_until_a_moderator_decides(
    client, reply, settings, django_capture_on_commit_callbacks
):
    settings.FORUM_FLAGS_TO_HIDE = 3
    report(reply, 2)
    after_two = client.get(reply.thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    # Committed, as a report is: the cached page is forgotten.
    with django_capture_on_commit_callbacks(execute=True):
        report(reply, 1)

    after_three = client.get(reply.thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert reply.body in after_two.content.decode()
    page = after_three.content.decode()
    assert reply.body not in page
    assert "[message hidden while the moderators review it]" in page
    assert Reply.objects.visible().filter(pk=reply.pk).count() == 0


def test_reports_cannot_be_added_changed_or_deleted_in_the_admin(admin_client, reply):
    (flag,) = report(reply, 1)

    added = admin_client.get(reverse("admin:forum_flag_add"))
    changed = admin_client.post(
        reverse("admin:forum_flag_change", args=[flag.pk]), {"status": "dismissed"}
    )
    deleted = admin_client.post(
        reverse("admin:forum_flag_delete", args=[flag.pk]), {"post": "yes"}
    )

    assert (added.status_code, changed.status_code, deleted.status_code) == (
        403,
        403,
        403,
    )
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN


def test_staff_outside_the_group_cannot_open_the_queue(client, reply):
    (flag,) = report(reply, 1)
    client.force_login(UserFactory(is_staff=True))

    listing = client.get(QUEUE)
    action = client.post(
        QUEUE,
        {"action": "dismiss_reports", "_selected_action": [flag.pk], "index": 0},
    )

    assert (listing.status_code, action.status_code) == (403, 403)
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN


def test_reader_is_sent_to_log_in(auth_client, reply):
    response = auth_client.get(QUEUE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
