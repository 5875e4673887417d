"""Query budgets: pages cost the same number of queries at any size.

Each page is measured with a few replies, then again after the thread grows
to thousands, with a cold cache (the page rendered from the database) and
with a warm one.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from forum.models import ThreadVisit
from forum.selectors import SORTS
from forum.services import cast_vote, post_reply
from tests.factories import (
    ArticleFactory,
    ReplyFactory,
    ThreadFactory,
    UserFactory,
    VoteFactory,
)
from tests.perf.conftest import (
    SESSION_QUERIES,
    VERSION_QUERIES,
    VIEWER_AND_STATE,
    forget_pages,
    small_conversation,
)
from tests.support import committed

# the version counters (in the database without Redis), thread (with the
# reader's follow), its postings, top-level page with its total, descendants
THREAD_ANONYMOUS = VERSION_QUERIES + 4
# Cold measures clear the cache first, so the session is read from the
# database even when sessions live in Redis (cached_db).
#
# session, user, the version counters (in the database without Redis),
# thread, its postings, top-level page with its total, descendants (the page
# shared by every reader of the kind), then the reader's own state: their
# votes, reports and held replies among those shown, their follow and unread
# notifications, in one query. Whether the reader moderates is remembered by
# the process from their first page.
THREAD_SIGNED_IN = VERSION_QUERIES + 7
# From the shared page: session (none when sessions live in the cache), the
# version counters (none with Redis), user and the reader's own state (one
# statement); whether they moderate is remembered.
THREAD_SIGNED_IN_WARM = SESSION_QUERIES + VERSION_QUERIES + VIEWER_AND_STATE
# The one extra query of a signed-in thread page, only when the thread has a
# reply the reader had not seen: the visit recorded (one insert or update).
VISIT_RECORDED = 1


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def _cold(client, url, assert_queries, count, **params):
    # Once rendered, so that the page's version counters exist, as they do on
    # a running site; then every cached page and fragment is forgotten.
    _get(client, url, **params)
    forget_pages()
    with assert_queries(count):
        return _get(client, url, **params)


def _cold_first_visit(client, url, assert_queries, count, **params):
    # As _cold, but the reader's visit is forgotten after the first render,
    # so that the measured one records it again.
    _get(client, url, **params)
    ThreadVisit.objects.filter(reader_id=client.session["_auth_user_id"]).delete()
    forget_pages()
    with assert_queries(count):
        return _get(client, url, **params)


def test_anonymous_thread_page_costs_the_same_queries_at_10_and_10000_replies(
    client, busy_thread, grow, django_assert_num_queries
):
    grow(busy_thread, 10)
    url = busy_thread.get_absolute_url()
    for sort in SORTS:
        _cold(client, url, django_assert_num_queries, THREAD_ANONYMOUS, sort=sort)

    grow(busy_thread, 9_990)

    for sort in SORTS:
        for page in (1, 3):
            response = _cold(
                client,
                url,
                django_assert_num_queries,
                THREAD_ANONYMOUS,
                sort=sort,
                page=page,
            )
            assert response.content.count(b'class="reply-item depth-0') == 20
            # served from the page cache
            with django_assert_num_queries(VERSION_QUERIES):
                _get(client, url, sort=sort, page=page)
    busy_thread.refresh_from_db()
    assert busy_thread.reply_count >= 9_950


def test_signed_in_thread_page_costs_the_same_queries_at_10_and_10000_replies(
    reader_client, busy_thread, grow, django_assert_num_queries
):
    small_conversation(busy_thread, reader_client.reader)
    grow(busy_thread, 5)
    url = busy_thread.get_absolute_url()
    budget = THREAD_SIGNED_IN + VISIT_RECORDED
    _cold_first_visit(reader_client, url, django_assert_num_queries, budget)
    for sort in SORTS:
        _cold(
            reader_client, url, django_assert_num_queries, THREAD_SIGNED_IN, sort=sort
        )

    grow(busy_thread, 9_990)

    _cold_first_visit(reader_client, url, django_assert_num_queries, budget)
    for sort in SORTS:
        for page in (1, 2):
            _cold(
                reader_client,
                url,
                django_assert_num_queries,
                THREAD_SIGNED_IN,
                sort=sort,
                page=page,
            )
            with django_assert_num_queries(THREAD_SIGNED_IN_WARM):
                response = _get(reader_client, url, sort=sort, page=page)
            assert b'class="vote up"' in response.content
    assert THREAD_SIGNED_IN_WARM <= 4


def test_moderator_thread_page_stays_within_ten_queries_at_10000_replies(
    client, moderator, busy_thread, grow, django_assert_num_queries
):
    client.force_login(moderator)
    grow(busy_thread, 10)
    url = busy_thread.get_absolute_url()
    # session, user, the version counters (none with Redis), two permission
    # reads, thread, postings, top-level page, descendants, unread
    # notifications: rendered for the moderator alone; then the visit
    # recorded, as each view here comes after new replies
    budget = VERSION_QUERIES + 9 + VISIT_RECORDED
    _cold_first_visit(client, url, django_assert_num_queries, budget)

    grow(busy_thread, 9_990)

    response = _cold_first_visit(
        client, url, django_assert_num_queries, budget, sort="new"
    )
    assert budget <= 11
    assert response.content.count(b'class="reply-item') >= 20


@pytest.mark.parametrize("size", [5, 300])
def test_thread_page_of_5_and_300_replies_costs_the_same_queries(
    client, reader_client, grow, django_assert_num_queries, size
):
    thread = ThreadFactory()
    small_conversation(thread, reader_client.reader)
    grow(thread, size - 5)
    url = thread.get_absolute_url()

    _cold(client, url, django_assert_num_queries, THREAD_ANONYMOUS)
    _cold_first_visit(
        reader_client, url, django_assert_num_queries, THREAD_SIGNED_IN + VISIT_RECORDED
    )
    _cold(reader_client, url, django_assert_num_queries, THREAD_SIGNED_IN)

    thread.refresh_from_db()
    assert thread.replies.count() == size
    assert THREAD_SIGNED_IN <= 10


def _article_with_questions(questions: int):
    article = ArticleFactory()
    for position in range(questions):
        ThreadFactory(article=article, position=position)
    return article


@pytest.mark.parametrize("size", [10, 10_000])
def test_home_page_costs_the_same_queries_whatever_the_replies(
    client, reader_client, grow, django_assert_num_queries, size
):
    for _ in range(12):
        _article_with_questions(3)
    thread = ThreadFactory(article=ArticleFactory())
    grow(thread, size)
    url = reverse("home")

    # the version counters (none with Redis), articles' total, articles on
    # the page, their questions
    _cold(client, url, django_assert_num_queries, VERSION_QUERIES + 3)
    with django_assert_num_queries(VERSION_QUERIES):
        _get(client, url)
    # session, user, articles' total, articles on the page, the two
    # permission reads of the questions' visibility, questions, unread
    # notifications
    response = _cold(reader_client, url, django_assert_num_queries, 8)

    assert response.content.count(b'class="article-card"') == 10


@pytest.mark.parametrize("size", [10, 10_000])
def test_article_page_costs_the_same_queries_whatever_the_replies(
    client, reader_client, grow, django_assert_num_queries, size
):
    article = _article_with_questions(4)
    grow(article.threads.first(), size)
    url = article.get_absolute_url()

    # the article's id for the cache key, the version counters (none with
    # Redis), article, questions, cited postings
    _cold(client, url, django_assert_num_queries, VERSION_QUERIES + 4)
    with django_assert_num_queries(VERSION_QUERIES):
        _get(client, url)
    # session, user, article, the two permission reads, questions, cited
    # postings, unread notifications
    response = _cold(reader_client, url, django_assert_num_queries, 8)

    assert response.content.count(b'<li><a href="/threads/') == 4


def test_signed_in_page_of_a_reader_with_many_votes_costs_no_more_queries(
    reader_client, busy_thread, grow, django_assert_num_queries
):
    grow(busy_thread, 200)
    for reply in busy_thread.replies.exclude(author=reader_client.reader)[:150]:
        VoteFactory(reply=reply, user=reader_client.reader, value=-1)
    UserFactory.create_batch(3)

    response = _cold_first_visit(
        reader_client,
        busy_thread.get_absolute_url(),
        django_assert_num_queries,
        THREAD_SIGNED_IN + VISIT_RECORDED,
        sort="old",
    )

    assert b'aria-pressed="true"' in response.content


def test_new_replies_are_marked_from_the_shared_page_with_one_extra_query(
    reader_client, busy_thread, grow, django_assert_num_queries
):
    grow(busy_thread, 30)
    url = busy_thread.get_absolute_url()
    other = Client()
    other.force_login(UserFactory())
    for client in (reader_client, other):
        _get(client, url, sort="new")  # first visits, recorded
    with committed():
        for author in UserFactory.create_batch(3):
            post_reply(thread=busy_thread, author=author, body="Du nouveau.")
    # The new shared page and the actions of new replies, rendered once for
    # every reader who has not seen them.
    _get(other, url, sort="new")

    with django_assert_num_queries(THREAD_SIGNED_IN_WARM + VISIT_RECORDED):
        marked = _get(reader_client, url, sort="new")
    with django_assert_num_queries(THREAD_SIGNED_IN_WARM):
        again = _get(reader_client, url, sort="new")

    assert marked["X-Page-Cache"] == "hit"
    assert marked.content.count(b"data-new") == 3
    assert b'class="whats-new"' in marked.content
    assert b"data-new" not in again.content
    assert b'class="whats-new"' not in again.content


def test_a_remembered_reader_gets_the_changed_page_without_reading_permissions(
    reader_client, busy_thread, django_assert_num_queries
):
    small_conversation(busy_thread, reader_client.reader)
    url = busy_thread.get_absolute_url()
    _get(reader_client, url)  # first visit, recorded; the reader is remembered
    voted = busy_thread.replies.exclude(author=reader_client.reader).last()
    with committed():
        cast_vote(reply=voted, voter=UserFactory(), value=1)

    # The shared page and the reader's actions rendered again at the
    # thread's new version: session, the version counters, the user (checked
    # to be of the kind remembered), thread, its postings, top-level page
    # with its total, descendants, then the reader's own state; not whether
    # the reader moderates.
    with django_assert_num_queries(SESSION_QUERIES + VERSION_QUERIES + 6):
        response = _get(reader_client, url)

    assert response["X-Page-Cache"] == "miss"
    assert b'aria-pressed="true"' in response.content
    assert b'class="vote up"' in response.content


def test_home_page_counts_new_replies_per_thread_within_its_budget(
    reader_client, busy_thread, django_assert_num_queries
):
    busy_thread.article = ArticleFactory()
    busy_thread.save()
    ReplyFactory(thread=busy_thread)
    _get(reader_client, busy_thread.get_absolute_url())
    with committed():
        for author in UserFactory.create_batch(2):
            post_reply(thread=busy_thread, author=author, body="Encore du nouveau.")

    # as test_home_page_costs_the_same_queries_whatever_the_replies
    response = _cold(reader_client, reverse("home"), django_assert_num_queries, 8)

    assert b"2 nouvelles" in response.content


def test_warm_signed_in_thread_page_asks_redis_once(
    reader_client, busy_thread, grow, django_assert_num_queries, monkeypatch
):
    if not settings.REDIS_URL:
        pytest.skip("sessions and version counters share Redis only with REDIS_URL")
    import redis

    small_conversation(busy_thread, reader_client.reader)
    grow(busy_thread, 100)
    url = busy_thread.get_absolute_url()
    _get(reader_client, url)
    _get(reader_client, url)
    commands = []
    send = redis.Redis.execute_command

    def counted(client, *args, **options):
        commands.append(args[0])
        return send(client, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)

    # The session with the page's counters, then the user with their state.
    with django_assert_num_queries(VIEWER_AND_STATE):
        response = _get(reader_client, url)

    assert commands == ["MGET"]
    assert response["X-Page-Cache"] == "hit"
    assert b'class="vote up"' in response.content
