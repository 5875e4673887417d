"""Cursors that run a statement built once as a prepared statement on
PostgreSQL.

Django sends every query to PostgreSQL with its values written in, so the
server parses and plans each one afresh: for the thread page's lookups
(forum/infra/compiled.py), planning took three to five times as long as
running them. The statements the project builds once and runs on every
request (those lookups, the signed-in user and their own state on the thread
page, the session, a vote's statements, the shared store's reads) go instead
through `cursor()` below: on PostgreSQL, with DATABASE_PREPARED_STATEMENTS
on (the default), a psycopg cursor binding the values apart and preparing
the statement on its connection the first time it runs there, so later runs
skip the parsing, and the planning once PostgreSQL settles on a generic
plan. Elsewhere, or with the setting off (PgBouncer in transaction mode
before 1.21, which does not carry prepared statements across server
connections), it is Django's own cursor.

The cursor is Django's wrapper around psycopg's: queries are logged,
counted and wrapped as any other, and errors are Django's.

Each connection where statements run prepared asks PostgreSQL for generic
plans (`use_generic_plans`): left to choose, it planned the signed-in
reader's own state (its arrays of shown replies) and the reply statements
again at every run, their custom plans being estimated cheaper, and the
planning cost more than the run. Only prepared statements are planned this
way; Django's own queries are planned for their values as before.
"""

from datetime import UTC
from functools import cache

from django.conf import settings

NEVER_BY_COUNT = 2**62


@cache
def _cursor_class():
    """psycopg's server-binding cursor, as Django's backend defines it,
    preparing what it runs (imported on first use: only PostgreSQL needs
    psycopg)."""
    from django.db.backends.postgresql.base import (
        TIMESTAMPTZ_OID,
        ServerBindingCursor,
        register_tzloader,
    )
    from psycopg.pq import Format
    from psycopg.types.datetime import TimestamptzLoader

    class PreparingCursor(ServerBindingCursor):
        def __init__(self, connection, timezone):
            super().__init__(connection)
            # Dates in the database connection's zone, as Django's
            # create_cursor() registers them. In UTC (Django's own choice
            # with USE_TZ), psycopg's loader, written in C, gives the same
            # datetimes as Django's, which parses each in Python: a page of
            # replies reads hundreds.
            if timezone is UTC and connection.info.timezone is UTC:
                self.adapters.register_loader(TIMESTAMPTZ_OID, TimestamptzLoader)
                return
            loader = connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
            if timezone != loader.timezone:
                register_tzloader(timezone, self)

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparingCursor


@cache
def _debug_wrapper_class():
    """Django's wrapper logging each query, logging a prepared statement
    with its values written in, as Django logs its own queries (psycopg
    keeps no text of a statement it runs by name)."""
    from contextlib import contextmanager

    from django.db.backends.postgresql.base import CursorDebugWrapper

    class PreparedDebugWrapper(CursorDebugWrapper):
        @contextmanager
        def debug_sql(
            self, sql=None, params=None, use_last_executed_query=False, many=False
        ):
            if use_last_executed_query and not many:
                sql = self.db.ops.compose_sql(sql, params)
            with super().debug_sql(sql, params, many=many):
                yield

    return PreparedDebugWrapper


def prepares(connection) -> bool:
    """Whether statements built once run prepared on this connection."""
    return connection.vendor == "postgresql" and settings.DATABASE_PREPARED_STATEMENTS


def use_generic_plans(sender, connection, **kwargs):
    """On a new connection that runs statements prepared, plan them once for
    any values (connected to Django's connection_created, which runs with
    the connection in autocommit: the setting is not undone by a rollback).
    A setting of the session, so behind PgBouncer in transaction mode it
    lands on whichever server connection runs it, with the same value from
    every client."""
    if prepares(connection):
        with connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")


def cursor(connection):
    """A cursor for a statement built once: prepared on PostgreSQL (see the
    module's docstring), Django's plain cursor otherwise."""
    if not prepares(connection):
        return connection.cursor()
    # What Django's DatabaseWrapper.cursor() does, with another psycopg
    # cursor class.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        if connection.connection.prepare_threshold is None:
            # Django turns psycopg's preparing off for the connection (no
            # threshold), which also refuses a cursor asking for it: a
            # threshold no count reaches lets this cursor's statements be
            # prepared and no other's.
            connection.connection.prepare_threshold = NEVER_BY_COUNT
        raw = _cursor_class()(connection.connection, connection.timezone)
        connection.validate_thread_sharing()
        if connection.queries_logged:
            return _debug_wrapper_class()(raw, connection)
        return connection.make_cursor(raw)
