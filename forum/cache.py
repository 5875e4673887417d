"""Version counters for cached pages and API responses.

Every write that changes what a page shows bumps the versions of the pages it
touches; cache keys include the version, so stale entries are never read again
and simply expire.
"""

from django.core.cache import cache

VERSION_TIMEOUT = 60 * 60 * 24 * 30


def _key(kind: str, ident: object) -> str:
    return f"version:{kind}:{ident}"


def version(kind: str, ident: object = "all") -> int:
    value = cache.get(_key(kind, ident))
    if value is None:
        value = 1
        cache.add(_key(kind, ident), value, timeout=VERSION_TIMEOUT)
    return value


def values(*pairs: tuple[str, object]) -> list[int]:
    """The current versions of several (kind, ident) pairs, in one read."""
    keys = [_key(kind, ident) for kind, ident in pairs]
    found = cache.get_many(keys)
    return [found.get(key, 1) for key in keys]


def versions(*pairs: tuple[str, object]) -> str:
    return ".".join(str(value) for value in values(*pairs))


def bump(kind: str, ident: object = "all") -> None:
    key = _key(kind, ident)
    if cache.add(key, 2, timeout=VERSION_TIMEOUT):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=VERSION_TIMEOUT)


def thread_changed(thread_id: int, article_id: int | None) -> None:
    """Invalidate everything that shows a thread: its page, article and home."""
    bump("thread", thread_id)
    if article_id is not None:
        bump("article", article_id)
    bump("home")
