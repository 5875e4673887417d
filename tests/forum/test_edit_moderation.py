"""An edit passes the same checks as a new reply, on the page, the API and
in the admin's queue."""

import pytest
from django.test import Client
from django.urls import reverse

from forum.models import Revision, WordRule
from forum.services import edit_reply
from tests.api.conftest import client_for
from tests.factories import ReplyFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:forum_reply_changelist")


def edit_url(reply):
    return reverse("forum:reply-edit", kwargs={"reply_id": reply.pk})


def page_of(client, thread) -> str:
    response = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def rules(db):
    WordRule.objects.create(word="arnaque", kind=WordRule.Kind.BANNED)
    WordRule.objects.create(word="crypto", kind=WordRule.Kind.SUSPECT)


@pytest.fixture
def moderator_client(moderator):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(moderator)
    return client


def test_an_edit_adding_a_banned_word_is_refused_and_changes_nothing(
    auth_client, reply, rules
):
    before = reply.body

    response = auth_client.post(
        edit_url(reply),
        {"body": "Finalement, des Arnaques."},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "not allowed here (arnaque)" in response.content.decode()
    reply.refresh_from_db()
    assert reply.body == before
    assert not reply.has_pending_edit
    assert not Revision.objects.filter(reply=reply).exists()


def test_an_edit_adding_a_suspect_word_is_held_and_the_old_text_stays_public(
    auth_client, reply, rules, other_user
):
    before = reply.body

    response = auth_client.post(
        edit_url(reply),
        {"body": "Payé en CRYPTOS, en fait."},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    reply.refresh_from_db()
    assert (reply.body, reply.pending_body) == (before, "Payé en CRYPTOS, en fait.")
    assert reply.pending_edit_reason == "contains a suspect word: crypto"
    assert "Your edit waits for a moderator" in response.content.decode()
    assert "Edit pending review" in page_of(auth_client, reply.thread)
    other = Client()
    other.force_login(other_user)
    seen_by_other = page_of(other, reply.thread)
    assert before in seen_by_other
    assert "CRYPTOS" not in seen_by_other
    assert "Edit pending review" not in seen_by_other
    assert "CRYPTOS" not in page_of(Client(), reply.thread)


def test_the_edit_form_takes_up_the_held_edit(auth_client, reply, rules):
    auth_client.post(edit_url(reply), {"body": "Payé en crypto."})

    form = auth_client.get(edit_url(reply)).content.decode()

    assert "Payé en crypto." in form


def test_a_moderator_publishes_a_held_edit_and_the_old_text_is_kept(
    auth_client, moderator_client, reply, rules
):
    before = reply.body
    auth_client.post(edit_url(reply), {"body": "Payé en crypto."})

    response = moderator_client.post(
        CHANGELIST, {"action": "approve_edits", "_selected_action": [reply.pk]}
    )

    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.body, reply.has_pending_edit) == ("Payé en crypto.", False)
    assert list(
        Revision.objects.filter(reply=reply).values_list("body", flat=True)
    ) == [before]
    assert "Payé en crypto." in page_of(Client(), reply.thread)


def test_a_declined_held_edit_is_kept_as_an_earlier_version(
    auth_client, moderator_client, reply, rules
):
    before = reply.body
    auth_client.post(edit_url(reply), {"body": "Payé en crypto."})

    moderator_client.post(
        CHANGELIST, {"action": "decline_edits", "_selected_action": [reply.pk]}
    )

    reply.refresh_from_db()
    assert (reply.body, reply.has_pending_edit) == (before, False)
    assert list(
        Revision.objects.filter(reply=reply).values_list("body", flat=True)
    ) == ["Payé en crypto."]


def test_held_edits_wait_under_their_own_state_in_the_admin(
    auth_client, moderator_client, reply, rules
):
    auth_client.post(edit_url(reply), {"body": "Payé en crypto."})

    listed = moderator_client.get(CHANGELIST, {"state": "held_edit"})

    assert listed.status_code == 200
    assert list(listed.context["cl"].result_list) == [reply]


def test_a_clean_edit_after_a_held_one_replaces_it_and_keeps_it(
    auth_client, reply, rules
):
    auth_client.post(edit_url(reply), {"body": "Payé en crypto."})

    auth_client.post(edit_url(reply), {"body": "Payé en euros."})

    reply.refresh_from_db()
    assert (reply.body, reply.has_pending_edit) == ("Payé en euros.", False)
    kept = set(Revision.objects.filter(reply=reply).values_list("body", flat=True))
    assert "Payé en crypto." in kept


def test_an_edit_through_the_api_is_held_like_on_the_page(reply, user, rules):
    api = client_for(user)
    before = reply.body

    response = api.patch(
        f"/api/v1/replies/{reply.pk}/", {"body": "Payé en crypto."}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["body"], response.json()["has_pending_edit"]) == (
        before,
        True,
    )
    reply.refresh_from_db()
    assert reply.pending_body == "Payé en crypto."


def test_an_edit_through_the_api_with_a_banned_word_is_refused(reply, user, rules):
    api = client_for(user)

    response = api.patch(
        f"/api/v1/replies/{reply.pk}/", {"body": "Une arnaque."}, format="json"
    )

    assert response.status_code == 400
    reply.refresh_from_db()
    assert "arnaque" not in reply.body
    assert not reply.has_pending_edit


def test_other_readers_are_not_told_of_a_held_edit_in_the_api(
    reply, user, other_user, rules
):
    client_for(user).patch(
        f"/api/v1/replies/{reply.pk}/", {"body": "Payé en crypto."}, format="json"
    )

    shown = client_for(other_user).get(f"/api/v1/replies/{reply.pk}/").json()

    assert shown["has_pending_edit"] is False
    assert "crypto" not in shown["body"]


def test_a_moderators_edit_of_their_own_reply_is_never_held(moderator, thread, rules):
    reply = ReplyFactory(thread=thread, author=moderator)

    edit_reply(reply=reply, editor=moderator, body="Payé en crypto.")

    reply.refresh_from_db()
    assert (reply.body, reply.has_pending_edit) == ("Payé en crypto.", False)


def test_edits_are_rate_limited_and_a_refused_edit_changes_nothing(
    auth_client, reply, settings
):
    settings.FORUM_RATE_LIMITS = {"edit": "1/60"}
    auth_client.post(edit_url(reply), {"body": "Première correction"})

    refused = auth_client.post(
        edit_url(reply), {"body": "Seconde correction"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert refused.status_code == 400
    assert "too often" in refused.content.decode()
    reply.refresh_from_db()
    assert reply.body == "Première correction"
