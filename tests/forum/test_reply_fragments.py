"""Rendered replies are kept between renders of the thread page, and what
changes a reply shows on the next render.

The page cache is off here, as it is in effect on a hot thread whose pages
every vote and reply invalidates: each request renders the page, taking the
replies that did not change from forum/pagecache/fragments.py.
"""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.urls import reverse
from django.utils import timezone

from forum import selectors
from forum.publishing import structured_data
from forum.services import lock_thread, restore_reply
from tests.factories import ReplyFactory, UserFactory
from tests.jsonld import extract_jsonld
from tests.support import signed_in_client

pytestmark = pytest.mark.usefixtures("renders_kept")

_signed_in = signed_in_client


def _page(client, thread, **headers):
    response = client.get(thread.get_absolute_url(), **headers)
    assert response.status_code == 200
    return response


def _score(page, reply) -> int:
    found = re.search(
        rf'id="reply-{reply.pk}".*?data-score[^>]*>(-?\d+)<',
        page.content.decode(),
        flags=re.S,
    )
    return int(found[1])


def test_a_second_render_takes_the_replies_kept_and_shows_the_same_page(
    client, thread, two_replies
):
    first = _page(client, thread)
    second = _page(client, thread)

    assert (first["X-Reply-Fragments"], second["X-Reply-Fragments"]) == ("0/2", "2/2")
    assert second.content == first.content
    assert "Pas dans mon équipe." in second.content.decode()


@pytest.mark.parametrize("edited", ["top-level reply", "answer"])
def test_an_edit_shows_and_the_other_reply_stays_kept(
    client, thread, two_replies, edited
):
    reply, _second = two_replies
    if edited == "answer":
        reply = ReplyFactory(parent=reply, body="Des écarts bien réels.")
    before = reply.body
    _page(client, thread)

    response = _signed_in(reply.author).post(
        reverse("forum:reply-edit", args=[reply.pk]),
        {"body": "Des écarts réels, chiffres à l'appui."},
    )
    page = _page(client, thread)

    assert response.status_code == 302
    assert "chiffres à l'appui" in page.content.decode()
    assert f"{before}</p>" not in page.content.decode()
    assert page["X-Reply-Fragments"] == "1/2"


def _fresh(client, thread, settings):
    """The page rendered with nothing kept from before."""
    settings.FORUM_FRAGMENT_CACHE_TIMEOUT = 0
    page = _page(client, thread)
    settings.FORUM_FRAGMENT_CACHE_TIMEOUT = 3600
    return page


def _tally(page, reply) -> tuple[int, int]:
    html = page.content.decode()
    block = html[html.index(f'id="reply-{reply.pk}"') :]
    found = re.search(r"data-upvotes>(\d+)<.*?data-downvotes>(\d+)<", block, re.S)
    return int(found[1]), int(found[2])


@pytest.mark.parametrize("voted_on", ["top-level reply", "answer"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_a_vote_shows_on_the_next_render_and_renders_no_reply_again(
    client, thread, two_replies, other_user, settings, voted_on, signed_in
):
    """A reply's counters are put into its kept HTML at each render: a vote
    leaves every reply kept, and the page is the one a fresh render gives."""
    reply = two_replies[1]
    if voted_on == "answer":
        reply = ReplyFactory(parent=reply, body="Des écarts bien réels.")
    reader = _signed_in(UserFactory()) if signed_in else client
    assert _score(_page(reader, thread), reply) == 0

    voted = _signed_in(other_user).post(
        reverse("forum:reply-vote", args=[reply.pk]), {"value": "-1"}
    )
    page = _page(reader, thread)

    assert voted.status_code == 302
    assert (_score(page, reply), _tally(page, reply)) == (-1, (0, 1))
    assert page["X-Reply-Fragments"] == "2/2"
    assert "\x00" not in page.content.decode()
    if not signed_in:
        assert page.content == _fresh(reader, thread, settings).content


def test_a_removal_and_its_restoration_show_on_the_next_render(
    client, thread, two_replies, user, moderator
):
    first, _second = two_replies
    _page(client, thread)

    removed = _signed_in(user).post(reverse("forum:reply-delete", args=[first.pk]))
    after_removal = _page(client, thread).content.decode()
    first.refresh_from_db()
    restore_reply(reply=first, by=moderator)
    after_restoration = _page(client, thread).content.decode()

    assert removed.status_code == 302
    assert "Les écarts sont réels." not in after_removal
    assert "Pas dans mon équipe." in after_removal
    assert "Les écarts sont réels." in after_restoration


def test_a_new_display_name_shows_on_the_next_render(client, thread, two_replies, user):
    _page(client, thread)

    user.display_name = "Alice Martin"
    user.save()
    page = _page(client, thread).content.decode()

    assert "Alice Martin" in page


def test_each_language_gets_its_own_replies(client, thread, two_replies):
    ReplyFactory(parent=two_replies[1])
    french = _page(client, thread, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = _page(client, thread, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french_again = _page(client, thread, HTTP_ACCEPT_LANGUAGE="fr")

    assert '<span class="count">1 answer</span>' in english
    assert '<span class="count">1 réponse</span>' in french
    assert french_again["X-Reply-Fragments"] == "2/2"
    assert french_again.content.decode() == french


def test_each_reader_sees_their_own_vote_and_their_own_token(
    thread, two_replies, other_user
):
    _first, second = two_replies
    voter, neighbour = _signed_in(other_user), _signed_in(UserFactory())
    voter.post(reverse("forum:reply-vote", args=[second.pk]), {"value": "1"})

    voter_page = _page(voter, thread).content.decode()
    neighbour_page = _page(neighbour, thread).content.decode()
    neighbour_again = _page(neighbour, thread)

    def pressed(page):
        block = page[page.index(f'id="reply-{second.pk}"') :]
        return re.search(r'class="vote up" aria-pressed="(\w+)"', block)[1]

    def token(client, page):
        """The secret behind the page's token, which must be the client's."""
        masked = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        return _unmask_cipher_token(masked), client.cookies["csrftoken"].value

    assert (pressed(voter_page), pressed(neighbour_page)) == ("true", "false")
    assert neighbour_again["X-Reply-Fragments"] == "2/2"
    assert "\x00" not in neighbour_page
    for client, page in (
        (voter, voter_page),
        (neighbour, neighbour_page),
        (neighbour, neighbour_again.content.decode()),
    ):
        secret, cookie = token(client, page)
        assert secret == cookie


def _structured(page) -> dict:
    (posting,) = [
        block
        for block in extract_jsonld(page.content.decode())
        if block["@type"] == "DiscussionForumPosting"
    ]
    return posting


def _likes(comment) -> int:
    (likes, _dislikes) = comment["interactionStatistic"]
    return likes["userInteractionCount"]


@pytest.fixture
def long_conversation(thread, user, moderator):
    """More public replies than the structured data describes, over several
    top-level replies: one edited, one removed with public answers."""
    roots = ReplyFactory.create_batch(4, thread=thread)
    for root in roots:
        ReplyFactory.create_batch(14, thread=thread, parent=root)
    edited = roots[0]
    edited.body, edited.edited_at = "Corrigé : 28 dollars de l'heure.", timezone.now()
    edited.save()
    removed = roots[1]
    signed_in_client(removed.author).post(
        reverse("forum:reply-delete", args=[removed.pk])
    )
    return roots


def _described(data) -> list[dict]:
    found, pending = [], list(data.get("comment", ()))
    while pending:
        comment = pending.pop()
        found.append(comment)
        pending.extend(comment.get("comment", ()))
    return found


def _kept_and_fresh(client, thread, settings) -> tuple[dict, dict]:
    settings.FORUM_FRAGMENT_CACHE_TIMEOUT = 3600
    kept = _structured(_page(client, thread))
    settings.FORUM_FRAGMENT_CACHE_TIMEOUT = 0
    fresh = _structured(_page(client, thread))
    settings.FORUM_FRAGMENT_CACHE_TIMEOUT = 3600
    return kept, fresh


def test_the_structured_data_kept_is_what_a_fresh_render_writes(
    client, thread, long_conversation, settings
):
    first = _structured(_page(client, thread))
    second_page = _page(client, thread)
    kept, fresh = _kept_and_fresh(client, thread, settings)

    assert second_page["X-Reply-Fragments"] == "4/4"
    assert _structured(second_page) == first == kept == fresh
    assert len(_described(fresh)) == structured_data.MAX_COMMENTS
    assert any("dateModified" in comment for comment in fresh["comment"])

    # Fewer answers under the first top-level reply shown (the newest, no
    # reply having votes) leave the last one room for more of its own; more
    # answers leave the last two less.
    first_root = long_conversation[-1]
    for answer in first_root.children.all()[:3]:
        signed_in_client(answer.author).post(
            reverse("forum:reply-delete", args=[answer.pk])
        )
    kept, fresh = _kept_and_fresh(client, thread, settings)
    assert kept == fresh
    assert len(_described(fresh)) == structured_data.MAX_COMMENTS
    ReplyFactory.create_batch(12, thread=thread, parent=first_root)
    kept, fresh = _kept_and_fresh(client, thread, settings)
    assert kept == fresh
    assert len(_described(fresh)) == structured_data.MAX_COMMENTS


def test_a_vote_shows_in_the_structured_data_of_the_next_render(
    client, thread, two_replies, other_user
):
    _first, second = two_replies
    before = _structured(_page(client, thread))

    _signed_in(other_user).post(
        reverse("forum:reply-vote", args=[second.pk]), {"value": "1"}
    )
    after = _structured(_page(client, thread))

    def likes_of(data):
        (comment,) = [
            comment
            for comment in data["comment"]
            if comment["url"].endswith(f"#reply-{second.pk}")
        ]
        return _likes(comment)

    assert (likes_of(before), likes_of(after)) == (0, 1)


def test_each_host_gets_its_own_addresses_in_the_structured_data(
    client, thread, two_replies
):
    here = _structured(_page(client, thread))
    there = _structured(_page(client, thread, HTTP_HOST="localhost"))

    assert here["comment"][0]["url"].startswith("http://testserver/")
    assert there["comment"][0]["url"].startswith("http://localhost/")


def test_a_page_whose_replies_were_all_kept_makes_none_of_them(
    client, thread, two_replies, monkeypatch
):
    """The rows are read in the same queries, but no reply of them is made
    into a node when every fragment they would render is kept."""
    made = []
    make = selectors.ReplyNode.__init__

    def counted(node, *args, **kwargs):
        make(node, *args, **kwargs)
        made.append(node.reply.pk)

    monkeypatch.setattr(selectors.ReplyNode, "__init__", counted)
    answer = ReplyFactory(parent=two_replies[0])
    first = _page(client, thread)
    made_by_first = sorted(made)
    second = _page(client, thread)

    assert made_by_first == sorted([*(reply.pk for reply in two_replies), answer.pk])
    assert sorted(made) == made_by_first
    assert second["X-Reply-Fragments"] == "2/2"
    assert second.content == first.content


def test_a_new_top_level_reply_leaves_the_others_kept(client, thread, two_replies):
    _page(client, thread)

    ReplyFactory(thread=thread, body="Un troisième avis.")
    page = _page(client, thread)

    assert "Un troisième avis." in page.content.decode()
    assert page["X-Reply-Fragments"] == "2/3"


@pytest.mark.parametrize("page_cache", [0, 300])
def test_a_lock_takes_the_reply_links_off_every_signed_in_page(
    thread,
    two_replies,
    other_user,
    moderator,
    settings,
    page_cache,
    django_capture_on_commit_callbacks,
):
    """Whether or not signed-in readers share a page, the replies' actions
    follow the thread's lock, which changes no reply."""
    settings.FORUM_PAGE_CACHE_TIMEOUT = page_cache
    reader = _signed_in(other_user)
    respond = [reverse("forum:reply-respond", args=[r.pk]) for r in two_replies]

    before = _page(reader, thread).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        lock_thread(thread=thread, by=moderator, explanation="Le débat tourne.")
    after = _page(reader, thread)

    assert all(link in before for link in respond)
    assert not any(link in after.content.decode() for link in respond)
    assert "Pas dans mon équipe." in after.content.decode()
    if page_cache:
        assert after["X-Page-Cache"] == "miss"
