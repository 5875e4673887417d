import pytest
from django.urls import reverse

from forum.models import Flag, Reply
from forum.services import flag_reply
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def flag_url(reply):
    return reverse("forum:reply-flag", kwargs={"reply_id": reply.pk})


def test_reader_reports_a_reply_with_a_reason(client, reply, other_user):
    client.force_login(other_user)

    response = client.post(flag_url(reply), {"reason": "abuse", "note": "Insultant"})

    assert response.status_code == 302
    flag = Flag.objects.get()
    assert (flag.reply, flag.reporter, flag.reason, flag.note) == (
        reply,
        other_user,
        "abuse",
        "Insultant",
    )
    reply.refresh_from_db()
    assert reply.open_flag_count == 1


def test_second_report_by_the_same_user_is_refused(client, reply, other_user):
    client.force_login(other_user)
    client.post(flag_url(reply), {"reason": "spam"})

    response = client.post(flag_url(reply), {"reason": "abuse"})

    assert response.status_code == 400
    assert Flag.objects.count() == 1
    reply.refresh_from_db()
    assert reply.open_flag_count == 1


def test_report_without_a_known_reason_is_a_form_error(client, reply, other_user):
    client.force_login(other_user)

    response = client.post(flag_url(reply), {"reason": "boring"})

    assert response.status_code == 400
    assert not Flag.objects.exists()


def test_reporting_your_own_reply_is_refused(auth_client, reply):
    response = auth_client.post(flag_url(reply), {"reason": "spam"})

    assert response.status_code == 403
    assert not Flag.objects.exists()


def test_enough_open_reports_hide_a_reply_from_the_public(client, reply, settings):
    settings.FORUM_FLAGS_TO_HIDE = 2
    for _ in range(2):
        flag_reply(reply=reply, reporter=UserFactory(), reason="spam")

    page = client.get(reply.thread.get_absolute_url()).content.decode()

    assert reply.body not in page
    assert Reply.objects.visible().filter(pk=reply.pk).count() == 0


def test_one_report_below_the_threshold_keeps_the_reply_visible(client, reply):
    flag_reply(reply=reply, reporter=UserFactory(), reason="spam")

    page = client.get(reply.thread.get_absolute_url()).content.decode()

    assert reply.body in page
