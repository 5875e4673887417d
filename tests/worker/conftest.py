"""A real Celery worker process, for the tests marked `worker`.

The worker reads the broker from CELERY_TEST_BROKER_URL (.ci/run sets it in
its PostgreSQL + Redis pass); without it the tests are skipped, and under
CI=true they fail. Each test gets its own queue, the test database, a
five-second visibility timeout and the file e-mail backend.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from forum.celery import app
from tests.support import require_service

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")
ROOT = Path(__file__).resolve().parents[2]
# One queue for the session: this process's producer keeps the queue it
# first sent to. Each worker empties it before starting.
QUEUE = f"forum-test-{uuid.uuid4().hex[:8]}"


def _broker_reachable() -> bool:
    if not BROKER:
        return False
    try:
        with app.connection_for_write(BROKER) as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception:
        return False
    return True


def wait_for(check, timeout=45, message="the worker did not finish in time"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(message)


class Worker:
    def __init__(self, queue: str, env: dict, log_dir: Path):
        self.queue = queue
        self.env = env
        self.log_dir = log_dir
        self.process = None
        self.starts = 0

    def start(self):
        self.starts += 1
        self.log = self.log_dir / f"worker-{self.starts}.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "forum",
                "worker",
                "--pool=solo",
                "--queues",
                self.queue,
                "--hostname",
                f"{self.queue}-{self.starts}@%h",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        wait_for(
            lambda: (
                " ready." in self.log.read_text(errors="replace")
                or self.process.poll() is not None
            ),
            timeout=60,
            message="the Celery worker did not start",
        )
        assert self.process.poll() is None, self.log.read_text(errors="replace")

    def kill(self):
        """End the worker at once, as a lost machine would: no clean-up."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def _reset_connections() -> None:
    """Forget the producer pool and queues built from the earlier broker
    settings (even in-process tasks acquire a producer), so what this process
    sends goes to the worker's broker and queue."""
    app._pool = None
    app.__dict__.pop("amqp", None)


def _database_env() -> dict:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings["USER"] or "postgres"
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        host = settings["HOST"] or "127.0.0.1"
        port = settings["PORT"] or 5432
        return {
            "DATABASE_URL": f"postgres://{user}{password}@{host}:{port}/"
            f"{settings['NAME']}"
        }
    return {"DATABASE_URL": "", "SQLITE_PATH": str(settings["NAME"])}


@pytest.fixture
def worker(transactional_db, tmp_path, settings):
    """Start a worker on a queue of its own; this process sends to it."""
    require_service(
        _broker_reachable(),
        "No Celery broker for the worker tests: set CELERY_TEST_BROKER_URL "
        "(e.g. redis://127.0.0.1:6379/14), as .ci/run does",
    )
    queue = QUEUE
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        **_database_env(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_QUEUE": queue,
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "EMAIL_URL": f"file://{mail_dir}",
        "DJANGO_DEBUG": "1",
        "SITE_URL": settings.SITE_URL,
    }
    saved = {
        key: app.conf[key]
        for key in ("broker_url", "task_always_eager", "task_default_queue")
    }
    app.conf.update(
        broker_url=BROKER, task_always_eager=False, task_default_queue=queue
    )
    _reset_connections()
    with app.connection_for_write(BROKER) as conn:
        conn.default_channel.queue_purge(queue)
    process = Worker(queue, env, tmp_path)
    process.mail_dir = mail_dir
    process.start()
    yield process
    process.stop()
    app.conf.update(**saved)
    _reset_connections()
    # Shown by pytest when the test failed: what the workers said.
    for log in sorted(tmp_path.glob("worker-*.log")):
        print(f"== {log.name}\n{log.read_text(errors='replace')[-4000:]}")
