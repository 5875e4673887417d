"""A small forum to aim bad input at, and a snapshot of everything it holds."""

from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from forum.models import Flag, Reply, Revision, Thread, Vote
from tests.factories import ReplyFactory, ThreadFactory, VoteFactory


@dataclass
class World:
    thread: Thread
    other_thread: Thread
    locked_thread: Thread
    mine: Reply
    theirs: Reply
    removed: Reply
    elsewhere: Reply


def build_world(user, other_user) -> World:
    thread = ThreadFactory()
    other_thread = ThreadFactory()
    locked_thread = ThreadFactory(is_locked=True)
    mine = ReplyFactory(thread=thread, author=user, body="Mon avis.")
    theirs = ReplyFactory(thread=thread, author=other_user, body="Leur avis.")
    removed = ReplyFactory(
        thread=thread,
        author=other_user,
        removed_at=timezone.now(),
        removal_reason=Reply.RemovalReason.SPAM,
    )
    elsewhere = ReplyFactory(thread=other_thread, author=other_user)
    VoteFactory(user=other_user, reply=mine, value=1)
    Reply.objects.filter(pk=mine.pk).update(score=1, upvotes=1)
    ReplyFactory(thread=locked_thread, author=other_user)
    return World(
        thread=thread,
        other_thread=other_thread,
        locked_thread=locked_thread,
        mine=mine,
        theirs=theirs,
        removed=removed,
        elsewhere=elsewhere,
    )


def snapshot() -> dict:
    """Every row a write could touch, in a comparable form."""
    return {
        "threads": list(
            Thread.objects.order_by("pk").values_list(
                "pk", "title", "reply_count", "score", "is_locked"
            )
        ),
        "replies": list(
            Reply.objects.order_by("pk").values_list(
                "pk",
                "parent_id",
                "body",
                "body_html",
                "score",
                "upvotes",
                "downvotes",
                "open_flag_count",
                "removed_at",
                "edited_at",
            )
        ),
        "votes": list(
            Vote.objects.order_by("pk").values_list("user_id", "reply_id", "value")
        ),
        "flags": list(Flag.objects.order_by("pk").values_list("reporter", "reply")),
        "revisions": list(Revision.objects.order_by("pk").values_list("pk", "body")),
        "users": list(
            User.objects.order_by("pk").values_list("username", "display_name", "bio")
        ),
    }
