"""Rate limits shared by the pages and the API, counted in the shared cache.

A limit is "count/seconds" in settings.FORUM_RATE_LIMITS, under a name made
of the action and an optional suffix: "reply", "reply_hourly",
"reply_daily"; the "_new" names ("reply_new", "reply_new_daily") apply on top
while an account is younger than FORUM_NEW_ACCOUNT_AGE.

Counting uses a sliding window estimated from two fixed windows: the current
window's count plus the previous window's count weighted by how much of it
still overlaps the last `seconds`. Unlike a plain fixed window, two attempts
on either side of a window boundary are still seen as close together, so
"1/5" really means one attempt per five seconds. Refused attempts are not
counted: someone told to wait a few seconds gets in once they have.
"""

import contextlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SUFFIXES = ("", "_hourly", "_daily")


class RateLimited(ValidationError):
    """A write refused because its author acts too often; nothing was stored."""

    def __init__(self, retry_after: float):
        self.retry_after = max(1, int(retry_after + 0.999))
        super().__init__(
            _("You are doing this too often. Try again in %(seconds)s seconds."),
            code="rate_limited",
            params={"seconds": self.retry_after},
        )


def parse_rate(rate: str) -> tuple[int, int]:
    """Read "count/seconds" into (count, seconds)."""
    count, seconds = rate.split("/")
    return int(count), int(seconds)


def is_new_account(user) -> bool:
    age = timezone.now() - user.date_joined
    return age.total_seconds() < settings.FORUM_NEW_ACCOUNT_AGE


def _increment(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:
        # The key expired between add and incr: this is the window's first hit.
        cache.set(key, 1, timeout=timeout)
        return 1


def _uncount(cache_key: str) -> None:
    # A key already expired has nothing left to take back.
    with contextlib.suppress(ValueError):
        cache.decr(cache_key)


def _wait(limit: int, window: int, current: int, previous: int, now: float) -> float:
    """Seconds until one more attempt fits, given the counts without it."""
    start = now // window * window
    if current + 1 <= limit and previous:
        # The previous window's weight must fall until the attempt fits.
        moment = start + window * (1 - (limit - current - 1) / previous)
        return max(moment - now, 0)
    # The current window is full: wait into the next one, where this
    # window's count becomes the weighted previous count.
    moment = start + window + window * (1 - (limit - 1) / max(current, 1))
    return max(moment - now, 0)


def hit(action: str, key: str, *, now: float | None = None) -> str | None:
    """Count one attempt at `action` by `key`; raise RateLimited past the limit.

    Returns the cache key that counted the attempt, or None with no limit.
    """
    rate = settings.FORUM_RATE_LIMITS.get(action)
    if not rate:
        return None
    limit, window = parse_rate(rate)
    now = time.time() if now is None else now
    start = int(now // window) * window
    current_key = f"ratelimit:{action}:{key}:{start}"
    previous_key = f"ratelimit:{action}:{key}:{start - window}"
    current = _increment(current_key, timeout=2 * window + 1)
    previous = cache.get(previous_key) or 0
    weight = 1 - (now - start) / window
    if current + previous * weight <= limit:
        return current_key
    _uncount(current_key)
    raise RateLimited(
        retry_after=_wait(limit, window, current - 1, previous, now),
    )


def limits_for(action: str, user) -> list[str]:
    """The names of the limits that apply to a user acting, strictest first."""
    names = [action + suffix for suffix in SUFFIXES]
    if is_new_account(user):
        names = [f"{action}_new{suffix}" for suffix in SUFFIXES] + names
    return [name for name in names if settings.FORUM_RATE_LIMITS.get(name)]


def hit_for_user(action: str, user) -> None:
    """Apply an action's limits to a user, tighter while the account is new.

    Every applicable limit is checked before any is counted for good, so an
    attempt refused by the daily limit does not use up the per-second one.
    """
    counted: list[str] = []
    try:
        for name in limits_for(action, user):
            counted.append(hit(name, f"user:{user.pk}"))
    except RateLimited:
        for cache_key in counted:
            _uncount(cache_key)
        raise
