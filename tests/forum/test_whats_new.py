"""What is new to a signed-in reader since their last visit to a thread."""

import re

import pytest
from django.urls import reverse

from forum.models import Notification, ThreadVisit
from forum.services import post_reply
from tests.factories import ArticleFactory, ThreadFactory, UserFactory
from tests.support import committed

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["shared", "alone"])
def page_cache(request, settings):
    """Thread pages cut from the shared page, or rendered for the reader."""
    if request.param == "alone":
        settings.FORUM_PAGE_CACHE_TIMEOUT = 0
    return request.param


@pytest.fixture
def article_thread(db):
    return ThreadFactory(article=ArticleFactory())


def post(thread, author, body, parent=None):
    with committed():
        return post_reply(thread=thread, author=author, body=body, parent=parent)


def new_ids(html: str) -> list[int]:
    """Ids of the replies marked new, in page order."""
    marked = []
    for match in re.finditer(r'id="reply-(\d+)"|data-new', html):
        if match.group(1):
            current = int(match.group(1))
        else:
            marked.append(current)
    return marked


def test_replies_since_the_last_visit_are_marked_new(
    auth_client, user, article_thread, page_cache
):
    thread = article_thread
    others = UserFactory.create_batch(2)
    old = post(thread, others[0], "Avant.")
    url = thread.get_absolute_url()

    first = auth_client.get(url).content.decode()
    mine = post(thread, user, "De moi.")
    answer = post(thread, others[1], "Après, en réponse.", parent=old)
    newer = post(thread, others[0], "Après.")
    second = auth_client.get(url + "?sort=old").content.decode()
    third = auth_client.get(url + "?sort=old").content.decode()

    assert new_ids(first) == []
    assert 'class="whats-new"' not in first
    assert new_ids(second) == [answer.pk, newer.pk]
    assert mine.pk not in new_ids(second)
    assert f'<a href="#reply-{answer.pk}">' in second
    assert new_ids(third) == []
    assert 'class="whats-new"' not in third
    visit = ThreadVisit.objects.get(reader=user, thread=thread)
    assert visit.last_seen_reply_id == newer.pk


def test_anonymous_readers_leave_no_visit(client, article_thread):
    post(article_thread, UserFactory(), "Bonjour.")

    page = client.get(article_thread.get_absolute_url()).content.decode()

    assert "data-new" not in page
    assert not ThreadVisit.objects.exists()


def test_home_and_article_pages_count_new_replies_per_thread(
    auth_client, user, article_thread
):
    thread = article_thread
    untouched = ThreadFactory(article=thread.article, position=2)
    post(untouched, UserFactory(), "Jamais visité.")
    auth_client.get(thread.get_absolute_url())
    post(thread, UserFactory(), "Un.")
    post(thread, UserFactory(), "Deux.")
    post(thread, user, "Le mien ne compte pas.")

    home = auth_client.get(reverse("home")).content.decode()
    article = auth_client.get(thread.article.get_absolute_url()).content.decode()

    for page in (home, article):
        assert page.count('class="badge new"') == 1
        assert "2 nouvelles" in page
    auth_client.get(thread.get_absolute_url())
    home = auth_client.get(reverse("home")).content.decode()
    assert 'class="badge new"' not in home


def test_removed_replies_are_not_counted_new(auth_client, article_thread, moderator):
    from forum.models import Reply
    from forum.services import remove_reply

    auth_client.get(article_thread.get_absolute_url())
    gone = post(article_thread, UserFactory(), "Retiré.")
    remove_reply(reply=gone, by=moderator, reason=Reply.RemovalReason.SPAM)

    home = auth_client.get(reverse("home")).content.decode()

    assert 'class="badge new"' not in home


def test_opening_a_notification_marks_it_read_and_opens_the_reply(
    client, reply, user, other_user
):
    answer = post(reply.thread, other_user, "Je réponds.", parent=reply)
    notification = Notification.objects.get(recipient=user)
    client.force_login(user)

    response = client.get(reverse("forum:notification-open", args=[notification.pk]))

    assert response["Location"] == (
        f"{reply.thread.get_absolute_url()}#reply-{answer.pk}"
    )
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_opens_someone_elses_notification(client, reply, user, other_user):
    post(reply.thread, other_user, "Je réponds.", parent=reply)
    notification = Notification.objects.get(recipient=user)
    client.force_login(other_user)

    response = client.get(reverse("forum:notification-open", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
