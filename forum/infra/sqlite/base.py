"""Django's SQLite backend, with the writers of one process served in turn.

Every transaction on SQLite begins IMMEDIATE (it takes the write lock at
once) and a busy connection waits up to the timeout. SQLite's own waiting is
polling with growing sleeps, so under a burst of writers a thread that has
waited long sleeps longest: it can be overtaken again and again until the
timeout gives it "database is locked", while the lock sits idle between a
commit and the next poll. Here the threads of a process queue for the write
lock in arrival order and hand it over at once; only the head of each
process's queue polls SQLite, against other processes. In-memory databases
are left alone: a single connection serves them.

Its cursors also turn each statement's placeholders into SQLite's once per
process: Django rewrites every statement's text with a regular expression
before running it, which cost a page's compiled lookups and a vote's dozen
statements, whose texts are the same on every request, more than some of
the statements themselves.
"""

import threading

from django.db.backends.sqlite3 import base


class FairLock:
    """A lock granted in the order it was asked for."""

    def __init__(self):
        self._condition = threading.Condition()
        self._next_ticket = 0
        self._serving = 0

    def acquire(self) -> None:
        with self._condition:
            ticket = self._next_ticket
            self._next_ticket += 1
            while ticket != self._serving:
                self._condition.wait()

    def release(self) -> None:
        with self._condition:
            self._serving += 1
            self._condition.notify_all()


_locks: dict[str, FairLock] = {}
_locks_guard = threading.Lock()


def write_lock(name: str) -> FairLock:
    """The process's queue of writers for one database file."""
    with _locks_guard:
        return _locks.setdefault(str(name), FairLock())


# Statement texts as Django writes them, and as SQLite runs them. Bounded:
# emptied when full, as texts built with a varying number of values add up.
_converted: dict[str, str] = {}
CONVERTED_MOST = 512


class CursorWrapper(base.SQLiteCursorWrapper):
    """Django's cursor, each text's placeholders converted once per process."""

    def convert_query(self, query, *, param_names=None):
        if param_names is not None:
            return super().convert_query(query, param_names=param_names)
        converted = _converted.get(query)
        if converted is None:
            if len(_converted) >= CONVERTED_MOST:
                _converted.clear()
            converted = _converted[query] = super().convert_query(query)
        return converted


class DatabaseWrapper(base.DatabaseWrapper):
    _held_write_lock: FairLock | None = None

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)

    def _start_transaction_under_autocommit(self):
        if self.is_in_memory_db():
            return super()._start_transaction_under_autocommit()
        lock = write_lock(self.settings_dict["NAME"])
        lock.acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            lock.release()
            raise
        self._held_write_lock = lock

    def _release_write_lock(self) -> None:
        lock, self._held_write_lock = self._held_write_lock, None
        if lock is not None:
            lock.release()

    def _set_autocommit(self, autocommit):
        try:
            super()._set_autocommit(autocommit)
        finally:
            # Back in autocommit: the outermost atomic block has committed
            # or rolled back.
            if autocommit:
                self._release_write_lock()

    def close(self):
        try:
            super().close()
        finally:
            # Closed inside a transaction: SQLite rolled it back and let go.
            if self.closed_in_transaction or self.connection is None:
                self._release_write_lock()
