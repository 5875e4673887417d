from datetime import timedelta

import pytest
from django.utils import timezone

from forum.models import Thread
from forum.services import hide_thread, lock_thread, post_reply, set_thread_postings
from tests.factories import (
    ArticleFactory,
    CompanyFactory,
    PostingFactory,
    ThreadFactory,
)

pytestmark = pytest.mark.django_db


def _ids(response):
    return [item["id"] for item in response.json()["results"]]


def test_thread_list_shows_the_question_article_postings_and_counts(api_client, thread):
    posting = PostingFactory(title="Chercheuse en vision")
    set_thread_postings(thread=thread, postings=[posting])

    response = api_client.get("/api/v1/threads/")

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["title"] == thread.title
    assert item["article"]["slug"] == thread.article.slug
    assert item["postings"][0]["title"] == "Chercheuse en vision"
    assert item["postings"][0]["company"]["name"] == posting.company.name
    assert item["html_url"] == f"http://testserver{thread.get_absolute_url()}"
    assert (item["reply_count"], item["is_locked"], item["is_hidden"]) == (
        0,
        False,
        False,
    )


def test_thread_detail_answers_the_thread_with_its_counts(api_client, thread, user):
    post_reply(thread=thread, author=user, body="Des salaires élevés, mais justifiés.")

    response = api_client.get(f"/api/v1/threads/{thread.pk}/")

    thread.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["reply_count"] == thread.reply_count == 1
    assert response.json()["id"] == thread.pk


def test_hidden_thread_is_missing_for_readers_but_shown_to_moderators(
    api_client, moderator_api, moderator, thread
):
    hide_thread(thread=thread, by=moderator)

    anonymous = api_client.get(f"/api/v1/threads/{thread.pk}/")
    moderated = moderator_api.get(f"/api/v1/threads/{thread.pk}/")

    thread.refresh_from_db()
    assert thread.is_hidden
    assert anonymous.status_code == 404
    assert anonymous.json() == {"detail": anonymous.json()["detail"]}
    assert moderated.status_code == 200
    assert moderated.json()["is_hidden"] is True


def test_thread_of_a_draft_article_is_not_listed(api_client, thread):
    ThreadFactory(article=ArticleFactory(status="draft"))

    response = api_client.get("/api/v1/threads/")

    assert _ids(response) == [thread.pk]


def test_threads_filter_by_article_company_posting_and_locked(api_client, moderator):
    posting = PostingFactory(company=CompanyFactory(name="Mistral"))
    linked = ThreadFactory()
    set_thread_postings(thread=linked, postings=[posting])
    locked = ThreadFactory()
    lock_thread(thread=locked, by=moderator)

    by_article = api_client.get(f"/api/v1/threads/?article={linked.article.slug}")
    by_company = api_client.get("/api/v1/threads/?company=mistral")
    by_posting = api_client.get(f"/api/v1/threads/?posting={posting.pk}")
    by_locked = api_client.get("/api/v1/threads/?locked=true")
    unlocked = api_client.get("/api/v1/threads/?locked=false")

    assert _ids(by_article) == [linked.pk]
    assert _ids(by_company) == [linked.pk]
    assert _ids(by_posting) == [linked.pk]
    assert _ids(by_locked) == [locked.pk]
    assert _ids(unlocked) == [linked.pk]


def test_threads_filter_by_updated_after(api_client):
    now = timezone.now()
    ThreadFactory(updated_at=now - timedelta(days=2))
    recent = ThreadFactory(updated_at=now)

    since = (now - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    response = api_client.get("/api/v1/threads/", {"updated_after": since})

    assert _ids(response) == [recent.pk]


def test_threads_are_ordered_as_asked(api_client):
    now = timezone.now()
    old = ThreadFactory(
        created_at=now - timedelta(days=3),
        last_activity_at=now - timedelta(days=3),
        reply_count=9,
        score=1,
    )
    busy = ThreadFactory(
        created_at=now - timedelta(days=2),
        last_activity_at=now,
        reply_count=2,
        score=7,
    )
    quiet = ThreadFactory(
        created_at=now - timedelta(days=1),
        last_activity_at=now - timedelta(days=1),
        reply_count=0,
        score=0,
    )

    default = api_client.get("/api/v1/threads/")
    by_replies = api_client.get("/api/v1/threads/?ordering=-reply_count")
    by_score = api_client.get("/api/v1/threads/?ordering=-score")
    by_creation = api_client.get("/api/v1/threads/?ordering=created_at")

    assert _ids(default) == [busy.pk, quiet.pk, old.pk]
    assert _ids(by_replies) == [old.pk, busy.pk, quiet.pk]
    assert _ids(by_score) == [busy.pk, old.pk, quiet.pk]
    assert _ids(by_creation) == [old.pk, busy.pk, quiet.pk]


def test_thread_pages_follow_the_cursor_without_repeats_or_gaps(api_client):
    threads = ThreadFactory.create_batch(7)
    seen = []

    url = "/api/v1/threads/?ordering=created_at&page_size=3"
    pages = 0
    while url:
        response = api_client.get(url)
        assert response.status_code == 200
        seen += _ids(response)
        url = response.json()["next"]
        pages += 1

    assert seen == [thread.pk for thread in threads]
    assert pages == 3


def test_thread_pages_stay_stable_while_new_threads_arrive(api_client):
    first = ThreadFactory.create_batch(4)
    page_one = api_client.get("/api/v1/threads/?ordering=-last_activity_at&page_size=2")

    ThreadFactory.create_batch(3)
    page_two = api_client.get(page_one.json()["next"])

    newest_first = list(reversed(first))
    assert _ids(page_one) == [t.pk for t in newest_first[:2]]
    assert _ids(page_two) == [t.pk for t in newest_first[2:]]


def test_previous_link_leads_back_to_the_earlier_page(api_client):
    ThreadFactory.create_batch(5)
    first = api_client.get("/api/v1/threads/?ordering=created_at&page_size=2")
    second = api_client.get(first.json()["next"])

    back = api_client.get(second.json()["previous"])

    assert first.json()["previous"] is None
    assert _ids(back) == _ids(first)


def test_page_size_is_capped_at_one_hundred(api_client):
    ThreadFactory.create_batch(101)

    response = api_client.get("/api/v1/threads/?page_size=500")

    assert len(response.json()["results"]) == 100
    assert response.json()["next"] is not None
    assert Thread.objects.count() == 101


def test_unknown_query_parameters_are_ignored(api_client, thread):
    response = api_client.get("/api/v1/threads/?colour=blue&sort=whatever")

    assert response.status_code == 200
    assert _ids(response) == [thread.pk]


def test_thread_list_counts_replies_posted_through_the_services(
    api_client, thread, user, other_user
):
    post_reply(thread=thread, author=user, body="Une réponse.")
    post_reply(thread=thread, author=other_user, body="Une autre.")

    response = api_client.get("/api/v1/threads/")

    thread.refresh_from_db()
    assert response.json()["results"][0]["reply_count"] == thread.reply_count == 2
