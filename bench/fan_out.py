"""What posting a reply costs with many followers, with and without a broker.

    python bench/fan_out.py [--followers 10000] [--posts 20]

On a fresh SQLite database under bench/out/, a thread gets --followers
followers (each with e-mail on, one in ten on the daily digest). Then, with
CELERY_BROKER_URL (or REDIS_URL) pointing at a Redis that no worker reads,
the request's work is measured: POST /api/v1/threads/{id}/replies/, which
only queues the fan-out. Last, the fan-out task itself is timed, as a worker
runs it (notification rows and one queued e-mail per follower; e-mails go to
the dummy backend).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=20)
    args = parser.parse_args()
    broker = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL")
    if not broker:
        sys.exit("Set CELERY_BROKER_URL (or REDIS_URL) to a Redis, e.g. db 14")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    database = out / "fan_out.sqlite3"
    database.unlink(missing_ok=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="forum.settings",
        SQLITE_PATH=str(database),
        DATABASE_URL="",
        CELERY_BROKER_URL=broker,
        CELERY_TASK_ALWAYS_EAGER="0",
        CELERY_QUEUE="forum-bench",
        EMAIL_URL="dummy:",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rest_framework.test import APIClient

    from accounts.models import User
    from accounts.services import create_api_token
    from forum.celery import app
    from forum.models import Follow, Notification, Reply, Thread
    from forum.notifications import fan_out

    settings.FORUM_RATE_LIMITS = {}
    settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = []
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    author = User.objects.create(username="autrice", email_verified_at=timezone.now())
    quiet = Thread.objects.create(title="Sans abonnés", slug="sans-abonnes")
    busy = Thread.objects.create(title="Très suivie", slug="tres-suivie")
    followers = User.objects.bulk_create(
        User(
            username=f"suiveur{n}",
            email=f"suiveur{n}@example.org",
            email_on_followed=True,
            email_digest=n % 10 == 0,
        )
        for n in range(args.followers)
    )
    Follow.objects.bulk_create(Follow(thread=busy, user=user) for user in followers)
    token = create_api_token(user=author, name="test")
    api = APIClient(HTTP_AUTHORIZATION=f"Bearer {token.secret}")

    def post(thread):
        timings, queries = [], []
        for n in range(args.posts):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = api.post(
                    f"/api/v1/threads/{thread.pk}/replies/",
                    {"body": f"Réponse numéro {n}."},
                    format="json",
                )
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 201, response.content
            queries.append(len(captured))
        return statistics.median(timings), max(queries)

    post(quiet)  # warm-up
    quiet_ms, quiet_queries = post(quiet)
    busy_ms, busy_queries = post(busy)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("forum-bench")

    reply = Reply.objects.filter(thread=busy).latest("pk")
    started = time.perf_counter()
    emails = fan_out(reply)
    fan_out_s = time.perf_counter() - started
    notified = Notification.objects.filter(reply=reply).count()

    print(f"followers: {args.followers}, posts per thread: {args.posts}")
    print(
        f"POST reply, 0 followers:      {quiet_ms:6.1f} ms median, "
        f"{quiet_queries} queries"
    )
    print(
        f"POST reply, {args.followers} followers: {busy_ms:6.1f} ms median, "
        f"{busy_queries} queries"
    )
    print(
        f"fan-out task (in a worker):   {fan_out_s * 1000:6.0f} ms for {notified} "
        f"notifications and {len(emails)} e-mails queued"
    )


if __name__ == "__main__":
    main()
