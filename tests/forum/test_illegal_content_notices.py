"""Notices of illegal content (DSA Art. 16): anyone may send one, with the
fields the law asks; they are limited, refuse robots, and come first in the
moderators' queue."""

import pytest
from django.urls import reverse

from forum.models import IllegalContentNotice, Reply
from forum.services import remove_reply

pytestmark = pytest.mark.django_db

NOTICE = reverse("forum:illegal-content-notice")


def notice_data(reply, **changes):
    data = {
        "location": f"https://forum.example{reply.get_absolute_url()}",
        "explanation": "Ce message publie l'adresse personnelle d'une personne.",
        "name": "Camille",
        "email": "camille@example.org",
        "good_faith": "on",
        "website": "",
    }
    data.update(changes)
    return data


def test_anyone_may_send_a_notice_without_an_account(client, reply):
    response = client.post(NOTICE, notice_data(reply), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Your notice has been received" in response.content.decode()
    notice = IllegalContentNotice.objects.get()
    assert (notice.reply, notice.reporter, notice.name, notice.email) == (
        reply,
        None,
        "Camille",
        "camille@example.org",
    )
    assert notice.good_faith
    assert notice.status == "open"


def test_name_and_email_are_optional(client, reply):
    client.post(NOTICE, notice_data(reply, name="", email=""))

    assert IllegalContentNotice.objects.get().email == ""


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("good_faith", ""),
        ("explanation", "   "),
        ("location", ""),
        ("email", "not-an-address"),
    ],
)
def test_a_notice_missing_what_the_law_asks_is_refused(client, reply, field, value):
    data = notice_data(reply)
    if value:
        data[field] = value
    else:
        data.pop(field)

    response = client.post(NOTICE, data)

    assert response.status_code == 400
    assert not IllegalContentNotice.objects.exists()


def test_a_form_filled_by_a_robot_is_refused(client, reply):
    response = client.post(NOTICE, notice_data(reply, website="http://spam.example"))

    assert response.status_code == 400
    assert not IllegalContentNotice.objects.exists()


def test_notices_are_rate_limited_per_sender(client, reply, settings):
    settings.FORUM_RATE_LIMITS = {"notice": "2/3600"}

    statuses = [client.post(NOTICE, notice_data(reply)).status_code for _ in range(3)]

    assert statuses == [200, 200, 400]
    assert IllegalContentNotice.objects.count() == 2


def test_each_reply_and_the_footer_link_the_notice_form(client, reply):
    page = client.get(reply.thread.get_absolute_url()).content.decode()

    assert f'{NOTICE}?reply={reply.pk}"' in page
    assert f'href="{NOTICE}"' in page


def test_the_form_opened_from_a_reply_names_its_location(client, reply):
    form = client.get(NOTICE, {"reply": reply.pk}).content.decode()

    assert f"?reply={reply.pk}#reply-{reply.pk}" in form


def test_notices_come_first_in_the_moderation_queue(client, moderator, reply):
    client.post(NOTICE, notice_data(reply))
    client.force_login(moderator)

    index = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    listing = client.get(reverse("admin:forum_illegalcontentnotice_changelist"))

    queue = index.content.decode()
    assert queue.index("Illegal content notices") < queue.index("Open reports")
    assert [n.reply for n in listing.context["cl"].result_list] == [reply]


def test_removing_the_reply_closes_its_notices_as_acted_upon(client, moderator, reply):
    client.post(NOTICE, notice_data(reply))

    remove_reply(
        reply=reply, by=moderator, reason=Reply.RemovalReason.ILLEGAL, note="Adresse"
    )

    notice = IllegalContentNotice.objects.get()
    assert (notice.status, notice.decided_by) == ("acted", moderator)


def test_a_moderator_closes_a_notice_without_action(client, moderator, reply):
    client.post(NOTICE, notice_data(reply))
    notice = IllegalContentNotice.objects.get()
    client.force_login(moderator)

    client.post(
        reverse("admin:forum_illegalcontentnotice_changelist"),
        {"action": "reject_notices", "_selected_action": [notice.pk]},
    )

    notice.refresh_from_db()
    assert notice.status == "rejected"
    reply.refresh_from_db()
    assert not reply.is_removed
