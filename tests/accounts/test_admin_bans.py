from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import create_api_token
from forum.models import Flag, Reply, Vote
from forum.services import flag_reply
from tests.factories import ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db

USERS = reverse("admin:accounts_user_changelist")


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def ban(client, users, **form):
    return client.post(
        USERS,
        {
            "action": "ban_users",
            "_selected_action": [user.pk for user in users],
            "post": "yes",
            **form,
        },
    )


@pytest.fixture
def moderator_client(client, moderator):
    # The admin speaks the browser's language; these tests read its English.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(moderator)
    return client


def test_ban_action_first_asks_for_a_reason_and_an_end(moderator_client, user):
    response = moderator_client.post(
        USERS, {"action": "ban_users", "_selected_action": [user.pk], "index": 0}
    )

    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"reason_code", "reason", "until"}
    user.refresh_from_db()
    assert user.banned_at is None


def test_moderator_bans_a_user_until_a_date(moderator_client, moderator, user):
    until = timezone.localtime() + timedelta(days=7)

    response = ban(
        moderator_client,
        [user],
        reason="Insultes répétées",
        until=until.strftime("%Y-%m-%dT%H:%M"),
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_banned
    assert (user.ban_reason, user.banned_by) == ("Insultes répétées", moderator)
    assert user.banned_until == until.replace(second=0, microsecond=0)
    message = LogEntry.objects.get(object_id=str(user.pk)).get_change_message()
    assert message == (
        f"Banned the user until {until:%Y-%m-%d %H:%M}. Reason: Insultes répétées"
    )


def test_a_ban_without_end_date_lasts(moderator_client, user):
    ban(moderator_client, [user], reason="Spam")

    user.refresh_from_db()
    assert user.is_banned
    assert user.banned_until is None
    assert "without end" in LogEntry.objects.get().get_change_message()


def test_a_ban_needs_a_reason(moderator_client, user):
    response = ban(moderator_client, [user], reason="  ")

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    user.refresh_from_db()
    assert user.banned_at is None


def test_a_ban_ending_in_the_past_is_refused(moderator_client, user):
    yesterday = timezone.localtime() - timedelta(days=1)

    response = ban(
        moderator_client,
        [user],
        reason="Spam",
        until=yesterday.strftime("%Y-%m-%dT%H:%M"),
    )

    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert "alice: The end of a ban must be later." in shown
    user.refresh_from_db()
    assert user.banned_at is None
    assert not LogEntry.objects.exists()


def test_administrators_and_the_moderator_themself_cannot_be_banned(
    moderator_client, moderator, user
):
    boss = UserFactory(is_superuser=True, is_staff=True)

    ban(moderator_client, [boss, moderator, user], reason="Essai")

    boss.refresh_from_db()
    moderator.refresh_from_db()
    user.refresh_from_db()
    assert (boss.is_banned, moderator.is_banned, user.is_banned) == (
        False,
        False,
        True,
    )


def test_banning_from_the_user_page_returns_there(moderator_client, user):
    act = reverse("admin:accounts_user_act", args=[user.pk, "ban_users"])
    page = moderator_client.get(change_url(user)).content.decode()

    response = moderator_client.post(act, {"post": "yes", "reason": "Hors charte"})

    assert act in page
    assert response.status_code == 302
    assert response["Location"] == change_url(user)
    user.refresh_from_db()
    assert user.ban_reason == "Hors charte"


def test_moderator_lifts_a_ban(moderator_client, moderator, user):
    ban(moderator_client, [user], reason="Spam")

    response = moderator_client.post(
        USERS, {"action": "unban_users", "_selected_action": [user.pk], "index": 0}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_banned
    assert (user.banned_at, user.ban_reason, user.banned_by) == (None, "", None)
    assert LogEntry.objects.filter(
        object_id=str(user.pk),
        change_message="Lifted the ban: the user can write again.",
    ).exists()


def test_banned_user_still_reads_but_every_write_is_a_403(
    moderator_client, client, user, other_user, reply
):
    ban(moderator_client, [user], reason="Spam")
    someone_elses = ReplyFactory(thread=reply.thread, author=other_user)
    client.force_login(user)

    page = client.get(reply.thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    new_reply = client.post(
        reverse("forum:reply-create", kwargs={"thread_id": reply.thread_id}),
        {"body": "Je parle quand même"},
    )
    vote = client.post(
        reverse("forum:reply-vote", kwargs={"reply_id": someone_elses.pk}),
        {"value": 1},
    )
    report = client.post(
        reverse("forum:reply-flag", kwargs={"reply_id": someone_elses.pk}),
        {"reason": "spam"},
    )
    edit = client.post(
        reverse("forum:reply-edit", kwargs={"reply_id": reply.pk}),
        {"body": "Modifié"},
    )

    assert page.status_code == 200
    assert (
        "Your account is banned until a moderator lifts the ban: you can read "
        "but not write." in page.content.decode()
    )
    assert [r.status_code for r in (new_reply, vote, report, edit)] == [403] * 4
    assert Reply.objects.filter(author=user).count() == 1
    assert not Vote.objects.exists()
    assert not Flag.objects.exists()
    reply.refresh_from_db()
    assert reply.body.startswith("Un avis argumenté")


def test_banned_user_reads_the_api_but_every_write_is_a_403(
    moderator_client, user, other_user, reply
):
    someone_elses = ReplyFactory(thread=reply.thread, author=other_user)
    token = create_api_token(user=user, name="test")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.secret}")
    ban(moderator_client, [user], reason="Spam")

    thread = api.get(f"/api/v1/threads/{reply.thread_id}/")
    new_reply = api.post(
        f"/api/v1/threads/{reply.thread_id}/replies/", {"body": "Par l'API"}
    )
    vote = api.post(f"/api/v1/replies/{someone_elses.pk}/vote/", {"value": 1})
    report = api.post(f"/api/v1/replies/{someone_elses.pk}/flags/", {"reason": "spam"})

    assert thread.status_code == 200
    assert [r.status_code for r in (new_reply, vote, report)] == [403] * 3
    assert Reply.objects.filter(author=user).count() == 1
    assert not Vote.objects.exists()
    assert not Flag.objects.exists()


def test_unbanned_user_writes_again(moderator_client, client, user, thread):
    ban(moderator_client, [user], reason="Spam")
    moderator_client.post(
        USERS, {"action": "unban_users", "_selected_action": [user.pk], "index": 0}
    )
    client.force_login(user)

    response = client.post(
        reverse("forum:reply-create", kwargs={"thread_id": thread.pk}),
        {"body": "De retour"},
    )

    assert response.status_code == 302
    assert Reply.objects.filter(author=user, body="De retour").exists()


def test_user_page_shows_their_replies_and_the_reports_they_received(
    moderator_client, user, reply
):
    flag_reply(reply=reply, reporter=UserFactory(username="carol"), reason="abuse")

    response = moderator_client.get(change_url(user), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert reply.body in page
    assert "carol" in page
    assert "Abuse or harassment" in page
    assert f"{reverse('admin:forum_reply_changelist')}?author={user.pk}" in page
    assert f"{reverse('admin:forum_flag_changelist')}?reported_user={user.pk}" in page


def test_user_list_filters_current_bans(moderator_client, user, other_user):
    ban(moderator_client, [user], reason="Spam")
    User.objects.filter(pk=other_user.pk).update(
        banned_at=timezone.now() - timedelta(days=10),
        banned_until=timezone.now() - timedelta(days=3),
        ban_reason="Ancien",
    )

    banned_now = moderator_client.get(f"{USERS}?ban=active")
    ended = moderator_client.get(f"{USERS}?ban=ended")

    assert list(banned_now.context["cl"].result_list) == [user]
    assert list(ended.context["cl"].result_list) == [other_user]


def test_staff_outside_the_group_cannot_ban(client, user):
    client.force_login(UserFactory(is_staff=True))

    response = ban(client, [user], reason="Spam")

    assert response.status_code == 403
    user.refresh_from_db()
    assert user.banned_at is None


def test_a_reader_cannot_reach_the_ban_form(auth_client, other_user):
    response = ban(auth_client, [other_user], reason="Spam")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    other_user.refresh_from_db()
    assert other_user.banned_at is None
