"""Where cached pages and fragments are kept: this process's copies first,
then the shared cache.
"""

import functools
import hashlib
import math
import re
import threading
import time
from collections import OrderedDict, deque
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

# Stands for the viewer's CSRF token in cached HTML. Reply bodies refuse NUL
# characters, so no text a reader writes can contain it.
CSRF_PLACEHOLDER = "\x00csrf-token\x00"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_INPUT_TEXT = re.compile(CSRF_INPUT.pattern.decode())
# The shape of the entries kept (a page's items, a fragment's): changed with
# it, so that entries another release kept in a different shape are not read.
ENTRY_FORMAT = 2


def timeout() -> int:
    return settings.FORUM_PAGE_CACHE_TIMEOUT


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


@functools.cache
def rendering_salt() -> str:
    """A digest of the templates and translations this process renders with,
    and of ENTRY_FORMAT.

    Part of the key of every kept page, fragment and frame: HTML rendered by
    another release (in Redis, shared by every server) is never taken for
    this one's. Computed from the files' contents, so that servers of one
    release agree.
    """
    from django.template import engines
    from django.template.utils import get_app_template_dirs
    from django.utils.translation import to_locale, trans_real

    templates = [
        *(Path(d) for engine in engines.all() for d in engine.engine.dirs),
        *get_app_template_dirs("templates"),
    ]
    files = [
        (root, path)
        for root in templates
        for path in Path(root).rglob("*")
        if path.suffix in (".html", ".txt", ".xml")
    ]
    for root in trans_real.all_locale_paths():
        for code, _name in settings.LANGUAGES:
            files.extend(
                (Path(root), path)
                for path in (Path(root) / to_locale(code)).glob("LC_MESSAGES/*.mo")
            )
    hasher = hashlib.blake2b(str(ENTRY_FORMAT).encode(), digest_size=8)
    for root, path in sorted(files):
        if path.is_file():
            hasher.update(str(path.relative_to(root)).encode())
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


# Readers ---------------------------------------------------------------------


class Readers:
    """What this process last found of each recent signed-in reader: whether
    they moderate, may write and are staff, with the "permissions" version
    (forum/infra/cache.py) it was found at.

    Whether a reader moderates is read from groups and permissions, and any
    change to those, or to a user's active, staff or superuser flags, gives
    that version a new value in the store every process reads: an entry
    found at another version is not used. Whether they may write and are
    staff only guesses which shared page to read before their row is; it is
    checked on the row. At most LIMIT entries, the least recent dropped.
    """

    LIMIT = 10_000

    def __init__(self):
        self._lock = threading.Lock()
        self._entries: OrderedDict = OrderedDict()

    def get(self, user_id, version) -> tuple | None:
        """(moderator, writer, staff) found at `version`, or None."""
        with self._lock:
            entry = self._entries.get(user_id)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(user_id)
            return entry[1]

    def remember(self, user_id, version, found: tuple) -> None:
        with self._lock:
            self._entries[user_id] = (version, found)
            self._entries.move_to_end(user_id)
            while len(self._entries) > self.LIMIT:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


readers = Readers()


# Local copies ----------------------------------------------------------------


class LocalCopies:
    """This process's copies of cache entries whose key names their versions.

    Such an entry never changes (a change bumps a version and so the key), so
    each worker keeps the pages and fragments it serves for a short while
    instead of fetching and unpickling them from the shared cache (Redis) on
    every request; only the version counters are read there. Copies live at
    most FORUM_PAGE_LOCAL_SECONDS and FORUM_PAGE_LOCAL_BYTES in all, the least
    recently used going first.
    """

    def __init__(self, *, seconds=None, limit=None):
        # How long copies live and how many bytes they take in all, read from
        # the settings when used; the page copies' settings by default.
        self._seconds = seconds or (
            lambda: min(settings.FORUM_PAGE_LOCAL_SECONDS, timeout())
        )
        self._limit = limit or (lambda: settings.FORUM_PAGE_LOCAL_BYTES)
        self._items: OrderedDict[str, tuple] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            value, expires, size = item
            if expires < time.monotonic():
                del self._items[key]
                self._bytes -= size
                return None
            self._items.move_to_end(key)
            return value

    def set(self, key: str, value, size: int) -> None:
        limit = self._limit()
        if size > limit:
            return
        seconds = self._seconds()
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[2]
            self._items[key] = (value, time.monotonic() + seconds, size)
            self._bytes += size
            while self._bytes > limit:
                _key, (_value, _expires, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def get_many(self, keys: list[str], store) -> dict:
        """Entries of these keys: this process's copies first, then those
        `store` holds (a shared cache; None when there is none), copied here."""
        found, wanted = {}, []
        for key in keys:
            value = self.get(key)
            if value is None:
                wanted.append(key)
            else:
                found[key] = value
        if wanted and store is not None:
            fetched = store.get_many(wanted)
            for key, value in fetched.items():
                self.set(key, value, _size(value))
            found.update(fetched)
        return found

    def set_many(self, entries: dict, store, seconds: int) -> None:
        """Keep entries here and in `store` (None: here only) for `seconds`."""
        if store is not None:
            store.set_many(entries, seconds)
        for key, value in entries.items():
            self.set(key, value, _size(value))


local = LocalCopies()


def get_many(keys: list[str]) -> dict:
    """Entries of versioned keys: local copies first, then the shared cache."""
    return local.get_many(keys, cache)


def set_many(entries: dict) -> None:
    local.set_many(entries, cache, timeout())


def _size(value) -> int:
    """About how much memory an entry takes, in bytes."""
    if isinstance(value, dict):
        return sum(len(piece) for piece in value.get("pieces", ())) + 4096
    if isinstance(value, tuple):
        # A page (content, headers, whether it holds a token, its gzipped
        # copy or None), a description (its text, the items it took) or text
        # kept cut where vote counters go (fragments.py): the texts it
        # holds, nested or not.
        return _texts(value) + 1024
    return len(value) * 2 + 256


def _texts(value: tuple) -> int:
    return sum(
        len(item)
        if isinstance(item, str | bytes)
        else _texts(item)
        if isinstance(item, tuple)
        else 0
        for item in value
    )


# Hot pages -------------------------------------------------------------------


class HotPages:
    """This process's newest copy of each page, served while the page is hot.

    A thread taking a vote or a reply every few tens of milliseconds would
    otherwise be rendered afresh by nearly every request, each render
    finding the version it rendered already replaced. A process that has seen
    a page's versions change more than FORUM_PAGE_HOT_CHANGES times within
    the last second serves its newest copy of that page while the copy is
    younger than FORUM_PAGE_HOT_SECONDS, then renders the current version
    again: on a hot page a reader sees a write at most that long plus one
    render after it; on any other page, on the first request after it.

    A page stays hot while it keeps changing: when its copy is due to be
    rendered again and the versions changed since the copy was made, within
    a second of the page last being found hot. While a hot page's copy is
    young, `fresh()` gives it without the page's versions, which anonymous
    readers then do not read (one round trip to the shared store less): the
    copy is what they would be served anyway.

    Only the pages named by `identity` (a page key without its versions) are
    followed, the PAGES most recently rendered; a copy is kept by reference,
    the same object the local copies hold.
    """

    PAGES = 64
    WINDOW = 1.0

    def __init__(self):
        self._pages: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()
        self.clock = time.monotonic

    @contextmanager
    def _followed(self, identity: str):
        """Under the lock: the page's record (None when it is not followed or
        hot pages are off), the time and FORUM_PAGE_HOT_SECONDS."""
        seconds = settings.FORUM_PAGE_HOT_SECONDS
        now = self.clock()
        with self._lock:
            yield (self._pages.get(identity) if seconds else None), now, seconds

    def copy(self, identity: str, counters: str):
        """(counters, entry) of the copy to serve instead of rendering the
        page at `counters`, or None: render it."""
        with self._followed(identity) as (page, now, seconds):
            if page is None:
                return None
            changes = page["changes"]
            if counters != page["seen"]:
                page["seen"] = counters
                changes.append(now)
            while changes and changes[0] < now - self.WINDOW:
                changes.popleft()
            hot = len(changes) > settings.FORUM_PAGE_HOT_CHANGES or (
                counters != page["counters"] and now - page["hot_at"] < self.WINDOW
            )
            if not hot:
                return None
            page["hot_at"] = now
            if now - page["rendered_at"] < seconds:
                return page["counters"], page["entry"]
        return None

    def fresh(self, identity: str):
        """The copy of a hot page younger than FORUM_PAGE_HOT_SECONDS, or
        None: the page's versions are needed to serve it."""
        with self._followed(identity) as (page, now, seconds):
            if (
                page is not None
                and now - page["hot_at"] < self.WINDOW
                and now - page["rendered_at"] < seconds
            ):
                return page["entry"]
        return None

    def remember(self, identity: str, counters: str, entry) -> None:
        """A copy of the page just rendered at `counters`."""
        now = self.clock()
        with self._lock:
            page = self._pages.pop(identity, None)
            changes = page["changes"] if page else deque()
            self._pages[identity] = {
                "counters": counters,
                "seen": counters,
                "entry": entry,
                "rendered_at": now,
                "changes": changes,
                "hot_at": page["hot_at"] if page else -math.inf,
            }
            while len(self._pages) > self.PAGES:
                self._pages.popitem(last=False)

    def __len__(self) -> int:
        return len(self._pages)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


hot = HotPages()


def current_or_recent(identity: str, counters: str) -> tuple:
    """This process's recent copy of the page `identity` while it is hot, or
    the stored page at `counters`: (entry or None, the counters it was
    rendered at, "recent", "hit" or None). A hot page's copy is served
    without looking for the current version in the cache, which on a page
    changing many times a second is seldom there yet."""
    recent = hot.copy(identity, counters)
    if recent is not None:
        return recent[1], recent[0], "hit" if recent[0] == counters else "recent"
    key = f"{identity}:{counters}"
    entry = get_many([key]).get(key)
    if entry is not None:
        return entry, counters, "hit"
    return None, counters, None
