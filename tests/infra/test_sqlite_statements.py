"""The SQLite backend's cursors run statements as Django's do, converting
each statement's placeholders once per process."""

import pytest
from django.db import connection

from forum.infra.sqlite import base as backend


@pytest.fixture
def on_sqlite(db):
    if connection.vendor != "sqlite":
        pytest.skip("The converted statements are the SQLite backend's.")
    backend._converted.clear()
    yield
    backend._converted.clear()


@pytest.fixture
def conversions(monkeypatch):
    """The statements Django's own conversion is asked for."""
    asked = []
    convert = backend.base.SQLiteCursorWrapper.convert_query

    def counted(cursor, query, *, param_names=None):
        asked.append(query)
        return convert(cursor, query, param_names=param_names)

    monkeypatch.setattr(backend.base.SQLiteCursorWrapper, "convert_query", counted)
    return asked


def test_statements_run_with_their_values_as_djangos_cursors_run_them(on_sqlite):
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute("SELECT %s, '100%%', %s", [1, "%s"])
            assert cursor.fetchone() == (1, "100%", "%s")
        cursor.execute("SELECT %(first)s || %(second)s", {"first": "a", "second": "b"})
        assert cursor.fetchone() == ("ab",)


def test_each_statement_is_converted_once(on_sqlite, conversions):
    with connection.cursor() as cursor:
        for value in range(3):
            cursor.execute("SELECT %s + 1", [value])
            assert cursor.fetchone() == (value + 1,)
        cursor.execute("SELECT %s + 2", [1])
        assert cursor.fetchone() == (3,)

    assert conversions == ["SELECT %s + 1", "SELECT %s + 2"]


def test_the_statements_kept_are_bounded(on_sqlite, conversions, monkeypatch):
    monkeypatch.setattr(backend, "CONVERTED_MOST", 2)
    with connection.cursor() as cursor:
        for value in range(4):
            cursor.execute(f"SELECT %s + {value}", [1])
            assert cursor.fetchone() == (1 + value,)
        cursor.execute("SELECT %s + 0", [1])

    assert len(backend._converted) <= 2
    assert conversions[-1] == "SELECT %s + 0"
    assert len(conversions) == 5
