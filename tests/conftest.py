from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed

from accounts.services import make_moderator
from forum.pagecache.store import hot as hot_pages
from forum.pagecache.store import readers
from forum.sharedstore import SharedDatabaseCache, shared_cache
from tests.browser_support import browser, web, web_checked, web_no_js  # noqa: F401
from tests.contract import ResponseSchemaMiddleware, drift_log, published_schema
from tests.factories import ReplyFactory, ThreadFactory, UserFactory

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """Compile stale message catalogues, as `make compilemessages` does.

    Compiled .mo files are not kept in the repository, so a bare `pytest`
    builds them from the .po files it finds newer.
    """
    for po_path in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=True)
        translation_file_changed(None, mo_path)


@pytest.fixture(scope="session", autouse=True)
def _api_responses_checked_against_the_schema(django_db_blocker):
    """Every test's API responses, in-process or live, pass through the check.

    Set for the whole run, before any live server starts, so its handler has
    the middleware too. The schema is read once, from /api/schema/.
    """
    with django_db_blocker.unblock():
        published_schema()
    middleware = f"{ResponseSchemaMiddleware.__module__}.ResponseSchemaMiddleware"
    before = django_settings.MIDDLEWARE
    django_settings.MIDDLEWARE = [middleware, *before]
    yield
    django_settings.MIDDLEWARE = before


@pytest.fixture(autouse=True)
def _api_responses_follow_the_schema():
    """Fail the test when a live server answered it off the schema."""
    drift_log.take()
    yield
    found = drift_log.take()
    if found:
        pytest.fail("API responses off the schema:\n" + "\n".join(found))


@pytest.fixture(autouse=True)
def _fast_and_isolated(request, settings, django_db_blocker):
    """Fast hashing, no rate limits or duplicate checks unless a test asks,
    fresh caches."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.FORUM_RATE_LIMITS = {}
    settings.FORUM_DUPLICATE_REPLY_SECONDS = 0
    # A thread written to many times within a second would otherwise be
    # served from a copy up to half a second old; tests of that turn it on.
    settings.FORUM_PAGE_HOT_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    shared = shared_cache()
    in_database = isinstance(shared, SharedDatabaseCache)
    cache.clear()
    hot_pages.clear()
    readers.clear()
    if not in_database:
        shared.clear()
    yield
    cache.clear()
    # In the database, the shared cache is a table that a rolled-back test
    # leaves empty; tests that commit (live servers) leave their rows behind.
    # In Redis, it is cleared like the cache.
    if not in_database:
        shared.clear()
    elif {"transactional_db", "live_server"} & set(request.fixturenames):
        with django_db_blocker.unblock():
            shared.clear()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's default language.

    A request made by an earlier test leaves its language active in the
    thread; without this, what a test reads would depend on the tests before.
    """
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def rate_limits(settings):
    """Turn the production rate limits back on for one test."""
    settings.FORUM_RATE_LIMITS = {
        "reply": "1/5",
        "reply_new": "1/30",
        "vote": "30/60",
        "flag": "10/3600",
    }
    return settings.FORUM_RATE_LIMITS


@pytest.fixture
def user(db):
    return UserFactory(username="alice", display_name="Alice")


@pytest.fixture
def other_user(db):
    return UserFactory(username="bob")


@pytest.fixture
def moderator(db):
    """A staff member of the "Moderators" group (not a superuser).

    Made as `manage.py make_moderator` makes one: the group and its
    permissions come from the data migration (or are created again after a
    transactional test has flushed the database).
    """
    return make_moderator(user=UserFactory(username="modo"))


@pytest.fixture
def thread(db):
    return ThreadFactory()


@pytest.fixture
def reply(thread, user):
    return ReplyFactory(thread=thread, author=user)


@pytest.fixture
def auth_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def other_client(client, other_user):
    client.force_login(other_user)
    return client


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Tasks run in this process at commit, as with no broker configured,
    unless a test goes through a real worker (tests/worker)."""
    from forum.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def receiver():
    """A real HTTP server on a free local port that records every request
    and answers with `receiver.status` (200 unless a test changes it)."""
    from tests.support import Receiver

    server = Receiver()
    yield server
    server.close()
