import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Sum
from django.urls import reverse

from accounts.models import ApiToken, User, deleted_member
from accounts.services import create_api_token
from forum.models import (
    Flag,
    Follow,
    ModerationDecision,
    Notification,
    Reply,
    Revision,
    Thread,
    Vote,
)
from forum.services import (
    appeal_decision,
    cast_vote,
    edit_reply,
    flag_reply,
    follow_thread,
    post_reply,
    remove_reply,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
DELETE = reverse("accounts:delete")
USERS = reverse("admin:accounts_user_changelist")


@pytest.fixture
def history(thread, user, other_user):
    """Alice wrote, edited, voted, reported, followed and got notified."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True)
    create_api_token(user=user, name="laptop")
    mine = post_reply(thread=thread, author=user, body="Version une.")
    edit_reply(reply=mine, editor=user, body="Version deux, **la bonne**.")
    theirs = post_reply(thread=thread, author=other_user, body="Réponse de Bob.")
    answer = post_reply(
        thread=thread, author=other_user, body="Bob répond.", parent=mine
    )
    cast_vote(reply=theirs, voter=user, value=1)
    cast_vote(reply=answer, voter=user, value=-1)
    cast_vote(reply=mine, voter=other_user, value=1)
    flag_reply(reply=answer, reporter=user, reason=Flag.Reason.SPAM)
    follow_thread(thread=thread, user=user)
    Notification.objects.create(
        recipient=user, reply=answer, kind=Notification.Kind.REPLY
    )
    return {"mine": mine, "theirs": theirs, "answer": answer}


def signed_in(client, user):
    client.force_login(user)
    return client


def assert_counters_equal_a_recount():
    for reply in Reply.objects.all():
        votes = Vote.objects.filter(reply=reply)
        up = votes.filter(value=1).count()
        down = votes.filter(value=-1).count()
        assert (reply.upvotes, reply.downvotes, reply.score) == (up, down, up - down)
        assert reply.open_flag_count == reply.flags.filter(status="open").count()
    for thread in Thread.objects.all():
        visible = thread.replies.filter(status="published", removed_at__isnull=True)
        assert thread.reply_count == visible.count()
        assert thread.score == (thread.replies.aggregate(s=Sum("score"))["s"] or 0)


def assert_nothing_personal_left(user_pk, email):
    assert not User.objects.filter(pk=user_pk).exists()
    assert not User.objects.filter(email=email).exists()
    assert not EmailAddress.objects.filter(email=email).exists()
    assert not Vote.objects.filter(user_id=user_pk).exists()
    assert not Flag.objects.filter(reporter_id=user_pk).exists()
    assert not Follow.objects.filter(user_id=user_pk).exists()
    assert not Notification.objects.filter(recipient_id=user_pk).exists()
    assert not ApiToken.objects.filter(user_id=user_pk).exists()
    assert not Revision.objects.filter(editor_id=user_pk).exists()
    assert not Reply.objects.filter(author_id=user_pk).exists()
    for session in Session.objects.all():
        assert session.get_decoded().get("_auth_user_id") != str(user_pk)


def test_reader_deletes_their_account_keeping_their_replies_text(
    client, user, thread, history
):
    signed_in(client, user)
    pk, email = user.pk, user.email

    response = client.post(DELETE, {"password": PASSWORD, "replies": "keep"})

    assert response.status_code == 302
    mine = Reply.objects.get(pk=history["mine"].pk)
    assert mine.author.is_deleted_member
    assert mine.body == "Version deux, **la bonne**."
    assert mine.removed_at is None
    assert list(mine.revisions.values_list("body", "editor")) == [
        ("Version une.", None)
    ]
    assert_nothing_personal_left(pk, email)
    assert_counters_equal_a_recount()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "membre supprimé" in page
    assert "la bonne" in page
    assert "Alice" not in page


def test_reader_deletes_their_account_erasing_their_replies_text(
    client, user, thread, history
):
    signed_in(client, user)
    pk, email = user.pk, user.email

    response = client.post(DELETE, {"password": PASSWORD, "replies": "erase"})

    assert response.status_code == 302
    mine = Reply.objects.get(pk=history["mine"].pk)
    assert mine.author.is_deleted_member
    assert (mine.body, mine.body_html) == ("", "")
    assert mine.removal_reason == Reply.RemovalReason.AUTHOR
    assert not mine.revisions.exists()
    # The answer under it keeps its place.
    assert Reply.objects.get(pk=history["answer"].pk).parent_id == mine.pk
    assert_nothing_personal_left(pk, email)
    assert_counters_equal_a_recount()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "la bonne" not in page
    assert "Bob répond." in page


def test_the_votes_of_a_deleted_account_leave_the_scores(client, user, history):
    signed_in(client, user)

    client.post(DELETE, {"password": PASSWORD, "replies": "keep"})

    theirs = Reply.objects.get(pk=history["theirs"].pk)
    answer = Reply.objects.get(pk=history["answer"].pk)
    assert (theirs.score, answer.score) == (0, 0)
    assert answer.open_flag_count == 0
    # The votes others gave the reader's replies stay.
    assert Reply.objects.get(pk=history["mine"].pk).score == 1


def test_a_deleted_account_can_no_longer_sign_in(client, user, history):
    signed_in(client, user)
    client.post(DELETE, {"password": PASSWORD, "replies": "keep"})

    response = client.post(
        reverse("account_login"), {"login": "alice", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_every_session_of_the_deleted_account_ends(client, user, history):
    other_device = type(client)()
    other_device.force_login(user)
    signed_in(client, user)

    client.post(DELETE, {"password": PASSWORD, "replies": "keep"})

    response = other_device.get(reverse("accounts:profile-edit"))
    assert response.status_code == 302
    assert [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id")
    ] == []


def test_a_wrong_password_deletes_nothing(client, user, history):
    signed_in(client, user)

    response = client.post(DELETE, {"password": "not-my-password", "replies": "keep"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"] == [
        "Ce n'est pas votre mot de passe."
    ]
    assert User.objects.filter(pk=user.pk).exists()
    assert Vote.objects.filter(user=user).count() == 2
    assert Reply.objects.get(pk=history["mine"].pk).author_id == user.pk


def test_password_guesses_on_the_delete_page_are_limited(client, user, history):
    signed_in(client, user)
    for _attempt in range(5):
        client.post(DELETE, {"password": "not-my-password", "replies": "keep"})

    response = client.post(DELETE, {"password": PASSWORD, "replies": "keep"})

    assert response.status_code == 429
    assert User.objects.filter(pk=user.pk).exists()


def test_a_choice_for_the_replies_is_required(client, user, history):
    signed_in(client, user)

    response = client.post(DELETE, {"password": PASSWORD})

    assert response.status_code == 200
    assert "replies" in response.context["form"].errors
    assert User.objects.filter(pk=user.pk).exists()


def test_the_delete_page_needs_a_signed_in_reader(client):
    response = client.get(DELETE)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_deleted_member_account_cannot_sign_in_nor_show_a_profile(client):
    member = deleted_member()

    assert not member.is_active
    assert not member.has_usable_password()
    assert client.get(member.get_absolute_url()).status_code == 404


def test_sign_up_refuses_the_deleted_member_name(client):
    response = client.post(
        reverse("account_signup"),
        {
            "username": "deleted-member",
            "email": "x@example.org",
            "password1": "a-long-enough-password",
            "password2": "a-long-enough-password",
            "accept_terms": "on",
        },
    )

    assert response.status_code == 200
    assert [
        error.code for error in response.context["form"].errors.as_data()["username"]
    ] == ["reserved"]
    assert not User.objects.filter(username="deleted-member").exists()


# Admin ----------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(admin)
    return client


def test_admin_erase_action_first_asks_what_becomes_of_the_text(
    admin_client, user, history
):
    response = admin_client.post(
        USERS, {"action": "erase_accounts", "_selected_action": [user.pk]}
    )

    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"replies"}
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.parametrize("choice", ["keep", "erase"])
def test_staff_erase_an_account_from_the_admin(admin_client, user, history, choice):
    pk, email = user.pk, user.email
    LogEntry.objects.log_actions(
        user_id=User.objects.get(username="root").pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message="Banned.",
    )

    response = admin_client.post(
        USERS,
        {
            "action": "erase_accounts",
            "_selected_action": [user.pk],
            "post": "yes",
            "replies": choice,
        },
    )

    assert response.status_code == 302
    mine = Reply.objects.get(pk=history["mine"].pk)
    assert mine.author.is_deleted_member
    assert (mine.body != "") is (choice == "keep")
    assert_nothing_personal_left(pk, email)
    assert_counters_equal_a_recount()
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(pk)
    )
    assert [entry.object_repr for entry in entries] == [f"#{pk}"]


def test_django_delete_in_the_admin_works_for_an_author_and_keeps_the_text(
    admin_client, user, history
):
    pk, email = user.pk, user.email
    url = reverse("admin:accounts_user_delete", args=[user.pk])

    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert Reply.objects.get(pk=history["mine"].pk).body.startswith("Version deux")
    assert_nothing_personal_left(pk, email)
    assert_counters_equal_a_recount()


def test_the_user_lists_delete_action_erases_and_keeps_the_text(
    admin_client, user, history
):
    pk, email = user.pk, user.email

    response = admin_client.post(
        USERS,
        {"action": "delete_selected", "_selected_action": [user.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert Reply.objects.get(pk=history["mine"].pk).author.is_deleted_member
    assert_nothing_personal_left(pk, email)
    assert_counters_equal_a_recount()


def test_moderators_cannot_erase_accounts(client, moderator, user, history):
    client.force_login(moderator)

    client.post(
        USERS,
        {
            "action": "erase_accounts",
            "_selected_action": [user.pk],
            "post": "yes",
            "replies": "keep",
        },
    )

    assert User.objects.filter(pk=user.pk).exists()


def test_the_admin_does_not_erase_the_deleted_member_account(admin_client):
    member = deleted_member()

    admin_client.post(
        USERS,
        {
            "action": "erase_accounts",
            "_selected_action": [member.pk],
            "post": "yes",
            "replies": "keep",
        },
    )

    assert User.objects.filter(pk=member.pk).exists()


# Export -----------------------------------------------------------------------


def test_reader_downloads_their_data_from_the_profile_page(client, user, history):
    signed_in(client, user)
    page = client.get(reverse("accounts:profile-edit")).content.decode()
    assert reverse("accounts:export") in page

    response = client.get(reverse("accounts:export"))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["username"] == "alice"
    assert data["profile"]["email"] == user.email
    assert data["email_addresses"] == [
        {"email": user.email, "verified": True, "primary": False}
    ]
    assert [reply["body"] for reply in data["replies"]] == [
        "Version deux, **la bonne**."
    ]
    assert [rev["body"] for rev in data["replies"][0]["revisions"]] == ["Version une."]
    assert sorted(vote["value"] for vote in data["votes"]) == [-1, 1]
    assert [report["reason"] for report in data["reports"]] == ["spam"]
    assert [follow["thread_id"] for follow in data["follows"]] == [
        history["mine"].thread_id
    ]
    assert [token["name"] for token in data["api_tokens"]] == ["laptop"]
    assert "fia_" not in response.content.decode()


def test_notifications_are_in_the_export(client, user, other_user, history):
    signed_in(client, user)

    data = json.loads(client.get(reverse("accounts:export")).content)

    # Bob answered Alice's reply: she was told.
    assert [(n["kind"], n["reply_id"]) for n in data["notifications"]] == [
        ("reply", history["answer"].pk)
    ]


def test_the_export_needs_a_signed_in_reader(client):
    assert client.get(reverse("accounts:export")).status_code == 302


def test_the_threads_structured_data_names_deleted_member_without_a_profile_link(
    client, user, thread, history
):
    signed_in(client, user)
    client.post(DELETE, {"password": PASSWORD, "replies": "keep"})

    page = client.get(thread.get_absolute_url()).content.decode()

    (block,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page, re.S
    )
    authors = [comment["author"] for comment in json.loads(block)["comment"]]
    assert {"@type": "Person", "name": "membre supprimé"} in authors
    assert "deleted-member" not in page


def test_the_export_holds_the_decisions_about_the_reader_and_their_appeals(
    client, user, moderator, history
):
    remove_reply(
        reply=history["mine"], by=moderator, reason="spam", note="Lien publicitaire."
    )
    decision = ModerationDecision.objects.get(reply=history["mine"])
    appeal_decision(decision=decision, appellant=user, text="Ce n'est pas une pub.")
    signed_in(client, user)

    data = json.loads(client.get(reverse("accounts:export")).content)

    assert [(d["action"], d["reason"]) for d in data["moderation_decisions"]] == [
        (decision.action, "spam")
    ]
    assert [(a["text"], a["decision"]["reply_id"]) for a in data["appeals"]] == [
        ("Ce n'est pas une pub.", history["mine"].pk)
    ]


def test_erasing_a_reporter_takes_their_reports_weight_off_the_reply(
    client, user, history
):
    answer = history["answer"]
    before = Reply.objects.get(pk=answer.pk)
    assert before.open_flag_count == 1 and before.open_flag_weight > 0
    signed_in(client, user)

    client.post(DELETE, {"password": PASSWORD, "replies": "keep"})

    after = Reply.objects.get(pk=answer.pk)
    assert (after.open_flag_count, after.open_flag_weight) == (0, 0)


def test_erasing_an_appellant_keeps_the_appeal_without_its_text(
    client, user, moderator, history
):
    remove_reply(reply=history["mine"], by=moderator, reason="spam", note="Pub.")
    decision = ModerationDecision.objects.get(reply=history["mine"])
    appeal = appeal_decision(decision=decision, appellant=user, text="Mon adresse.")
    signed_in(client, user)

    client.post(DELETE, {"password": PASSWORD, "replies": "keep"})

    appeal.refresh_from_db()
    assert (appeal.appellant_id, appeal.text) == (None, "")
