import pytest
from django.utils import timezone

from accounts.services import ban_user
from forum.models import Reply, Revision
from forum.services import (
    feature_reply,
    flag_reply,
    lock_thread,
    post_reply,
    remove_reply,
)
from tests.factories import FlagFactory, ReplyFactory, UserFactory, VoteFactory

pytestmark = pytest.mark.django_db


def _replies(client, thread, query=""):
    response = client.get(f"/api/v1/threads/{thread.pk}/replies/{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_reply_shape_has_every_documented_field(api_client, thread, reply):
    [shown] = _replies(api_client, thread)

    assert shown == {
        "id": reply.pk,
        "thread": thread.pk,
        "parent": None,
        "depth": 0,
        "author": {"username": "alice", "display_name": "Alice"},
        "body": reply.body,
        "body_html": reply.body_html,
        "score": 0,
        "upvotes": 0,
        "downvotes": 0,
        "my_vote": 0,
        "created_at": shown["created_at"],
        "edited_at": None,
        "updated_at": shown["updated_at"],
        "is_removed": False,
        "is_featured": False,
        "is_pending": False,
        "has_pending_edit": False,
        "html_url": f"http://testserver{reply.get_absolute_url()}",
    }


def test_nested_replies_carry_their_parent_and_depth(api_client, thread, reply):
    child = ReplyFactory(parent=reply)

    shown = {item["id"]: item for item in _replies(api_client, thread)}

    assert (shown[child.pk]["parent"], shown[child.pk]["depth"]) == (reply.pk, 1)


def test_my_vote_shows_the_viewers_own_vote(other_api, other_user, thread, reply):
    VoteFactory(reply=reply, user=other_user, value=-1)

    [shown] = _replies(other_api, thread)

    assert shown["my_vote"] == -1


def test_removed_reply_keeps_its_place_with_a_null_body(
    api_client, moderator, thread, user
):
    reply = post_reply(thread=thread, author=user, body="Un message à retirer.")
    child = ReplyFactory(parent=reply)
    remove_reply(reply=reply, by=moderator, reason=Reply.RemovalReason.SPAM)

    shown = {item["id"]: item for item in _replies(api_client, thread)}

    reply.refresh_from_db()
    assert reply.body
    assert shown[reply.pk]["is_removed"] is True
    assert (shown[reply.pk]["body"], shown[reply.pk]["body_html"]) == (None, None)
    assert shown[reply.pk]["author"] is None
    assert shown[child.pk]["parent"] == reply.pk


def test_moderators_read_the_text_of_removed_replies(
    moderator_api, moderator, thread, user
):
    reply = post_reply(thread=thread, author=user, body="Un message à retirer.")
    remove_reply(reply=reply, by=moderator, reason=Reply.RemovalReason.ABUSE)

    [shown] = _replies(moderator_api, thread)

    assert shown["is_removed"] is True
    assert shown["body"] == reply.body


def test_reply_hidden_by_reports_is_concealed_from_readers_only(
    api_client, moderator_api, settings, thread, reply
):
    settings.FORUM_FLAGS_TO_HIDE = 2
    flag_reply(reply=reply, reporter=UserFactory(), reason="spam")
    flag_reply(reply=reply, reporter=UserFactory(), reason="abuse")

    [public] = _replies(api_client, thread)
    [moderated] = _replies(moderator_api, thread)

    reply.refresh_from_db()
    assert reply.open_flag_count == 2
    assert (public["body"], public["is_removed"]) == (None, True)
    assert (moderated["body"], moderated["is_removed"]) == (reply.body, False)


def test_pending_reply_is_seen_by_its_author_and_moderators_only(
    api_client, user_api, moderator_api, other_api, thread, reply
):
    Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.PENDING)

    by_author = _replies(user_api, thread)
    by_moderator = _replies(moderator_api, thread)

    assert [r["is_pending"] for r in by_author] == [True]
    assert [r["id"] for r in by_moderator] == [reply.pk]
    assert _replies(api_client, thread) == []
    assert _replies(other_api, thread) == []


def test_featured_reply_comes_first_and_says_so(api_client, moderator, thread):
    first = ReplyFactory(thread=thread, score=5, upvotes=5)
    picked = ReplyFactory(thread=thread)
    feature_reply(reply=picked, by=moderator)

    shown = _replies(api_client, thread, "?ordering=top")

    assert [r["id"] for r in shown] == [picked.pk, first.pk]
    assert shown[0]["is_featured"] is True


def test_replies_are_ordered_by_top_new_and_old(api_client, thread):
    low = ReplyFactory(thread=thread)
    high = ReplyFactory(thread=thread, score=3, upvotes=3)
    newest = ReplyFactory(thread=thread)

    top = _replies(api_client, thread, "?ordering=top")
    new = _replies(api_client, thread, "?ordering=new")
    old = _replies(api_client, thread, "?ordering=old")

    assert [r["id"] for r in top] == [high.pk, newest.pk, low.pk]
    assert [r["id"] for r in new] == [newest.pk, high.pk, low.pk]
    assert [r["id"] for r in old] == [low.pk, high.pk, newest.pk]


def test_reply_pages_stay_stable_while_replies_arrive(api_client, thread, user):
    earlier = [ReplyFactory(thread=thread) for _ in range(4)]
    first = api_client.get(
        f"/api/v1/threads/{thread.pk}/replies/?ordering=old&page_size=2"
    )

    post_reply(thread=thread, author=user, body="Arrivée pendant la lecture.")
    second = api_client.get(first.json()["next"])
    third = api_client.get(second.json()["next"])

    ids = [r["id"] for page in (first, second, third) for r in page.json()["results"]]
    assert ids[:4] == [reply.pk for reply in earlier]
    assert len(ids) == len(set(ids)) == 5


def test_posting_a_reply_answers_201_and_stores_it(user_api, user, thread):
    response = user_api.post(
        f"/api/v1/threads/{thread.pk}/replies/", {"body": "Bien **payés**."}
    )

    assert response.status_code == 201
    reply = Reply.objects.get(pk=response.json()["id"])
    assert (reply.author, reply.body) == (user, "Bien **payés**.")
    assert response.json()["body_html"] == "<p>Bien <strong>payés</strong>.</p>\n"
    assert response["Location"] == f"/api/v1/replies/{reply.pk}/"
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_answering_a_reply_nests_under_it(user_api, thread, reply):
    response = user_api.post(
        f"/api/v1/threads/{thread.pk}/replies/",
        {"body": "D'accord.", "parent": reply.pk},
    )

    assert response.status_code == 201
    child = Reply.objects.get(pk=response.json()["id"])
    assert (child.parent, child.depth) == (reply, 1)


def test_answering_a_reply_of_another_thread_is_refused(user_api, thread):
    elsewhere = ReplyFactory()

    response = user_api.post(
        f"/api/v1/threads/{thread.pk}/replies/",
        {"body": "Hors sujet.", "parent": elsewhere.pk},
    )

    assert response.status_code == 409
    assert list(response.json()) == ["detail"]
    assert not Reply.objects.filter(thread=thread).exists()


def test_an_edit_without_a_body_changes_nothing_and_is_refused_to_others(
    user_api, other_api, reply
):
    own = user_api.patch(f"/api/v1/replies/{reply.pk}/", {})
    others = other_api.patch(f"/api/v1/replies/{reply.pk}/", {})

    assert own.status_code == 200
    assert own.json()["body"] == reply.body
    assert others.status_code == 403
    reply.refresh_from_db()
    assert reply.edited_at is None


def test_answering_a_missing_reply_is_refused(user_api, thread):
    response = user_api.post(
        f"/api/v1/threads/{thread.pk}/replies/", {"body": "Tiens.", "parent": 999999}
    )

    assert response.status_code == 409
    assert "detail" in response.json()
    assert Reply.objects.count() == 0


def test_empty_and_too_long_bodies_answer_400_with_a_body_message(
    user_api, settings, thread
):
    settings.FORUM_REPLY_MAX_LENGTH = 20

    empty = user_api.post(f"/api/v1/threads/{thread.pk}/replies/", {"body": "   "})
    long = user_api.post(f"/api/v1/threads/{thread.pk}/replies/", {"body": "x" * 21})
    missing = user_api.post(f"/api/v1/threads/{thread.pk}/replies/", {})

    assert (empty.status_code, list(empty.json())) == (400, ["body"])
    assert (long.status_code, list(long.json())) == (400, ["body"])
    assert (missing.status_code, list(missing.json())) == (400, ["body"])
    assert Reply.objects.count() == 0


@pytest.mark.parametrize("body", ["", " \n\t "])
def test_an_empty_body_says_the_message_is_empty_when_posting_or_editing(
    user_api, thread, reply, body
):
    posted = user_api.post(
        f"/api/v1/threads/{thread.pk}/replies/",
        {"body": body},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    edited = user_api.patch(
        f"/api/v1/replies/{reply.pk}/", {"body": body}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert posted.status_code == edited.status_code == 400
    assert posted.json() == edited.json() == {"body": ["The message is empty."]}
    assert list(Reply.objects.values_list("pk", flat=True)) == [reply.pk]
    reply.refresh_from_db()
    assert reply.body.startswith("Un avis")


def test_replying_in_a_locked_thread_is_forbidden(user_api, moderator, thread):
    lock_thread(thread=thread, by=moderator)

    response = user_api.post(
        f"/api/v1/threads/{thread.pk}/replies/", {"body": "Trop tard ?"}
    )

    assert response.status_code == 403
    assert "detail" in response.json()
    assert Reply.objects.count() == 0


def test_banned_user_reads_but_cannot_reply(user_api, user, moderator, thread, reply):
    ban_user(user=user, by=moderator, reason="Insultes répétées")

    read = user_api.get(f"/api/v1/threads/{thread.pk}/replies/")
    write = user_api.post(
        f"/api/v1/threads/{thread.pk}/replies/", {"body": "Encore moi."}
    )

    assert read.status_code == 200
    assert write.status_code == 403
    assert Reply.objects.count() == 1


def test_anonymous_reply_answers_401(api_client, thread):
    response = api_client.post(
        f"/api/v1/threads/{thread.pk}/replies/", {"body": "Salut"}
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert Reply.objects.count() == 0


def test_author_edits_a_reply_and_the_earlier_text_is_kept(user_api, user, reply):
    earlier = reply.body

    response = user_api.patch(f"/api/v1/replies/{reply.pk}/", {"body": "Corrigé."})

    reply.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["body"] == reply.body == "Corrigé."
    assert response.json()["edited_at"] is not None
    assert Revision.objects.get(reply=reply).body == earlier


def test_only_the_author_edits_a_reply(other_api, moderator_api, reply):
    earlier = reply.body

    by_other = other_api.patch(f"/api/v1/replies/{reply.pk}/", {"body": "Piraté."})
    by_moderator = moderator_api.patch(
        f"/api/v1/replies/{reply.pk}/", {"body": "Modéré."}
    )

    reply.refresh_from_db()
    assert (by_other.status_code, by_moderator.status_code) == (403, 403)
    assert reply.body == earlier


def test_removed_reply_cannot_be_edited(user_api, moderator, thread, user):
    reply = post_reply(thread=thread, author=user, body="Un message à retirer.")
    remove_reply(reply=reply, by=moderator, reason=Reply.RemovalReason.SPAM)

    response = user_api.patch(f"/api/v1/replies/{reply.pk}/", {"body": "Revenu."})

    reply.refresh_from_db()
    assert response.status_code == 404
    assert reply.body != "Revenu."


def test_put_is_not_allowed_on_a_reply(user_api, reply):
    response = user_api.put(f"/api/v1/replies/{reply.pk}/", {"body": "Tout."})

    reply.refresh_from_db()
    assert response.status_code == 405
    assert "detail" in response.json()
    assert reply.body != "Tout."


def test_reply_detail_is_404_for_a_reply_held_for_someone_else(other_api, reply):
    Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.PENDING)

    response = other_api.get(f"/api/v1/replies/{reply.pk}/")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_reply_in_a_hidden_thread_is_404(api_client, moderator, thread, reply):
    thread.is_hidden = True
    thread.save()

    response = api_client.get(f"/api/v1/replies/{reply.pk}/")

    assert response.status_code == 404
    assert Reply.objects.filter(pk=reply.pk).exists()


def test_reply_list_filters_by_updated_after(api_client, thread):
    before = timezone.now()
    ReplyFactory(thread=thread, updated_at=before - timezone.timedelta(hours=1))
    recent = ReplyFactory(
        thread=thread, updated_at=before + timezone.timedelta(seconds=1)
    )

    shown = _replies(
        api_client,
        thread,
        f"?updated_after={before.isoformat().replace('+00:00', 'Z')}",
    )

    assert [r["id"] for r in shown] == [recent.pk]


def test_flags_are_open_to_other_readers(other_api, reply):
    FlagFactory(reply=ReplyFactory(), reporter=UserFactory())

    response = other_api.post(
        f"/api/v1/replies/{reply.pk}/flags/",
        {"reason": "off_topic", "note": "Rien à voir."},
    )

    assert response.status_code == 201
    reply.refresh_from_db()
    assert reply.open_flag_count == 1
    assert response.json()["reason"] == "off_topic"
    assert reply.flags.get().note == "Rien à voir."


def test_a_report_note_that_is_not_text_is_refused(other_api, reply):
    response = other_api.post(
        f"/api/v1/replies/{reply.pk}/flags/", {"reason": "spam", "note": 0}
    )

    reply.refresh_from_db()
    assert (response.status_code, list(response.json())) == (400, ["note"])
    assert reply.open_flag_count == 0
    assert not reply.flags.exists()


def test_reporting_twice_or_your_own_reply_is_refused(other_api, user_api, reply):
    first = other_api.post(f"/api/v1/replies/{reply.pk}/flags/", {"reason": "spam"})
    again = other_api.post(f"/api/v1/replies/{reply.pk}/flags/", {"reason": "spam"})
    own = user_api.post(f"/api/v1/replies/{reply.pk}/flags/", {"reason": "spam"})
    bad_reason = other_api.post(
        f"/api/v1/replies/{reply.pk}/flags/", {"reason": "boring"}
    )

    reply.refresh_from_db()
    assert first.status_code == 201
    assert (again.status_code, list(again.json())) == (409, ["detail"])
    assert own.status_code == 403
    assert (bad_reason.status_code, list(bad_reason.json())) == (400, ["reason"])
    assert reply.open_flag_count == 1
