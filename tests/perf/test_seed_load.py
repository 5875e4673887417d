import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum

from forum.markdown import render_markdown
from forum.models import Flag, Reply, Thread, Vote, reply_path
from forum.services import post_reply, wilson_lower_bound
from tests.factories import UserFactory


def _seed(**options) -> dict:
    out = StringIO()
    call_command("seed_load", format="json", stdout=out, **options)
    return json.loads(out.getvalue())


@pytest.fixture
def seeded(db):
    return _seed(replies=1_200, threads=6, megathread=600, users=40)


def test_seed_load_writes_the_replies_threads_votes_and_reports_asked_for(seeded):
    assert seeded["replies"] == Reply.objects.count() == 1_200
    assert seeded["threads"] == Thread.objects.count() == 6
    assert seeded["votes"] == Vote.objects.count() > 0
    assert seeded["flags"] == Flag.objects.count() > 0
    assert seeded["removed"] == Reply.objects.filter(removed_at__isnull=False).count()


def test_seeded_thread_counters_equal_a_recount(seeded):
    recounted = Thread.objects.annotate(
        replies_shown=Count(
            "replies",
            filter=Q(
                replies__removed_at__isnull=True,
                replies__status=Reply.Status.PUBLISHED,
            ),
        ),
        top_level=Count(
            "replies",
            filter=Q(
                replies__depth=0,
                replies__status=Reply.Status.PUBLISHED,
            ),
        ),
        score_sum=Sum("replies__score"),
    )

    wrong = [
        thread.pk
        for thread in recounted
        if (thread.reply_count, thread.top_level_count, thread.score)
        != (thread.replies_shown, thread.top_level, thread.score_sum or 0)
    ]

    assert wrong == []


def test_seeded_reply_counters_equal_their_votes_and_open_reports(seeded):
    replies = Reply.objects.annotate(
        ups=Count("votes", filter=Q(votes__value=1), distinct=True),
        downs=Count("votes", filter=Q(votes__value=-1), distinct=True),
        open_flags=Count(
            "flags", filter=Q(flags__status=Flag.Status.OPEN), distinct=True
        ),
    )

    wrong = [
        reply.pk
        for reply in replies
        if (reply.upvotes, reply.downvotes, reply.open_flag_count)
        != (reply.ups, reply.downs, reply.open_flags)
        or reply.score != reply.ups - reply.downs
        or reply.wilson != wilson_lower_bound(reply.ups, reply.downs)
    ]

    assert wrong == []
    assert not Vote.objects.filter(reply__author=F("user")).exists()
    assert not Flag.objects.filter(reply__author=F("reporter")).exists()


def test_seeded_megathread_is_nested_past_the_display_depth_cap(seeded, settings):
    mega = Thread.objects.get(pk=seeded["megathread_id"])
    depths = set(mega.replies.values_list("depth", flat=True))

    assert mega.replies.count() == 600
    assert set(range(settings.FORUM_DISPLAY_DEPTH_CAP + 3)) <= depths
    assert seeded["max_depth"] == max(depths)
    assert Thread.objects.get(pk=seeded["small_thread_id"]).replies.count() == 10


def test_seeded_paths_roots_and_depths_follow_the_parents(seeded):
    replies = {reply.pk: reply for reply in Reply.objects.all()}

    wrong = []
    for reply in replies.values():
        parent = replies.get(reply.parent_id)
        expected_path = reply_path(parent.path if parent else "", reply.pk)
        expected_root = (parent.root_id or parent.pk) if parent else None
        expected_depth = parent.depth + 1 if parent else 0
        if (reply.path, reply.root_id, reply.depth) != (
            expected_path,
            expected_root,
            expected_depth,
        ) or (parent and parent.thread_id != reply.thread_id):
            wrong.append(reply.pk)

    assert wrong == []


def test_seeded_bodies_are_rendered_as_the_services_render_them(seeded):
    sample = Reply.objects.order_by("?")[:50]

    assert all(reply.body_html == render_markdown(reply.body) for reply in sample)


def test_services_keep_working_after_a_seed(seeded):
    """Ids were chosen by the seed; the database's own sequence moved past them."""
    thread = Thread.objects.get(pk=seeded["small_thread_id"])

    reply = post_reply(thread=thread, author=UserFactory(), body="Une suite.")

    thread.refresh_from_db()
    assert reply.pk > max(
        Reply.objects.exclude(pk=reply.pk).values_list("pk", flat=True)
    )
    assert (
        thread.reply_count
        == Reply.objects.filter(thread=thread, removed_at__isnull=True).count()
    )


def test_seed_load_can_run_twice_on_the_same_database(seeded):
    again = _seed(replies=300, threads=3, megathread=100, users=20)

    assert Reply.objects.count() == 1_500
    assert again["megathread_id"] != seeded["megathread_id"]
