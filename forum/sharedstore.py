"""The store every server process sees alike, for counters and one-time records.

Rate-limit slots (forum/ratelimit.py), the API's write throttles and the
responses kept for Idempotency-Key (forum/api/idempotency.py) must be the same
in every worker: a count kept in one process's memory lets the 31st vote of a
minute through the next worker. settings.CACHES["shared"] is Redis
when REDIS_URL is set, and otherwise this cache in a table of the database
(created by a migration), so the default configuration shares them too.
"""

import base64
import pickle
from datetime import UTC, datetime

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

SHARED_TABLE = "forum_shared_cache"


def shared_cache():
    """The cache that all server processes share."""
    return caches["shared"]


class SharedDatabaseCache(DatabaseCache):
    """Django's database cache, read on the primary, with an exact, atomic add().

    Django's add() keeps expiry times to the second and replaces an expired
    entry with an UPDATE that two processes can both make. Here add() deletes
    the key's expired entry, then inserts with the exact expiry: of two
    processes adding one key, the unique key lets only one insert.
    """

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        expiry = self.get_backend_timeout(timeout)
        expires = (
            datetime.max if expiry is None else datetime.fromtimestamp(expiry, tz=UTC)
        )
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol))
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, column = quote_name(self._table), quote_name("cache_key")
        adapt = connection.ops.adapt_datetimefield_value
        try:
            with transaction.atomic(using=db), connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {table} WHERE {column} = %s"
                    f" AND {quote_name('expires')} < %s",
                    [key, adapt(timezone.now())],
                )
                cursor.execute(
                    f"INSERT INTO {table} ({column}, {quote_name('value')},"
                    f" {quote_name('expires')}) VALUES (%s, %s, %s)",
                    [key, encoded.decode("latin1"), adapt(expires)],
                )
        except IntegrityError:
            return False
        return True

    def get_many(self, keys, version=None):
        # Counters are read where they are written: a read replica may lag.
        db = router.db_for_write(self.cache_model_class)
        with transaction.atomic(using=db):
            return super().get_many(keys, version=version)
