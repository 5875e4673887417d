"""Who may do what through the API: one row per actor and action."""

import pytest
from rest_framework.test import APIClient

from accounts.services import ban_user
from forum.models import Flag, Reply, Vote
from forum.services import post_reply
from tests.api.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACTIONS = {
    # action: (method, path template, body)
    "reply": ("post", "/api/v1/threads/{thread}/replies/", {"body": "Mon avis."}),
    "edit": ("patch", "/api/v1/replies/{reply}/", {"body": "Texte revu."}),
    "vote": ("post", "/api/v1/replies/{reply}/vote/", {"value": 1}),
    "flag": ("post", "/api/v1/replies/{reply}/flags/", {"reason": "spam"}),
}

MATRIX = [
    # actor, action, status
    ("anonymous", "reply", 401),
    ("anonymous", "edit", 401),
    ("anonymous", "vote", 401),
    ("anonymous", "flag", 401),
    ("reader", "reply", 201),
    ("reader", "edit", 403),
    ("reader", "vote", 200),
    ("reader", "flag", 201),
    ("author", "reply", 201),
    ("author", "edit", 200),
    ("author", "vote", 403),
    ("author", "flag", 403),
    ("banned", "reply", 403),
    ("banned", "edit", 403),
    ("banned", "vote", 403),
    ("banned", "flag", 403),
    ("moderator", "reply", 201),
    ("moderator", "edit", 403),
    ("moderator", "vote", 200),
    ("moderator", "flag", 201),
]


def _stored(action: str, reply) -> bool:
    if action == "reply":
        return Reply.objects.filter(body="Mon avis.").exists()
    if action == "edit":
        reply.refresh_from_db()
        return reply.body == "Texte revu."
    if action == "vote":
        return Vote.objects.filter(reply=reply).exists()
    return Flag.objects.filter(reply=reply).exists()


@pytest.mark.parametrize("actor, action, status", MATRIX)
def test_permissions_matrix(actor, action, status, thread, user, moderator):
    reply = post_reply(thread=thread, author=user, body="Le message discuté.")
    actors = {
        "anonymous": None,
        "reader": UserFactory(username="lectrice"),
        "author": user,
        "banned": UserFactory(username="bannie"),
        "moderator": moderator,
    }
    ban_user(user=actors["banned"], by=moderator, reason="Abus répétés")
    client = client_for(actors[actor]) if actors[actor] else APIClient()
    method, template, body = ACTIONS[action]

    response = getattr(client, method)(
        template.format(thread=thread.pk, reply=reply.pk), body, format="json"
    )

    assert response.status_code == status, response.content
    assert _stored(action, reply) == (status in (200, 201))
