import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import Reply
from forum.services import remove_reply
from tests.factories import ReplyFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def permalink(reply, **query):
    url = reverse("forum:reply-permalink", kwargs={"reply_id": reply.pk})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


@pytest.fixture
def small_pages(settings):
    settings.FORUM_TOP_LEVEL_PER_PAGE = 2


def test_permalink_of_a_first_page_reply_points_at_its_anchor(client, reply):
    response = client.get(permalink(reply))

    assert response.status_code == 302
    assert response["Location"] == (
        f"{reply.thread.get_absolute_url()}#reply-{reply.pk}"
    )


def test_permalink_finds_the_page_in_the_default_order(client, thread, small_pages):
    replies = [ReplyFactory(thread=thread, score=0) for _ in range(5)]
    # "best" puts the newest first when nothing else differs: the oldest of
    # five replies, two per page, stands on page 3.
    oldest = replies[0]

    response = client.get(permalink(oldest))

    assert response["Location"] == (
        f"{thread.get_absolute_url()}?page=3#reply-{oldest.pk}"
    )
    page = client.get(response["Location"])
    assert f'id="reply-{oldest.pk}"' in page.content.decode()


def test_permalink_keeps_the_sort_it_is_given(client, thread, small_pages):
    replies = [ReplyFactory(thread=thread) for _ in range(5)]

    response = client.get(permalink(replies[0], sort="old"))

    assert response["Location"] == (
        f"{thread.get_absolute_url()}?sort=old#reply-{replies[0].pk}"
    )


def test_permalink_ignores_an_unknown_sort(client, thread, small_pages):
    replies = [ReplyFactory(thread=thread) for _ in range(3)]

    response = client.get(permalink(replies[0], sort="nonsense"))

    assert response["Location"] == (
        f"{thread.get_absolute_url()}?page=2#reply-{replies[0].pk}"
    )


def test_permalink_of_a_nested_reply_goes_to_its_top_level_ancestors_page(
    client, thread, small_pages
):
    first = ReplyFactory(thread=thread)
    answer = ReplyFactory(thread=thread, parent=first)
    deeper = ReplyFactory(thread=thread, parent=answer)
    for _ in range(3):
        ReplyFactory(thread=thread)

    response = client.get(permalink(deeper, sort="new"))

    assert response["Location"] == (
        f"{thread.get_absolute_url()}?sort=new&page=2#reply-{deeper.pk}"
    )
    page = client.get(response["Location"])
    assert f'id="reply-{deeper.pk}"' in page.content.decode()


def test_featured_reply_is_on_the_first_page(client, thread, small_pages):
    picked = ReplyFactory(thread=thread, is_featured=True)
    for _ in range(4):
        ReplyFactory(thread=thread)

    response = client.get(permalink(picked, sort="old"))

    assert response["Location"].endswith(f"?sort=old#reply-{picked.pk}")


def test_removed_reply_points_at_its_placeholder(client, reply, moderator):
    remove_reply(reply=reply, by=moderator, reason=Reply.RemovalReason.SPAM)

    response = client.get(permalink(reply))

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f'id="reply-{reply.pk}"' in page
    assert "[message supprimé par la modération]" in page


def test_held_reply_is_not_found_by_other_readers(client, thread, user):
    held = ReplyFactory(thread=thread, author=user, status=Reply.Status.PENDING)

    assert client.get(permalink(held)).status_code == 404
    client.force_login(user)
    assert client.get(permalink(held)).status_code == 302


def test_reply_in_a_hidden_thread_is_not_found(client):
    thread = ThreadFactory(is_hidden=True)
    hidden = ReplyFactory(thread=thread)

    assert client.get(permalink(hidden)).status_code == 404


def test_unknown_reply_is_not_found(client, db):
    assert client.get("/r/999999/").status_code == 404


def test_every_reply_shows_its_permalink(client, reply):
    page = client.get(reply.thread.get_absolute_url()).content.decode()

    assert f'href="{permalink(reply)}"' in page


def test_permalink_leaves_late_replies_where_the_tree_shows_them(
    client, thread, small_pages
):
    late = ReplyFactory(thread=thread, created_at=timezone.now())

    response = client.get(permalink(late, sort="new"))

    assert response["Location"].endswith(f"?sort=new#reply-{late.pk}")
