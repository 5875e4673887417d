"""Read-only queries to a PostgreSQL replica, everything else to the primary.

Used when DATABASE_REPLICA_URL names a replica (see docs/deployment.md). A
replica lags a little behind the primary, so reads go to the primary:

- inside a transaction on the primary: services lock rows and read them back
  within their transaction (select_for_update is a read);
- for the rest of a request once it has written anything;
- for FORUM_REPLICA_PIN_SECONDS after a request that changed something, in the
  same browser, so a reader sees their own reply or vote after the redirect.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "forum_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_pinned: ContextVar[bool] = ContextVar("forum_read_from_primary", default=False)
_wrote: ContextVar[bool] = ContextVar("forum_wrote", default=False)


def pin_to_primary() -> None:
    """Read from the primary for the rest of the current request."""
    _pinned.set(True)


def is_pinned() -> bool:
    return _pinned.get()


@contextmanager
def unpinned():
    """Route as a fresh request does: reads to the replica until a write."""
    pinned, wrote = _pinned.set(False), _wrote.set(False)
    try:
        yield
    finally:
        _pinned.reset(pinned)
        _wrote.reset(wrote)


class PrimaryReplicaRouter:
    """Send reads to the replica unless the primary must answer them."""

    def db_for_read(self, model, **hints):
        if _pinned.get() or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        pin_to_primary()
        _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class PrimaryAfterWriteMiddleware:
    """Keep a browser on the primary for a few seconds after it changed data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pinned_until = request.COOKIES.get(PIN_COOKIE, "")
        pinned = _pinned.set(pinned_until.isdigit() and int(pinned_until) > time.time())
        wrote = _wrote.set(False)
        try:
            response = self.get_response(request)
            if request.method not in SAFE_METHODS or _wrote.get():
                seconds = settings.FORUM_REPLICA_PIN_SECONDS
                response.set_cookie(
                    PIN_COOKIE,
                    str(int(time.time()) + seconds),
                    max_age=seconds,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            _pinned.reset(pinned)
            _wrote.reset(wrote)
