"""Django's Redis cache, with one Redis client per connection pool, that keeps
the site up while Redis is unreachable.

Django's client builds a new `redis.Redis` for every cache operation, and
building one (its table of response callbacks) costs more than the command
itself. A `redis.Redis` is safe to share between threads, so each pool gets
one, made on first use.

When Redis cannot be reached (refused, timed out, or answering errors), every
operation answers as an empty cache would instead of raising: pages and API
reads are rendered from the database and not stored, sessions are read from
their database copy (cached_db), and `add` reports success, so rate limits
let attempts through (they fail open; docs/operations.md). After a failure
the process stops asking Redis for FORUM_CACHE_RETRY_SECONDS, so a server
that does not answer costs one timeout per process and interval, not one
per operation. The outage is logged when it starts, at most once every
FORUM_OUTAGE_LOG_SECONDS while it lasts, and when it ends.

Keys this process failed to write or delete during the outage are deleted
once Redis answers again: a version counter that a write could not bump, or
a session that a log-out could not drop, is never read back stale.
"""

import logging
import threading
import time
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError

logger = logging.getLogger("forum.outage")

# Beyond this many keys, recovery clears every key of the cache's prefix
# instead (an outage with that many writes has touched most pages anyway).
PENDING_LIMIT = 10_000

# Rate limits (forum/ratelimit.py) in one round trip: each limit is a sorted
# set of its attempts' times in milliseconds. Attempts that have left their
# window are dropped; if every limit has room, the attempt is added to all of
# them and 0 is returned, otherwise nothing is added and the answer is the
# milliseconds until the last refusing limit has room (at least 1).
# KEYS: one set per limit. ARGV: now, the attempt's member, then each limit's
# count and window.
TAKE_PLACES = """
local now = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  local count = tonumber(ARGV[2 * i + 1])
  local window = tonumber(ARGV[2 * i + 2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local held = redis.call('ZCARD', key)
  if held >= count then
    local leaving = redis.call('ZRANGE', key, held - count, held - count, 'WITHSCORES')
    wait = math.max(wait, tonumber(leaving[2]) + window - now)
  end
end
if wait > 0 then
  return math.max(1, math.ceil(wait))
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 * i + 2]))
end
return 0
"""


class Outage:
    """The state of one Redis server as this process sees it."""

    def __init__(self, name: str):
        self.name = name
        self.lock = threading.Lock()
        self.since: float | None = None
        self.retry_at = 0.0
        self.logged_at = 0.0
        self.skipped = 0
        self.pending: set[str] = set()
        self.overflowed = False

    def is_down(self) -> bool:
        return self.since is not None

    def should_skip(self) -> bool:
        """Whether to answer without asking Redis (it failed a moment ago)."""
        with self.lock:
            if self.since is None or time.monotonic() >= self.retry_at:
                return False
            self.skipped += 1
            self._log_if_due(None)
            return True

    def failed(self, error: Exception | None) -> None:
        now = time.monotonic()
        with self.lock:
            self.retry_at = now + settings.FORUM_CACHE_RETRY_SECONDS
            if self.since is None:
                self.since = now
                self.logged_at = 0.0
                self.skipped = 0
            self._log_if_due(error)

    def _log_if_due(self, error: Exception | None) -> None:
        now = time.monotonic()
        first = not self.logged_at
        if not first and now - self.logged_at < settings.FORUM_OUTAGE_LOG_SECONDS:
            return
        self.logged_at = now
        if first:
            logger.error(
                "Cache unreachable (%s), serving from the database, uncached: %s",
                self.name,
                error,
            )
        else:
            logger.error(
                "Cache still unreachable (%s) after %d s; %d operations answered "
                "without it since the last report.",
                self.name,
                now - self.since,
                self.skipped,
            )
        self.skipped = 0

    def remember(self, keys) -> None:
        with self.lock:
            if self.overflowed:
                return
            self.pending.update(keys)
            if len(self.pending) > PENDING_LIMIT:
                self.pending.clear()
                self.overflowed = True

    def to_drop(self) -> tuple[set[str], bool]:
        """The keys written during the outage, and whether there were too many."""
        with self.lock:
            return set(self.pending), self.overflowed

    def recovered(self, dropped: set[str]) -> None:
        """Mark the server reachable once the keys to drop are gone."""
        with self.lock:
            if self.since is None:
                return
            logger.warning(
                "Cache reachable again (%s) after %d s.",
                self.name,
                time.monotonic() - self.since,
            )
            self.since, self.overflowed = None, False
            self.pending -= dropped


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_for(name: str) -> Outage:
    with _outages_lock:
        if name not in _outages:
            _outages[name] = Outage(name)
        return _outages[name]


def _without_password(url: str) -> str:
    """The server's address as logs may show it."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def _tolerant(fallback, *, writes: bool = False):
    """Run a client operation, answering `fallback(args)` if Redis fails."""

    def decorate(method):
        def wrapper(self, *args):
            outage = self.outage
            if outage.should_skip():
                if writes:
                    outage.remember(self._keys_of(method.__name__, args))
                return fallback(*args)
            try:
                if outage.is_down():
                    # Before the operation itself, which may read a key
                    # written during the outage.
                    self._recover()
                return method(self, *args)
            except RedisError as error:
                outage.failed(error)
                if writes:
                    outage.remember(self._keys_of(method.__name__, args))
                return fallback(*args)

        wrapper.__name__ = method.__name__
        return wrapper

    return decorate


def _raise_missing(*args):
    # What Django's incr() does for a missing key; callers handle it.
    raise ValueError("Key not found (the cache is unreachable).")


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, servers, *args, prefix: str = "", **kwargs):
        super().__init__(servers, *args, **kwargs)
        self._clients = {}
        self._scripts = {}
        self._prefix = prefix
        self.outage = outage_for(_without_password(servers[0]))

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    @staticmethod
    def _keys_of(name: str, args) -> list[str]:
        if name in ("set_many", "delete_many"):
            return list(args[0])
        return [args[0]]

    def _recover(self) -> None:
        """Drop the keys written during the outage, then count Redis as back.

        Raises RedisError if Redis still cannot be reached.
        """
        pending, overflowed = self.outage.to_drop()
        client = self.get_client(write=True)
        if overflowed:
            # Every key of this site's cache; sessions are read again from
            # their database copy.
            for key in client.scan_iter(match=f"{self._prefix}*", count=1000):
                client.delete(key)
        elif pending:
            client.delete(*pending)
        self.outage.recovered(pending)

    @_tolerant(lambda *args: True, writes=True)
    def add(self, key, value, timeout):
        return super().add(key, value, timeout)

    @_tolerant(lambda key, default: default)
    def get(self, key, default):
        return super().get(key, default)

    @_tolerant(lambda *args: None, writes=True)
    def set(self, key, value, timeout):
        return super().set(key, value, timeout)

    @_tolerant(lambda *args: False, writes=True)
    def touch(self, key, timeout):
        return super().touch(key, timeout)

    @_tolerant(lambda *args: False, writes=True)
    def delete(self, key):
        return super().delete(key)

    @_tolerant(lambda keys: {})
    def get_many(self, keys):
        return super().get_many(keys)

    @_tolerant(lambda *args: False)
    def has_key(self, key):
        return super().has_key(key)

    @_tolerant(_raise_missing, writes=True)
    def incr(self, key, delta):
        return super().incr(key, delta)

    @_tolerant(lambda data, timeout: list(data), writes=True)
    def set_many(self, data, timeout):
        return super().set_many(data, timeout)

    @_tolerant(lambda *args: None, writes=True)
    def delete_many(self, keys):
        return super().delete_many(keys)

    # Rate limits fail open while Redis is unreachable, as add() does.
    @_tolerant(lambda *args: 0)
    def take_places(self, keys, arguments):
        """Run TAKE_PLACES (registered once per client, sent by its digest)."""
        client = self.get_client(write=True)
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts[id(client)] = client.register_script(TAKE_PLACES)
        return int(script(keys=keys, args=arguments, client=client))

    @_tolerant(lambda *args: False)
    def clear(self):
        return super().clear()

    def ping(self) -> bool:
        """Whether Redis answers now (for /readyz), whatever this process saw."""
        try:
            self.get_client().ping()
        except RedisError:
            return False
        return True


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._options = {**self._options, "prefix": self.key_prefix}

    def ping(self) -> bool:
        return self._cache.ping()

    def take_places(self, limits, now: float, member: str) -> float:
        """Count one attempt, made at `now` (seconds), under every limit of
        `limits` ((key, count, window in seconds): at most `count` attempts
        in any `window` seconds), or, if one of them is full, under none.

        Returns 0 when counted, else the seconds until every limit has room.
        One round trip, atomic: of two simultaneous attempts for the last
        place, one is counted.
        """
        keys, arguments = [], [int(now * 1000), member]
        for key, count, window in limits:
            keys.append(self.make_and_validate_key(key))
            arguments += [count, window * 1000]
        return self._cache.take_places(keys, arguments) / 1000
