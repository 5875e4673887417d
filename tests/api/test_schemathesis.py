"""A schema-driven fuzzer against a live server, anonymous and signed in.

schemathesis 4 reads /api/schema/ and sends requests generated from it, valid
and invalid (fixed seed, every phase); every check must pass: no server
error, no status, header or body that the schema does not describe, every
valid request accepted and every invalid one rejected.

Run alone: .venv/bin/pytest tests/api/test_schemathesis.py -p no:cacheprovider
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.services import create_api_token
from forum.services import post_reply, set_thread_postings
from tests.api.conftest import GENEROUS_RATES
from tests.factories import (
    CitationFactory,
    PostingFactory,
    ReplyFactory,
    ThreadFactory,
    UserFactory,
)
from tests.support import require_service

SEED = 20250131
CONFIG = Path(__file__).with_name("schemathesis.toml")
# Both runs take about two minutes on a 2-core machine; more examples find
# little more and slow every run of the suite.
MAX_EXAMPLES = 5


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


@pytest.fixture
def _rates_for_the_fuzzer(settings):
    """Thousands of requests in a minute: no throttle may hide an operation."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict(GENEROUS_RATES),
    }
    settings.FORUM_RATE_LIMITS = {}


def _run_schemathesis(live_server, tmp_path, *headers: str, exclude=()):
    command = _schemathesis()
    require_service(command is not None, "schemathesis is not installed (dev extra)")
    arguments = [
        command,
        f"--config-file={CONFIG}",
        "run",
        f"{live_server.url}/api/schema/?format=json",
        f"--url={live_server.url}",
        "--checks=all",
        "--mode=all",
        f"--seed={SEED}",
        f"--max-examples={MAX_EXAMPLES}",
        "--generation-database=none",
        "--suppress-health-check=all",
        "--workers=1",
        "--request-timeout=20",
        "--no-color",
        "--output-truncate=false",
    ]
    arguments += [f"--header={header}" for header in headers]
    for operation_id in exclude:
        arguments += ["--exclude-operation-id", operation_id]
    return subprocess.run(
        arguments,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )


def _assert_no_failure(result, tmp_path):
    # The whole output stays beside the test for reading; the failures
    # section (from its heading on) goes into the assertion message.
    (tmp_path / "schemathesis.txt").write_text(result.stdout + result.stderr)
    failures = result.stdout.find("FAILURES")
    report = result.stdout[max(failures, 0) :][-20000:] + result.stderr[-2000:]
    assert result.returncode == 0, report
    summary = result.stdout.strip().splitlines()[-1]
    assert "failure" not in summary and "error" not in summary, report
    counts = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert counts is not None, report
    assert int(counts[2]) > 0, report


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_rates_for_the_fuzzer")
def test_schemathesis_finds_no_failure_as_a_signed_in_reader(live_server, tmp_path):
    token = _seed_forum()

    # Revoking the token in use would sign the rest of the run out.
    result = _run_schemathesis(
        live_server,
        tmp_path,
        f"Authorization: Bearer {token.secret}",
        exclude=("auth_token_destroy", "auth_tokens_destroy"),
    )

    _assert_no_failure(result, tmp_path)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_rates_for_the_fuzzer")
def test_schemathesis_finds_no_failure_as_an_anonymous_client(live_server, tmp_path):
    _seed_forum()

    result = _run_schemathesis(live_server, tmp_path)

    _assert_no_failure(result, tmp_path)
