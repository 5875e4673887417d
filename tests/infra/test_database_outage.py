"""PostgreSQL unreachable: a clear 503 with Retry-After, never a 500.

A gunicorn server is started with the production settings and DATABASE_URL
(and, in one case, REDIS_URL) pointing at ports nothing listens on, with the
request-line limit `make serve` gives it.
"""

import http.client
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.infra.conftest import closed_port

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = {"Accept-Language": "en"}


def serve_limit_request_line() -> str:
    makefile = (ROOT / "Makefile").read_text()
    return re.search(r"--limit-request-line (\d+)", makefile).group(1)


def get(port: int, path: str, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def start_server(*, redis: bool):
    port = closed_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.infra.outage_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "SECRET_KEY": "outage-test-secret-key-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/forum_outage",
        "DATABASE_CONNECT_TIMEOUT": "2",
    }
    env.pop("REDIS_URL", None)
    if redis:
        env["REDIS_URL"] = f"redis://127.0.0.1:{closed_port()}/11"
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "forum.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--limit-request-line",
            serve_limit_request_line(),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz")[0] == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(process.stderr.read().decode()[-2000:])


@pytest.fixture(scope="module")
def database_down():
    process, port = start_server(redis=False)
    yield port
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def everything_down():
    process, port = start_server(redis=True)
    yield port
    process.terminate()
    process.wait(timeout=10)


def test_pages_answer_a_friendly_503_with_retry_after(database_down):
    status, headers, body = get(database_down, "/", {"Accept-Language": "fr"})

    assert status == 503
    assert headers["Retry-After"] == "30"
    page = body.decode()
    assert "Momentanément indisponible" in page
    assert "Server Error" not in page


def test_the_api_answers_503_json_with_retry_after(database_down):
    status, headers, body = get(database_down, "/api/v1/threads/", ENGLISH)

    assert status == 503
    assert headers["Retry-After"] == "30"
    assert headers["Content-Type"] == "application/json"
    assert "temporarily unavailable" in json.loads(body)["detail"]


def test_a_signed_in_reader_gets_the_503_page_too(database_down):
    status, headers, body = get(
        database_down, "/notifications/", {"Cookie": "sessionid=abcdefghijklmnop"}
    )

    assert status == 503
    assert headers["Retry-After"] == "30"


def test_healthz_stays_a_liveness_probe_while_the_database_is_down(database_down):
    status, _, body = get(database_down, "/healthz")

    assert (status, body) == (200, b"ok")


def test_readyz_answers_503_while_the_database_is_down(database_down):
    status, headers, body = get(database_down, "/readyz")

    assert status == 503
    assert headers["Retry-After"] == "30"
    assert json.loads(body) == {
        "status": "unavailable",
        "checks": {"database": "unreachable"},
    }


def test_readyz_names_both_when_the_database_and_redis_are_down(everything_down):
    status, _, body = get(everything_down, "/readyz")

    assert status == 503
    assert json.loads(body)["checks"] == {
        "database": "unreachable",
        "cache": "unreachable",
    }


def test_pages_answer_503_when_the_database_and_redis_are_down(everything_down):
    page = get(everything_down, "/")
    api = get(everything_down, "/api/v1/threads/")

    assert (page[0], api[0]) == (503, 503)
    assert page[1]["Retry-After"] == api[1]["Retry-After"] == "30"


def test_a_long_query_string_gets_the_sites_own_414_through_gunicorn(
    database_down,
):
    """`make serve` lets gunicorn read request lines of any length, so a
    20 KB query string is answered by the site in JSON, not by gunicorn's
    own page."""
    status, headers, body = get(
        database_down, "/api/v1/threads/?q=" + "a" * 20_000, ENGLISH
    )

    assert status == 414
    assert headers["Content-Type"] == "application/json"
    assert "too long" in json.loads(body)["detail"]
