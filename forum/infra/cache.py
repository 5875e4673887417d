"""Version counters for cached pages and API responses.

Every write that changes what a page shows bumps the versions of the pages it
touches; cache keys include the version, so stale entries are never read again
and simply expire.

The counters live in the store every server process sees alike
(settings.CACHES["shared"]: Redis when REDIS_URL is set, otherwise a table of
the database, forum/sharedstore.py), never in a process's memory: whatever a
process keeps for itself (its copies of pages, the anonymous API responses in
the local-memory cache) is found under keys that name these versions, so a
write handled by one process is seen by every other on its next request.
A request reads the counters it needs in one read of that store.

A bump gives the counter a new value that it never had, rather than adding
one: two processes bumping at once cannot both write the same value, and a
counter that is missing (never set, evicted, or the store flushed) starts
from such a value too, so an entry stored under an old version, in the cache
or in a process's local copies, cannot be served again.
"""

import secrets
import time

from forum.sharedstore import shared_cache

VERSION_TIMEOUT = 60 * 60 * 24 * 30
# Articles, companies, postings and citations: edits to them bump this one
# counter (forum/pagecache/receivers.py), which every cached page and every
# cached anonymous API read carries.
CATALOG = ("catalog", "all")
# Groups, permissions and users' active, staff and superuser flags
# (forum/pagecache/receivers.py): whether a reader moderates.
PERMISSIONS = ("permissions", "all")


# An entry a request found missing (see read()).
_ABSENT = object()


def _key(kind: str, ident: object) -> str:
    return f"version:{kind}:{ident}"


def _fresh() -> int:
    """A value no counter had before: microseconds, then random digits."""
    return (time.time_ns() // 1000) * 1000 + secrets.randbelow(1000)


def _started(key: str) -> int:
    """Start a missing counter, or read the one another process just started."""
    store = shared_cache()
    value = _fresh()
    if store.add(key, value, timeout=VERSION_TIMEOUT):
        return value
    return store.get(key, value)


def version(kind: str, ident: object = "all") -> int:
    value = shared_cache().get(_key(kind, ident))
    return _started(_key(kind, ident)) if value is None else value


def read(pairs, *others: str, request=None) -> tuple[list[int], dict]:
    """The versions of (kind, ident) pairs and other shared entries, in one
    read of the shared store.

    With `request`, what the request has read is remembered for it, so the
    parts of a page that ask for the same counters see one value, read once;
    and a session not yet loaded is read in the same round trip when it lives
    in the same store (forum/infra/cached_db.py).
    """
    keys = [_key(kind, ident) for kind, ident in pairs]
    wanted = keys + list(others)
    read_before = (
        {} if request is None else request.__dict__.setdefault("shared_reads", {})
    )
    unread = [key for key in wanted if key not in read_before]
    if unread:
        store = shared_cache()
        session = getattr(request, "session", None)
        joint_key = getattr(session, "joint_key", None)
        session_key = joint_key(store) if joint_key else None
        found = store.get_many(unread + [session_key] if session_key else unread)
        if session_key:
            session.loaded(found.pop(session_key, None))
        missing = [key for key in keys if key in unread and key not in found]
        if missing:
            found.update(_start_many(missing))
        read_before.update({key: found.get(key, _ABSENT) for key in unread})
    counters = [read_before[key] for key in keys]
    return counters, {
        key: read_before[key] for key in others if read_before[key] is not _ABSENT
    }


def _start_many(keys: list[str]) -> dict:
    """Start missing counters (one write, one read), or read those another
    process just started."""
    store = shared_cache()
    add_many = getattr(store, "add_many", None)
    if add_many is None:
        return {key: _started(key) for key in keys}
    started = {key: _fresh() for key in keys}
    add_many(started, timeout=VERSION_TIMEOUT)
    return {**started, **store.get_many(keys)}


def versions(*pairs: tuple[str, object], request=None) -> str:
    """The versions of (kind, ident) pairs as one string (see read() for
    `request`)."""
    return ".".join(str(value) for value in read(pairs, request=request)[0])


def bump(kind: str, ident: object = "all") -> None:
    bump_many([(kind, ident)])


def bump_many(pairs) -> None:
    """Give each (kind, ident) counter a new value, in one write."""
    shared_cache().set_many(
        {_key(kind, ident): _fresh() for kind, ident in pairs},
        timeout=VERSION_TIMEOUT,
    )


def thread_changed(thread_id: int, article_id: int | None) -> None:
    """Invalidate everything that shows a thread: its page, article and home."""
    pairs = [("thread", thread_id), ("home", "all")]
    if article_id is not None:
        pairs.append(("article", article_id))
    bump_many(pairs)
