"""Load benchmark: gunicorn with production settings, driven by wrk.

    python bench/run.py [--replies 1000000] [--small-db 10000] [--duration 10]
        [--scenarios healthz,thread-anonymous,...] [--cache both|on|off]
        [--fragments-off] [--no-scale] [--no-write]

Seeds a benchmark database with `seed_load` (SQLite under bench/out/ by
default; with DATABASE_URL set, a PostgreSQL database named after it with a
"_bench_N" suffix), then starts gunicorn (2 workers, DJANGO_DEBUG=0,
DJANGO_HTTPS=0) and measures, with wrk at 16 connections:

- /healthz, the ceiling every other figure is compared to;
- the 10,000-reply thread page, anonymous and signed in;
- its replies API (GET /api/v1/threads/{id}/replies/);
- voting (POST /replies/{id}/vote/ with a session cookie and CSRF token);
- the same pages for a 10-reply thread, and with the page cache off;
- the same thread in a database of --small-db replies, for the scale ratios.

Seeded databases are kept under bench/out/ and reused by later runs. Results
are printed and written between the markers of docs/performance.md.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import hot

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "performance.md"
# Each database's latest run has its own place in the document.
SECTION = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
START, END = f"<!-- bench:{SECTION}:start -->", f"<!-- bench:{SECTION}:end -->"
# What browsers send: cached anonymous pages are sent gzipped to them.
ACCEPT_ENCODING = "gzip"
PYTHON = sys.executable
BIN = Path(sys.executable).parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=1_000_000)
    parser.add_argument("--small-db", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--worker-threads",
        type=int,
        default=1,
        help="threads per gunicorn worker (more than 1: gthread workers)",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--no-scale", action="store_true", help="skip the small database"
    )
    parser.add_argument("--no-write", action="store_true", help="leave docs alone")
    parser.add_argument(
        "--scenarios",
        default="",
        help="comma-separated scenario names to run (default: all), e.g. "
        "healthz,thread-anonymous,vote",
    )
    parser.add_argument(
        "--cache",
        choices=["both", "on", "off"],
        default="both",
        help="run with the page cache on, off, or both",
    )
    parser.add_argument(
        "--fragments-off",
        action="store_true",
        help="with the page cache off, also run with rendered replies not "
        "kept (FORUM_FRAGMENT_CACHE_TIMEOUT=0), to compare",
    )
    parser.add_argument(
        "--no-gzip",
        action="store_true",
        help="send no Accept-Encoding (wrk's default) instead of "
        '"Accept-Encoding: gzip" as browsers do',
    )
    return parser.parse_args()


# Databases ------------------------------------------------------------------


def _database_env(replies: int) -> tuple[dict, str, str]:
    """Environment naming the benchmark database, a label, and its summary."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        path = OUT / f"forum-{replies}.sqlite3"
        return (
            {"SQLITE_PATH": str(path)},
            f"SQLite ({path.name})",
            str(OUT / f"forum-{replies}.json"),
        )
    base, _, name = url.rpartition("/")
    name = name.split("?")[0]
    bench_name = f"{name}_bench_{replies}"
    summary = OUT / f"pg-{bench_name}.json"
    # Without its summary, the database is seeded again: from empty, as
    # SQLite's file is deleted first.
    _create_postgres_database(url, bench_name, fresh=not summary.exists())
    return (
        {"DATABASE_URL": f"{base}/{bench_name}"},
        f"PostgreSQL ({bench_name})",
        str(summary),
    )


def _create_postgres_database(url: str, name: str, *, fresh: bool) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    with psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def _manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def seeded_database(replies: int, **seed_options) -> tuple[dict, str, dict]:
    """A migrated, seeded database: its environment, label and summary."""
    database, label, summary_path = _database_env(replies)
    env = {**base_env(), **database}
    if not Path(summary_path).exists():
        if "SQLITE_PATH" in database:
            for suffix in ("", "-wal", "-shm"):
                Path(database["SQLITE_PATH"] + suffix).unlink(missing_ok=True)
        _manage(env, "migrate", "--no-input", "-v0")
        print(f"Seeding {replies:,} replies into {label}...", flush=True)
        started = time.monotonic()
        options = [
            f"--{key.replace('_', '-')}={value}" for key, value in seed_options.items()
        ]
        printed = _manage(
            env,
            "seed_load",
            f"--replies={replies}",
            "--format=json",
            *options,
            capture=True,
        )
        summary = json.loads(printed.strip().splitlines()[-1])
        summary["wall_seconds"] = round(time.monotonic() - started)
        Path(summary_path).write_text(json.dumps(summary))
    else:
        _manage(env, "migrate", "--no-input", "-v0")
    summary = json.loads(Path(summary_path).read_text())
    prepared = Path(summary_path).with_suffix(".prepared.json")
    subprocess.run(
        [PYTHON, "bench/prepare.py", summary_path, str(prepared)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    summary.update(json.loads(prepared.read_text()))
    return env, label, summary


def base_env() -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SQLITE_PATH", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_CONN_MAX_AGE="600",
        # Every request comes from one address: the API's per-address read
        # throttle would answer most of them with 429. It still counts each
        # request, as in production.
        API_THROTTLE_ANON_READ="100000000/m",
    )
    return env


# Server and load ------------------------------------------------------------


class Server:
    """gunicorn serving the site on loopback for one set of measurements."""

    def __init__(self, env: dict, port: int, workers: int, threads: int = 1):
        self.env, self.port, self.workers = env, port, workers
        self.threads = threads
        self.process = None

    def __enter__(self):
        log = open(OUT / "gunicorn.log", "a")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "forum.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "gthread" if self.threads > 1 else "sync",
                "--threads",
                str(self.threads),
                "--backlog",
                "2048",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2)
                return self
            except (TimeoutError, urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within a minute")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def status(self, path: str, cookie: str = "") -> int:
        request = urllib.request.Request(f"{self.base}{path}")
        if cookie:
            request.add_header("Cookie", cookie)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (TimeoutError, urllib.error.URLError):
            return 0


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * UNITS[unit]


def wrk(server: Server, path: str, args, cookie: str = "", script: list | None = None):
    """Run wrk against a path: requests per second, p50 and p99 in ms."""
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        "--latency",
        "--timeout",
        "10s",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if not args.no_gzip:
        command += ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
    if script:
        command += ["-s", script[0]]
    target = f"{server.base}{path}"
    extra = ["--", *script[1:]] if script else []
    # A short run first fills the caches and the connection pools.
    subprocess.run(
        [*command, "-d2s", target, *extra], check=True, capture_output=True, text=True
    )
    output = subprocess.run(
        [*command, f"-d{args.duration}s", target, *extra],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    p50 = re.search(r"50%\s+([\d.]+(?:us|ms|s))", output)
    p99 = re.search(r"99%\s+([\d.]+(?:us|ms|s))", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        # No latency when no request finished within wrk's timeout.
        "p50": _ms(p50.group(1)) if p50 else float("nan"),
        "p99": _ms(p99.group(1)) if p99 else float("nan"),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def measure(server: Server, summary: dict, args, names: list[str]) -> dict:
    # A browser that has opened any page carries its CSRF cookie.
    reader = f"sessionid={summary['reader_session']}; csrftoken={summary['csrf']}"
    plans = {
        "healthz": ("/healthz", "", None),
        "thread-anonymous": (summary["mega_url"], "", None),
        "thread-signed-in": (summary["mega_url"], reader, None),
        "api-replies": (summary["mega_api"], "", None),
        "small-thread-anonymous": (summary["small_url"], "", None),
        "small-thread-signed-in": (summary["small_url"], reader, None),
        "small-api-replies": (summary["small_api"], "", None),
        "vote": (
            "/",
            "",
            [str(ROOT / "bench" / "vote.lua"), summary["votes_file"], summary["csrf"]],
        ),
    }
    results = {}
    for name in names:
        if name == "hot":
            results[name] = hot.run(server, summary, args, wrk)
            row = results[name]
            print(
                f"  {name:24} {row['rps']:9.1f} req/s  p99 {row['p99']:7.2f} ms  "
                f"votes {row['votes']} (p99 {row['vote_p99']:.0f} ms)  "
                f"worst lag {row['worst_lag']:.0f} ms  unseen {row['unseen']}  "
                f"write errors {row['write_errors']}  "
                f"workers {', '.join(f'{mb:.0f} MB' for mb in row['worker_mb'])}",
                flush=True,
            )
            continue
        path, cookie, script = plans[name]
        if not script:
            code = server.status(path, cookie)
            if code != 200:
                results[name] = {"unavailable": f"HTTP {code} for {path}"}
                print(f"  {name:24} unavailable: HTTP {code} for {path}", flush=True)
                continue
        results[name] = wrk(server, path, args, cookie=cookie, script=script)
        row = results[name]
        print(
            f"  {name:24} {row['rps']:9.1f} req/s  p50 {row['p50']:7.2f} ms  "
            f"p99 {row['p99']:7.2f} ms  non-2xx {row['errors']}",
            flush=True,
        )
    return results


# Report ---------------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.*)", cpuinfo.read_text())
        cpu = found.group(1) if found else ""
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    wrk_version = subprocess.run(
        ["wrk", "-v"], capture_output=True, text=True
    ).stdout.split("\n")[0]
    import django

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "os": platform.platform(),
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": memory,
        "python": platform.python_version(),
        "django": django.get_version(),
        "wrk": wrk_version.strip(),
        "load_before": " ".join(f"{value:.1f}" for value in os.getloadavg()),
    }


def _fmt(row: dict | None, key: str, digits: int = 1) -> str:
    if not row or "unavailable" in row:
        return "n/a"
    return f"{row[key]:.{digits}f}"


def _ratio(row: dict | None, healthz: dict) -> str:
    if not row or "unavailable" in row:
        return "n/a"
    return f"{row['rps'] / healthz['rps']:.0%}"


def _table(title: str, results: dict) -> list[str]:
    healthz = results.get("healthz")
    lines = [
        f"#### {title}",
        "",
        "| scenario | req/s | p50 (ms) | p99 (ms) | share of /healthz req/s | "
        "non-2xx | socket errors (timeouts: past wrk's 10 s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, row in results.items():
        if "unavailable" in row:
            lines.append(f"| {name} | {row['unavailable']} | | | | | |")
            continue
        lines.append(
            f"| {name} | {row['rps']:.0f} | {row['p50']:.2f} | {row['p99']:.2f} | "
            f"{_ratio(row, healthz) if healthz else 'n/a'} | {row['errors']} | "
            f"{row['socket_errors']} |"
        )
    hot_row = results.get("hot")
    if hot_row and "votes" in hot_row:
        lines += [
            "",
            f"Hot thread (reads above, every other one signed in, while "
            f"{hot_row['votes']} votes and about a reply a second were "
            f"written): vote p99 "
            f"{hot_row['vote_p99']:.0f} ms; worst lag from a write's answer to "
            f"both readers seeing it {hot_row['worst_lag']:.0f} ms (median "
            f"{hot_row['median_lag']:.0f} ms), {hot_row['unseen']} writes not "
            f"seen within 10 s, {hot_row['write_errors']} writes refused; "
            "resident memory of the gunicorn workers after the run: "
            + ", ".join(f"{mb:.0f} MB" for mb in hot_row["worker_mb"])
            + "; each worker keeps at most FORUM_PAGE_LOCAL_MB of page copies and "
            "FORUM_FRAGMENT_LOCAL_MB of rendered replies.",
        ]
    return lines + [""]


def _median_ratio(a: dict | None, b: dict | None) -> str:
    if not a or not b or "unavailable" in a or "unavailable" in b:
        return "n/a"
    if not (a["p50"] > 0 and b["p50"] > 0):
        # No request finished in time: no median to compare.
        return "n/a"
    return f"{a['p50'] / b['p50']:.2f}×"


def report(info: dict, runs: dict, args) -> str:
    lines = [
        START,
        f"### Run of {info['date']}",
        "",
        f"- Machine: {info['cpu']}, {info['memory']}; {info['os']}",
        f"- Load average when the run started (1, 5, 15 min): {info['load_before']}; "
        f"when it ended: {info['load_after']}",
        f"- Python {info['python']}, Django {info['django']}, gunicorn "
        + (
            f"{args.workers} gthread workers of {args.worker_threads} threads"
            if args.worker_threads > 1
            else f"{args.workers} sync workers"
        )
        + ", DJANGO_DEBUG=0, DJANGO_HTTPS=0; "
        f"cache: {info['cache']}",
        f"- Load: {info['wrk']}, {args.threads} threads, {args.connections} "
        f"connections, {args.duration} s per scenario after a 2 s warm-up, on "
        "the same machine as the server; "
        + (
            "no Accept-Encoding"
            if args.no_gzip
            else f'"Accept-Encoding: {ACCEPT_ENCODING}" as browsers send'
        ),
        "",
    ]
    for title, run in runs.items():
        lines += [f"- {title}: {run['database']}, {run['summary_line']}"]
    lines.append("")
    for title, run in runs.items():
        lines += _table(title, run["results"])
    big = runs.get("large, page cache on", {}).get("results", {})
    big_off = runs.get("large, page cache off", {}).get("results", {})
    small = runs.get("small, page cache on", {}).get("results", {})
    small_off = runs.get("small, page cache off", {}).get("results", {})
    lines += [
        "#### Scale: median latency ratios (target below 1.5×)",
        "",
        "| comparison | page cache | thread anonymous | thread signed in | "
        "replies API |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    scenarios = ("thread-anonymous", "thread-signed-in", "api-replies")
    for many, few, mode in ((big, small, "on"), (big_off, small_off, "off")):
        ratios = " | ".join(_median_ratio(many.get(n), few.get(n)) for n in scenarios)
        lines.append(
            f"| 1,000,000 vs 10,000 replies in the database | {mode} | {ratios} |"
        )
    for results, mode in ((big, "on"), (big_off, "off")):
        ratios = " | ".join(
            _median_ratio(results.get(n), results.get(f"small-{n}")) for n in scenarios
        )
        lines.append(f"| 10,000-reply vs 10-reply thread | {mode} | {ratios} |")
    lines += ["", END]
    return "\n".join(lines)


def write_report(text: str) -> None:
    current = DOC.read_text() if DOC.exists() else f"# Performance\n\n{START}\n{END}\n"
    if START not in current:
        current += f"\n{START}\n{END}\n"
    before, rest = current.split(START, 1)
    _, after = rest.split(END, 1)
    DOC.write_text(before + text + after)


def _summary_line(summary: dict) -> str:
    seconds = summary.get("wall_seconds") or round(summary.get("seconds", 0))
    return (
        f"{summary['total_replies']:,} replies, {summary['votes']:,} votes; "
        f"thread of {summary['mega_replies']:,} replies and one of "
        f"{summary['small_replies']} (seeded in {seconds} s)"
    )


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit(
            "wrk is missing: install Debian's package (apt-get install wrk) and "
            "run again."
        )
    OUT.mkdir(parents=True, exist_ok=True)
    info = machine()
    info["cache"] = (
        "Redis (REDIS_URL)" if os.environ.get("REDIS_URL") else "local memory"
    )
    env = base_env()
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    runs = {}
    large_env, large_label, large = seeded_database(args.replies)
    every = [
        "healthz",
        "thread-anonymous",
        "thread-signed-in",
        "api-replies",
        "small-thread-anonymous",
        "small-thread-signed-in",
        "small-api-replies",
    ]
    plans = [("large", large_env, large_label, large, every + ["vote", "hot"])]
    if not args.no_scale:
        # The same 10,000-reply thread, almost alone in its database.
        small_env, small_label, small = seeded_database(
            args.small_db + 10, megathread=args.small_db, small_thread=10, threads=2
        )
        plans.append(("small", small_env, small_label, small, every[:4]))
    wanted = [name for name in args.scenarios.split(",") if name]
    modes = {"both": [True, False], "on": [True], "off": [False]}[args.cache]
    variants = [(on, True) for on in modes]
    if args.fragments_off and False in modes:
        variants.append((False, False))
    for size, db_env, label, summary, names in plans:
        if wanted:
            names = [name for name in names if name in wanted]
        for cache_on, fragments in variants:
            title = f"{size}, page cache {'on' if cache_on else 'off'}"
            if not fragments:
                title += ", replies not kept"
            print(f"{title}: {label}", flush=True)
            timeout = "300" if cache_on else "0"
            server_env = {**db_env, "FORUM_PAGE_CACHE_TIMEOUT": timeout}
            if not fragments:
                server_env["FORUM_FRAGMENT_CACHE_TIMEOUT"] = "0"
            with Server(
                server_env, args.port, args.workers, args.worker_threads
            ) as server:
                chosen = (
                    names
                    if cache_on
                    else [n for n in names if n not in ("vote", "hot")]
                )
                runs[title] = {
                    "database": label,
                    "summary_line": _summary_line(summary),
                    "results": measure(server, summary, args, chosen),
                }
    info["load_after"] = " ".join(f"{value:.1f}" for value in os.getloadavg())
    text = report(info, runs, args)
    print(text)
    if not args.no_write:
        write_report(text)
        print(f"Written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
