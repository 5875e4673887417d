"""A client generated from /api/schema/ works as it comes, against a live server.

openapi-python-client writes a Python package from the schema the server
publishes (offline: it reads a file, formats nothing); the test imports it
unedited and does what an API client does: list threads, page replies with
the cursor, get a token, post a reply, vote, export the thread.
"""

import importlib
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from forum.models import Reply, Vote
from forum.services import post_reply
from tests.factories import ThreadFactory, UserFactory
from tests.support import require_service

PASSWORD = "correct-horse-battery-staple"
PACKAGE = "forum_client"
# No formatting hooks: ruff would only slow the generation down.
CONFIG = f"package_name_override: {PACKAGE}\npost_hooks: []\n"


def _generator() -> str | None:
    beside = Path(sys.executable).with_name("openapi-python-client")
    return str(beside) if beside.exists() else shutil.which("openapi-python-client")


@pytest.fixture(scope="module")
def generated(live_server, tmp_path_factory):
    """The generated package, imported from a temporary folder."""
    command = _generator()
    require_service(command is not None, "openapi-python-client is not installed")
    folder = tmp_path_factory.mktemp("client")
    schema = folder / "schema.json"
    with urllib.request.urlopen(f"{live_server.url}/api/schema/?format=json") as got:
        schema.write_bytes(got.read())
    (folder / "config.yaml").write_text(CONFIG)
    result = subprocess.run(
        [
            command,
            "generate",
            f"--path={schema}",
            "--meta=none",
            f"--config={folder / 'config.yaml'}",
            f"--output-path={folder / PACKAGE}",
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
            del sys.modules[name]


def _api(name: str):
    return importlib.import_module(f"{PACKAGE}.api.{name}")


def _models():
    return importlib.import_module(f"{PACKAGE}.models")


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_reads_pages_posts_votes_and_exports(generated, live_server):
    writer = UserFactory(username="redactrice")
    reader = UserFactory(username="lecteur")
    thread = ThreadFactory()
    root = post_reply(thread=thread, author=writer, body="Premier avis")
    later = [
        post_reply(thread=thread, author=writer, body=f"Avis {number}", parent=root)
        for number in range(2)
    ]
    models = _models()
    anonymous = generated.Client(
        base_url=live_server.url, raise_on_unexpected_status=True
    )

    threads = _api("threads.threads_list").sync(client=anonymous)
    list_replies = _api("threads.threads_replies_list")
    first = list_replies.sync(
        thread.pk,
        client=anonymous,
        ordering=models.ThreadsRepliesListOrdering.OLD,
        page_size=2,
    )
    cursor = parse_qs(urlparse(first.next_).query)["cursor"][0]
    second = list_replies.sync(
        thread.pk,
        client=anonymous,
        ordering=models.ThreadsRepliesListOrdering.OLD,
        page_size=2,
        cursor=cursor,
    )
    token = _api("auth.auth_token_create").sync(
        client=anonymous,
        body=models.TokenRequestRequest(username="lecteur", password=PASSWORD),
    )
    signed = generated.AuthenticatedClient(
        base_url=live_server.url, token=token.token, raise_on_unexpected_status=True
    )
    posted = _api("threads.threads_replies_create").sync(
        thread.pk,
        client=signed,
        body=models.ReplyCreateRequest(body="Réponse **générée**", parent=root.pk),
    )
    voted = _api("replies.replies_vote_create").sync(
        later[0].pk, client=signed, body=models.VoteRequest(value=models.ValueEnum(1))
    )
    export = _api("threads.threads_export_retrieve").sync(thread.pk, client=signed)

    assert [listed.id for listed in threads.results] == [thread.pk]
    assert [reply.id for reply in first.results + second.results] == [
        root.pk,
        *[reply.pk for reply in later],
    ]
    assert second.next_ is None
    assert isinstance(token, models.Token)
    assert isinstance(posted, models.Reply)
    assert posted.parent == root.pk
    assert posted.body_html == "<p>Réponse <strong>générée</strong></p>\n"
    assert Reply.objects.get(pk=posted.id).author == reader
    assert (voted.score, voted.my_vote) == (1, models.MyVoteEnum(1))
    assert Vote.objects.get(reply=later[0]).user == reader
    assert isinstance(export, models.ThreadExport)
    assert export.thread.id == thread.pk
    exported = [answer.id for reply in export.replies for answer in reply.replies]
    assert sorted(exported) == sorted([posted.id, *[reply.pk for reply in later]])


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_reads_a_refused_password_as_the_documented_error(
    generated, live_server
):
    UserFactory(username="lecteur")
    models = _models()
    anonymous = generated.Client(
        base_url=live_server.url, raise_on_unexpected_status=True
    )

    answer = _api("auth.auth_token_create").sync_detailed(
        client=anonymous,
        body=models.TokenRequestRequest(username="lecteur", password="mauvais"),
    )

    assert answer.status_code == 401
    assert isinstance(answer.parsed, models.Error)
