"""Webhooks: staff register endpoints in the admin; events reach a real local
HTTP receiver, signed, logged, retried with backoff, and an endpoint failing
for a day is switched off with staff told."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import publish_article
from forum.models import Reply
from forum.services import lock_thread, post_reply, remove_reply
from forum.tasks import retry_pending_work
from tests.factories import ArticleFactory, ReplyFactory, UserFactory
from tests.support import committed
from webhooks.models import Delivery, Endpoint
from webhooks.services import verify

SECRET = "un-secret-partagé-avec-la-rédaction"


@pytest.fixture
def endpoint(receiver, db):
    return Endpoint.objects.create(
        name="Rédaction",
        url=receiver.url,
        secret=SECRET,
        events=["reply.created", "reply.removed", "thread.locked"],
    )


def _post(thread, body="Une réponse à relayer."):
    with committed():
        return post_reply(thread=thread, author=UserFactory(), body=body)


def test_staff_register_an_endpoint_in_the_admin(admin_client, receiver):
    response = admin_client.post(
        reverse("admin:webhooks_endpoint_add"),
        {
            "name": "Rédaction",
            "url": receiver.url,
            "secret": SECRET,
            "events": ["reply.created", "article.published"],
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["reply.created", "article.published"]
    assert endpoint.secret == SECRET


def test_the_admin_refuses_an_event_that_does_not_exist(admin_client, receiver):
    response = admin_client.post(
        reverse("admin:webhooks_endpoint_add"),
        {"name": "X", "url": receiver.url, "secret": "s", "events": ["reply.eaten"]},
    )

    assert response.status_code == 200
    assert not Endpoint.objects.exists()


def test_a_new_reply_reaches_the_receiver_signed(endpoint, receiver, thread):
    reply = _post(thread)

    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    timestamp = headers["X-Forum-Signature"].split(",")[0].removeprefix("t=")
    expected = hmac.new(
        SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Forum-Signature"] == f"t={timestamp},v1={expected}"
    assert verify(SECRET, headers["X-Forum-Signature"], body)
    assert not verify("un autre secret", headers["X-Forum-Signature"], body)
    assert headers["X-Forum-Event"] == "reply.created"
    payload = json.loads(body)
    assert payload["event"] == "reply.created"
    assert payload["id"] == headers["X-Forum-Delivery"]
    assert payload["data"]["id"] == reply.pk
    assert payload["data"]["body"] == "Une réponse à relayer."
    assert payload["data"]["url"].startswith("http://127.0.0.1:8000/threads/")


def test_every_request_is_logged_with_status_latency_and_response_head(
    endpoint, receiver, thread, admin_client
):
    receiver.answer = b'{"accepted": "oui"}'

    _post(thread)

    delivery = Delivery.objects.get()
    [attempt] = delivery.attempt_log.all()
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert attempt.status_code == 200
    assert attempt.latency_ms >= 0
    assert attempt.response_head == '{"accepted": "oui"}'
    page = admin_client.get(
        reverse("admin:webhooks_delivery_change", args=[delivery.pk])
    )
    assert page.status_code == 200
    assert "{&quot;accepted&quot;: &quot;oui&quot;}" in page.content.decode()


def test_an_endpoint_hears_only_the_events_it_chose(endpoint, receiver, thread):
    ArticleFactory()

    assert receiver.requests == []
    assert not Delivery.objects.exists()


def test_a_removed_reply_is_announced_without_its_text(
    endpoint, receiver, thread, moderator
):
    reply = ReplyFactory(thread=thread, body="Un texte injurieux.")

    with committed():
        remove_reply(reply=reply, by=moderator, reason=Reply.RemovalReason.ABUSE)

    [request] = receiver.requests
    payload = json.loads(request["body"])
    assert payload["event"] == "reply.removed"
    assert payload["data"]["removal_reason"] == "abuse"
    assert "body" not in payload["data"]


def test_locking_a_thread_is_announced(endpoint, receiver, thread, moderator):
    with committed():
        lock_thread(thread=thread, by=moderator)

    [request] = receiver.requests
    assert json.loads(request["body"])["data"] == {
        **json.loads(request["body"])["data"],
        "id": thread.pk,
        "locked": True,
    }
    assert request["headers"]["X-Forum-Event"] == "thread.locked"


def test_publishing_an_article_is_announced(receiver, db):
    Endpoint.objects.create(
        name="Site", url=receiver.url, secret=SECRET, events=["article.published"]
    )
    article = ArticleFactory(status=Article.Status.DRAFT)

    with committed():
        publish_article(article=article)

    [request] = receiver.requests
    assert json.loads(request["body"])["data"]["slug"] == article.slug


def test_a_failed_delivery_is_retried_with_backoff_until_it_succeeds(
    endpoint, receiver, thread
):
    receiver.status = 503
    receiver.answer = b"maintenance"
    _post(thread)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)
    assert delivery.attempt_log.get().response_head == "maintenance"

    receiver.status = 200
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=3))
    with committed():
        retry_pending_work()
    with committed():
        retry_pending_work()

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert delivery.attempts == 2
    assert [
        request["headers"]["X-Forum-Delivery"] for request in receiver.requests
    ] == [str(delivery.uuid)] * 2


def test_the_wait_between_tries_doubles(endpoint, receiver, thread):
    receiver.status = 500
    _post(thread)
    Delivery.objects.update(attempts=3, next_attempt_at=None)
    delivery = Delivery.objects.get()

    with committed():
        retry_pending_work.apply()
    from webhooks.services import deliver

    deliver(delivery.pk)

    delivery.refresh_from_db()
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(minutes=7) < wait <= timedelta(minutes=8)


def test_a_delivery_gives_up_after_a_day(endpoint, receiver, thread):
    receiver.status = 500
    _post(thread)
    Delivery.objects.update(
        created_at=timezone.now() - timedelta(hours=23, minutes=59),
        next_attempt_at=timezone.now() - timedelta(minutes=3),
    )

    with committed():
        retry_pending_work()

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.next_attempt_at is None


def test_an_endpoint_failing_for_a_day_is_disabled_and_staff_are_told(
    endpoint, receiver, thread, moderator
):
    receiver.status = 500
    Endpoint.objects.update(failing_since=timezone.now() - timedelta(days=1, hours=1))

    _post(thread)

    endpoint.refresh_from_db()
    assert endpoint.is_active is False
    assert endpoint.disabled_at is not None
    assert "500" in endpoint.disabled_reason
    [notice] = mail.outbox
    assert moderator.email in notice.to
    assert "Rédaction" in notice.subject
    _post(thread, "Une autre réponse.")
    assert len(receiver.requests) == 1


def test_a_success_clears_the_failing_state(endpoint, receiver, thread):
    Endpoint.objects.update(failing_since=timezone.now() - timedelta(hours=5))

    _post(thread)

    endpoint.refresh_from_db()
    assert endpoint.failing_since is None
    assert endpoint.is_active is True


def test_delivering_twice_sends_once(endpoint, receiver, thread):
    from webhooks.services import deliver

    _post(thread)

    delivered, _wait = deliver(Delivery.objects.get().pk)

    assert delivered is False
    assert len(receiver.requests) == 1
