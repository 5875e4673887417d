"""The moderation pages cost the same number of queries with a few rows or many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.services import flag_reply
from tests.factories import (
    CitationFactory,
    FlagFactory,
    PostingFactory,
    ReplyFactory,
    ThreadFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    # A first visit fills the caches every page shares (content types).
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_reported_replies(thread, how_many: int) -> None:
    for _ in range(how_many):
        reply = ReplyFactory(thread=thread)
        flag_reply(reply=reply, reporter=UserFactory(), reason="spam")
        FlagFactory(reply=reply, reason="abuse")


@pytest.fixture
def moderator_client(client, moderator):
    # The admin speaks the browser's language; these tests read its English.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(moderator)
    return client


def test_reply_list_costs_the_same_whatever_the_number_of_replies(moderator_client):
    thread = ThreadFactory()
    add_reported_replies(thread, 3)
    few = count_queries(moderator_client, reverse("admin:forum_reply_changelist"))

    add_reported_replies(ThreadFactory(), 27)

    many = count_queries(moderator_client, reverse("admin:forum_reply_changelist"))
    assert many == few


def test_report_queue_costs_the_same_whatever_the_number_of_reports(
    moderator_client,
):
    add_reported_replies(ThreadFactory(), 3)
    few = count_queries(moderator_client, reverse("admin:forum_flag_changelist"))

    add_reported_replies(ThreadFactory(), 27)

    many = count_queries(moderator_client, reverse("admin:forum_flag_changelist"))
    assert many == few


def test_thread_page_costs_the_same_with_a_megathread(moderator_client):
    thread = ThreadFactory()
    url = reverse("admin:forum_thread_change", args=[thread.pk])
    for _ in range(3):
        ReplyFactory(thread=thread)
    few = count_queries(moderator_client, url)

    for _ in range(60):
        ReplyFactory(thread=thread, author=UserFactory())

    many = count_queries(moderator_client, url)
    assert many == few


def test_thread_list_costs_the_same_whatever_the_number_of_threads(
    moderator_client,
):
    for _ in range(3):
        ThreadFactory()
    few = count_queries(moderator_client, reverse("admin:forum_thread_changelist"))

    for _ in range(27):
        ThreadFactory()

    many = count_queries(moderator_client, reverse("admin:forum_thread_changelist"))
    assert many == few


def test_posting_list_costs_the_same_whatever_the_number_of_postings(
    moderator_client,
):
    for _ in range(3):
        CitationFactory(posting=PostingFactory())
    few = count_queries(moderator_client, reverse("admin:articles_posting_changelist"))

    for _ in range(27):
        CitationFactory(posting=PostingFactory())

    many = count_queries(moderator_client, reverse("admin:articles_posting_changelist"))
    assert many == few


def test_user_page_costs_the_same_whatever_the_number_of_replies(
    moderator_client, user
):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    for _ in range(3):
        FlagFactory(reply=ReplyFactory(author=user))
    few = count_queries(moderator_client, url)

    for _ in range(27):
        FlagFactory(reply=ReplyFactory(author=user))

    many = count_queries(moderator_client, url)
    assert many == few
