"""Every API list and detail costs a fixed number of queries (at most 8).

Each test measures a request with a few rows, adds many more, and measures
again: the count must not move. Requests are signed in with a token, the
costliest path; the anonymous read cache is cleared before each request.
"""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.services import create_api_token
from forum.services import set_thread_postings
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    CompanyFactory,
    FlagFactory,
    PostingFactory,
    ReplyFactory,
    ThreadFactory,
    UserFactory,
    VoteFactory,
)
from tests.perf.conftest import VERSION_QUERIES
from tests.support import post_reply_committed

pytestmark = pytest.mark.django_db

# Every signed-in request: the token with its user, then the user's own and
# group permissions (is_moderator decides what the viewer may see).
SIGNED_IN = 3


@pytest.fixture
def api(user):
    token = create_api_token(user=user, name="test")
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {token.secret}")


@pytest.fixture
def measure(django_assert_num_queries):
    def get(client, path, queries):
        # Once, so that the version counters exist, as on a running site.
        client.get(path)
        cache.clear()
        with django_assert_num_queries(queries):
            response = client.get(path)
        assert response.status_code == 200, response.content
        return response

    return get


def _busy_thread(thread, replies=30):
    """Replies with children, votes, reports and linked postings."""
    postings = PostingFactory.create_batch(5)
    set_thread_postings(thread=thread, postings=[*thread.postings.all(), *postings])
    for _ in range(replies // 3):
        root = ReplyFactory(thread=thread)
        child = ReplyFactory(parent=root)
        ReplyFactory(parent=child)
        VoteFactory(reply=root)
        FlagFactory(reply=child)


def test_thread_list_queries_do_not_grow_with_threads(api, measure):
    ThreadFactory.create_batch(2)
    # Threads with article (one join), their postings with companies.
    few = measure(api, "/api/v1/threads/", SIGNED_IN + 2)

    for thread in ThreadFactory.create_batch(25):
        set_thread_postings(thread=thread, postings=PostingFactory.create_batch(3))
    many = measure(api, "/api/v1/threads/", SIGNED_IN + 2)

    assert len(many.json()["results"]) > len(few.json()["results"])


def test_thread_detail_queries_do_not_grow_with_postings(api, measure, thread):
    # The thread with its article, its postings with companies.
    measure(api, f"/api/v1/threads/{thread.pk}/", SIGNED_IN + 2)

    _busy_thread(thread)
    response = measure(api, f"/api/v1/threads/{thread.pk}/", SIGNED_IN + 2)

    assert len(response.json()["postings"]) == 5


def test_reply_list_queries_do_not_grow_with_replies(api, measure, thread):
    ReplyFactory(thread=thread)
    # The thread, then the page of replies with authors and the viewer's votes.
    measure(api, f"/api/v1/threads/{thread.pk}/replies/", SIGNED_IN + 2)

    _busy_thread(thread, replies=60)
    response = measure(api, f"/api/v1/threads/{thread.pk}/replies/", SIGNED_IN + 2)

    assert len(response.json()["results"]) == 20


def test_anonymous_reply_list_queries_do_not_grow_with_replies(measure, thread):
    ReplyFactory(thread=thread)
    # No credentials: the version counters of the anonymous read cache (none
    # with Redis), the thread, then the page of replies with authors.
    queries = VERSION_QUERIES + 2
    measure(APIClient(), f"/api/v1/threads/{thread.pk}/replies/", queries)

    _busy_thread(thread, replies=60)
    response = measure(APIClient(), f"/api/v1/threads/{thread.pk}/replies/", queries)

    assert len(response.json()["results"]) == 20


def test_export_queries_do_not_grow_with_replies(api, measure, thread):
    ReplyFactory(thread=thread)
    # The thread with its article, its postings, every reply with its author
    # and the viewer's vote.
    measure(api, f"/api/v1/threads/{thread.pk}/export/", SIGNED_IN + 3)

    _busy_thread(thread, replies=90)
    response = measure(api, f"/api/v1/threads/{thread.pk}/export/", SIGNED_IN + 3)

    assert len(response.json()["replies"]) == 31


def test_reply_detail_queries_are_fixed(api, measure, thread):
    reply = ReplyFactory(thread=thread)
    # The reply with thread, article and author, the viewer's vote, and the
    # thread's visibility, in one statement.
    measure(api, f"/api/v1/replies/{reply.pk}/", SIGNED_IN + 1)

    _busy_thread(thread)
    VoteFactory.create_batch(5, reply=reply)
    measure(api, f"/api/v1/replies/{reply.pk}/", SIGNED_IN + 1)


def test_article_list_queries_do_not_grow_with_articles(api, measure):
    ThreadFactory()
    # The count for the page numbers, the articles, their questions.
    measure(api, "/api/v1/articles/", SIGNED_IN + 3)

    for article in ArticleFactory.create_batch(15):
        ThreadFactory.create_batch(3, article=article)
    response = measure(api, "/api/v1/articles/", SIGNED_IN + 3)

    assert len(response.json()["results"]) == 16


def test_article_detail_queries_do_not_grow_with_citations(api, measure, thread):
    slug = thread.article.slug
    # The article, its questions, its citations with postings and companies.
    measure(api, f"/api/v1/articles/{slug}/", SIGNED_IN + 3)

    ThreadFactory.create_batch(4, article=thread.article)
    CitationFactory.create_batch(12, article=thread.article)
    response = measure(api, f"/api/v1/articles/{slug}/", SIGNED_IN + 3)

    assert len(response.json()["citations"]) == 12


def test_posting_list_queries_do_not_grow_with_postings(api, measure):
    PostingFactory()
    # The token with its user, the count for the page numbers, the postings
    # with their companies; postings do not depend on the viewer's rights.
    measure(api, "/api/v1/postings/", 1 + 2)

    PostingFactory.create_batch(30)
    response = measure(api, "/api/v1/postings/", 1 + 2)

    assert response.json()["count"] == 31


def test_posting_detail_queries_do_not_grow_with_threads(api, measure, thread):
    posting = PostingFactory()
    set_thread_postings(thread=thread, postings=[posting])
    # The posting with its company, the threads citing it, the citations
    # with their articles.
    measure(api, f"/api/v1/postings/{posting.pk}/", SIGNED_IN + 3)

    for other in ThreadFactory.create_batch(10):
        set_thread_postings(thread=other, postings=[posting])
        CitationFactory(article=other.article, posting=posting)
    response = measure(api, f"/api/v1/postings/{posting.pk}/", SIGNED_IN + 3)

    assert len(response.json()["threads"]) == 11


def test_company_list_queries_do_not_grow_with_companies(api, measure):
    CompanyFactory()
    # Token with user, the count, companies with their posting counts.
    measure(api, "/api/v1/companies/", 1 + 2)

    for company in CompanyFactory.create_batch(20):
        PostingFactory.create_batch(2, company=company)
    response = measure(api, "/api/v1/companies/", 1 + 2)

    assert response.json()["count"] == 21


def test_me_queries_are_fixed(api, measure, user):
    # Token with user, then the permissions behind is_moderator.
    measure(api, "/api/v1/me/", SIGNED_IN)

    UserFactory.create_batch(5)
    response = measure(api, "/api/v1/me/", SIGNED_IN)

    assert response.json()["username"] == user.username


def _answers(reply, count):
    for number in range(count):
        post_reply_committed(
            thread=reply.thread,
            author=UserFactory(),
            body=f"Réponse {number}.",
            parent=reply,
        )


def test_notification_list_queries_do_not_grow_with_notifications(api, measure, user):
    reply = ReplyFactory(author=user)
    _answers(reply, 2)
    # Signed in, then the page of notifications with replies, authors,
    # threads and articles, and whether each thread is still open.
    measure(api, "/api/v1/notifications/", SIGNED_IN + 1)

    _answers(reply, 15)
    response = measure(api, "/api/v1/notifications/", SIGNED_IN + 1)

    assert len(response.json()["results"]) == 17


def test_own_replies_queries_do_not_grow_with_replies(api, measure, user):
    ReplyFactory.create_batch(2, author=user)
    # Signed in, then the page of replies with threads, articles and votes.
    measure(api, "/api/v1/me/replies/", SIGNED_IN + 1)

    for reply in ReplyFactory.create_batch(15, author=user):
        VoteFactory(reply=reply)
    response = measure(api, "/api/v1/me/replies/", SIGNED_IN + 1)

    assert len(response.json()["results"]) == 17


def test_token_list_queries_do_not_grow_with_tokens(api, measure, user):
    # Token with user, then the page of tokens (no permission lookup).
    measure(api, "/api/v1/auth/tokens/", 1 + 1)

    for number in range(10):
        create_api_token(user=user, name=f"Jeton {number}")
    response = measure(api, "/api/v1/auth/tokens/", 1 + 1)

    assert len(response.json()["results"]) == 11
