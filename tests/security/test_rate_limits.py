import contextlib
import socket
import threading
import time
import uuid

import pytest
import redis
from django.contrib.messages import get_messages
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

import forum.settings as project_settings
from accounts.services import create_api_token
from forum import ratelimit
from forum.models import Flag, Reply, Vote
from forum.sharedstore import SHARED_TABLE, shared_cache
from tests.factories import ReplyFactory, UserFactory
from tests.support import require_service

JSON = {"HTTP_ACCEPT": "application/json"}


def _reply_url(thread):
    return reverse("forum:reply-create", args=[thread.pk])


def test_default_limits_allow_one_reply_per_five_seconds(auth_client, thread, settings):
    settings.FORUM_RATE_LIMITS = project_settings.FORUM_RATE_LIMITS
    auth_client.post(_reply_url(thread), {"body": "Premier avis."})

    response = auth_client.post(_reply_url(thread), {"body": "Second avis, trop tôt."})

    assert response.status_code == 400
    assert "You are doing this too often" in response.content.decode()
    assert list(Reply.objects.values_list("body", flat=True)) == ["Premier avis."]
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_refused_reply_from_the_page_script_answers_429_with_retry_after(
    auth_client, thread, settings
):
    settings.FORUM_RATE_LIMITS = {"reply": "1/5"}
    auth_client.post(_reply_url(thread), {"body": "Premier avis."}, **JSON)

    response = auth_client.post(_reply_url(thread), {"body": "Encore."}, **JSON)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 5
    assert "too often" in response.json()["errors"]["non_field_errors"][0]
    assert Reply.objects.count() == 1


def test_new_accounts_get_the_tighter_limits(client, thread, settings):
    settings.FORUM_RATE_LIMITS = {"reply": "5/60", "reply_new": "1/60"}
    veteran = UserFactory(username="veteran")
    newcomer = UserFactory(username="newcomer", date_joined=timezone.now())
    results = {}

    for person in (veteran, newcomer):
        client.force_login(person)
        first = client.post(_reply_url(thread), {"body": f"Avis de {person}."})
        second = client.post(_reply_url(thread), {"body": f"Suite de {person}."})
        results[person.username] = (first.status_code, second.status_code)

    assert results == {"veteran": (302, 302), "newcomer": (302, 400)}
    assert Reply.objects.filter(author=newcomer).count() == 1
    assert Reply.objects.filter(author=veteran).count() == 2


def test_limit_is_shared_by_every_session_of_a_user(user, thread, settings):
    settings.FORUM_RATE_LIMITS = {"reply": "1/60"}
    laptop, phone = Client(), Client()
    laptop.force_login(user)
    phone.force_login(user)
    laptop.post(_reply_url(thread), {"body": "Depuis l'ordinateur."})

    response = phone.post(_reply_url(thread), {"body": "Depuis le téléphone."})

    assert response.status_code == 400
    assert Reply.objects.count() == 1


def test_counters_live_in_the_shared_cache(auth_client, thread, settings):
    settings.FORUM_RATE_LIMITS = {"reply": "1/60"}
    auth_client.post(_reply_url(thread), {"body": "Premier avis."})
    shared_cache().clear()

    response = auth_client.post(_reply_url(thread), {"body": "Second avis."})

    assert response.status_code == 302
    assert Reply.objects.count() == 2


def test_refused_vote_answers_429_and_changes_nothing(
    other_client, other_user, thread, settings
):
    settings.FORUM_RATE_LIMITS = {"vote": "2/60"}
    replies = [ReplyFactory(thread=thread) for _ in range(3)]
    for reply in replies[:2]:
        other_client.post(
            reverse("forum:reply-vote", args=[reply.pk]), {"value": 1}, **JSON
        )

    response = other_client.post(
        reverse("forum:reply-vote", args=[replies[2].pk]), {"value": 1}, **JSON
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    replies[2].refresh_from_db()
    assert (replies[2].score, replies[2].upvotes) == (0, 0)
    assert Vote.objects.filter(user=other_user).count() == 2


def test_refused_vote_without_script_shows_the_reason_after_the_redirect(
    other_client, thread, settings
):
    settings.FORUM_RATE_LIMITS = {"vote": "1/60"}
    first, second = ReplyFactory(thread=thread), ReplyFactory(thread=thread)
    other_client.post(reverse("forum:reply-vote", args=[first.pk]), {"value": 1})

    response = other_client.post(
        reverse("forum:reply-vote", args=[second.pk]), {"value": -1}
    )

    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("too often" in message for message in shown)
    second.refresh_from_db()
    assert second.downvotes == 0


def test_refused_report_gets_a_form_error_and_stores_nothing(
    other_client, other_user, thread, settings
):
    settings.FORUM_RATE_LIMITS = {"flag": "1/3600"}
    first, second = ReplyFactory(thread=thread), ReplyFactory(thread=thread)
    other_client.post(
        reverse("forum:reply-flag", args=[first.pk]), {"reason": Flag.Reason.SPAM}
    )

    response = other_client.post(
        reverse("forum:reply-flag", args=[second.pk]), {"reason": Flag.Reason.SPAM}
    )

    assert response.status_code == 400
    assert "too often" in response.content.decode()
    assert list(Flag.objects.values_list("reply", flat=True)) == [first.pk]
    second.refresh_from_db()
    assert second.open_flag_count == 0


def _use_database_store(settings) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "forum.sharedstore.SharedDatabaseCache",
            "LOCATION": SHARED_TABLE,
        },
    }


@contextlib.contextmanager
def _redis_store(settings):
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            pass
        reachable = True
    except OSError:
        reachable = False
    require_service(reachable, "Redis is not running on 127.0.0.1:6379")
    prefix = f"forum-limits-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "forum.infra.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/11",
            "KEY_PREFIX": prefix,
        },
    }
    yield
    client = redis.Redis.from_url("redis://127.0.0.1:6379/11")
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)


@pytest.fixture(params=["database", "redis"])
def store(request, settings, db):
    """The shared store counting the limits: the database's slots (the
    default set-up) or Redis's sorted sets (with REDIS_URL), both tried."""
    if request.param == "database":
        _use_database_store(settings)
        yield request.param
        return
    with _redis_store(settings):
        yield request.param


@pytest.fixture
def redis_store(settings, db):
    with _redis_store(settings):
        yield


def test_two_attempts_close_together_are_limited_whatever_the_clock_says(
    store, settings
):
    settings.FORUM_RATE_LIMITS = {"reply": "1/3"}
    ratelimit.hit("reply", "user:1")
    started = time.time()

    refusals = 0
    while time.time() - started < 1.5:
        with pytest.raises(ratelimit.RateLimited):
            ratelimit.hit("reply", "user:1")
        refusals += 1
        time.sleep(0.1)

    assert refusals >= 3


def test_refused_attempts_do_not_delay_the_next_one(store, settings):
    settings.FORUM_RATE_LIMITS = {"reply": "1/1"}
    ratelimit.hit("reply", "user:1")
    for _attempt in range(5):
        with pytest.raises(ratelimit.RateLimited):
            ratelimit.hit("reply", "user:1")
    time.sleep(1.1)

    counted = ratelimit.hit("reply", "user:1")

    assert counted is not None


def test_retry_after_is_when_the_oldest_attempt_leaves_the_window(store, settings):
    settings.FORUM_RATE_LIMITS = {"vote": "2/60"}
    ratelimit.hit("vote", "user:1")
    ratelimit.hit("vote", "user:1")

    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit("vote", "user:1")

    assert refused.value.retry_after == 60
    assert refused.value.params == {"seconds": 60}


def test_a_refusal_by_one_limit_uses_up_none_of_the_others(store, settings):
    user = UserFactory(date_joined=timezone.now() - timezone.timedelta(days=30))
    settings.FORUM_RATE_LIMITS = {"reply": "5/60", "reply_hourly": "1/3600"}
    ratelimit.hit_for_user("reply", user)

    for _attempt in range(3):
        with pytest.raises(ratelimit.RateLimited):
            ratelimit.hit_for_user("reply", user)

    settings.FORUM_RATE_LIMITS = {"reply": "5/60"}
    for _attempt in range(4):
        ratelimit.hit_for_user("reply", user)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit_for_user("reply", user)


def test_a_burst_gets_exactly_the_limit(store, settings):
    settings.FORUM_RATE_LIMITS = {"vote": "4/60"}
    taken = [ratelimit.hit("vote", "user:1") for _attempt in range(4)]

    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit("vote", "user:1")
    assert len(taken) == 4 and None not in taken


def test_the_wait_is_the_longest_of_the_refusing_limits(store, settings):
    settings.FORUM_RATE_LIMITS = {"notice": "1/60", "notice_daily": "1/86400"}
    ratelimit.hit_all(["notice", "notice_daily"], "client:1")

    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit_all(["notice", "notice_daily"], "client:1")

    if store == "redis":
        assert refused.value.retry_after == 86400
    else:
        # The slots are asked one limit at a time: the first refusal answers.
        assert refused.value.retry_after in (60, 86400)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_attempts_for_the_last_places_count_each_place_once(
    store, settings
):
    settings.FORUM_RATE_LIMITS = {"vote": "5/60"}
    barrier = threading.Barrier(12)
    counted, refused = [], []

    def attempt():
        barrier.wait()
        try:
            counted.append(ratelimit.hit("vote", "user:1"))
        except ratelimit.RateLimited:
            refused.append(1)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert (len(counted), len(refused)) == (5, 7)


def test_an_attempt_at_the_limits_pace_reads_no_other_slot(db, settings, monkeypatch):
    _use_database_store(settings)
    settings.FORUM_RATE_LIMITS = {"vote": "30/60"}
    shared = shared_cache()
    read = []
    get_many = shared.get_many
    monkeypatch.setattr(
        shared,
        "get_many",
        lambda keys, **kwargs: read.append(keys) or get_many(keys, **kwargs),
    )
    # Both attempts fall in one stretch of the window, whatever the clock.
    moment = time.time()
    monkeypatch.setattr(ratelimit.time, "time", lambda: moment)

    first = ratelimit.hit("vote", "user:1")
    assert read == []
    # The slot of the moment is taken: the next attempt looks for another
    # among all of them.
    second = ratelimit.hit("vote", "user:1")

    assert first != second
    assert len(read) == 1 and len(read[0]) == 30
    monkeypatch.undo()
    assert shared.get(first) is not None and shared.get(second) is not None


def test_with_redis_an_actions_limits_take_one_round_trip(
    redis_store, settings, monkeypatch
):
    settings.FORUM_RATE_LIMITS = {"vote": "30/60", "vote_new": "10/60"}
    settings.FORUM_RATE_LIMITS["vote_new_daily"] = "50/86400"
    newcomer = UserFactory(date_joined=timezone.now())
    sent = []
    execute = redis.Redis.execute_command
    monkeypatch.setattr(
        redis.Redis,
        "execute_command",
        lambda self, *args, **options: (
            sent.append(args[0]) or execute(self, *args, **options)
        ),
    )
    ratelimit.hit_for_user("vote", newcomer)
    sent.clear()

    ratelimit.hit_for_user("vote", newcomer)

    assert sent == ["EVALSHA"]
    shared = shared_cache()
    for name in ("vote", "vote_new", "vote_new_daily"):
        held = redis.Redis.from_url("redis://127.0.0.1:6379/11").zcard(
            shared.make_key(f"ratelimit:{name}:user:{newcomer.pk}")
        )
        assert held == 2, name


def test_default_limits_stay_small_enough_for_slots():
    for name, rate in project_settings.FORUM_RATE_LIMITS.items():
        count, seconds = ratelimit.parse_rate(rate)

        assert 1 <= count <= 60, name
        assert seconds >= 1, name


def test_pages_and_api_share_one_limit_and_the_api_answers_429(
    auth_client, user, thread, settings
):
    settings.FORUM_RATE_LIMITS = {"reply": "1/60"}
    auth_client.post(_reply_url(thread), {"body": "Depuis la page."})
    api = APIClient()
    token = create_api_token(user=user, name="test")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.secret}")

    response = api.post(
        f"/api/v1/threads/{thread.pk}/replies/", {"body": "Par l'API."}, format="json"
    )

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "too often" in response.json()["detail"]
    assert list(Reply.objects.values_list("body", flat=True)) == ["Depuis la page."]
