"""Readers, sessions and vote targets for a benchmark, in a seeded database.

Run by bench/run.py with the benchmark's environment (database, cache):
    python bench/prepare.py SUMMARY.json OUT.json
SUMMARY.json is what `seed_load --format json` printed. OUT.json receives
the session keys and URLs the load generator uses.
"""

import json
import os
import secrets
import string
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
)
from django.utils import timezone  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from accounts.models import User  # noqa: E402
from forum.models import Reply, Thread, Vote  # noqa: E402
from forum.selectors import reply_tree  # noqa: E402
from forum.services import cast_vote, post_reply  # noqa: E402

# Enough that the vote scenario (about a thousand votes a second, in turn
# over the voters) keeps each within the vote rate limit (30 a minute), run
# after run.
VOTERS = 2000
READER = "bench-reader"


def _session_for(user: User) -> str:
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(60 * 60 * 24)
    store.create()
    return store.session_key


def _users() -> tuple[User, list[User]]:
    joined = timezone.now() - timezone.timedelta(days=400)
    names = [READER] + [f"bench-voter-{index}" for index in range(VOTERS)]
    User.objects.bulk_create(
        [
            User(
                username=name,
                password="!",
                date_joined=joined,
                email_verified_at=joined,
            )
            for name in names
        ],
        ignore_conflicts=True,
    )
    users = {user.username: user for user in User.objects.filter(username__in=names)}
    return users[READER], [users[name] for name in names[1:]]


def _shown_replies(thread: Thread) -> list[Reply]:
    """The public replies on the first page of a thread, best first."""
    tree = reply_tree(thread=thread, viewer=None, sort="best")
    shown, pending = [], list(tree.roots)
    while pending:
        node = pending.pop(0)
        if node.reply.is_public:
            shown.append(node.reply)
        pending.extend(node.children)
    return shown


def _reader_history(reader: User, thread: Thread, shown: list[Reply]) -> None:
    """The signed-in reader voted on a few shown replies and wrote one."""
    if Vote.objects.filter(user=reader, reply__thread=thread).exists():
        return
    for reply in shown[:6]:
        cast_vote(reply=reply, voter=reader, value=1)
    post_reply(
        thread=thread,
        author=reader,
        parent=shown[0],
        body="Je relis le fil avant de voter : les écarts de salaire sont énormes.",
    )


def main(summary_path: str, out_path: str) -> None:
    summary = json.loads(Path(summary_path).read_text())
    mega = Thread.objects.select_related("article").get(pk=summary["megathread_id"])
    small = Thread.objects.get(pk=summary["small_thread_id"])
    reader, voters = _users()
    shown = _shown_replies(mega)
    _reader_history(reader, mega, shown)
    alphabet = string.ascii_letters + string.digits
    csrf = "".join(secrets.choice(alphabet) for _ in range(32))
    lines = [
        f"{_session_for(voter)} {shown[index % len(shown)].pk}"
        for index, voter in enumerate(voters)
    ]
    votes_file = Path(out_path).with_suffix(".votes")
    votes_file.write_text("\n".join(lines) + "\n")
    Path(out_path).write_text(
        json.dumps(
            {
                "reader_session": _session_for(reader),
                "csrf": csrf,
                "votes_file": str(votes_file),
                "mega_url": mega.get_absolute_url(),
                "small_url": small.get_absolute_url(),
                "mega_api": f"/api/v1/threads/{mega.pk}/replies/",
                "small_api": f"/api/v1/threads/{small.pk}/replies/",
                "mega_replies": Reply.objects.filter(thread=mega).count(),
                "small_replies": Reply.objects.filter(thread=small).count(),
                "total_replies": Reply.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
