"""The anonymous thread page's frame is kept between renders, and what
changes it shows on the next render.

The page cache is off here, as it is in effect on a hot thread whose pages
every vote and reply invalidates: each request assembles the page from the
frame kept by forum/pagecache/frames.py, its replies and its structured data.
"""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from forum.models import Reply, Thread
from forum.pagecache import frames
from forum.services import lock_thread
from tests.factories import PostingFactory, ReplyFactory, UserFactory
from tests.support import committed, signed_in_client

pytestmark = pytest.mark.usefixtures("renders_kept")


@pytest.fixture
def replies(two_replies):
    return list(two_replies)


@pytest.fixture
def posting(thread):
    posting = PostingFactory(
        company__name="Netflix", salary_min=300_000, salary_max=900_000
    )
    thread.postings.add(posting)
    return posting


def _page(client, thread, query="", language="en"):
    response = client.get(
        thread.get_absolute_url() + query, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response


_signed_in = signed_in_client


def _data(page) -> dict:
    """The page's structured data."""
    block = re.search(
        r'<script type="application/ld\+json">(.*?)</script>',
        page.content.decode(),
        flags=re.S,
    )
    return json.loads(block[1])


def _likes(page, reply) -> int:
    """The reply's up-votes as the page's structured data states them."""
    for comment in _data(page)["comment"]:
        if comment["url"].endswith(f"#reply-{reply.pk}"):
            return next(
                counter["userInteractionCount"]
                for counter in comment["interactionStatistic"]
                if counter["interactionType"].endswith("LikeAction")
            )
    raise AssertionError(f"reply {reply.pk} not described")


def test_a_second_render_keeps_the_frame_and_shows_the_same_page(
    client, thread, replies, posting
):
    first = _page(client, thread)
    second = _page(client, thread)

    assert (first["X-Page-Frame"], second["X-Page-Frame"]) == ("rendered", "kept")
    assert second.content == first.content
    assert "Netflix" in second.content.decode()
    assert "Pas dans mon équipe." in second.content.decode()


def test_the_assembled_page_is_the_page_rendered_whole(
    client, thread, replies, posting, settings
):
    _page(client, thread)
    assembled = _page(client, thread)
    settings.FORUM_FRAGMENT_CACHE_TIMEOUT = 0
    whole = _page(client, thread)

    assert assembled["X-Page-Frame"] == "kept"
    assert "X-Page-Frame" not in whole
    assert assembled.content == whole.content


def test_a_vote_keeps_the_frame_and_shows_in_the_reply_and_its_data(
    client, thread, replies, other_user
):
    _first, second = replies
    assert _likes(_page(client, thread), second) == 0

    voted = _signed_in(other_user).post(
        reverse("forum:reply-vote", args=[second.pk]), {"value": "1"}
    )
    page = _page(client, thread)

    assert voted.status_code == 302
    assert page["X-Page-Frame"] == "kept"
    assert page["X-Reply-Fragments"] == "2/2"
    assert _likes(page, second) == 1
    assert re.search(
        rf'id="reply-{second.pk}".*?data-score[^>]*>1<', page.content.decode(), re.S
    )


def test_a_new_display_name_keeps_the_frame_and_shows_in_the_structured_data(
    client, thread, replies, user
):
    _page(client, thread)

    user.display_name = "Alice Martin"
    user.save()
    page = _page(client, thread)

    assert page["X-Page-Frame"] == "kept"
    authors = [comment["author"]["name"] for comment in _data(page)["comment"]]
    assert "Alice Martin" in authors


def test_the_threads_last_change_shows_in_the_structured_data(client, thread, replies):
    _page(client, thread)
    changed_at = timezone.now() + timedelta(minutes=5)

    Thread.objects.filter(pk=thread.pk).update(updated_at=changed_at)
    page = _page(client, thread)

    assert page["X-Page-Frame"] == "kept"
    assert _data(page)["dateModified"] == DjangoJSONEncoder().default(changed_at)


def test_a_replys_counters_show_in_the_structured_data_whatever_the_thread(
    client, thread, replies
):
    _first, second = replies
    _page(client, thread)

    Reply.objects.filter(pk=second.pk).update(
        upvotes=F("upvotes") + 2, score=F("score") + 2
    )
    page = _page(client, thread)

    assert page["X-Page-Frame"] == "kept"
    assert _likes(page, second) == 2


def test_a_change_of_the_number_of_pages_shows_with_the_same_replies(
    client, thread, replies, settings
):
    settings.FORUM_TOP_LEVEL_PER_PAGE = 1
    third = ReplyFactory(thread=thread, body="Une troisième voix.")
    # The oldest first: the first page shows the same reply throughout.
    assert "Page 1 of 3" in _page(client, thread, "?sort=old").content.decode()

    # Held again, its thread's count of top-level replies with it.
    Reply.objects.filter(pk=third.pk).update(status=Reply.Status.PENDING)
    Thread.objects.filter(pk=thread.pk).update(top_level_count=F("top_level_count") - 1)
    page = _page(client, thread, "?sort=old")

    assert page["X-Page-Frame"] == "kept"
    assert "Page 1 of 2" in page.content.decode()


def test_a_new_reply_renders_the_frame_with_the_new_count(
    client, thread, replies, other_user
):
    assert "2 replies" in _page(client, thread).content.decode()

    posted = _signed_in(other_user).post(
        reverse("forum:reply-create", args=[thread.pk]),
        {"body": "Une troisième voix dans le débat."},
    )
    page = _page(client, thread)

    assert posted.status_code == 302
    assert page["X-Page-Frame"] == "rendered"
    assert "3 replies" in page.content.decode()
    assert "Une troisième voix dans le débat." in page.content.decode()


def test_a_new_title_and_a_lock_show_on_the_next_render(
    client, thread, replies, moderator
):
    _page(client, thread)

    thread.title = "Un million par an, est-ce justifié ?"
    thread.save()
    retitled = _page(client, thread).content.decode()
    lock_thread(thread=thread, by=moderator, explanation="Le débat tourne en rond.")
    locked = _page(client, thread).content.decode()

    assert "Un million par an, est-ce justifié ?" in retitled
    assert "Locked: no new replies" not in retitled
    assert "Locked: no new replies" in locked


def test_a_changed_posting_and_company_show_on_the_next_render(
    client, thread, replies, posting
):
    _page(client, thread)

    posting.salary_max = 950_000
    posting.save()
    raised = _page(client, thread).content.decode()
    posting.company.name = "Netflix France"
    posting.company.save()
    renamed = _page(client, thread).content.decode()

    assert "950" in raised
    assert "Netflix France" not in raised
    assert "Netflix France" in renamed


def test_each_language_and_sort_has_its_own_frame(client, thread, replies):
    english = _page(client, thread)
    french = _page(client, thread, language="fr")
    newest = _page(client, thread, "?sort=new")

    assert [english["X-Page-Frame"], french["X-Page-Frame"]] == ["rendered"] * 2
    assert newest["X-Page-Frame"] == "rendered"
    assert "Sort replies" in english.content.decode()
    assert "Trier les réponses" in french.content.decode()
    current = re.compile(r'<a href="([^"]*)" aria-current="true">')
    assert "sort=best" in current.search(english.content.decode())[1]
    assert "sort=new" in current.search(newest.content.decode())[1]


def test_a_waiting_message_is_shown_on_a_page_rendered_whole(client, thread):
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "Votre compte a été supprimé.")
    response = _page(client, thread)
    storage.update(response)
    client.cookies[CookieStorage.cookie_name] = response.cookies[
        CookieStorage.cookie_name
    ].value

    page = _page(client, thread)

    assert "X-Page-Frame" not in page
    assert "Votre compte a été supprimé." in page.content.decode()
    assert "Votre compte a été supprimé." not in _page(client, thread).content.decode()


def test_signed_in_readers_are_not_served_the_anonymous_frame(thread, replies):
    reader = UserFactory(username="bruno")
    _page(Client(), thread)

    page = _page(_signed_in(reader), thread)

    assert "X-Page-Frame" not in page
    assert "Log in" not in page.content.decode()
    assert "bruno" in page.content.decode()


def test_a_frame_rendered_by_other_templates_is_not_taken(
    client, thread, replies, monkeypatch
):
    _page(client, thread)
    monkeypatch.setattr(frames, "rendering_salt", lambda: "another release")

    assert _page(client, thread)["X-Page-Frame"] == "rendered"


def test_the_shared_signed_in_page_keeps_its_frame_after_a_vote(
    thread, replies, user, other_user, settings
):
    settings.FORUM_PAGE_CACHE_TIMEOUT = 300
    _first, second = replies
    reader = _signed_in(UserFactory(username="bruno"))
    first = _page(reader, thread)

    with committed():
        voted = _signed_in(other_user).post(
            reverse("forum:reply-vote", args=[second.pk]), {"value": "1"}
        )
    after_vote = _page(_signed_in(user), thread)
    with committed():
        posted = _signed_in(other_user).post(
            reverse("forum:reply-create", args=[thread.pk]),
            {"body": "Une troisième voix dans le débat."},
        )
    after_reply = _page(reader, thread)

    assert (voted.status_code, posted.status_code) == (302, 302)
    assert (first["X-Page-Cache"], first["X-Page-Frame"]) == ("miss", "rendered")
    assert (after_vote["X-Page-Cache"], after_vote["X-Page-Frame"]) == ("miss", "kept")
    assert re.search(
        rf'id="reply-{second.pk}".*?data-score[^>]*>1<',
        after_vote.content.decode(),
        re.S,
    )
    # The frame is the generic reader's: each reader's own header.
    assert "alice" in after_vote.content.decode()
    assert "bruno" not in after_vote.content.decode()
    assert after_reply["X-Page-Frame"] == "rendered"
    assert "3 replies" in after_reply.content.decode()
    assert "Une troisième voix dans le débat." in after_reply.content.decode()
