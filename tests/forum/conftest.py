import pytest

from forum.pagecache import fragments
from tests.factories import ReplyFactory


@pytest.fixture
def renders_kept(settings):
    """The page cache off and rendered replies kept, as on a hot thread whose
    cached pages every vote and reply invalidates: each request renders the
    thread page from what forum/pagecache/ kept of earlier renders."""
    settings.FORUM_PAGE_CACHE_TIMEOUT = 0
    settings.FORUM_FRAGMENT_CACHE_TIMEOUT = 3600
    fragments.local.clear()
    yield
    fragments.local.clear()


@pytest.fixture
def two_replies(thread, user):
    """A reply by `user`, then one by someone else."""
    first = ReplyFactory(thread=thread, author=user, body="Les écarts sont réels.")
    second = ReplyFactory(thread=thread, body="Pas dans mon équipe.")
    return first, second
