"""Request rates for API clients, set in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].

These bound how often a client may call the API at all; forum.ratelimit,
which the services apply to the pages and the API alike, bounds how often a
person may post, vote or report.
"""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from forum.sharedstore import shared_cache


class _RuntimeRateThrottle(SimpleRateThrottle):
    # DRF reads the rates once at import; reading them per request lets the
    # settings change without a restart of the process (and in tests).
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class _SharedRateThrottle(_RuntimeRateThrottle):
    # Counted in the store every server process shares (forum/sharedstore.py),
    # so a client cannot spread its writes over the workers. Anonymous reads
    # stay counted in each process's cache: they are the bulk of the traffic,
    # must not cost a database write, and their limit only shields the server.
    @property
    def cache(self):
        return shared_cache()


class AnonReadThrottle(_RuntimeRateThrottle):
    """Reads by clients that are not signed in, counted per address."""

    scope = "anon_read"

    def get_cache_key(self, request, view):
        if request.user.is_authenticated or request.method not in SAFE_METHODS:
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }


class UserWriteThrottle(_SharedRateThrottle):
    """Writes by a signed-in client, counted per user."""

    scope = "user_write"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated or request.method in SAFE_METHODS:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class VoteThrottle(_SharedRateThrottle):
    """Votes by a signed-in client, counted per user."""

    scope = "vote"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated or getattr(view, "action", "") != "vote":
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class TokenThrottle(_SharedRateThrottle):
    """Attempts to exchange a password for a token, counted per address."""

    scope = "token"

    def get_cache_key(self, request, view):
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
