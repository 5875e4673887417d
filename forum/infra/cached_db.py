"""Sessions in the cache with their database copy (Django's cached_db), read
in the same round trip as other entries when they share the cache's server.

With REDIS_URL set, sessions live in Redis, as do the version counters a
page reads first (forum/infra/cache.py). A page that reads both would go to
Redis twice before doing anything else; `joint_key()` lets the counters' read
fetch the session too, and `loaded()` hands it the entry found. A session the
cache no longer holds is read as Django reads it, from the database.
"""

from django.contrib.sessions.backends import cached_db


def same_store(one, other) -> bool:
    """Whether two caches read the same entries under the same keys."""
    return (
        type(one) is type(other)
        and getattr(one, "_servers", None) == getattr(other, "_servers", None)
        and one.key_prefix == other.key_prefix
        and one.version == other.version
        and one.key_func is other.key_func
    )


class SessionStore(cached_db.SessionStore):
    def joint_key(self, store) -> str | None:
        """This session's key in `store`, when it is yet to be read and
        `store` holds it; otherwise None."""
        if self.session_key is None or hasattr(self, "_session_cache"):
            return None
        return self.cache_key if same_store(self._cache, store) else None

    def loaded(self, data) -> None:
        """Take the session's data read with other entries (None: not in the
        cache, read later from the database)."""
        if data is not None and not hasattr(self, "_session_cache"):
            self._session_cache = data
