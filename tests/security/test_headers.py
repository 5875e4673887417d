import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.security.payloads import assert_no_inline_script

ROOT = Path(__file__).resolve().parents[2]


def _directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/", id="home"),
        pytest.param("/accounts/login/", id="login"),
        pytest.param("/accounts/signup/", id="signup"),
        pytest.param("/admin/login/", id="admin"),
        pytest.param("/no-such-page/", id="not-found"),
    ],
)
def test_every_page_sends_the_security_headers(client, db, url):
    response = client.get(url)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


def test_thread_page_carries_no_inline_script_or_handler(client, reply):
    response = client.get(reply.thread.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert '<script src="/static/js/forum.js"' in page
    assert_no_inline_script(page)
    assert not re.search(r"<[^>]+\son[a-z]+=", page)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_policy_allows_no_inline_script_and_no_eval(settings):
    directives = _directives(settings.CONTENT_SECURITY_POLICY)

    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-eval'" not in settings.CONTENT_SECURITY_POLICY


def test_docs_page_keeps_scripts_to_the_site_and_relaxes_styles_alone(client, db):
    docs = client.get("/api/docs/")
    home = client.get("/")

    policy = docs["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self' 'unsafe-inline';" in policy
    assert "'unsafe-eval'" not in policy
    assert "'unsafe-inline'" not in home["Content-Security-Policy"]


def test_log_in_sets_http_only_same_site_cookies(client, user):
    response = client.post(
        reverse("account_login"),
        {"login": "alice", "password": "correct-horse-battery-staple"},
    )

    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"
    assert response.cookies["csrftoken"]["samesite"] == "Lax"


def _production_env(**extra) -> dict[str, str]:
    # Nothing from the test run's DJANGO_* variables (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which no deployment should).
    env = {
        key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")
    }
    env.update(
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="forum.example.org",
        **extra,
    )
    return env


def test_deployment_check_reports_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_turn_on_https_only_cookies_and_hsts():
    script = (
        "import django; django.setup(); "
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000, s.DEBUG)"
    )

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_production_env(DJANGO_SETTINGS_MODULE="forum.settings"),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True", "False"]


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_site_icon_is_served_at_the_root_for_pages_without_an_icon_link(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")
