"""Rate limits shared by the pages and the API, counted in the shared cache.

A limit is "count/seconds" in settings.FORUM_RATE_LIMITS, under a name made
of the action and an optional suffix: "reply", "reply_hourly",
"reply_daily"; the "_new" names ("reply_new", "reply_new_daily") apply on top
while an account is younger than FORUM_NEW_ACCOUNT_AGE.

A limit of N attempts per window is N slots in the cache. An attempt takes a
free slot with an atomic add that expires one window later, so at most N
attempts fall in any window-long stretch of time (a true sliding window: two
attempts on either side of a clock boundary are still seen as close), every
app server sees the same slots (the shared cache of forum/sharedstore.py:
Redis, or a database table), and the earliest
slot's expiry is the exact Retry-After. A refused attempt takes no slot, so
someone told to wait a few seconds gets in once they have. Limits are meant
to be small (tens of attempts): each counted attempt holds one small cache
entry until it leaves its window.

An attempt first tries the slot of the moment: the window cut into as many
stretches as there are slots, the slots taken in turn. Someone acting no
faster than the limit's pace finds it free, and the attempt costs one add
instead of reading every slot; only when it is taken are the others read.

With Redis as the shared cache, the same rule is counted in one round trip
for all the limits of an action: each limit is a sorted set of its attempts'
times, and a script drops those that left the window and adds the attempt
to every set or, if one is full, to none (RedisCache.take_places).
"""

import secrets
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.sharedstore import shared_cache

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


def hit(action: str, key: str) -> str | None:
    """Count one attempt at `action` by `key`; raise RateLimited past the limit.

    Returns the cache key the attempt was counted under, or None when the
    action has no limit.
    """
    taken = hit_all([action], key)
    return taken[0] if taken else None


def hit_all(names: list[str], key: str) -> list[str]:
    """Count one attempt by `key` under each of the named limits that are
    set, or, when one of them refuses it, under none of them and raise
    RateLimited. Returns the cache keys the attempt was counted under."""
    limits = [
        (name, *parse_rate(settings.FORUM_RATE_LIMITS[name]))
        for name in names
        if settings.FORUM_RATE_LIMITS.get(name)
    ]
    if not limits:
        return []
    cache = shared_cache()
    take_places = getattr(cache, "take_places", None)
    if take_places is not None:
        places = [
            (f"ratelimit:{name}:{key}", limit, window) for name, limit, window in limits
        ]
        now = time.time()
        wait = take_places(places, now, f"{now:.6f}:{secrets.token_hex(4)}")
        if wait > 0:
            raise RateLimited(retry_after=wait)
        return [place for place, _limit, _window in places]
    taken: list[str] = []
    try:
        for name, limit, window in limits:
            taken.append(_take_slot(cache, f"ratelimit:{name}:{key}:", limit, window))
    except RateLimited:
        cache.delete_many(taken)
        raise
    return taken


def _take_slot(cache, prefix: str, limit: int, window: int) -> str:
    """The slot of the slots named `prefix`N the attempt took (the slot
    store: every cache but Redis)."""
    now = time.time()
    # The slot of the moment comes round again one window later, when what
    # it held has (nearly always) left the window.
    first = f"{prefix}{int(now * limit / window) % limit}"
    if cache.add(first, now + window, window):
        return first
    slots = [f"{prefix}{number}" for number in range(limit)]
    taken = cache.get_many(slots)
    taken[first] = True
    for slot in slots:
        # add() is atomic: of two simultaneous attempts on one free slot,
        # one gets it and the other moves on to the next.
        if slot not in taken and cache.add(slot, time.time() + window, window):
            return slot
    expiries = list(cache.get_many(slots).values())
    now = time.time()
    raise RateLimited(retry_after=min(expiries, default=now + 1) - now)


def limits_for(action: str, user) -> list[str]:
    """The names of the limits that apply to a user acting, strictest first."""
    names = [action + suffix for suffix in SUFFIXES]
    if is_new_account(user):
        names = [f"{action}_new{suffix}" for suffix in SUFFIXES] + names
    return [name for name in names if settings.FORUM_RATE_LIMITS.get(name)]


def hit_for_user(action: str, user) -> None:
    """Apply an action's limits to a user, tighter while the account is new.

    An attempt refused by one limit is counted under none of the others, so
    being refused never uses anything up.
    """
    hit_all(limits_for(action, user), f"user:{user.pk}")
