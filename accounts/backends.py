"""Django's and allauth's authentication backends, loading the signed-in user
with a statement compiled once.

Every signed-in request loads its user by primary key. The ORM compiles that
query afresh each time, which costs several times running it. Here the ORM
compiles it once per database, and each request runs the SQL and builds the
user from the row with the same converters (dates, booleans) the ORM applies.

A page that reads the user's row in the same statement as its own queries
(the shared thread page in forum/pagecache/shared.py, a vote in
forum/views.py) hands it over with `signed_in_from_row()`: Django's
authentication then builds the user from that row (`preloaded()`), checking
the session as it always does, without reading it again.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends
from django.contrib.auth import get_user_model
from django.db import connections, router

from forum.infra import prepared

# (alias, user id, row or None) of a user read with other queries.
_preloaded: ContextVar[tuple | None] = ContextVar("preloaded_user", default=None)


@lru_cache(maxsize=8)
def by_id_statement(alias: str):
    """The SQL loading a user by id, its converters and the fields it reads."""
    model = get_user_model()
    compiler = (
        model._default_manager.using(alias).filter(pk=0).query.get_compiler(alias)
    )
    sql, _params = compiler.as_sql()
    columns = [column for column, _sql, _alias in compiler.select]
    converters = compiler.get_converters(columns)
    names = [column.target.attname for column in columns]
    return compiler, sql, converters, names


def user_by_id(user_id):
    """The user with this primary key, or None."""
    model = get_user_model()
    alias = router.db_for_read(model)
    compiler, sql, converters, names = by_id_statement(alias)
    held = _preloaded.get()
    if held is not None and held[:2] == (alias, user_id):
        rows = [] if held[2] is None else [held[2]]
    else:
        with prepared.cursor(connections[alias]) as cursor:
            cursor.execute(sql, [user_id])
            rows = cursor.fetchall()
    if not rows:
        return None
    if converters:
        rows = list(compiler.apply_converters(rows, converters))
    return model.from_db(alias, names, rows[0])


@contextmanager
def preloaded(alias: str, user_id, row: tuple | None):
    """Within the block, the user `user_id` is built from `row`, read from
    `alias` by by_id_statement()'s SQL (None: there is no such user)."""
    token = _preloaded.set((alias, user_id, row))
    try:
        yield
    finally:
        _preloaded.reset(token)


def signed_in_from_row(request, alias: str, user_id, row: tuple | None):
    """The request's user as Django's authentication gives it, built from
    `row` (see preloaded()): that user if the session still holds for
    `user_id`, else None."""
    with preloaded(alias, user_id, row):
        user = request.user
        # Evaluated here, while the row is at hand.
        authenticated = user.is_authenticated
    return user if authenticated and user.pk == user_id else None


class UserByIdMixin:
    def get_user(self, user_id):
        user = user_by_id(user_id)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None


class UnsavedUserMixin:
    def get_all_permissions(self, user_obj, obj=None):
        # A user not saved yet (the page cache's generic reader) has no
        # permission or group rows to read, and so no permission.
        if user_obj.pk is None:
            return set()
        return super().get_all_permissions(user_obj, obj)


class ModelBackend(UserByIdMixin, UnsavedUserMixin, django_backends.ModelBackend):
    """Django's backend: usernames and passwords, permissions."""


class AuthenticationBackend(
    UserByIdMixin, UnsavedUserMixin, allauth_backends.AuthenticationBackend
):
    """allauth's backend: logging in by username or e-mail."""
