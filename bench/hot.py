"""The hot-thread scenario of bench/run.py: readers of the 10,000-reply
thread at 16 connections (every other one signed in, with wrk and
bench/hot_read.lua) while other connections vote (about 20 votes/s) and post
(about 1 reply/s) on the same thread.

Each write is followed until both an anonymous and a signed-in reader see it
on the thread page (a vote: the reply's score as the vote answered it; a
reply: its text on the page sorted by newest): one checker reads those four
pages every 50 ms, and the worst lag from the write's answer to both readers
seeing it is reported. A vote whose reply is voted again before it is seen
counts as seen then. Before the run each voter's vote on the reply they
will vote on is withdrawn (Hot._voters_on_the_page), so that every vote of
the run changes a counter.
After the run, each gunicorn worker's resident memory is read from /proc.
"""

import json
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

VOTES_PER_SECOND = 20
# Voters of the scenario, the first of bench/prepare.py's: enough for its
# votes, few enough that withdrawing theirs first stays quick.
VOTERS = 500
REPLIES_PER_SECOND = 1
POLL_SECONDS = 0.05
GIVE_UP_SECONDS = 10


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _send(url, *, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Hot:
    def __init__(self, server, summary: dict):
        self.base = server.base
        self.summary = summary
        self.csrf = summary["csrf"]
        self.reader_cookie = (
            f"sessionid={summary['reader_session']}; csrftoken={self.csrf}"
        )
        lines = Path(summary["votes_file"]).read_text().split()
        sessions = lines[0::2][:VOTERS]
        self.votes = self._voters_on_the_page(sessions)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.vote_latencies: list[float] = []
        self.lags: list[float] = []
        self.unseen = 0
        self.errors = 0
        self.latest_vote: dict[str, float] = {}
        self.pending: list[tuple] = []

    def _post(self, session: str, path: str, body: dict, accept_json=False):
        headers = {
            "Cookie": f"sessionid={session}; csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        if accept_json:
            headers["Accept"] = "application/json"
        return _send(
            f"{self.base}{path}",
            data=urllib.parse.urlencode(body).encode(),
            headers=headers,
        )

    def _voters_on_the_page(self, sessions: list[str]) -> list[tuple]:
        """(session, reply) pairs: each voter votes on a reply of the first
        page (earlier scenarios' votes may have moved those bench/prepare.py
        chose off it), with no vote of theirs on it yet, so that every vote
        of the run changes a counter (an earlier run leaves its votes).
        Withdrawing votes may move replies off the page: until the page
        stays the same, the pairs are made again from it. A removed reply,
        or one hidden after reports, keeps its place on the page but takes
        no vote (404): it is left out."""
        shown, unvotable = None, set()
        for _attempt in range(5):
            page = self._page(False)
            now_shown = [
                reply
                for reply in dict.fromkeys(re.findall(r'id="reply-(\d+)"', page))
                if reply not in unvotable
            ]
            if now_shown == shown:
                break
            shown = now_shown
            pairs = [
                (session, shown[index % len(shown)])
                for index, session in enumerate(sessions)
            ]
            for session, reply in pairs:
                status, _body = self._post(
                    session, f"/replies/{reply}/vote/", {"value": "0"}, accept_json=True
                )
                if status == 404:
                    unvotable.add(reply)
                elif status != 200:
                    raise RuntimeError(f"Withdrawing a vote answered HTTP {status}.")
        return pairs

    def _page(self, signed_in: bool, query: str = "") -> str:
        headers = {"Cookie": self.reader_cookie} if signed_in else {}
        _status, body = _send(
            f"{self.base}{self.summary['mega_url']}{query}", headers=headers
        )
        return body.decode(errors="replace")

    def checker(self):
        """One reader of each kind polls the page (and the page sorted by
        newest) every POLL_SECONDS and settles every write waiting to be
        seen."""
        while not (self.stop.is_set() and not self.pending):
            pages = {
                (signed_in, query): self._page(signed_in, query)
                for signed_in in (False, True)
                for query in ("", "?sort=new")
            }
            now = time.monotonic()
            with self.lock:
                waiting = []
                for committed, query, seen, superseded in self.pending:
                    both = all(seen(pages[reader, query]) for reader in (False, True))
                    if both or superseded():
                        self.lags.append(now - committed)
                    elif now - committed > GIVE_UP_SECONDS:
                        self.unseen += 1
                    else:
                        waiting.append((committed, query, seen, superseded))
                self.pending = waiting
            time.sleep(POLL_SECONDS)

    def _check(self, committed, query, seen, superseded=lambda: False):
        with self.lock:
            self.pending.append((committed, query, seen, superseded))

    def voter(self):
        number = 0
        while not self.stop.is_set():
            started = time.monotonic()
            session, reply = self.votes[number % len(self.votes)]
            value = "1" if (number // len(self.votes)) % 2 == 0 else "-1"
            status, body = self._post(
                session, f"/replies/{reply}/vote/", {"value": value}, accept_json=True
            )
            answered = time.monotonic()
            number += 1
            with self.lock:
                self.vote_latencies.append(answered - started)
            if status != 200:
                with self.lock:
                    self.errors += 1
            else:
                score = json.loads(body)["score"]
                self.latest_vote[reply] = answered
                pattern = re.compile(
                    rf'id="reply-{reply}".*?data-score[^>]*>(-?\d+)<', re.S
                )

                def seen(page, pattern=pattern, score=score):
                    found = pattern.search(page)
                    return bool(found) and int(found[1]) == score

                def superseded(reply=reply, answered=answered):
                    return self.latest_vote.get(reply, answered) > answered

                self._check(answered, "", seen, superseded)
            time.sleep(max(0.0, 1 / VOTES_PER_SECOND - (time.monotonic() - started)))

    def poster(self):
        number = 0
        thread_id = self.summary["megathread_id"]
        while not self.stop.is_set():
            started = time.monotonic()
            # Writers take turns, each well within the reply rate limit.
            session = self.votes[(number * 37) % len(self.votes)][0]
            text = f"Réponse du banc d'essai n°{number}, {time.time_ns()}."
            status, _body = self._post(
                session, f"/threads/{thread_id}/actions/reply/", {"body": text}
            )
            answered = time.monotonic()
            number += 1
            if status != 302:
                with self.lock:
                    self.errors += 1
            else:
                escaped = text.replace("'", "&#x27;")

                def seen_new(page, escaped=escaped, text=text):
                    return escaped in page or text in page

                self._check(answered, "?sort=new", seen_new)
            time.sleep(max(0.0, 1 / REPLIES_PER_SECOND - (time.monotonic() - started)))


def _worker_memory(server) -> list[float]:
    """Resident memory of the gunicorn master's children, in MB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        parent = re.search(r"PPid:\s+(\d+)", text)
        if parent and int(parent[1]) == server.process.pid:
            rss = re.search(r"VmRSS:\s+(\d+) kB", text)
            if rss:
                sizes.append(int(rss[1]) / 1024)
    return sorted(sizes)


def run(server, summary: dict, args, wrk) -> dict:
    """Read under writes; the row bench/run.py prints and reports."""
    hot = Hot(server, summary)
    writers = [
        threading.Thread(target=hot.voter, daemon=True),
        threading.Thread(target=hot.poster, daemon=True),
    ]
    checker = threading.Thread(target=hot.checker, daemon=True)
    checker.start()
    for writer in writers:
        writer.start()
    try:
        row = wrk(
            server,
            summary["mega_url"],
            args,
            script=[str(Path(__file__).with_name("hot_read.lua")), hot.reader_cookie],
        )
    finally:
        hot.stop.set()
        for writer in writers:
            writer.join()
    checker.join(timeout=GIVE_UP_SECONDS + 5)
    latencies = sorted(hot.vote_latencies)
    row.update(
        {
            "votes": len(latencies),
            "vote_p99": (
                latencies[int(0.99 * (len(latencies) - 1))] * 1000
                if latencies
                else float("nan")
            ),
            "worst_lag": max(hot.lags, default=float("nan")) * 1000,
            "median_lag": (
                statistics.median(hot.lags) * 1000 if hot.lags else float("nan")
            ),
            "unseen": hot.unseen,
            "write_errors": hot.errors,
            "worker_mb": _worker_memory(server),
        }
    )
    return row
