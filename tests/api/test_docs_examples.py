"""The curl examples of docs/api.md, run in order against a live server."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission

from forum.models import Flag, Reply, Vote
from forum.services import post_reply, set_thread_postings
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
        "/replies/",
        "/vote/",
        "If-None-Match",
        "updated_after",
    ):
        assert needle in joined


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
