"""A write handled by one server process is read from any other on the next
request.

Two development servers run in their own processes on the test database,
without Redis (the default configuration: each process has its own
local-memory cache and its own copies of pages). Both have served and cached
the thread page (anonymous and signed in) and the API's thread and replies
before each write; the write goes through one, the very next request to the
other must show it.
"""

import json
import re
import urllib.parse

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import create_api_token
from forum.models import Reply
from tests.factories import ReplyFactory, ThreadFactory, UserFactory
from tests.security.test_across_processes import (
    _api_post,
    _request,
    two_servers,  # noqa: F401
)


def _session(user) -> str:
    browser = Client()
    browser.force_login(user)
    return browser.cookies[settings.SESSION_COOKIE_NAME].value


class Reader:
    """What one server shows of the thread: its page to an anonymous and to a
    signed-in reader, and the API's thread and replies."""

    def __init__(self, base: str, thread, session: str):
        self.base, self.thread, self.session = base, thread, session

    def page(self, *, signed_in: bool) -> tuple[str, str]:
        cookie = f"{settings.SESSION_COOKIE_NAME}={self.session}" if signed_in else ""
        status, headers, body = _request(
            f"{self.base}{self.thread.get_absolute_url()}",
            method="GET",
            headers={"Cookie": cookie} if cookie else {},
        )
        assert status == 200
        return body.decode(), headers.get("X-Page-Cache", "")

    def api(self, path: str) -> dict:
        status, _headers, body = _request(
            f"{self.base}/api/v1/threads/{self.thread.pk}/{path}",
            method="GET",
            headers={"Accept": "application/json"},
        )
        assert status == 200
        return json.loads(body)

    def everything(self) -> dict:
        anonymous, anonymous_cache = self.page(signed_in=False)
        signed_in, signed_in_cache = self.page(signed_in=True)
        return {
            "anonymous": anonymous,
            "signed_in": signed_in,
            "cache": (anonymous_cache, signed_in_cache),
            "thread": self.api(""),
            "replies": {
                reply["id"]: reply for reply in self.api("replies/")["results"]
            },
        }


def _score_on_page(page: str, reply_id: int) -> int:
    found = re.search(
        rf'id="reply-{reply_id}".*?data-score[^>]*>(-?\d+)<', page, flags=re.S
    )
    assert found, f"reply {reply_id} is not on the page"
    return int(found[1])


def _page_post(base: str, session: str, thread, path: str, fields: dict):
    """A form sent from the thread page of `base`, as a browser would."""
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    status, headers, page = _request(
        f"{base}{thread.get_absolute_url()}", method="GET", headers={"Cookie": cookie}
    )
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    csrf = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"])[1]
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.decode(), **fields}
    ).encode()
    return _request(
        f"{base}{path}",
        data=form,
        headers={
            "Cookie": f"{cookie}; csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )[0]


@pytest.fixture
def conversation(transactional_db):
    long_ago = timezone.now() - timezone.timedelta(days=90)
    writer = UserFactory(username="redactrice", date_joined=long_ago)
    voter = UserFactory(username="votant", date_joined=long_ago)
    reader = UserFactory(username="lectrice", date_joined=long_ago)
    client = UserFactory(username="client-api", date_joined=long_ago)
    thread = ThreadFactory(title="Les salaires suivent-ils ?")
    first = ReplyFactory(thread=thread, body="Première réponse.")
    return {
        "thread": thread,
        "first": first,
        "writer": _session(writer),
        "voter": _session(voter),
        "reader": _session(reader),
        "token": create_api_token(user=client, name="test").secret,
    }


def _warm(readers: list[Reader]) -> None:
    """Both servers have every view cached (the second read is a hit)."""
    for reader in readers:
        reader.everything()
        assert reader.everything()["cache"] == ("hit", "hit")


def test_a_write_through_one_server_is_served_by_the_other_at_once(
    two_servers,  # noqa: F811
    conversation,
):
    thread, first = conversation["thread"], conversation["first"]
    one, other = (Reader(base, thread, conversation["reader"]) for base in two_servers)

    # A reply posted from the page of one server.
    _warm([one, other])
    status = _page_post(
        one.base,
        conversation["writer"],
        thread,
        reverse("forum:reply-create", args=[thread.pk]),
        {"body": "Réponse écrite sur le premier serveur."},
    )
    seen = other.everything()
    assert status == 302
    for page in ("anonymous", "signed_in"):
        assert "Réponse écrite sur le premier serveur." in seen[page]
    assert seen["thread"]["reply_count"] == 2
    assert sorted(reply["body"] for reply in seen["replies"].values()) == [
        "Première réponse.",
        "Réponse écrite sur le premier serveur.",
    ]

    # A vote cast from the page of the other server.
    _warm([one, other])
    status = _page_post(
        other.base,
        conversation["voter"],
        thread,
        reverse("forum:reply-vote", args=[first.pk]),
        {"value": "1"},
    )
    seen = one.everything()
    assert status == 302
    assert _score_on_page(seen["anonymous"], first.pk) == 1
    assert _score_on_page(seen["signed_in"], first.pk) == 1
    assert seen["replies"][first.pk]["score"] == 1

    # A reply posted through the API of the other server.
    _warm([one, other])
    status = _api_post(
        other.base,
        f"/threads/{thread.pk}/replies/",
        {"body": "Réponse envoyée par le client."},
        conversation["token"],
    )[0]
    seen = one.everything()
    assert status == 201
    for page in ("anonymous", "signed_in"):
        assert "Réponse envoyée par le client." in seen[page]
    assert seen["thread"]["reply_count"] == 3
    assert "Réponse envoyée par le client." in {
        reply["body"] for reply in seen["replies"].values()
    }

    # A vote cast through the API of the first server.
    _warm([one, other])
    status = _api_post(
        one.base, f"/replies/{first.pk}/vote/", {"value": 1}, conversation["token"]
    )[0]
    seen = other.everything()
    assert status == 200
    assert _score_on_page(seen["anonymous"], first.pk) == 2
    assert _score_on_page(seen["signed_in"], first.pk) == 2
    assert seen["replies"][first.pk]["score"] == 2

    # Both servers now agree, request after request.
    counts = {reader.api("")["reply_count"] for reader in (one, other, one, other, one)}
    assert counts == {Reply.objects.filter(thread=thread).count()} == {3}
