"""Where a request's time goes, in-process: its CPU, its wall time, and the
CPU the database and cache servers spend on it.

    python bench/costs.py [--replies 20000] [--requests 200] [--blocks 5]

Uses the database bench/run.py seeds (SQLite under bench/out/, or with
DATABASE_URL set the PostgreSQL database bench/run.py names after it; with
REDIS_URL, Redis as the cache) and Django's test client in this process. For
/healthz, the cached first page of the 10,000-reply thread for a signed-in
reader, and a vote (each reader votes up and withdraws, leaving the database
as it was), and for single statements (a round trip with nothing in it, the
signed-in user's lookup and the reader's own state on that page), it reports
per request, best and median of --blocks blocks:

- cpu: this process's CPU time (time.process_time);
- wall: the time from request to answer (time.perf_counter);
- db: CPU time of the PostgreSQL backend serving this process's connection
  (read from /proc, so only for a server on this machine);
- cache: CPU time of the redis-server process (idem; 0 without REDIS_URL).

The servers' CPU is counted in clock ticks (10 ms on most Linux machines):
keep blocks long enough for a few ticks each.

On SQLite db and cache are 0: what SQLite does is in cpu.
"""

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from inprocess import run_child, seeded, signed_in_clients, vote_targets  # noqa: E402

# Votes per block of the vote's measure: each voter votes up and withdraws,
# once in a run, well within the vote rate limit.
VOTES = 80


def _args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--blocks", type=int, default=5)
    parser.add_argument("--summary", help=argparse.SUPPRESS)
    return parser.parse_args()


def _cpu_of(pid: int | None) -> float:
    """User and system CPU seconds of a process on this machine, 0 if none."""
    if not pid:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _redis_pid() -> int | None:
    if not os.environ.get("REDIS_URL"):
        return None
    printed = subprocess.run(
        ["pgrep", "-o", "redis-server"], capture_output=True, text=True
    ).stdout
    return int(printed) if printed.strip() else None


def _measure(args) -> dict:
    import django

    django.setup()
    import logging

    from django.db import connection
    from django.test import Client

    from accounts.backends import user_by_id
    from accounts.models import User
    from forum.infra import prepared
    from forum.models import Reply
    from forum.pagecache.shared import _own_state

    logging.disable(logging.WARNING)
    summary = json.loads(Path(args.summary).read_text())
    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    cache_server = _redis_pid()

    def blocks(run, per_block: int) -> dict:
        for _ in range(10):
            run()
        rows = []
        for _ in range(args.blocks):
            cpu, wall = time.process_time(), time.perf_counter()
            db, cache = _cpu_of(backend), _cpu_of(cache_server)
            for _ in range(per_block):
                run()
            rows.append(
                {
                    "cpu": time.process_time() - cpu,
                    "wall": time.perf_counter() - wall,
                    "db": _cpu_of(backend) - db,
                    "cache": _cpu_of(cache_server) - cache,
                }
            )
        result = {}
        for name in ("cpu", "wall", "db", "cache"):
            values = sorted(row[name] / per_block * 1000 for row in rows)
            result[name] = (round(values[0], 3), round(statistics.median(values), 3))
        return result

    client = Client()
    reader = Client()
    reader.handler = client.handler
    reader.cookies["sessionid"] = summary["reader_session"]
    page = summary["megathread_url"]

    def get(who, path):
        def run():
            response = who.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return run

    results = {
        "healthz": blocks(get(client, "/healthz"), args.requests),
        "thread-signed-in": blocks(get(reader, page), args.requests),
    }

    voters = signed_in_clients(
        "bench-costs-voter", (10 + args.blocks * VOTES) // 2, client.handler
    )
    targets = vote_targets(summary["megathread_id"])
    turn = itertools.count()

    def vote():
        # Each voter votes up, then withdraws: every vote changes the
        # counters and the database ends as it was.
        number = next(turn)
        voter = voters[number // 2]
        value = "0" if number % 2 else "1"
        response = voter.post(
            f"/replies/{targets[(number // 2) % len(targets)]}/vote/",
            {"value": value},
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 200, response.status_code

    results["vote"] = blocks(vote, VOTES)

    reader_id = User.objects.get(username="bench-reader").pk
    shown = list(
        Reply.objects.filter(thread_id=summary["megathread_id"], depth=0)
        .order_by("-wilson")
        .values_list("pk", flat=True)[:64]
    )

    def round_trip():
        with prepared.cursor(connection) as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchall()

    results["statement: SELECT 1"] = blocks(round_trip, args.requests)
    results["statement: user"] = blocks(lambda: user_by_id(reader_id), args.requests)
    results["statement: own state"] = blocks(
        lambda: _own_state(summary["megathread_id"], reader_id, shown), args.requests
    )
    return results


def main() -> None:
    args = _args()
    if args.summary:
        print(json.dumps(_measure(args)))
        return
    env, label, summary = seeded(args.replies, "costs")
    results = run_child(
        __file__,
        env,
        [
            f"--summary={summary}",
            f"--requests={args.requests}",
            f"--blocks={args.blocks}",
        ],
    )
    cache = "Redis" if os.environ.get("REDIS_URL") else "no cache server"
    print(f"{label}, {cache}; ms per request, best / median of {args.blocks} blocks")
    print(f"load average: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print(f"| {'request':22} | cpu | wall | db | cache |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, row in results.items():
        cells = " | ".join(f"{row[key][0]:.3f} / {row[key][1]:.3f}" for key in row)
        print(f"| {name:22} | {cells} |")


if __name__ == "__main__":
    main()
