"""CPU time of one request in-process, with the page cache off.

    python bench/render.py [--replies 20000] [--requests 40] [--blocks 1]
        [--fragments-off]

Uses the database bench/run.py seeds (SQLite under bench/out/, seeded first
if missing) and Django's test client in this process: what it reports is the
CPU time (time.process_time) a request costs the server, without the HTTP
server or the load generator, so it moves less than wrk's figures when the
machine is shared. It measures /healthz, the first page of the 10,000-reply
thread and of the 10-reply thread for an anonymous reader, with the page
cache off (FORUM_PAGE_CACHE_TIMEOUT=0) and the rendered replies kept (or
not, with --fragments-off), and a vote (POST /replies/{id}/vote/ as JSON) by
readers who each vote and withdraw twice, leaving the database as it was.
With --blocks N each page is measured in N blocks of --requests requests
and the best and the median block are reported: on a shared machine the
best block moves least from run to run.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from inprocess import run_child, seeded, signed_in_clients, vote_targets  # noqa: E402


def _args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--blocks", type=int, default=1)
    parser.add_argument("--fragments-off", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def _measure(args) -> dict:
    import django

    django.setup()
    import logging

    from django.test import Client

    logging.disable(logging.WARNING)
    summary = json.loads(Path(os.environ["BENCH_SUMMARY"]).read_text())
    client = Client()

    def cpu(path: str) -> tuple[list[float], int]:
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        blocks = []
        for _ in range(args.blocks):
            started = time.process_time()
            for _ in range(args.requests):
                response = client.get(path)
            blocks.append((time.process_time() - started) / args.requests * 1000)
        shown = response.content.count(b'class="reply-item')
        return sorted(blocks), shown

    results = {}
    for name, path in (
        ("healthz", "/healthz"),
        ("thread-anonymous", summary["megathread_url"]),
        ("small-thread-anonymous", summary["small_thread_url"]),
    ):
        blocks, shown = cpu(path)
        row = {"ms": round(blocks[0], 2)}
        if len(blocks) > 1:
            row["median ms"] = round(blocks[len(blocks) // 2], 2)
        results[name] = {**row, "replies shown": shown}

    voters = signed_in_clients("bench-render-voter", args.requests, client.handler)
    targets = vote_targets(summary["megathread_id"])
    # Each reader votes up, withdraws, votes up and withdraws again: every
    # request changes the counters, and the database ends as it was.
    started = time.process_time()
    votes = 0
    for round_ in range(4):
        for number, voter_client in enumerate(voters):
            response = voter_client.post(
                f"/replies/{targets[number % len(targets)]}/vote/",
                {"value": "0" if round_ % 2 else "1"},
                HTTP_ACCEPT="application/json",
            )
            votes += response.status_code == 200
    results["vote"] = {
        "ms": round((time.process_time() - started) / (4 * len(voters)) * 1000, 2),
        "accepted": votes,
    }
    return results


def main() -> None:
    args = _args()
    if args.child:
        print(json.dumps(_measure(args)))
        return
    env, label, summary = seeded(args.replies, "render")
    child_env = {
        **env,
        "FORUM_PAGE_CACHE_TIMEOUT": "0",
        "BENCH_SUMMARY": str(summary),
    }
    if args.fragments_off:
        child_env["FORUM_FRAGMENT_CACHE_TIMEOUT"] = "0"
    results = run_child(
        __file__,
        child_env,
        ["--child", f"--requests={args.requests}", f"--blocks={args.blocks}"],
    )
    print(f"{label}; page cache off; replies kept: {not args.fragments_off}")
    print(f"load average: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    for name, row in results.items():
        print(f"  {name:24} {row}")


if __name__ == "__main__":
    main()
