"""Django's SQLite backend, with the writers of one process served in turn.

Every transaction on SQLite begins IMMEDIATE (it takes the write lock at
once) and a busy connection waits up to the timeout. SQLite's own waiting is
polling with growing sleeps, so under a burst of writers a thread that has
waited long sleeps longest: it can be overtaken again and again until the
timeout gives it "database is locked", while the lock sits idle between a
commit and the next poll. Here the threads of a process queue for the write
lock in arrival order and hand it over at once, and the head of each
process's queue then takes a lock on a file beside the database
("<name>-writer") that the system hands from process to process as soon as
it is let go, so SQLite's polling only meets writes made outside a
transaction. Where that file cannot be opened, the heads poll SQLite as
before. In-memory databases are left alone: a single connection serves
them.

Its cursors also turn each statement's placeholders into SQLite's once per
process: Django rewrites every statement's text with a regular expression
before running it, which cost a page's compiled lookups and a vote's dozen
statements, whose texts are the same on every request, more than some of
the statements themselves.
"""

import os
import threading

from django.db.backends.sqlite3 import base

try:
    import fcntl
except ImportError:  # not a POSIX system: SQLite's own waiting alone
    fcntl = None


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


_files: dict[str, tuple[int, int | None]] = {}


def _between_processes(name: str) -> int | None:
    """The descriptor of the file whose lock the heads of each process's
    queue take in turn, opened once per process (a forked process opens its
    own: one inherited would be the same lock as its parent's); None where
    there is none."""
    pid = os.getpid()
    with _locks_guard:
        opened = _files.get(str(name))
        if opened is None or opened[0] != pid:
            try:
                descriptor = os.open(
                    f"{name}-writer", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600
                )
            except OSError:
                descriptor = None
            opened = _files[str(name)] = (pid, descriptor)
        return opened[1]


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
    _held_write_lock: tuple | None = None

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)

    def _start_transaction_under_autocommit(self):
        if self.is_in_memory_db():
            return super()._start_transaction_under_autocommit()
        name = self.settings_dict["NAME"]
        lock = write_lock(name)
        lock.acquire()
        shared = _between_processes(name) if fcntl is not None else None
        try:
            if shared is not None:
                fcntl.flock(shared, fcntl.LOCK_EX)
            try:
                super()._start_transaction_under_autocommit()
            except BaseException:
                if shared is not None:
                    fcntl.flock(shared, fcntl.LOCK_UN)
                raise
        except BaseException:
            lock.release()
            raise
        self._held_write_lock = (lock, shared)

    def _release_write_lock(self) -> None:
        held, self._held_write_lock = self._held_write_lock, None
        if held is not None:
            lock, shared = held
            if shared is not None:
                fcntl.flock(shared, fcntl.LOCK_UN)
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
