"""Bad input through the HTML pages (and the JSON the page script uses)."""

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.world import build_world, snapshot

HUGE = str(10**30)
FORM = "application/x-www-form-urlencoded"


@dataclass
class Case:
    id: str
    # Builds (method, path, data) from the world.
    request: object
    status: int
    text: str = ""
    content_type: str = ""
    headers: dict = field(default_factory=dict)
    anonymous: bool = False
    follow: bool = False


def reply_to(thread):
    return reverse("forum:reply-create", args=[thread.pk])


def vote_on(reply):
    return reverse("forum:reply-vote", args=[reply.pk])


JSON = {"HTTP_ACCEPT": "application/json"}

CASES = [
    Case(
        "empty-body",
        lambda w: ("post", reply_to(w.thread), {"body": ""}),
        400,
        "The message is empty.",
    ),
    Case(
        "whitespace-only-body",
        lambda w: ("post", reply_to(w.thread), {"body": " \n\t\u00a0 "}),
        400,
        "The message is empty.",
    ),
    Case(
        "one-megabyte-body",
        lambda w: ("post", reply_to(w.thread), {"body": "a" * 1024 * 1024}),
        413,
        "too large",
    ),
    Case(
        "body-over-the-length-limit",
        lambda w: ("post", reply_to(w.thread), {"body": "a" * 10_001}),
        400,
        "at most 10000 characters",
    ),
    Case(
        "invalid-utf8",
        lambda w: ("post", reply_to(w.thread), b"body=caf%E9+cr%FF%FE"),
        400,
        "not valid UTF-8",
        content_type=FORM,
    ),
    Case(
        "nul-byte",
        lambda w: ("post", reply_to(w.thread), {"body": "avant\x00après"}),
        400,
        "Null characters are not allowed.",
    ),
    Case(
        "parent-from-another-thread",
        lambda w: (
            "post",
            reply_to(w.thread),
            {"body": "Réponse égarée.", "parent": w.elsewhere.pk},
        ),
        400,
        "belongs to another thread",
    ),
    Case(
        "parent-removed",
        lambda w: (
            "post",
            reply_to(w.thread),
            {"body": "Réponse à un message retiré.", "parent": w.removed.pk},
        ),
        400,
        "does not exist",
    ),
    Case(
        "parent-unknown",
        lambda w: (
            "post",
            reply_to(w.thread),
            {"body": "Réponse à personne.", "parent": 987654},
        ),
        400,
        "does not exist",
    ),
    Case(
        "parent-not-a-number",
        lambda w: ("post", reply_to(w.thread), {"body": "Oui.", "parent": "1; --"}),
        400,
        "Enter a whole number.",
    ),
    Case(
        "parent-huge",
        lambda w: ("post", reply_to(w.thread), {"body": "Oui.", "parent": HUGE}),
        400,
        "",
    ),
    Case(
        "reply-to-unknown-thread",
        lambda w: ("post", "/threads/987654/actions/reply/", {"body": "Personne ?"}),
        404,
    ),
    Case(
        "reply-to-huge-thread-id",
        lambda w: ("post", f"/threads/{HUGE}/actions/reply/", {"body": "Personne ?"}),
        404,
    ),
    Case(
        "reply-to-locked-thread",
        lambda w: ("post", reply_to(w.locked_thread), {"body": "Trop tard ?"}),
        403,
        "locked",
    ),
    Case(
        "malformed-json",
        lambda w: ("post", reply_to(w.thread), '{"body": "oui",'),
        400,
        "The message is empty.",
        content_type="application/json",
        headers=JSON,
    ),
    Case(
        "vote-of-two",
        lambda w: ("post", vote_on(w.theirs), {"value": 2}),
        400,
        "Select a valid choice",
        headers=JSON,
    ),
    Case(
        "vote-of-two-without-script",
        lambda w: ("post", vote_on(w.theirs), {"value": 2}),
        200,
        "A vote is 1, -1 or 0.",
        follow=True,
    ),
    Case(
        "vote-not-a-number",
        lambda w: ("post", vote_on(w.theirs), {"value": "up"}),
        400,
        "Select a valid choice",
        headers=JSON,
    ),
    Case(
        "vote-on-own-reply",
        lambda w: ("post", vote_on(w.mine), {"value": 1}),
        403,
        "You cannot vote on your own reply.",
        headers=JSON,
    ),
    Case(
        "vote-on-removed-reply",
        lambda w: ("post", vote_on(w.removed), {"value": 1}),
        404,
    ),
    Case(
        "vote-on-unknown-reply",
        lambda w: ("post", "/replies/987654/vote/", {"value": 1}),
        404,
    ),
    Case(
        "vote-by-get",
        lambda w: ("get", vote_on(w.theirs), {"value": 1}),
        405,
    ),
    Case(
        "edit-with-empty-body",
        lambda w: ("post", reverse("forum:reply-edit", args=[w.mine.pk]), {"body": ""}),
        400,
        "The message is empty.",
    ),
    Case(
        "edit-someone-elses-reply",
        lambda w: (
            "post",
            reverse("forum:reply-edit", args=[w.theirs.pk]),
            {"body": "Je réécris ton avis."},
        ),
        403,
        "Only its author can edit a reply.",
    ),
    Case(
        "report-with-unknown-reason",
        lambda w: (
            "post",
            reverse("forum:reply-flag", args=[w.theirs.pk]),
            {"reason": "boredom"},
        ),
        400,
        "Select a valid choice",
    ),
    Case(
        "report-own-reply",
        lambda w: (
            "post",
            reverse("forum:reply-flag", args=[w.mine.pk]),
            {"reason": "spam"},
        ),
        403,
        "You cannot report your own reply.",
    ),
    Case(
        "delete-someone-elses-reply",
        lambda w: ("post", reverse("forum:reply-delete", args=[w.theirs.pk]), {}),
        403,
    ),
    Case(
        "thread-page-negative",
        lambda w: ("get", w.thread.get_absolute_url(), {"page": "-1"}),
        404,
    ),
    Case(
        "thread-page-zero",
        lambda w: ("get", w.thread.get_absolute_url(), {"page": "0"}),
        404,
    ),
    Case(
        "thread-page-huge",
        lambda w: ("get", w.thread.get_absolute_url(), {"page": HUGE}),
        404,
    ),
    Case(
        "thread-page-not-a-number",
        lambda w: ("get", w.thread.get_absolute_url(), {"page": "1 OR 1=1"}),
        404,
    ),
    Case(
        "thread-focus-unknown-reply",
        lambda w: ("get", w.thread.get_absolute_url(), {"reply": "987654"}),
        404,
    ),
    Case(
        "thread-focus-huge-reply",
        lambda w: ("get", w.thread.get_absolute_url(), {"reply": HUGE}),
        404,
    ),
    Case(
        "thread-unknown",
        lambda w: ("get", "/threads/987654/quelque-chose/", {}),
        404,
    ),
    Case(
        "thread-huge-id",
        lambda w: ("get", f"/threads/{HUGE}/quelque-chose/", {}),
        404,
    ),
    Case("home-page-negative", lambda w: ("get", "/", {"page": "-3"}), 404),
    Case("home-page-huge", lambda w: ("get", "/", {"page": HUGE}), 404),
    Case(
        "profile-page-negative",
        lambda w: ("get", w.mine.author.get_absolute_url(), {"page": "-1"}),
        404,
    ),
    Case("profile-unknown", lambda w: ("get", "/u/personne-de-ce-nom/", {}), 404),
    Case("posting-unknown", lambda w: ("get", "/postings/987654/", {}), 404),
    Case("posting-huge-id", lambda w: ("get", f"/postings/{HUGE}/", {}), 404),
    Case("article-unknown", lambda w: ("get", "/articles/pas-d-article/", {}), 404),
    Case(
        "sign-up-with-right-to-left-override",
        lambda w: (
            "post",
            reverse("account_signup"),
            {
                "username": "evil\u202etxt.exe",
                "password1": "Vingt-trois!",
                "password2": "Vingt-trois!",
            },
        ),
        200,
        "Enter a valid username.",
        anonymous=True,
    ),
    Case(
        "profile-with-bidi-display-name",
        lambda w: (
            "post",
            reverse("accounts:profile-edit"),
            {"display_name": "Modo\u202eofficiel", "bio": "", "email": ""},
        ),
        200,
        "invisible or control characters",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_on_pages_gets_a_clear_refusal_and_changes_nothing(
    user, other_user, case
):
    world = build_world(user, other_user)
    client = Client()
    if not case.anonymous:
        client.force_login(user)
    method, path, data = case.request(world)
    before = snapshot()

    kwargs = {"follow": case.follow, **case.headers}
    if case.content_type:
        kwargs["content_type"] = case.content_type
    response = getattr(client, method)(path, data, **kwargs)

    assert response.status_code == case.status
    assert case.text in response.content.decode()
    assert snapshot() == before
