"""ETags, Last-Modified, incremental pulls and the anonymous read cache."""

import pytest
from django.utils.http import parse_http_date

from articles.models import Posting
from forum.infra import cache as versions
from forum.models import Reply
from forum.services import (
    cast_vote,
    edit_reply,
    flag_reply,
    post_reply,
    remove_reply,
)
from tests.api.conftest import client_for
from tests.factories import PostingFactory, ReplyFactory, UserFactory
from tests.perf.conftest import VERSION_QUERIES

pytestmark = pytest.mark.django_db

CONDITIONAL_PATHS = [
    "/api/v1/threads/{id}/",
    "/api/v1/threads/{id}/replies/",
    "/api/v1/threads/{id}/export/",
]


@pytest.mark.parametrize(
    "template, counts_replies",
    [
        ("/api/v1/threads/{id}/", False),
        ("/api/v1/threads/{id}/replies/", True),
        ("/api/v1/threads/{id}/export/", True),
    ],
)
def test_reads_carry_etag_and_last_modified(
    api_client, thread, reply, template, counts_replies
):
    response = api_client.get(template.format(id=thread.pk))

    thread.refresh_from_db()
    latest = (
        max(thread.updated_at, reply.updated_at)
        if counts_replies
        else thread.updated_at
    )
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert parse_http_date(response["Last-Modified"]) == int(latest.timestamp())


@pytest.mark.parametrize("template", CONDITIONAL_PATHS)
def test_if_none_match_answers_304_while_nothing_changed(
    api_client, thread, reply, template
):
    path = template.format(id=thread.pk)
    etag = api_client.get(path)["ETag"]

    again = api_client.get(path, HTTP_IF_NONE_MATCH=etag)
    listed = api_client.get(path, HTTP_IF_NONE_MATCH=f'"other", W/{etag}')

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert listed.status_code == 304


def test_a_new_reply_changes_the_etag(
    user_api, user, thread, django_capture_on_commit_callbacks
):
    path = f"/api/v1/threads/{thread.pk}/replies/"
    etag = user_api.get(path)["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        post_reply(thread=thread, author=user, body="Nouveau.")
    response = user_api.get(path, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert [r["body"] for r in response.json()["results"]] == ["Nouveau."]


def test_the_viewers_own_vote_changes_their_etag(
    other_api, other_user, thread, reply, django_capture_on_commit_callbacks
):
    path = f"/api/v1/threads/{thread.pk}/replies/"
    etag = other_api.get(path)["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        cast_vote(reply=reply, voter=other_user, value=1)
    response = other_api.get(path, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response.json()["results"][0]["my_vote"] == 1


def test_export_is_the_whole_thread_nested(api_client, thread, reply):
    child = ReplyFactory(parent=reply)
    grandchild = ReplyFactory(parent=child)
    other_root = ReplyFactory(thread=thread)

    response = api_client.get(f"/api/v1/threads/{thread.pk}/export/")

    body = response.json()
    assert body["thread"]["id"] == thread.pk
    assert [r["id"] for r in body["replies"]] == [reply.pk, other_root.pk]
    [nested_child] = body["replies"][0]["replies"]
    assert nested_child["id"] == child.pk
    assert [r["id"] for r in nested_child["replies"]] == [grandchild.pk]
    assert body["replies"][1]["replies"] == []


def test_export_attaches_replies_under_a_held_parent_to_the_nearest_shown_one(
    api_client, thread, reply
):
    held = ReplyFactory(parent=reply, status=Reply.Status.PENDING)
    under_held = ReplyFactory(parent=held)

    response = api_client.get(f"/api/v1/threads/{thread.pk}/export/")

    [root] = response.json()["replies"]
    assert [r["id"] for r in root["replies"]] == [under_held.pk]
    assert root["replies"][0]["parent"] == held.pk


@pytest.mark.parametrize(
    "change",
    ["reply", "vote", "removal", "edit", "flags"],
)
def test_anonymous_cache_shows_every_write_on_the_next_request(
    api_client,
    moderator,
    settings,
    thread,
    user,
    change,
    django_capture_on_commit_callbacks,
):
    settings.FORUM_FLAGS_TO_HIDE = 1
    with django_capture_on_commit_callbacks(execute=True):
        reply = post_reply(thread=thread, author=user, body="Premier avis.")
    paths = [
        f"/api/v1/threads/{thread.pk}/{tail}" for tail in ("", "replies/", "export/")
    ]
    before = [api_client.get(path).content for path in paths]
    cached = [api_client.get(path).content for path in paths]

    with django_capture_on_commit_callbacks(execute=True):
        if change == "reply":
            post_reply(thread=thread, author=UserFactory(), body="Deuxième avis.")
        elif change == "vote":
            cast_vote(reply=reply, voter=UserFactory(), value=1)
        elif change == "removal":
            remove_reply(reply=reply, by=moderator, reason=Reply.RemovalReason.SPAM)
        elif change == "edit":
            edit_reply(reply=reply, editor=user, body="Avis corrigé.")
        else:
            flag_reply(reply=reply, reporter=UserFactory(), reason="spam")
    after = api_client.get(f"/api/v1/threads/{thread.pk}/replies/").json()["results"]

    assert cached == before
    first = next(r for r in after if r["id"] == reply.pk)
    expected = {
        "reply": lambda: len(after) == 2,
        "vote": lambda: first["score"] == 1,
        "removal": lambda: first["is_removed"] and first["body"] is None,
        "edit": lambda: first["body"] == "Avis corrigé.",
        "flags": lambda: first["is_removed"] and first["body"] is None,
    }
    assert expected[change]()


def test_anonymous_reads_are_served_from_the_cache(
    api_client, thread, reply, django_assert_num_queries
):
    path = f"/api/v1/threads/{thread.pk}/replies/"
    first = api_client.get(path)

    # the version counters, read where every server process sees them
    with django_assert_num_queries(VERSION_QUERIES):
        second = api_client.get(path)

    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_signed_in_reads_are_not_served_from_the_anonymous_cache(
    api_client, other_api, other_user, thread, reply
):
    api_client.get(f"/api/v1/threads/{thread.pk}/replies/")
    Reply.objects.filter(pk=reply.pk).update(body="Changé en base.")

    response = other_api.get(f"/api/v1/threads/{thread.pk}/replies/")

    assert response.json()["results"][0]["body"] == "Changé en base."


def test_incremental_sync_converges_while_the_thread_is_written_to(
    thread, user, moderator, django_capture_on_commit_callbacks
):
    """A client that pulls what changed after the latest updated_at it saw ends
    with exactly the server's replies, whatever was written between pulls."""
    reader = client_for(UserFactory(username="lecteur"))
    writers = UserFactory.create_batch(3)
    mirror: dict[int, dict] = {}
    watermark = None

    def pull():
        nonlocal watermark
        query = {"ordering": "updated", "page_size": 3}
        if watermark:
            query["updated_after"] = watermark
        url = f"/api/v1/threads/{thread.pk}/replies/"
        while url:
            page = reader.get(url, query if "?" not in url else None).json()
            for item in page["results"]:
                mirror[item["id"]] = item
                watermark = max(watermark or "", item["updated_at"])
            url = page["next"]

    posted = []
    for round_number in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            for writer in writers:
                posted.append(
                    post_reply(
                        thread=thread, author=writer, body=f"Tour {round_number}"
                    )
                )
            cast_vote(reply=posted[0], voter=writers[1], value=round_number % 2 or -1)
            edit_reply(reply=posted[-2], editor=posted[-2].author, body="Retouché")
            if round_number == 2:
                remove_reply(
                    reply=posted[1], by=moderator, reason=Reply.RemovalReason.OFF_TOPIC
                )
        pull()

    server = {
        item["id"]: item
        for item in reader.get(
            f"/api/v1/threads/{thread.pk}/replies/", {"page_size": 100}
        ).json()["results"]
    }
    assert set(mirror) == set(server) == {reply.pk for reply in posted}
    assert mirror == server
    assert mirror[posted[1].pk]["is_removed"] is True
    assert mirror[posted[0].pk]["score"] == Reply.objects.get(pk=posted[0].pk).score


def test_anonymous_cache_shows_a_posting_edited_in_the_admin_on_the_next_request(
    api_client, thread
):
    posting = PostingFactory(title="Ingénieur IA")
    thread.postings.add(posting)
    path = f"/api/v1/threads/{thread.pk}/"
    api_client.get(path)

    posting.title = "Ingénieure IA senior"
    posting.save()
    response = api_client.get(path)

    assert [p["title"] for p in response.json()["postings"]] == ["Ingénieure IA senior"]


def test_anonymous_cache_keys_carry_the_catalog_version(api_client, thread):
    posting = PostingFactory(title="Ingénieur IA")
    thread.postings.add(posting)
    path = f"/api/v1/threads/{thread.pk}/"
    api_client.get(path)
    # A change no signal reports: only a new catalog version shows it.
    Posting.objects.filter(pk=posting.pk).update(title="Data scientist")
    cached = api_client.get(path).json()

    versions.bump(*versions.CATALOG)
    fresh = api_client.get(path).json()

    assert cached["postings"][0]["title"] == "Ingénieur IA"
    assert fresh["postings"][0]["title"] == "Data scientist"
