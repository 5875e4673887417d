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

from forum.infra import prepared

SHARED_TABLE = "forum_shared_cache"


def shared_cache():
    """The cache that all server processes share."""
    return caches["shared"]


class SharedDatabaseCache(DatabaseCache):
    """Django's database cache, read on the primary, with an exact, atomic add().

    Django's add() keeps expiry times to the second and replaces an expired
    entry with an UPDATE that two processes can both make. Here add() is one
    upsert that writes only when the key is missing or expired (on SQLite and
    PostgreSQL; elsewhere it deletes the expired entry, then inserts): of two
    processes adding one key, the unique key lets only one write.
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
        if connection.vendor in ("sqlite", "postgresql"):
            # One statement: insert, or take the place of an expired entry;
            # of two processes adding one key, one writes a row, the other
            # none.
            expires_column = quote_name("expires")
            value_column = quote_name("value")
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} ({column}, {value_column},"
                    f" {expires_column}) VALUES (%s, %s, %s)"
                    f" ON CONFLICT ({column}) DO UPDATE SET"
                    f" {value_column} = EXCLUDED.{value_column},"
                    f" {expires_column} = EXCLUDED.{expires_column}"
                    f" WHERE {table}.{expires_column} < %s",
                    [
                        key,
                        encoded.decode("latin1"),
                        adapt(expires),
                        adapt(timezone.now()),
                    ],
                )
                return cursor.rowcount == 1
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
        """Live entries of the keys, in one statement on the primary.

        The version counters of forum/infra/cache.py are read here on every
        page and API read, so this is one plain SELECT: counters are read
        where they are written (a read replica may lag), expired entries are
        left out by the query and removed by later writes.
        """
        if not keys:
            return {}
        key_map = {
            self.make_and_validate_key(key, version=version): key for key in keys
        }
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote_name = connection.ops.quote_name
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with prepared.cursor(connection) as cursor:
            cursor.execute(
                "SELECT {key}, {value} FROM {table} WHERE {key} IN ({keys})"
                " AND {expires} > %s".format(
                    key=quote_name("cache_key"),
                    value=quote_name("value"),
                    table=quote_name(self._table),
                    expires=quote_name("expires"),
                    keys=", ".join(["%s"] * len(key_map)),
                ),
                [*key_map, now],
            )
            rows = cursor.fetchall()
        return {
            key_map[key]: pickle.loads(
                base64.b64decode(connection.ops.process_clob(value).encode())
            )
            for key, value in rows
        }

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """Write several entries in one statement (an upsert).

        A bump of the version counters writes the thread's, its article's
        and the home page's at once. Nothing is culled here: these keys are
        few, and add() and set() keep culling the table.
        """
        connection = connections[router.db_for_write(self.cache_model_class)]
        if connection.vendor not in ("sqlite", "postgresql"):
            return super().set_many(data, timeout=timeout, version=version)
        self._write_many(connection, data, timeout, version, replace=True)
        return []

    def add_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        """Add the entries whose keys are missing, in one statement; the
        others are left as they are (starting several counters at once)."""
        connection = connections[router.db_for_write(self.cache_model_class)]
        if connection.vendor not in ("sqlite", "postgresql"):
            for key, value in data.items():
                self.add(key, value, timeout=timeout, version=version)
            return
        self._write_many(connection, data, timeout, version, replace=False)

    def _write_many(self, connection, data, timeout, version, *, replace: bool):
        if not data:
            return
        expiry = self.get_backend_timeout(timeout)
        expires = connection.ops.adapt_datetimefield_value(
            datetime.max.replace(tzinfo=UTC)
            if expiry is None
            else datetime.fromtimestamp(expiry, tz=UTC)
        )
        params = []
        for key, value in data.items():
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol))
            params += [
                self.make_and_validate_key(key, version=version),
                encoded.decode("latin1"),
                expires,
            ]
        quote_name = connection.ops.quote_name
        key, value, expires_column = (
            quote_name("cache_key"),
            quote_name("value"),
            quote_name("expires"),
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote_name(self._table)} ({key}, {value},"
                f" {expires_column}) VALUES "
                + ", ".join(["(%s, %s, %s)"] * len(data))
                + (
                    f" ON CONFLICT ({key}) DO UPDATE SET {value} = EXCLUDED.{value},"
                    f" {expires_column} = EXCLUDED.{expires_column}"
                    if replace
                    else f" ON CONFLICT ({key}) DO NOTHING"
                ),
                params,
            )
