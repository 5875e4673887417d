import pytest
from django.test import override_settings

from forum.selectors import reply_tree
from forum.services import post_reply
from tests.factories import ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db


def chain(thread, length):
    replies, parent = [], None
    for _ in range(length):
        parent = ReplyFactory(thread=thread, parent=parent)
        replies.append(parent)
    return replies


def flatten(nodes):
    for node in nodes:
        yield node
        yield from flatten(node.children)


def test_tree_nests_replies_under_their_parents(thread):
    root = ReplyFactory(thread=thread)
    child = ReplyFactory(parent=root)
    grandchild = ReplyFactory(parent=child)

    tree = reply_tree(thread=thread, viewer=None)

    assert [node.reply for node in tree.roots] == [root]
    assert tree.roots[0].children[0].reply == child
    assert tree.roots[0].children[0].children[0].reply == grandchild


def test_replies_past_the_depth_cap_are_flattened_with_in_reply_to(thread):
    replies = chain(thread, 9)

    tree = reply_tree(thread=thread, viewer=None)

    nodes = list(flatten(tree.roots))
    assert [node.reply.pk for node in nodes] == [reply.pk for reply in replies]
    assert max(node.display_depth for node in nodes) == 6
    deepest_shown = nodes[5]
    assert [child.reply for child in deepest_shown.children] == replies[6:]
    assert nodes[7].in_reply_to == replies[6].author
    assert nodes[6].in_reply_to is None


def test_true_parent_is_kept_past_the_depth_cap(thread):
    replies = chain(thread, 8)

    assert replies[7].parent == replies[6]
    assert replies[7].depth == 7


def test_thread_page_says_in_reply_to_for_flattened_replies(client, thread):
    replies = chain(thread, 8)

    page = client.get(thread.get_absolute_url()).content.decode()

    assert f"@<bdi>{replies[6].author.username}</bdi>" in page


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("top", ["b", "a", "c"]), ("new", ["c", "b", "a"]), ("old", ["a", "b", "c"])],
)
def test_top_level_replies_follow_the_sort(thread, sort, expected):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    ReplyFactory(thread=thread, body="a", score=1, upvotes=1, created_at=now)
    ReplyFactory(
        thread=thread, body="b", score=5, upvotes=5, created_at=now + timedelta(1)
    )
    ReplyFactory(thread=thread, body="c", created_at=now + timedelta(2))

    tree = reply_tree(thread=thread, viewer=None, sort=sort)

    assert [node.reply.body for node in tree.roots] == expected


def test_best_sort_uses_the_wilson_bound_not_the_raw_score(thread):
    from forum.services import cast_vote

    few = ReplyFactory(thread=thread, body="few")
    many = ReplyFactory(thread=thread, body="many")
    voters = [UserFactory() for _ in range(12)]
    cast_vote(reply=few, voter=voters[0], value=1)
    cast_vote(reply=few, voter=voters[1], value=1)
    for voter in voters[:9]:
        cast_vote(reply=many, voter=voter, value=1)
    for voter in voters[9:]:
        cast_vote(reply=many, voter=voter, value=-1)

    tree = reply_tree(thread=thread, viewer=None, sort="best")

    assert [node.reply.body for node in tree.roots] == ["many", "few"]


@override_settings(FORUM_TOP_LEVEL_PER_PAGE=2)
def test_pages_hold_top_level_replies_with_all_their_answers(client, thread):
    first = ReplyFactory(thread=thread, body="premier")
    ReplyFactory(parent=first, body="réponse au premier")
    ReplyFactory(thread=thread, body="deuxième")
    ReplyFactory(thread=thread, body="troisième")

    page1 = client.get(thread.get_absolute_url() + "?sort=old").content.decode()
    page2 = client.get(thread.get_absolute_url() + "?sort=old&page=2")

    assert "réponse au premier" in page1 and "troisième" not in page1
    assert "troisième" in page2.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "99999999999", "abc"])
def test_out_of_range_page_is_a_404(client, thread, page):
    ReplyFactory(thread=thread)

    response = client.get(thread.get_absolute_url() + f"?page={page}")

    assert response.status_code == 404


def test_held_reply_is_shown_to_its_author_only(client, thread, user, settings):
    settings.FORUM_HOLD_FIRST_REPLIES = 5
    held = post_reply(thread=thread, author=user, body="En attente de relecture")

    anonymous = client.get(thread.get_absolute_url()).content.decode()
    client.force_login(user)
    author = client.get(thread.get_absolute_url()).content.decode()

    assert held.body not in anonymous
    assert held.body in author
    assert 'class="badge pending"' in author


def test_focus_on_one_reply_shows_its_conversation(client, thread):
    root = ReplyFactory(thread=thread, body="racine")
    deep = ReplyFactory(parent=root, body="au fond")
    ReplyFactory(thread=thread, body="ailleurs")

    page = client.get(thread.get_absolute_url() + f"?reply={deep.pk}").content.decode()

    assert "racine" in page and "au fond" in page
    assert "ailleurs" not in page


@override_settings(FORUM_DESCENDANTS_PER_ROOT=3)
def test_a_conversation_past_the_limit_shows_its_first_answers_and_counts_the_rest(
    client, thread, user, django_assert_num_queries
):
    long_one = ReplyFactory(thread=thread, body="longue conversation")
    answers, parent = [], long_one
    for index in range(5):
        parent = ReplyFactory(parent=parent, body=f"réponse {index}")
        answers.append(parent)
    ReplyFactory(parent=long_one, author=user, status="pending", body="retenue")
    short_one = ReplyFactory(thread=thread, body="courte conversation")
    ReplyFactory(parent=short_one, body="seule réponse")

    with django_assert_num_queries(3):
        anyone = reply_tree(thread=thread, viewer=None, sort="old")
    author = reply_tree(thread=thread, viewer=user, sort="old")

    first, second = anyone.roots
    assert [node.reply for node in flatten(first.children)] == answers[:3]
    assert (first.hidden_descendants, second.hidden_descendants) == (2, 0)
    # Its author sees the held answer too: one more left out.
    assert author.roots[0].hidden_descendants == 3
    page = client.get(thread.get_absolute_url() + "?sort=old").content.decode()
    assert "2 autres réponses dans cette conversation" in page
    assert "réponse 2" in page and "réponse 3" not in page


@override_settings(FORUM_DESCENDANTS_PER_ROOT=2)
def test_an_answer_past_the_limit_moves_the_count_on_the_next_page(
    client, thread, user, django_capture_on_commit_callbacks
):
    root = ReplyFactory(thread=thread, body="longue conversation")
    for index in range(3):
        ReplyFactory(parent=root, body=f"réponse {index}")
    url = thread.get_absolute_url()
    before = client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        post_reply(thread=thread, author=user, body="encore une", parent=root)

    after = client.get(url)
    assert "1 autre réponse dans cette conversation" in before
    assert "2 autres réponses dans cette conversation" in after.content.decode()
    # The conversation was rendered again; nothing else was kept to reuse.
    assert after["X-Reply-Fragments"] == "0/1"
