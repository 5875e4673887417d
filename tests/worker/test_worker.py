"""Through a real Celery worker process and broker: a reply's notifications
and e-mails, a webhook delivery, and a task whose worker dies mid-way."""

import email
import email.policy
import json
import threading
import time

import pytest
from rest_framework.test import APIClient

from accounts.services import create_api_token
from forum.models import Follow, Notification, OutgoingEmail
from tests.factories import ReplyFactory, ThreadFactory, UserFactory
from tests.worker.conftest import wait_for
from webhooks.models import Delivery, Endpoint
from webhooks.services import verify

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _messages(text):
    """The messages Django's file e-mail backend wrote, one per separator."""
    for chunk in text.split("-" * 79):
        if chunk.strip():
            yield email.message_from_string(chunk.strip(), policy=email.policy.default)


def _post_reply(thread, parent=None, body="Une réponse traitée par le worker."):
    author = UserFactory(username="bob")
    token = create_api_token(user=author, name="test")
    api = APIClient(HTTP_AUTHORIZATION=f"Bearer {token.secret}")
    data = {"body": body, **({"parent": parent.pk} if parent else {})}
    response = api.post(f"/api/v1/threads/{thread.pk}/replies/", data, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_replys_notifications_and_emails_arrive_through_the_worker(worker):
    thread = ThreadFactory(title="Les salaires de l'IA")
    author = UserFactory(username="alice", email_on_reply=True)
    follower = UserFactory(username="carla", email_on_followed=True, language="en")
    Follow.objects.create(thread=thread, user=follower)
    parent = ReplyFactory(thread=thread, author=author)

    _post_reply(thread, parent)

    wait_for(
        lambda: OutgoingEmail.objects.filter(status="sent").count() == 2,
        message="the e-mails were not sent by the worker",
    )
    assert set(Notification.objects.values_list("recipient__username", "kind")) == {
        ("alice", "reply"),
        ("carla", "followed"),
    }
    mails = {
        message["To"]: message
        for path in worker.mail_dir.iterdir()
        for message in _messages(path.read_text())
    }
    assert mails["alice@example.org"]["Subject"].strip() == (
        "\u2068bob\u2069 a répondu dans « Les salaires de l'IA »"
    )
    assert mails["carla@example.org"]["Subject"].strip() == (
        '\u2068bob\u2069 replied in "Les salaires de l\'IA"'
    )
    assert all(
        message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        for message in mails.values()
    )


def test_a_webhook_reaches_a_local_receiver_through_the_worker(worker, receiver):
    Endpoint.objects.create(
        name="Rédaction", url=receiver.url, secret="s3cret", events=["reply.created"]
    )
    thread = ThreadFactory()

    reply = _post_reply(thread)

    wait_for(lambda: Delivery.objects.filter(status="succeeded").exists())
    [request] = receiver.requests
    assert verify("s3cret", request["headers"]["X-Forum-Signature"], request["body"])
    assert json.loads(request["body"])["data"]["id"] == reply["id"]


def test_a_task_whose_worker_is_killed_mid_way_runs_again(worker, receiver):
    receiver.hold = threading.Event()
    Endpoint.objects.create(
        name="Lent", url=receiver.url, secret="s3cret", events=["reply.created"]
    )

    _post_reply(ThreadFactory())
    assert receiver.received.wait(45), "the delivery never reached the receiver"
    worker.kill()
    receiver.hold.set()
    # Past the visibility timeout (5 s here), the next worker takes the
    # unacknowledged task back as it starts.
    time.sleep(6)
    worker.start()

    delivery = wait_for(
        lambda: Delivery.objects.filter(status="succeeded").first(),
        timeout=60,
        message="the task was not run again after its worker was killed",
    )
    first, second = receiver.requests
    assert first["headers"]["X-Forum-Delivery"] == str(delivery.uuid)
    assert second["headers"]["X-Forum-Delivery"] == str(delivery.uuid)
    # The killed run's attempt was rolled back with its transaction.
    assert delivery.attempts == 1
    assert verify("s3cret", second["headers"]["X-Forum-Signature"], second["body"])
