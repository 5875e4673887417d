"""Version counters for cached pages and API responses.

Every write that changes what a page shows bumps the versions of the pages it
touches; cache keys include the version, so stale entries are never read again
and simply expire.

A counter that is missing (never set, evicted, or the cache flushed) starts
from the current time in microseconds rather than from 1, so it never takes
a value an earlier life of the same counter had: an entry stored under an old
version, in the cache or in a process's local copies, cannot be served again.
"""

import time

from django.core.cache import cache

VERSION_TIMEOUT = 60 * 60 * 24 * 30
# Articles, companies, postings and citations: edits to them bump this one
# counter (forum/pagecache/receivers.py), which every cached page and every
# cached anonymous API read carries.
CATALOG = ("catalog", "all")


def _key(kind: str, ident: object) -> str:
    return f"version:{kind}:{ident}"


def _start() -> int:
    return time.time_ns() // 1000


def _started(key: str) -> int:
    """Start a missing counter, or read the one another process just started."""
    value = _start()
    if cache.add(key, value, timeout=VERSION_TIMEOUT):
        return value
    return cache.get(key, value)


def version(kind: str, ident: object = "all") -> int:
    value = cache.get(_key(kind, ident))
    return _started(_key(kind, ident)) if value is None else value


def values(*pairs: tuple[str, object]) -> list[int]:
    """The current versions of several (kind, ident) pairs, in one read."""
    return read(pairs)[0]


def read(pairs, *others: str) -> tuple[list[int], dict]:
    """The versions of (kind, ident) pairs and other cache entries, in one
    read of the cache."""
    keys = [_key(kind, ident) for kind, ident in pairs]
    found = cache.get_many(keys + list(others))
    counters = [found[key] if key in found else _started(key) for key in keys]
    return counters, {key: found[key] for key in others if key in found}


def versions(*pairs: tuple[str, object]) -> str:
    return ".".join(str(value) for value in values(*pairs))


def bump(kind: str, ident: object = "all") -> None:
    key = _key(kind, ident)
    if cache.add(key, _start(), timeout=VERSION_TIMEOUT):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _start(), timeout=VERSION_TIMEOUT)


def thread_changed(thread_id: int, article_id: int | None) -> None:
    """Invalidate everything that shows a thread: its page, article and home."""
    bump("thread", thread_id)
    if article_id is not None:
        bump("article", article_id)
    bump("home")
