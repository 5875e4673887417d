"""A schema-driven fuzzer against a live server, signed in as a reader.

schemathesis reads /api/schema/ and sends requests generated from it (fixed
seed); every check must pass: no server error, no status, header or body
that the schema does not describe.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.services import create_api_token
from forum.services import post_reply, set_thread_postings
from tests.factories import (
    CitationFactory,
    PostingFactory,
    ReplyFactory,
    ThreadFactory,
    UserFactory,
)
from tests.support import require_service

SEED = 20250131
# About two minutes on PostgreSQL on a 2-core machine; more examples find
# little more and slow every run of the suite.
MAX_EXAMPLES = 20


def _schemathesis() -> str | None:
    beside = Path(sys.executable).with_name("schemathesis")
    return str(beside) if beside.exists() else shutil.which("schemathesis")


def _seed_forum():
    reader = UserFactory(username="fuzzer")
    writer = UserFactory(username="redactrice")
    for number in range(3):
        thread = ThreadFactory()
        posting = PostingFactory()
        set_thread_postings(thread=thread, postings=[posting])
        CitationFactory(article=thread.article, posting=posting)
        root = post_reply(thread=thread, author=writer, body=f"Avis **{number}**")
        ReplyFactory(parent=root, author=writer)
    return create_api_token(user=reader, name="test")


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_failure_against_a_live_server(live_server, tmp_path):
    command = _schemathesis()
    require_service(command is not None, "schemathesis is not installed (dev extra)")
    token = _seed_forum()

    result = subprocess.run(
        [
            command,
            "run",
            f"{live_server.url}/api/schema/",
            f"--base-url={live_server.url}",
            "--checks=all",
            f"--hypothesis-seed={SEED}",
            f"--hypothesis-max-examples={MAX_EXAMPLES}",
            "--hypothesis-database=none",
            "--hypothesis-suppress-health-check=all",
            f"--header=Authorization: Bearer {token.secret}",
            "--request-timeout=20000",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )

    report = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, report
    assert " passed" in result.stdout, report
    assert "failed" not in result.stdout.splitlines()[-1], report
