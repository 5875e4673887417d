"""Instances a lookup by SQL built once (forum/infra/compiled.py) returns are
the instances the ORM returns for the same queryset."""

from django.db import connection
from django.db.models.signals import post_init

from accounts.models import User
from forum.infra.compiled import SLOTS, Compiled
from forum.infra.prepared import prepares
from forum.models import Reply
from tests.factories import ReplyFactory


def _lookup():
    replies = Reply.objects.filter(pk=SLOTS["reply"])
    return Compiled(
        replies, ("thread", "thread__article", ("author", ("id", "username")))
    )


def _loaded(instance) -> dict:
    return {
        name: value for name, value in instance.__dict__.items() if name != "_state"
    }


def test_a_compiled_lookup_gives_the_orms_instances(db, django_assert_num_queries):
    reply = ReplyFactory()
    expected = (
        Reply.objects.select_related("thread__article", "author")
        .defer(
            *(
                f"author__{field.name}"
                for field in User._meta.concrete_fields
                if field.name not in ("id", "username")
            )
        )
        .get(pk=reply.pk)
    )

    found = _lookup().first(reply=reply.pk)

    assert _loaded(found) == _loaded(expected)
    assert (found._state.db, found._state.adding) == ("default", False)
    assert found.get_deferred_fields() == expected.get_deferred_fields() == set()
    with django_assert_num_queries(0):
        assert _loaded(found.thread) == _loaded(expected.thread)
        assert _loaded(found.thread.article) == _loaded(expected.thread.article)
        assert _loaded(found.author) == _loaded(expected.author)
    assert found.author.get_deferred_fields() == expected.author.get_deferred_fields()
    assert "email" in found.author.get_deferred_fields()


def test_an_instance_found_so_saves_and_reloads_like_any_other(db):
    reply = ReplyFactory(body="Avant.")
    found = _lookup().first(reply=reply.pk)

    found.body = "Après."
    found.save(update_fields=["body"])
    found.author.refresh_from_db(fields=["email"])

    reply.refresh_from_db()
    assert reply.body == "Après."
    assert found.author.email == reply.author.email


def test_a_model_watched_as_it_is_initialised_is_built_by_django(db):
    reply = ReplyFactory()
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Reply, weak=False)
    try:
        found = _lookup().first(reply=reply.pk)
    finally:
        post_init.disconnect(receiver, sender=Reply)

    assert seen == [found]
    assert found.pk == reply.pk


def test_dates_come_back_as_the_orm_gives_them(db):
    from datetime import datetime, timedelta, timezone

    from django.db.models import F

    paris_summer = timezone(timedelta(hours=2))
    reply = ReplyFactory(
        edited_at=datetime(2026, 7, 14, 23, 30, 5, 123456, tzinfo=paris_summer)
    )
    dated = Reply.objects.annotate(last_change=F("edited_at"), never=F("removed_at"))
    expected = dated.select_related("thread").get(pk=reply.pk)

    found = Compiled(dated.filter(pk=SLOTS["reply"]), ("thread",)).first(reply=reply.pk)

    names = ["created_at", "edited_at", "updated_at", "removed_at"]
    names += ["last_change", "never"]
    for name in names:
        value, wanted = getattr(found, name), getattr(expected, name)
        assert (value, getattr(value, "tzinfo", None)) == (
            wanted,
            getattr(wanted, "tzinfo", None),
        ), name
    assert found.edited_at.isoformat() == "2026-07-14T21:30:05.123456+00:00"
    assert found.never is None
    assert found.thread.created_at == expected.thread.created_at
    assert found.thread.created_at.tzinfo == expected.thread.created_at.tzinfo


def test_a_picker_takes_the_values_named_or_all_but_them(db):
    # A score no other column of the row holds (ids, counts, flags).
    reply = ReplyFactory(body="Compté.", score=-7, upvotes=4, downvotes=11)
    lookup = _lookup()
    (row,) = lookup.raw(reply=reply.pk)
    counters = lookup.picker("score", "upvotes", "downvotes")
    one = lookup.picker("body")
    rest = lookup.picker("score", "body", leaving=True)

    assert counters(row) == (-7, 4, 11)
    assert one(row) == ("Compté.",)
    assert len(rest(row)) == len(row) - 2
    assert -7 not in rest(row)
    assert "Compté." not in rest(row)
    assert reply.author.username in rest(row)
    assert lookup.picker("score", "body", leaving=True) is rest


def test_the_values_a_lookup_fixes_are_written_into_its_sql(db):
    """SQLite plans a statement again at each run when a bound value may
    decide whether a partial index applies, and a statement PostgreSQL
    prepares is planned without its bound values: only the slots are bound.
    The values written in keep their quotes and percent signs."""
    wanted = ReplyFactory(body="Payé 50% de plus, à l'heure.")
    thread = wanted.thread
    ReplyFactory(
        thread=thread, body="Payé 50% de plus, à l'heure.", status=Reply.Status.PENDING
    )
    ReplyFactory(thread=thread, body="Payé 50 de plus, à l'heure.")
    ReplyFactory(thread=thread, body="Payé 50% de plus, a l'heure.")
    lookup = Compiled(
        Reply.objects.filter(
            thread=SLOTS["thread"],
            status=Reply.Status.PUBLISHED,
            open_flag_weight__lt=300,
            body__contains="50% de plus, à l'heure",
        )
    )

    found = lookup.all(thread=thread.pk)

    assert [reply.pk for reply in found] == [wanted.pk]
    if connection.vendor == "sqlite":
        assert lookup.params == [SLOTS["thread"]]
    if connection.vendor == "sqlite" or prepares(connection):
        assert "'published'" in lookup.sql
        assert Reply.Status.PUBLISHED not in lookup.params
    else:
        assert Reply.Status.PUBLISHED in lookup.params
