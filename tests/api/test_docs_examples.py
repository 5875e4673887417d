"""The curl examples of docs/api.md, run in order against a live server."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import ApiToken
from forum.models import Flag, Follow, Notification, Reply, Vote
from forum.services import follow_thread, post_reply, set_thread_postings
from tests.factories import ArticleFactory, PostingFactory, ThreadFactory, UserFactory
from tests.support import require_service

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "api.md"
DOCUMENTED_ORIGIN = "http://127.0.0.1:8000"

# Every curl fails the script on an HTTP error, so a broken example shows.
PROLOGUE = """set -euo pipefail
curl() { command curl --silent --show-error --fail-with-body "$@"; }
"""


def _shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)


def _seed_documented_forum():
    alice = UserFactory(username="alice")
    bob = UserFactory(username="bob")
    article = ArticleFactory(slug="salaires-ia-2025")
    thread = ThreadFactory(article=article)
    set_thread_postings(
        thread=thread,
        postings=[PostingFactory(salary_min=250_000, salary_max=400_000)],
    )
    first = post_reply(thread=thread, author=bob, body="Des salaires hors norme.")
    assert (thread.pk, first.pk) == (1, 1)
    # Alice follows the thread, so bob's next reply is her notification 1.
    follow_thread(thread=thread, user=alice)
    post_reply(thread=thread, author=bob, body="Et les primes ?")
    assert Notification.objects.get(recipient=alice).pk == 1
    Group.objects.get_or_create(name="Moderators")[0].permissions.add(
        Permission.objects.get(codename="moderate_reply")
    )
    return alice


def test_the_guide_has_examples_for_reading_writing_and_syncing():
    blocks = _shell_blocks(GUIDE.read_text())

    joined = "\n".join(blocks)
    assert len(blocks) >= 6
    for needle in (
        "/auth/token/",
        "/auth/tokens/",
        "/replies/",
        "/vote/",
        "/follow/",
        "/notifications/",
        "/me/replies/",
        "If-None-Match",
        "updated_after",
    ):
        assert needle in joined


def test_the_guide_has_a_curl_example_for_every_operation_of_the_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    text = GUIDE.read_text()
    examples = "\n".join(_shell_blocks(text))

    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        documented = path.removeprefix("/api/v1")
        pattern = re.escape(documented)
        pattern = re.sub(r"\\\{[a-z_]+\\\}", r"[^/]+", pattern)
        pattern = re.escape("$API") + pattern + r"(\?[^\"\s]*)?[\"\s]"
        for method in operations:
            if method not in {"get", "post", "patch", "delete"}:
                continue
            assert f"`{method.upper()} {documented}`" in text, (method, path)
            calls = [
                line for line in examples.splitlines() if re.search(pattern, line + " ")
            ]
            if method == "get":
                assert any("-X " not in line for line in calls), path
            else:
                assert any(f"-X {method.upper()} " in line for line in calls), (
                    method,
                    path,
                )


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_guides_curl_examples_run_against_a_live_server(live_server):
    curl = shutil.which("curl")
    require_service(curl is not None, "curl is not installed")
    alice = _seed_documented_forum()
    script = PROLOGUE + "\n".join(_shell_blocks(GUIDE.read_text()))
    script = script.replace(DOCUMENTED_ORIGIN, live_server.url)

    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1].startswith('{"next"')
    assert re.search(r"\b304\n", result.stdout)
    mine = Reply.objects.filter(author=alice).order_by("pk")
    # The Idempotency-Key example sends its reply twice: it is stored once.
    assert [reply.parent_id for reply in mine] == [None, 1, None]
    assert mine.last().body == "Je précise : à compétences égales."
    assert Vote.objects.get(user=alice).reply_id == 1
    assert Flag.objects.get(reporter=alice).reason == "off_topic"
    assert mine.last().is_removed and mine.last().removal_reason == "author"
    assert not Follow.objects.filter(user=alice).exists()
    assert not Notification.objects.filter(recipient=alice, read_at=None).exists()
    alice.refresh_from_db()
    assert alice.email_on_reply is True
    # The exchange made "Laptop", the guide made and revoked "Tableau de
    # bord", then revoked the token in use: none is left.
    assert not ApiToken.objects.filter(user=alice).exists()
