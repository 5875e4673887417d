"""Database sessions read with one plain query.

Every signed-in request reads its session. Django's database store builds an
ORM query for it each time, which costs several times the query itself; this
store reads the same row with one statement (prepared on PostgreSQL,
forum/infra/prepared.py) and otherwise behaves as Django's (writes, expiry,
clearing, the read router). With REDIS_URL set, sessions live in the cache
(cached_db) and this store is not used.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from forum.infra import prepared


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        sql = "SELECT {data} FROM {table} WHERE {key} = %s AND {expiry} > %s".format(
            data=quote(model._meta.get_field("session_data").column),
            table=quote(model._meta.db_table),
            key=quote(model._meta.get_field("session_key").column),
            expiry=quote(model._meta.get_field("expire_date").column),
        )
        expiry = connection.ops.adapt_datetimefield_value(timezone.now())
        with prepared.cursor(connection) as cursor:
            cursor.execute(sql, [self.session_key, expiry])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
