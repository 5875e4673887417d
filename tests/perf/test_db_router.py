"""Read replicas: read-only queries to the replica, the rest to the primary."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import router, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from forum.infra import db_router
from forum.infra.db_router import PIN_COOKIE, PrimaryAfterWriteMiddleware
from forum.models import Reply, Thread
from forum.services import cast_vote

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def replica_routing(settings):
    """The router on, outside any request that wrote (as a new request is)."""
    settings.DATABASE_ROUTERS = ["forum.infra.db_router.PrimaryReplicaRouter"]
    settings.FORUM_REPLICA_PIN_SECONDS = 5
    with db_router.unpinned():
        yield


def _reads_from(request) -> list[str]:
    """Where a request's reads go, before and after the view writes."""
    seen = []

    def view(request):
        seen.append(router.db_for_read(Reply))
        if request.method == "POST":
            router.db_for_write(Reply)
        seen.append(router.db_for_read(Reply))
        return HttpResponse("ok")

    response = PrimaryAfterWriteMiddleware(view)(request)
    return seen, response


def test_reads_go_to_the_replica_outside_transactions(replica_routing):
    assert router.db_for_read(Reply) == "replica"
    assert Thread.objects.all().db == "replica"


def test_reads_inside_a_transaction_go_to_the_primary(replica_routing, db):
    with transaction.atomic():
        inside = Reply.objects.select_for_update().db

    assert inside == "default"
    assert router.db_for_write(Reply) == "default"


def test_request_that_writes_reads_from_the_primary_afterwards(replica_routing):
    seen, response = _reads_from(RequestFactory().post("/replies/1/vote/"))

    assert seen == ["replica", "default"]
    assert response.cookies[PIN_COOKIE]["max-age"] == 5


def test_next_requests_of_that_browser_read_from_the_primary(replica_routing):
    _, wrote = _reads_from(RequestFactory().post("/replies/1/vote/"))
    follow_up = RequestFactory().get("/threads/1/x/")
    follow_up.COOKIES[PIN_COOKIE] = wrote.cookies[PIN_COOKIE].value

    seen, response = _reads_from(follow_up)

    assert seen == ["default", "default"]
    assert PIN_COOKIE not in response.cookies


def test_other_browsers_keep_reading_from_the_replica(replica_routing):
    _reads_from(RequestFactory().post("/replies/1/vote/"))

    seen, response = _reads_from(RequestFactory().get("/threads/1/x/"))

    assert seen == ["replica", "replica"]
    assert PIN_COOKIE not in response.cookies


def test_expired_pin_reads_from_the_replica_again(replica_routing):
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = "1000"

    seen, _ = _reads_from(request)

    assert seen == ["replica", "replica"]


def test_services_lock_and_write_on_the_primary(replica_routing, reply, other_user):
    """cast_vote reads the reply under select_for_update inside its transaction."""
    cast_vote(reply=reply, voter=other_user, value=1)

    reply.refresh_from_db(using="default")
    assert reply.score == 1


def test_replica_url_adds_the_replica_its_router_and_middleware():
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://forum@primary.internal:5432/forum",
        "DATABASE_REPLICA_URL": "postgres://forum@replica.internal:5432/forum",
    }
    script = (
        "import json; from django.conf import settings; print(json.dumps({"
        "'replica': settings.DATABASES['replica']['HOST'],"
        "'mirror': settings.DATABASES['replica']['TEST'],"
        "'routers': settings.DATABASE_ROUTERS,"
        "'middleware': settings.MIDDLEWARE}))"
    )

    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "forum.settings"},
        capture_output=True,
        text=True,
        check=True,
    )

    found = json.loads(result.stdout)
    assert found["replica"] == "replica.internal"
    assert found["mirror"]["MIRROR"] == "default"
    assert found["routers"] == ["forum.infra.db_router.PrimaryReplicaRouter"]
    middleware = found["middleware"]
    assert middleware.index("forum.infra.db_router.PrimaryAfterWriteMiddleware") < (
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    )
