"""Bad input through the REST API: a clear 4xx in JSON, and nothing changed."""

import json
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from accounts.services import create_api_token
from tests.security.world import build_world, snapshot

HUGE = 10**30


@dataclass
class Case:
    id: str
    # Builds (method, path, body) from the world; a str or bytes body is sent
    # as it is, anything else as JSON.
    request: object
    status: int
    field: str = ""
    content_type: str = "application/json"
    signed_in: bool = True


def replies_of(thread):
    return f"/api/v1/threads/{thread.pk}/replies/"


def reply_url(reply, action=""):
    return f"/api/v1/replies/{reply.pk}/{action + '/' if action else ''}"


CASES = [
    Case(
        "empty-body",
        lambda w: ("post", replies_of(w.thread), {"body": ""}),
        400,
        "body",
    ),
    Case(
        "whitespace-only-body",
        lambda w: ("post", replies_of(w.thread), {"body": " \n\t\u00a0 "}),
        400,
        "body",
    ),
    Case(
        "one-megabyte-body",
        lambda w: ("post", replies_of(w.thread), {"body": "a" * 1024 * 1024}),
        413,
        "detail",
    ),
    Case(
        "body-over-the-length-limit",
        lambda w: ("post", replies_of(w.thread), {"body": "a" * 10_001}),
        400,
        "body",
    ),
    Case(
        "invalid-utf8",
        lambda w: ("post", replies_of(w.thread), b'{"body": "caf\xe9 \xff\xfe"}'),
        400,
        "detail",
    ),
    Case(
        "lone-surrogate",
        lambda w: ("post", replies_of(w.thread), '{"body": "\\udc00"}'),
        400,
        "detail",
    ),
    Case(
        "nul-byte",
        lambda w: ("post", replies_of(w.thread), {"body": "avant\x00après"}),
        400,
        "body",
    ),
    Case(
        "malformed-json",
        lambda w: ("post", replies_of(w.thread), '{"body": "oui",'),
        400,
        "detail",
    ),
    Case(
        "json-list-instead-of-object",
        lambda w: ("post", replies_of(w.thread), '["oui"]'),
        400,
        "",
    ),
    Case(
        "body-as-an-object",
        lambda w: ("post", replies_of(w.thread), {"body": {"html": "<b>x</b>"}}),
        400,
        "body",
    ),
    Case(
        "form-encoded-instead-of-json",
        lambda w: ("post", replies_of(w.thread), "body=oui"),
        415,
        "detail",
        content_type="application/x-www-form-urlencoded",
    ),
    Case(
        "parent-from-another-thread",
        lambda w: (
            "post",
            replies_of(w.thread),
            {"body": "Réponse égarée.", "parent": w.elsewhere.pk},
        ),
        409,
        "detail",
    ),
    Case(
        "parent-removed",
        lambda w: (
            "post",
            replies_of(w.thread),
            {"body": "Réponse à un retiré.", "parent": w.removed.pk},
        ),
        409,
        "detail",
    ),
    Case(
        "parent-unknown",
        lambda w: ("post", replies_of(w.thread), {"body": "Oui.", "parent": 987654}),
        409,
        "detail",
    ),
    Case(
        "parent-huge",
        lambda w: ("post", replies_of(w.thread), {"body": "Oui.", "parent": HUGE}),
        400,
        "parent",
    ),
    Case(
        "parent-negative",
        lambda w: ("post", replies_of(w.thread), {"body": "Oui.", "parent": -1}),
        400,
        "parent",
    ),
    Case(
        "reply-to-unknown-thread",
        lambda w: ("post", "/api/v1/threads/987654/replies/", {"body": "Oui."}),
        404,
        "detail",
    ),
    Case(
        "reply-to-huge-thread-id",
        lambda w: ("post", f"/api/v1/threads/{HUGE}/replies/", {"body": "Oui."}),
        404,
        "",
    ),
    Case(
        "reply-to-locked-thread",
        lambda w: ("post", replies_of(w.locked_thread), {"body": "Trop tard ?"}),
        403,
        "detail",
    ),
    Case(
        "reply-without-credentials",
        lambda w: ("post", replies_of(w.thread), {"body": "Anonyme."}),
        401,
        "detail",
        signed_in=False,
    ),
    Case(
        "vote-of-two",
        lambda w: ("post", reply_url(w.theirs, "vote"), {"value": 2}),
        400,
        "value",
    ),
    Case(
        "vote-not-a-number",
        lambda w: ("post", reply_url(w.theirs, "vote"), {"value": "up"}),
        400,
        "value",
    ),
    Case(
        "vote-missing",
        lambda w: ("post", reply_url(w.theirs, "vote"), {}),
        400,
        "value",
    ),
    Case(
        "vote-on-own-reply",
        lambda w: ("post", reply_url(w.mine, "vote"), {"value": 1}),
        403,
        "detail",
    ),
    Case(
        "vote-on-removed-reply",
        lambda w: ("post", reply_url(w.removed, "vote"), {"value": 1}),
        404,
        "detail",
    ),
    Case(
        "vote-on-unknown-reply",
        lambda w: ("post", "/api/v1/replies/987654/vote/", {"value": 1}),
        404,
        "detail",
    ),
    Case(
        "vote-on-huge-reply-id",
        lambda w: ("post", f"/api/v1/replies/{HUGE}/vote/", {"value": 1}),
        404,
        "",
    ),
    Case(
        "edit-with-empty-body",
        lambda w: ("patch", reply_url(w.mine), {"body": ""}),
        400,
        "body",
    ),
    Case(
        "edit-someone-elses-reply",
        lambda w: ("patch", reply_url(w.theirs), {"body": "Réécrit."}),
        403,
        "detail",
    ),
    Case(
        "report-with-unknown-reason",
        lambda w: ("post", reply_url(w.theirs, "flags"), {"reason": "boredom"}),
        400,
        "reason",
    ),
    Case(
        "report-own-reply",
        lambda w: ("post", reply_url(w.mine, "flags"), {"reason": "spam"}),
        403,
        "detail",
    ),
    Case(
        "articles-page-negative",
        lambda w: ("get", "/api/v1/articles/?page=-1", None),
        400,
        "page",
    ),
    Case(
        "articles-page-huge",
        lambda w: ("get", f"/api/v1/articles/?page={HUGE}", None),
        404,
        "detail",
    ),
    # A cursor that is not even UTF-8 is refused with the address itself.
    Case(
        "replies-undecodable-cursor",
        lambda w: ("get", replies_of(w.thread) + "?cursor=%00%FF", None),
        400,
        "detail",
    ),
    # A readable cursor that names no page is a page that does not exist.
    Case(
        "replies-unknown-cursor",
        lambda w: ("get", replies_of(w.thread) + "?cursor=bm90LWEtY3Vyc29y", None),
        404,
        "detail",
    ),
]


def _client(user) -> APIClient:
    client = APIClient()
    token = create_api_token(user=user, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.secret}")
    return client


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_on_the_api_gets_a_clear_json_refusal_and_changes_nothing(
    user, other_user, settings, case
):
    world = build_world(user, other_user)
    client = _client(user) if case.signed_in else APIClient()
    method, path, body = case.request(world)
    if body is not None and not isinstance(body, str | bytes):
        body = json.dumps(body)
    before = snapshot()

    response = client.generic(
        method.upper(), path, body or "", content_type=case.content_type
    )

    assert response.status_code == case.status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    if case.field:
        assert case.field in response.json()
    assert snapshot() == before
