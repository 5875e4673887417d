"""Playwright driving Debian's Chromium against a live server.

The fixtures are registered once, by tests/conftest.py, so the whole run
shares one browser whichever folder a test lives in.

Each test gets a fresh browser context; console errors fail the test and a
screenshot of the last page is saved under test-results/browser/.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.support import chromium_path, require_service

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make to arrange data and check results are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

RESULTS = Path(__file__).resolve().parents[1] / "test-results" / "browser"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    require_service(
        path is not None, "Chromium is not installed (apt-get install chromium)"
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        require_service(False, "Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _slug(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1])[:120]


class BrowserSession:
    """A browser context bound to the live server, recording console errors."""

    def __init__(
        self,
        browser,
        base_url: str,
        javascript: bool = True,
        bypass_csp: bool = False,
    ):
        self.base_url = base_url
        self.context = browser.new_context(
            base_url=base_url,
            java_script_enabled=javascript,
            locale="fr-FR",
            viewport={"width": 1280, "height": 900},
            bypass_csp=bypass_csp,
        )
        self.console_errors: list[str] = []
        self.expected_errors: list[str] = []
        self.page = self.context.new_page()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _on_console(self, message):
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            self.console_errors.append(f"{message.text} ({where})")

    def expect_console_error(self, text: str) -> None:
        """Allow console errors containing `text`: a refusal the test causes.

        Chromium logs every answer of 400 or more as a console error, the
        ones a test provokes on purpose (a 403, a 429) included.
        """
        self.expected_errors.append(text)

    @property
    def unexpected_console_errors(self) -> list[str]:
        return [
            error
            for error in self.console_errors
            if not any(text in error for text in self.expected_errors)
        ]

    def sign_in(self, user) -> None:
        """Give the context a session for `user`, as logging in would."""
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = django_settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        host = self.base_url.split("//", 1)[1].split(":", 1)[0]
        self.context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": session.session_key,
                    "domain": host,
                    "path": "/",
                }
            ]
        )

    def screenshot(self, name: str) -> Path:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self):
        self.context.close()


def _session(browser, live_server, request, javascript: bool, bypass_csp=False):
    session = BrowserSession(
        browser, live_server.url, javascript=javascript, bypass_csp=bypass_csp
    )
    yield session
    try:
        session.screenshot(_slug(request.node.nodeid))
    finally:
        session.close()
    errors = session.unexpected_console_errors
    assert errors == [], f"the page logged console errors: {errors}"


@pytest.fixture
def web(browser, live_server, request, settings):
    """A browser session with JavaScript on."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    yield from _session(browser, live_server, request, javascript=True)


@pytest.fixture
def web_no_js(browser, live_server, request, settings):
    """A browser session with JavaScript off."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    yield from _session(browser, live_server, request, javascript=False)


@pytest.fixture
def web_checked(browser, live_server, request, settings):
    """A browser session whose pages accept an injected checking script
    (axe-core): the site's CSP forbids scripts it did not serve."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    yield from _session(browser, live_server, request, javascript=True, bypass_csp=True)
