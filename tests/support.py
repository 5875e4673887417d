"""Helpers shared by tests that need a service outside the process."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, **environ: str) -> dict:
    """Run `code` in a fresh interpreter with the project's settings; it prints
    one JSON object, returned here."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "forum.settings", **environ}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_service(available: bool, reason: str) -> None:
    """Skip outside CI when a service is missing; fail under CI=true."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing service is a failure)")
    pytest.skip(reason)


def committed():
    """Run what waits for the commit (the queued tasks, in-process) when the
    block ends, as a real commit would: each test runs in a transaction that
    is rolled back, so its on_commit callbacks never run by themselves."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


class BrokenEmailBackend:
    """An e-mail backend whose server refuses every message, as a
    misconfigured SMTP relay does."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP relay refused the connection")


class Receiver:
    """A local HTTP server standing for another system's webhook endpoint."""

    def __init__(self):
        import http.server
        import threading

        self.requests = []
        self.status = 200
        self.answer = b'{"ok": true}'
        self.received = threading.Event()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                owner.requests.append({"headers": dict(self.headers), "body": body})
                hold = getattr(owner, "hold", None)
                if hold is not None and len(owner.requests) == 1:
                    owner.received.set()
                    hold.wait(60)
                self.send_response(owner.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(owner.answer)))
                self.end_headers()
                self.wfile.write(owner.answer)
                owner.received.set()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        hold = getattr(self, "hold", None)
        if hold is not None:
            hold.set()
        self.server.shutdown()
        self.server.server_close()


def post_reply_committed(**kwargs):
    """Post a reply and run what its commit queues (notifications, e-mail)."""
    from forum.services import post_reply

    with committed():
        return post_reply(**kwargs)


def signed_in_client(user):
    """A test client signed in as `user`."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
