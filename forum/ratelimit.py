"""Rate limits shared by the pages and the API, counted in the shared cache."""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RateLimited(ValidationError):
    """A write refused because its author acts too often; nothing was stored."""

    def __init__(self, retry_after: int):
        self.retry_after = max(1, int(retry_after))
        super().__init__(
            _("You are doing this too often. Try again in %(seconds)s seconds."),
            code="rate_limited",
            params={"seconds": self.retry_after},
        )


def _parse(rate: str) -> tuple[int, int]:
    count, seconds = rate.split("/")
    return int(count), int(seconds)


def is_new_account(user) -> bool:
    age = timezone.now() - user.date_joined
    return age.total_seconds() < settings.FORUM_NEW_ACCOUNT_AGE


def hit(action: str, key: str) -> None:
    """Count one attempt at `action` by `key`; raise RateLimited past the limit.

    Fixed windows: the counter for a window lives in the cache until the
    window ends, so every app server shares it when the cache is Redis.
    """
    rate = settings.FORUM_RATE_LIMITS.get(action)
    if not rate:
        return
    limit, window = _parse(rate)
    now = time.time()
    window_start = int(now // window) * window
    cache_key = f"ratelimit:{action}:{key}:{window_start}"
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The key expired between add and incr: this is the window's first hit.
        cache.set(cache_key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        raise RateLimited(retry_after=window_start + window - now)


def hit_for_user(action: str, user) -> None:
    """Apply an action's limits to a user, tighter while the account is new."""
    actions = [action, f"{action}_hourly"]
    if is_new_account(user):
        actions = [f"{action}_new", f"{action}_new_hourly"] + actions
    for name in actions:
        if name in settings.FORUM_RATE_LIMITS:
            hit(name, f"user:{user.pk}")
