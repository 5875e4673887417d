"""Each rule answers the same through the page and through the API.

Every test drives one case along both paths a user takes, the thread page
(the test client) and the REST API (a token client), and checks the same
outcome: the class of status, what is shown, and what is stored.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from forum.models import Flag, Reply, Vote
from forum.permissions import can_see_reply
from forum.selectors import moderation_state
from forum.services import flag_reply, hide_thread, remove_reply
from tests.api.conftest import client_for
from tests.factories import ArticleFactory, ReplyFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db

JSON = {"accept": "application/json"}


def status_class(response) -> int:
    return response.status_code // 100


def hide_by_reports(reply, settings):
    settings.FORUM_FLAGS_TO_HIDE = 2
    for reporter in UserFactory.create_batch(2):
        flag_reply(reply=reply, reporter=reporter, reason=Flag.Reason.SPAM)
    reply.refresh_from_db()
    assert reply.is_hidden_by_flags


def page_of(client, thread) -> str:
    response = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def api_reply(client, reply) -> dict:
    response = client.get(f"/api/v1/threads/{reply.thread_id}/replies/")
    assert response.status_code == 200, response.content
    [shown] = [item for item in response.json()["results"] if item["id"] == reply.pk]
    return shown


# The parent a reader may answer -------------------------------------------


def test_answering_a_reply_hidden_by_reports_is_refused_on_the_page_and_the_api(
    client, other_user, reply, settings
):
    hide_by_reports(reply, settings)
    client.force_login(other_user)
    data = {"body": "Je réponds au message masqué.", "parent": reply.pk}

    page = client.post(
        reverse("forum:reply-create", kwargs={"thread_id": reply.thread_id}),
        data,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    api = client_for(other_user).post(
        f"/api/v1/threads/{reply.thread_id}/replies/", data, format="json"
    )

    # A form error on the page; a conflict with what is stored on the API.
    assert (page.status_code, api.status_code) == (400, 409)
    assert "The reply you answer does not exist." in page.content.decode()
    assert list(api.json()) == ["detail"]
    assert not Reply.objects.filter(parent=reply).exists()


def test_author_answers_their_own_reply_hidden_by_reports_on_both(
    auth_client, user, reply, settings
):
    hide_by_reports(reply, settings)
    data = {"body": "Je précise ma pensée.", "parent": reply.pk}

    page = auth_client.post(
        reverse("forum:reply-create", kwargs={"thread_id": reply.thread_id}), data
    )
    api = client_for(user).post(
        f"/api/v1/threads/{reply.thread_id}/replies/", data, format="json"
    )

    assert (status_class(page), status_class(api)) == (3, 2)
    assert Reply.objects.filter(parent=reply).count() == 2


def test_the_answer_form_of_a_reply_hidden_by_reports_is_not_found(
    client, other_user, reply, settings
):
    hide_by_reports(reply, settings)
    client.force_login(other_user)

    response = client.get(reverse("forum:reply-respond", kwargs={"reply_id": reply.pk}))

    assert response.status_code == 404


# The reply a reader may act on --------------------------------------------


@pytest.mark.parametrize("headers", [{}, JSON], ids=["form", "script"])
def test_voting_on_a_reply_hidden_by_reports_is_not_found_on_both(
    client, other_user, reply, settings, headers
):
    hide_by_reports(reply, settings)
    client.force_login(other_user)

    page = client.post(
        reverse("forum:reply-vote", kwargs={"reply_id": reply.pk}),
        {"value": "1"},
        headers=headers,
    )
    api = client_for(other_user).post(
        f"/api/v1/replies/{reply.pk}/vote/", {"value": 1}, format="json"
    )

    assert (page.status_code, api.status_code) == (404, 404)
    reply.refresh_from_db()
    assert reply.score == 0
    assert not Vote.objects.exists()


def test_reporting_a_removed_reply_is_not_found_on_both(
    client, other_user, moderator, reply
):
    remove_reply(reply=reply, by=moderator, reason=Reply.RemovalReason.SPAM)
    client.force_login(other_user)

    page = client.post(
        reverse("forum:reply-flag", kwargs={"reply_id": reply.pk}), {"reason": "spam"}
    )
    api = client_for(other_user).post(
        f"/api/v1/replies/{reply.pk}/flags/", {"reason": "spam"}, format="json"
    )

    assert (page.status_code, api.status_code) == (404, 404)
    assert not Flag.objects.filter(reply=reply).exists()


def test_author_edits_their_own_reply_hidden_by_reports_on_both(
    auth_client, user, reply, settings
):
    hide_by_reports(reply, settings)

    page = auth_client.post(
        reverse("forum:reply-edit", kwargs={"reply_id": reply.pk}),
        {"body": "Reformulé depuis la page."},
    )
    api = client_for(user).patch(
        f"/api/v1/replies/{reply.pk}/", {"body": "Reformulé par l'API."}, format="json"
    )

    assert (status_class(page), status_class(api)) == (3, 2)
    reply.refresh_from_db()
    assert reply.body == "Reformulé par l'API."
    assert reply.revisions.count() == 2


def test_voting_in_a_hidden_thread_is_not_found_on_both(
    client, other_user, moderator, reply
):
    hide_thread(thread=reply.thread, by=moderator)
    client.force_login(other_user)

    page = client.post(
        reverse("forum:reply-vote", kwargs={"reply_id": reply.pk}), {"value": "1"}
    )
    api = client_for(other_user).post(
        f"/api/v1/replies/{reply.pk}/vote/", {"value": 1}, format="json"
    )

    assert (page.status_code, api.status_code) == (404, 404)
    assert not Vote.objects.exists()


def test_page_offers_no_reply_or_report_link_that_would_not_be_found(
    client, other_user, reply, settings
):
    hide_by_reports(reply, settings)
    client.force_login(other_user)

    page = page_of(client, reply.thread)

    assert reverse("forum:reply-respond", kwargs={"reply_id": reply.pk}) not in page
    assert reverse("forum:reply-flag", kwargs={"reply_id": reply.pk}) not in page


def test_who_may_open_a_reply_is_the_same_one_by_one_and_in_lists(
    user, other_user, moderator, thread, settings
):
    public = ReplyFactory(thread=thread, author=user)
    hidden = ReplyFactory(thread=thread, author=user)
    hide_by_reports(hidden, settings)
    held = ReplyFactory(thread=thread, author=user, status=Reply.Status.PENDING)
    removed = ReplyFactory(thread=thread, author=user)
    remove_reply(reply=removed, by=moderator, reason=Reply.RemovalReason.SPAM)
    replies = [public, hidden, held, removed]
    for reply in replies:
        reply.refresh_from_db()

    for viewer in (AnonymousUser(), user, other_user, moderator):
        listed = set(Reply.objects.visible_to(viewer).values_list("pk", flat=True))
        one_by_one = {reply.pk for reply in replies if can_see_reply(viewer, reply)}
        assert one_by_one == listed, viewer


# Self-vote ----------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, JSON], ids=["form", "script"])
def test_voting_on_your_own_reply_is_forbidden_on_both(
    auth_client, user, reply, headers
):
    page = auth_client.post(
        reverse("forum:reply-vote", kwargs={"reply_id": reply.pk}),
        {"value": "1"},
        headers=headers,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    api = client_for(user).post(
        f"/api/v1/replies/{reply.pk}/vote/",
        {"value": 1},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert (page.status_code, api.status_code) == (403, 403)
    assert api.json() == {"detail": "You cannot vote on your own reply."}
    reply.refresh_from_db()
    assert (reply.score, reply.upvotes) == (0, 0)
    assert not Vote.objects.exists()


# How a removed or hidden reply is shown -----------------------------------


def test_reply_hidden_by_reports_looks_removed_to_readers_on_both(
    client, other_user, reply, settings
):
    hide_by_reports(reply, settings)
    client.force_login(other_user)

    page = page_of(client, reply.thread)
    shown = api_reply(client_for(other_user), reply)

    assert "[message hidden while the moderators review it]" in page
    assert reply.body not in page
    assert reply.author.public_name not in page
    assert (shown["author"], shown["body"], shown["is_removed"]) == (None, None, True)


def test_reply_hidden_by_reports_looks_removed_to_its_author_too(
    auth_client, user, reply, settings
):
    hide_by_reports(reply, settings)

    page = page_of(auth_client, reply.thread)
    shown = api_reply(client_for(user), reply)

    assert reply.body not in page
    assert (shown["author"], shown["body"]) == (None, None)


def test_anonymous_readers_see_a_reply_hidden_by_reports_as_removed_on_both(
    client, reply, settings
):
    hide_by_reports(reply, settings)

    page = page_of(client, reply.thread)
    shown = client.get(f"/api/v1/replies/{reply.pk}/").json()

    assert reply.author.public_name not in page
    assert reply.body not in page
    assert (shown["author"], shown["body"], shown["is_removed"]) == (None, None, True)


def test_moderators_read_a_reply_hidden_by_reports_on_both(
    client, moderator, reply, settings
):
    hide_by_reports(reply, settings)
    client.force_login(moderator)

    page = page_of(client, reply.thread)
    shown = api_reply(client_for(moderator), reply)

    assert "[message hidden while the moderators review it]" in page
    assert escape(reply.body) in page
    assert reply.author.public_name in page
    assert shown["body"] == reply.body
    assert shown["author"]["username"] == reply.author.username
    assert shown["is_removed"] is False


def test_removed_reply_hides_text_and_author_from_readers_on_both(
    client, other_user, moderator, reply
):
    remove_reply(reply=reply, by=moderator, reason=Reply.RemovalReason.ABUSE)
    client.force_login(other_user)

    page = page_of(client, reply.thread)
    shown = api_reply(client_for(other_user), reply)

    assert "[message removed by the moderators]" in page
    assert reply.body not in page
    assert reply.author.public_name not in page
    assert (shown["author"], shown["body"], shown["is_removed"]) == (None, None, True)


def test_moderators_read_a_removed_reply_on_both(client, moderator, reply):
    remove_reply(reply=reply, by=moderator, reason=Reply.RemovalReason.ABUSE)
    client.force_login(moderator)

    page = page_of(client, reply.thread)
    shown = api_reply(client_for(moderator), reply)

    assert "[message removed by the moderators]" in page
    assert escape(reply.body) in page
    assert reply.author.public_name in page
    assert (shown["body"], shown["is_removed"]) == (reply.body, True)
    assert shown["author"]["username"] == reply.author.username
    reply.refresh_from_db()
    assert reply.is_removed


# Which threads a reader may open ------------------------------------------


def test_staff_outside_the_moderators_cannot_open_a_hidden_thread_on_both(
    client, moderator
):
    thread = ThreadFactory()
    hide_thread(thread=thread, by=moderator)
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    page = client.get(thread.get_absolute_url())
    api = client_for(staff).get(f"/api/v1/threads/{thread.pk}/")

    assert (page.status_code, api.status_code) == (404, 404)


def test_moderators_open_a_hidden_thread_on_both(client, moderator):
    thread = ThreadFactory()
    hide_thread(thread=thread, by=moderator)
    client.force_login(moderator)

    page = client.get(thread.get_absolute_url())
    api = client_for(moderator).get(f"/api/v1/threads/{thread.pk}/")

    assert (page.status_code, api.status_code) == (200, 200)


def test_staff_open_the_thread_of_a_draft_article_on_both(client):
    thread = ThreadFactory(article=ArticleFactory(status="draft"))
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    page = client.get(thread.get_absolute_url())
    api = client_for(staff).get(f"/api/v1/threads/{thread.pk}/")

    assert (page.status_code, api.status_code) == (200, 200)


def test_profile_lists_replies_in_threads_without_an_article(client, user):
    standalone = ThreadFactory(article=None, title="Une question sans article")
    reply = ReplyFactory(thread=standalone, author=user, body="Hors article.")

    profile = client.get(user.get_absolute_url()).content.decode()
    api = client_for(None).get(f"/api/v1/replies/{reply.pk}/")

    assert "Hors article." in profile
    assert escape(standalone.title) in profile
    assert api.status_code == 200


def test_profile_leaves_out_replies_in_hidden_threads_and_drafts(
    client, user, moderator
):
    hidden = ThreadFactory(title="Un fil masqué")
    hide_thread(thread=hidden, by=moderator)
    draft = ThreadFactory(
        article=ArticleFactory(status="draft"), title="Le fil d'un brouillon"
    )
    ReplyFactory(thread=hidden, author=user, body="Dans le fil masqué.")
    ReplyFactory(thread=draft, author=user, body="Dans le brouillon.")

    profile = client.get(user.get_absolute_url()).content.decode()

    assert "Dans le fil masqué." not in profile
    assert "Dans le brouillon." not in profile


# Facts written once ---------------------------------------------------------


def test_a_month_stays_a_month_on_the_page_in_json_ld_and_in_the_api(client):
    article = ArticleFactory(
        published=datetime.date(2026, 9, 14), published_precision="month"
    )

    page = client.get(article.get_absolute_url()).content.decode()
    api = client.get(f"/api/v1/articles/{article.slug}/").json()

    assert "septembre 2026" in page
    assert "14 septembre" not in page
    assert '"datePublished": "2026-09"' in page
    assert api["published"] == "2026-09"


def test_the_api_links_a_reply_where_the_page_shows_it(client, reply):
    shown = api_reply(client_for(None), reply)

    page = client.get(shown["html_url"])

    assert shown["html_url"] == f"http://testserver{reply.get_absolute_url()}"
    assert page.status_code == 200
    assert f'id="reply-{reply.pk}"' in page.content.decode()


def test_the_admin_state_names_what_the_public_is_shown(moderator, thread, settings):
    published = ReplyFactory(thread=thread)
    held = ReplyFactory(thread=thread, status=Reply.Status.PENDING)
    hidden = ReplyFactory(thread=thread)
    hide_by_reports(hidden, settings)
    removed = ReplyFactory(thread=thread, status=Reply.Status.PENDING)
    remove_reply(reply=removed, by=moderator, reason=Reply.RemovalReason.SPAM)

    with translation.override("en"):
        states = [moderation_state(r) for r in (published, held, hidden, removed)]

    assert states == [
        "Published",
        "Pending review",
        "Hidden by reports",
        "Removed (Spam)",
    ]
