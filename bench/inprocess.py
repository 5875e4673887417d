"""What bench/render.py and bench/costs.py share: measuring in a child
process with Django's test client, on the database bench/run.py seeds."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_child(script: str, env: dict, options: list[str]) -> dict:
    """Run `script` again with the benchmark database's environment and the
    project's settings: what the last line it prints holds, as JSON."""
    printed = subprocess.run(
        [sys.executable, script, *options],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "forum.settings",
            "ALLOWED_HOSTS": "testserver",
        },
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(printed.strip().splitlines()[-1])


def signed_in_clients(prefix: str, count: int, handler) -> list:
    """`count` readers named prefix-N, who joined long ago (no new account's
    limits), each with a test client signed in. They share `handler`, as the
    requests of one server process do: a new one loads the middleware again
    (and WhiteNoise reads every static file), which costs more than what is
    measured."""
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User

    joined = timezone.now() - timezone.timedelta(days=400)
    clients = []
    for number in range(count):
        reader, _ = User.objects.get_or_create(
            username=f"{prefix}-{number}", defaults={"date_joined": joined}
        )
        client = Client()
        client.handler = handler
        client.force_login(reader)
        clients.append(client)
    return clients


def seeded(replies: int, name: str) -> tuple[dict, str, Path]:
    """The static files collected and the database bench/run.py seeds:
    its environment, its label and a file holding its summary (readers'
    sessions included), written for the script `name`."""
    from run import OUT, base_env, seeded_database

    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=base_env(),
        check=True,
    )
    env, label, summary = seeded_database(replies)
    path = OUT / f"{name}-summary.json"
    path.write_text(json.dumps(summary))
    return env, label, path


def vote_targets(thread_id: int) -> list[int]:
    """Three replies of the thread that take votes (published, not removed)."""
    from forum.models import Reply

    return list(
        Reply.objects.filter(thread_id=thread_id, removed_at=None)
        .filter(status=Reply.Status.PUBLISHED)
        .values_list("pk", flat=True)[:3]
    )
