"""Redis unreachable, PostgreSQL (or SQLite) fine: the site stays up."""

import logging

from django.urls import reverse

from forum.models import Reply, Vote
from tests.factories import ArticleFactory, ReplyFactory, ThreadFactory, UserFactory


def outage_records(caplog):
    return [
        record
        for record in caplog.records
        if record.name == "forum.outage" and record.levelno >= logging.ERROR
    ]


def test_pages_are_served_from_the_database_while_redis_is_unreachable(
    client, redis_down, db
):
    article = ArticleFactory(title="Les salaires de l'IA en 2026")
    thread = ThreadFactory(article=article, title="Ces salaires sont-ils justes ?")
    ReplyFactory(thread=thread, body="Un avis tranché sur les salaires.")

    home = client.get("/")
    article_page = client.get(article.get_absolute_url())
    thread_page = client.get(thread.get_absolute_url())

    assert home.status_code == 200
    assert article_page.status_code == 200
    assert thread_page.status_code == 200
    assert "Un avis tranché sur les salaires." in thread_page.content.decode()


def test_api_reads_are_served_from_the_database_while_redis_is_unreachable(
    client, redis_down, db
):
    thread = ThreadFactory(title="Ces salaires sont-ils justes ?")
    ReplyFactory(thread=thread, body="Un avis tranché.")

    threads = client.get("/api/v1/threads/")
    replies = client.get(f"/api/v1/threads/{thread.pk}/replies/")

    assert threads.status_code == 200
    assert [item["title"] for item in threads.json()["results"]] == [
        "Ces salaires sont-ils justes ?"
    ]
    assert replies.status_code == 200
    assert "Un avis tranché." in replies.content.decode()


def test_a_signed_in_reader_stays_signed_in_from_the_database_copy_of_the_session(
    client, redis_down, db
):
    reader = UserFactory(username="camille", display_name="Camille")
    client.force_login(reader)

    response = client.get(reverse("forum:notification-list"))

    assert response.status_code == 200
    assert response.wsgi_request.user == reader


def test_a_reply_posted_from_the_page_is_stored_while_redis_is_unreachable(
    client, redis_down, thread
):
    client.force_login(UserFactory(username="camille"))

    response = client.post(
        reverse("forum:reply-create", args=[thread.pk]),
        {"body": "Écrit pendant la panne du cache."},
    )

    reply = Reply.objects.get(thread=thread)
    assert response.status_code == 302
    assert reply.body == "Écrit pendant la panne du cache."
    page = client.get(thread.get_absolute_url())
    assert "Écrit pendant la panne du cache." in page.content.decode()


def test_a_vote_through_the_api_is_counted_while_redis_is_unreachable(
    client, redis_down, reply
):
    voter = UserFactory(username="camille")
    client.force_login(voter)

    response = client.post(
        f"/api/v1/replies/{reply.pk}/vote/",
        {"value": 1},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["score"] == 1
    reply.refresh_from_db()
    assert reply.score == 1
    assert Vote.objects.filter(reply=reply, user=voter).count() == 1


def test_rate_limits_let_attempts_through_while_redis_is_unreachable(
    client, redis_down, rate_limits, thread
):
    """Rate limits fail open (docs/operations.md): with nowhere to count,
    a reply that the limit of one per 5 seconds would refuse is stored."""
    client.force_login(UserFactory(username="camille"))
    url = reverse("forum:reply-create", args=[thread.pk])

    first = client.post(url, {"body": "Première réponse."})
    second = client.post(url, {"body": "Deuxième réponse, aussitôt."})

    assert (first.status_code, second.status_code) == (302, 302)
    assert Reply.objects.filter(thread=thread).count() == 2


def test_the_outage_is_logged_once_and_not_for_every_request(
    client, redis_down, db, caplog
):
    caplog.set_level(logging.WARNING, logger="forum.outage")
    thread = ThreadFactory()

    for _ in range(5):
        assert client.get(thread.get_absolute_url()).status_code == 200

    records = outage_records(caplog)
    assert len(records) == 1
    assert "Cache unreachable" in records[0].getMessage()


def test_readyz_answers_503_when_the_configured_redis_is_unreachable(
    client, redis_down, db
):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "unreachable"},
    }
    assert response["Retry-After"] == "30"


def test_healthz_stays_ok_while_redis_is_unreachable(client, redis_down):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_a_lasting_outage_is_reported_again_once_per_interval(
    client, redis_down, db, settings, caplog
):
    settings.FORUM_OUTAGE_LOG_SECONDS = 0
    settings.FORUM_CACHE_RETRY_SECONDS = 3600
    caplog.set_level(logging.WARNING, logger="forum.outage")

    client.get("/healthz")
    client.get("/")
    client.get("/")

    messages = [record.getMessage() for record in outage_records(caplog)]
    assert messages[0].startswith("Cache unreachable")
    assert len(messages) > 1
    assert all("still unreachable" in message for message in messages[1:])
    assert "operations answered without it" in messages[-1]


def test_the_outage_log_does_not_show_the_redis_password(
    client, redis_down, db, settings, caplog
):
    location = redis_down.replace("redis://", "redis://:s3cret-pass@")
    redis = {**settings.CACHES["default"], "LOCATION": location}
    settings.CACHES = {"default": redis, "shared": dict(redis)}
    caplog.set_level(logging.WARNING, logger="forum.outage")

    response = client.get("/")

    messages = [record.getMessage() for record in outage_records(caplog)]
    assert response.status_code == 200
    assert len(messages) == 1
    assert redis_down in messages[0]
    assert "s3cret-pass" not in messages[0]
