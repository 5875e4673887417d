import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from forum.management.commands.seed_load import grow_thread
from forum.pagecache.store import local
from tests.factories import ReplyFactory, ThreadFactory, UserFactory, VoteFactory

# With sessions in Redis (cached_db), a signed-in request reads its session
# from the cache instead of the database, unless the cache was just cleared.
SESSION_QUERIES = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
# A cached page's version counters are read in the store every server process
# shares: one query when it is the database's table, none with Redis.
VERSION_QUERIES = (
    1 if settings.CACHES["shared"]["BACKEND"].endswith("SharedDatabaseCache") else 0
)
# A signed-in reader's row and their own state on a shared thread page, in
# one statement.
VIEWER_AND_STATE = 1


def forget_pages():
    """Drop every cached page and fragment, in the cache and in this process's
    copies; the version counters stay, as on a running site (with Redis, they
    are in the database the cache clears, and are put back)."""
    counters = {}
    if settings.REDIS_URL:
        client = cache._cache.get_client(write=True)
        names = client.keys(cache.make_key("version:*"))
        counters = dict(zip(names, client.mget(names), strict=True))
    cache.clear()
    if counters:
        client.mset(counters)
    local.clear()


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    """The page caches as production runs them, whatever the suite's default."""
    settings.FORUM_PAGE_CACHE_TIMEOUT = 300


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what services defer to the commit (cache invalidation), as a real
    request's transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def page_lookups(monkeypatch):
    """The keys of pages looked for in the cache from now on, in order."""
    from forum.pagecache import store

    asked = []
    get_many = store.get_many

    def counted(keys):
        asked.extend(key for key in keys if key.startswith("page:"))
        return get_many(keys)

    monkeypatch.setattr(store, "get_many", counted)
    return asked


@pytest.fixture
def reader_client(db):
    """A signed-in reader who voted on, reported and wrote replies."""
    client = Client()
    reader = UserFactory(username="lectrice", display_name="Lectrice")
    client.force_login(reader)
    client.reader = reader
    return client


def small_conversation(thread, reader):
    """Five replies, one nested, one by the reader and one the reader voted on."""
    first = ReplyFactory(thread=thread)
    ReplyFactory(parent=first)
    ReplyFactory(thread=thread, author=reader)
    voted = ReplyFactory(thread=thread)
    VoteFactory(reply=voted, user=reader, value=1)
    ReplyFactory(thread=thread)
    return thread


@pytest.fixture
def grow():
    """Add replies, votes and reports to a thread in bulk, as seed_load does."""

    def grow(thread, count):
        if count:
            grow_thread(thread=thread, replies=count)

    return grow


@pytest.fixture
def busy_thread(db):
    return ThreadFactory(title="Ces salaires sont-ils justifiés ?")
