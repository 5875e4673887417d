"""Limits and double submits hold across server processes.

Two development servers run in their own processes on the test database,
without Redis (the default configuration): what one counts, the other sees.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import forum.settings as project_settings
from accounts.models import User
from accounts.services import create_api_token
from forum.models import Reply, Vote
from tests.factories import ReplyFactory, ThreadFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
RIGHT_PASSWORD = "correct-horse-battery-staple"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_environment() -> dict:
    database = connection.settings_dict
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "DATABASE_REPLICA_URL"}
    }
    env["DJANGO_DEBUG"] = "1"
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = database["NAME"]
    else:
        user = database["USER"] or ""
        password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
        host = database["HOST"] or "127.0.0.1"
        port = database["PORT"] or 5432
        env["DATABASE_URL"] = (
            f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"
        )
    return env


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(server.stderr.read())
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{base} did not answer")


@pytest.fixture
def two_servers(transactional_db):
    env = _server_environment()
    servers, bases = [], []
    try:
        for _server in range(2):
            port = _free_port()
            servers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "manage.py",
                        "runserver",
                        "--noreload",
                        "--skip-checks",
                        f"127.0.0.1:{port}",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base, server in zip(bases, servers, strict=True):
            _wait_until_up(base, server)
        yield bases
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
            server.stderr.close()


def _request(url, *, data=None, headers=None, method="POST"):
    """(status, headers, body) of a request, whatever its status."""
    request = urllib.request.Request(
        url, data=data, headers=headers or {}, method=method
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _api_post(base, path, payload, token, **headers):
    return _request(
        f"{base}/api/v1{path}",
        data=json.dumps(payload).encode(),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
            **headers,
        },
    )


def test_the_vote_limit_is_counted_once_for_both_servers(two_servers):
    voter = UserFactory(username="voter")
    token = create_api_token(user=voter, name="test").secret
    thread = ThreadFactory()
    replies = ReplyFactory.create_batch(31, thread=thread)
    # The servers run with the project's own limits.
    limit = int(project_settings.FORUM_RATE_LIMITS["vote"].split("/")[0])

    statuses = [
        _api_post(
            two_servers[number % 2], f"/replies/{reply.pk}/vote/", {"value": 1}, token
        )[0]
        for number, reply in enumerate(replies[: limit + 1])
    ]

    assert limit == 30
    assert statuses == [200] * limit + [429]
    assert Vote.objects.filter(user=voter).count() == limit


def test_a_page_form_sent_to_both_servers_at_once_stores_one_reply(two_servers):
    author = UserFactory(
        username="author", date_joined=timezone.now() - timezone.timedelta(days=90)
    )
    thread = ThreadFactory()
    browser = Client()
    browser.force_login(author)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    status, headers, page = _request(
        f"{two_servers[0]}{thread.get_absolute_url()}",
        method="GET",
        headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
    )
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"])[1]
    form = b"csrfmiddlewaretoken=" + token + b"&body=Envoy%C3%A9+deux+fois."
    cookies = f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={csrf_cookie}"

    def submit(base):
        return _request(
            f"{base}{reverse('forum:reply-create', args=[thread.pk])}",
            data=form,
            headers={
                "Cookie": cookies,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(submit, two_servers))

    reply = Reply.objects.get(thread=thread)
    assert status == 200
    assert [answer[0] for answer in answers] == [302, 302]
    place = f"{thread.get_absolute_url()}#reply-{reply.pk}"
    assert {answer[1]["Location"] for answer in answers} == {place}
    assert reply.body == "Envoyé deux fois."


def test_an_api_retry_on_the_other_server_replays_the_first_answer(two_servers):
    author = UserFactory(username="client")
    token = create_api_token(user=author, name="test").secret
    thread = ThreadFactory()
    key = {"Idempotency-Key": "retry-on-another-server"}
    path = f"/threads/{thread.pk}/replies/"

    first = _api_post(two_servers[0], path, {"body": "Une fois."}, token, **key)
    again = _api_post(two_servers[1], path, {"body": "Une fois."}, token, **key)

    reply = Reply.objects.get(thread=thread)
    assert (first[0], again[0]) == (201, 201)
    assert json.loads(again[2]) == json.loads(first[2])
    assert json.loads(again[2])["id"] == reply.pk
    assert again[1]["Idempotent-Replayed"] == "true"


def _login(base, username, password):
    status, headers, page = _request(f"{base}/accounts/login/", method="GET")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"])[1]
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.decode(), "login": username, "password": password}
    ).encode()
    return _request(
        f"{base}/accounts/login/",
        data=form,
        headers={
            "Cookie": f"csrftoken={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )[0]


def test_failed_logins_are_counted_once_for_both_servers(two_servers):
    # Hashed as the servers' own settings hash it (the tests' MD5 is not there).
    hasher = PBKDF2PasswordHasher()
    for username in ("reader", "neighbour"):
        UserFactory(username=username)
    User.objects.update(password=hasher.encode(RIGHT_PASSWORD, hasher.salt()))
    limit = int(project_settings.ACCOUNT_RATE_LIMITS["login_failed"].split("/")[0])

    before = _login(two_servers[1], "neighbour", RIGHT_PASSWORD)
    failures = [
        _login(two_servers[number % 2], "reader", "a-wrong-password")
        for number in range(limit)
    ]
    after_the_limit = _login(two_servers[0], "reader", RIGHT_PASSWORD)

    assert limit == 5
    assert before == 302
    assert failures == [200] * limit
    # Over the limit, even the right password is refused until the window ends.
    assert after_the_limit == 200
