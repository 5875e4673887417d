"""Hot pages: a thread changing many times a second is served from the
process's newest copy of its page for a moment instead of being rendered for
every version; a quieter one is rendered on the first request after each
change, and a reader always sees their own reply.

The copies' clock is the test's; writes go through the pages and the API.
"""

import pytest
from django.test import Client
from django.urls import reverse

from forum.infra import cache as versions
from forum.pagecache.store import hot
from tests.api.conftest import client_for
from tests.factories import ReplyFactory, UserFactory


@pytest.fixture
def clock(settings, monkeypatch):
    """The default hot-page settings, on a clock that moves when told."""
    settings.FORUM_PAGE_HOT_SECONDS = 0.5
    settings.FORUM_PAGE_HOT_CHANGES = 5
    now = [1000.0]
    monkeypatch.setattr(hot, "clock", lambda: now[0])
    return now


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _votes(reply, count: int, committed, read, clock, step=0.05):
    """`count` readers vote on the reply in turn, `step` seconds apart, and
    the page is read after each vote; the cache statuses read."""
    statuses = []
    for _ in range(count):
        clock[0] += step
        with committed():
            voted = _signed_in(UserFactory()).post(
                reverse("forum:reply-vote", args=[reply.pk]), {"value": "1"}
            )
        assert voted.status_code == 302
        statuses.append(read()["X-Page-Cache"])
    return statuses


def _score(page) -> str:
    html = page.content.decode()
    marker = '<span class="score" data-score>'
    return html[html.index(marker) + len(marker) :].split("<", 1)[0]


@pytest.mark.parametrize(
    ("hot_seconds", "changes"),
    [(0.5, 5), (0, 8)],
    ids=["five changes in a second", "hot pages off"],
)
def test_a_page_shows_every_change_at_once_below_the_hot_rate_or_with_it_off(
    client, thread, clock, settings, committed, hot_seconds, changes
):
    settings.FORUM_PAGE_HOT_SECONDS = hot_seconds
    reply = ReplyFactory(thread=thread)
    url = thread.get_absolute_url()
    client.get(url)

    statuses = _votes(reply, changes, committed, lambda: client.get(url), clock)

    assert statuses == ["miss"] * changes
    assert _score(client.get(url)) == str(changes)


def test_a_hot_page_is_served_from_the_recent_copy_then_rendered_again(
    client, thread, clock, committed
):
    reply = ReplyFactory(thread=thread)
    url = thread.get_absolute_url()
    client.get(url)

    statuses = _votes(reply, 7, committed, lambda: client.get(url), clock)
    # The sixth change within a second makes the page hot: the copy rendered
    # after the fifth vote is served, with its score.
    assert statuses == ["miss"] * 5 + ["recent", "recent"]
    page = client.get(url)
    assert (page["X-Page-Cache"], _score(page)) == ("recent", "5")

    # Once the copy is half a second old, the current version is rendered.
    clock[0] += 0.5
    page = client.get(url)
    assert (page["X-Page-Cache"], _score(page)) == ("miss", "7")
    reply.refresh_from_db()
    assert reply.score == 7


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed in"])
def test_a_hot_page_is_served_from_the_copy_without_asking_the_cache(
    client, thread, user, clock, committed, page_lookups, signed_in
):
    reader = _signed_in(user) if signed_in else client
    reply = ReplyFactory(thread=thread)
    url = thread.get_absolute_url()
    reader.get(url)
    _votes(reply, 6, committed, lambda: reader.get(url), clock)
    asked = page_lookups
    asked.clear()

    # The current version, which no process has rendered yet, is not looked
    # for while the copy is young; then it is, and rendered.
    page = reader.get(url)
    assert (page["X-Page-Cache"], _score(page), asked) == ("recent", "5", [])
    clock[0] += 0.5
    page = reader.get(url)
    assert (page["X-Page-Cache"], _score(page)) == ("miss", "6")
    assert len(asked) == 1


def test_anonymous_readers_get_a_hot_pages_young_copy_without_reading_its_versions(
    client, thread, clock, committed, monkeypatch
):
    reply = ReplyFactory(thread=thread)
    url = thread.get_absolute_url()
    client.get(url)
    _votes(reply, 6, committed, lambda: client.get(url), clock)
    reads = []
    read = versions.read
    monkeypatch.setattr(
        versions,
        "read",
        lambda *args, **kwargs: reads.append(args) or read(*args, **kwargs),
    )

    page = client.get(url)
    assert (page["X-Page-Cache"], _score(page), reads) == ("recent", "5", [])

    # Once the copy is half a second old, the versions are read again and
    # the current page rendered; it is still changing, so it stays hot.
    clock[0] += 0.5
    page = client.get(url)
    assert (page["X-Page-Cache"], _score(page)) == ("miss", "6")
    assert reads
    reads.clear()
    clock[0] += 0.1
    with committed():
        _signed_in(UserFactory()).post(
            reverse("forum:reply-vote", args=[reply.pk]), {"value": "1"}
        )
    page = client.get(url)
    assert (page["X-Page-Cache"], _score(page), reads) == ("recent", "6", [])


def test_a_page_that_cools_down_shows_every_change_again(
    client, thread, clock, committed
):
    reply = ReplyFactory(thread=thread)
    url = thread.get_absolute_url()
    client.get(url)
    _votes(reply, 6, committed, lambda: client.get(url), clock)

    clock[0] += 1.5
    statuses = _votes(reply, 1, committed, lambda: client.get(url), clock, step=0.3)

    assert statuses == ["miss"]
    assert _score(client.get(url)) == "7"


def test_signed_in_readers_share_the_recent_copy_of_a_hot_page(
    thread, user, clock, committed
):
    reply = ReplyFactory(thread=thread)
    reader = _signed_in(user)
    url = thread.get_absolute_url()
    reader.get(url)

    statuses = _votes(reply, 7, committed, lambda: reader.get(url), clock)

    assert statuses == ["miss"] * 5 + ["recent", "recent"]
    clock[0] += 0.5
    page = reader.get(url)
    assert (page["X-Page-Cache"], _score(page)) == ("miss", "7")


def test_a_reader_sees_their_own_reply_on_a_hot_page(
    client, thread, user, clock, committed
):
    reply = ReplyFactory(thread=thread)
    writer = _signed_in(user)
    url = thread.get_absolute_url()
    client.get(url)
    writer.get(url)
    _votes(reply, 6, committed, lambda: [client.get(url), writer.get(url)][1], clock)
    assert client.get(url)["X-Page-Cache"] == "recent"
    assert writer.get(url)["X-Page-Cache"] == "recent"

    with committed():
        posted = client_for(user).post(
            f"/api/v1/threads/{thread.pk}/replies/",
            {"body": "Mon avis tout frais sur ces grilles."},
        )
    assert posted.status_code == 201

    own = writer.get(url)
    other = _signed_in(UserFactory()).get(url)
    anonymous = client.get(url)
    assert own["X-Page-Cache"] == "miss"
    assert "Mon avis tout frais sur ces grilles." in own.content.decode()
    # Signed-in readers now share that render; anonymous readers keep
    # their copy for the rest of its half second.
    assert other["X-Page-Cache"] == "hit"
    assert "Mon avis tout frais sur ces grilles." in other.content.decode()
    assert anonymous["X-Page-Cache"] == "recent"
    assert "Mon avis tout frais sur ces grilles." not in anonymous.content.decode()
