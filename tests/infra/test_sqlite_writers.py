"""Writers on one SQLite file take turns through a lock the system hands
over, across processes, for as long as their transaction lasts."""

import fcntl
import os

import pytest
from django.db import connection, transaction

from forum.infra.sqlite import base as backend
from tests.factories import UserFactory


@pytest.fixture
def writers_lock(transactional_db):
    """A descriptor of its own on the file the writers lock: locking it
    fails while a writer, in this process or another, holds the lock."""
    if connection.vendor != "sqlite":
        pytest.skip("The writers' lock is the SQLite backend's.")
    descriptor = os.open(f"{connection.settings_dict['NAME']}-writer", os.O_RDWR)
    yield descriptor
    os.close(descriptor)


def _free(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    fcntl.flock(descriptor, fcntl.LOCK_UN)
    return True


def test_a_transaction_holds_the_writers_lock_until_it_commits(writers_lock):
    with transaction.atomic():
        UserFactory(username="camille")
        during = _free(writers_lock)

    assert (during, _free(writers_lock)) == (False, True)
    assert connection._held_write_lock is None


def test_a_transaction_rolled_back_lets_the_lock_go(writers_lock):
    with pytest.raises(RuntimeError), transaction.atomic():
        UserFactory(username="camille")
        raise RuntimeError("the request failed")

    assert _free(writers_lock)


def test_a_connection_closed_inside_a_transaction_lets_the_lock_go(writers_lock):
    atomic = transaction.atomic()
    atomic.__enter__()
    UserFactory(username="camille")
    during = _free(writers_lock)
    connection.close()
    try:
        assert (during, _free(writers_lock)) == (False, True)
    finally:
        atomic.__exit__(None, None, None)


def test_without_the_lock_file_the_transaction_still_runs(writers_lock, monkeypatch):
    monkeypatch.setattr(
        backend, "_files", {connection.settings_dict["NAME"]: (os.getpid(), None)}
    )

    with transaction.atomic():
        UserFactory(username="camille")
        during = _free(writers_lock)

    assert during
    assert connection._held_write_lock is None


def test_a_forked_process_takes_a_lock_of_its_own(writers_lock, monkeypatch):
    name = connection.settings_dict["NAME"]
    inherited = backend._between_processes(name)
    original = backend._files[name]
    # As a child of a fork finds it: the descriptor its parent opened.
    monkeypatch.setitem(backend._files, name, (-1, inherited))

    own = backend._between_processes(name)

    # Another open file: its lock excludes the parent's instead of sharing it.
    assert own not in (None, inherited)
    fcntl.flock(inherited, fcntl.LOCK_EX)
    try:
        assert not _free(own)
    finally:
        fcntl.flock(inherited, fcntl.LOCK_UN)
        backend._files[name] = original
        os.close(own)
