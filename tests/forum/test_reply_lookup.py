"""What SQL built once finds, with the same answer as the rules' queryset:
the reply a reader acts on (vote, report, edit, delete, answer), for every
kind of reply and reader, and the anonymous thread page's thread, postings,
first page of replies and their descendants."""

import pytest
from django.http import Http404
from django.utils import timezone

from articles.models import Article
from forum.models import Reply, Thread, flag_weight_to_hide
from forum.selectors import (
    SHOWN_AUTHOR,
    SORTS,
    _counted_page,
    _descendants,
    _top_level,
    reply_for_action,
    reply_tree,
    thread_for_page,
    thread_for_shared_page,
)
from tests.factories import (
    ArticleFactory,
    PostingFactory,
    ReplyFactory,
    ThreadFactory,
    UserFactory,
)


def _fields(instance) -> dict:
    if instance is None:
        return {}
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
    }


def _shown_author(reply) -> dict:
    """What the pages show of a reply's author."""
    return {name: getattr(reply.author, name) for name in SHOWN_AUTHOR[1]}


def _expected(viewer, pk):
    return (
        Reply.objects.actionable_by(viewer)
        .select_related("thread__article", "author")
        .filter(pk=pk)
        .first()
    )


@pytest.fixture
def replies(user):
    """One reply of each kind the rules tell apart, `user` the author of each."""
    draft = ArticleFactory(status=Article.Status.DRAFT)
    kinds = {
        "public": {},
        "removed by a moderator": {
            "removed_at": timezone.now(),
            "removal_reason": Reply.RemovalReason.ABUSE,
        },
        "deleted by its author": {
            "removed_at": timezone.now(),
            "removal_reason": Reply.RemovalReason.AUTHOR,
        },
        "hidden by reports": {"open_flag_weight": flag_weight_to_hide()},
        "held for review": {"status": Reply.Status.PENDING},
        "in a hidden thread": {"thread": ThreadFactory(is_hidden=True)},
        "in a locked thread": {"thread": ThreadFactory(is_locked=True)},
        "under a draft article": {"thread": ThreadFactory(article=draft)},
        "in a thread without article": {"thread": ThreadFactory(article=None)},
    }
    return {name: ReplyFactory(author=user, **fields) for name, fields in kinds.items()}


@pytest.mark.parametrize("who", ["author", "other reader", "moderator", "staff"])
def test_every_reader_finds_what_the_rules_let_them_act_on(
    who, replies, user, moderator
):
    viewer = {
        "author": user,
        "other reader": UserFactory(),
        "moderator": moderator,
        "staff": UserFactory(is_staff=True),
    }[who]
    found = {}
    for name, reply in replies.items():
        expected = _expected(viewer, reply.pk)
        try:
            got = reply_for_action(viewer, reply.pk)
        except Http404:
            got = None
        assert (got is None) == (expected is None), name
        if got is not None:
            for path in ("", "thread", "thread.article", "author"):
                mine, theirs = got, expected
                for step in filter(None, path.split(".")):
                    mine, theirs = getattr(mine, step), getattr(theirs, step)
                assert _fields(mine) == _fields(theirs), (name, path)
        found[name] = got is not None
    # The rules' answers, to show the lookup was put to every case.
    assert found["public"] and found["in a locked thread"]
    assert found["hidden by reports"] == (who in ("author", "moderator"))
    assert found["in a hidden thread"] == (who == "moderator")
    assert found["under a draft article"] == (who in ("moderator", "staff"))
    assert found["held for review"] == (who in ("author", "moderator"))


def test_a_signed_in_reader_finds_a_reply_in_one_query(user, django_assert_num_queries):
    reply = ReplyFactory()
    reply_for_action(user, reply.pk)

    with django_assert_num_queries(1):
        found = reply_for_action(user, reply.pk)
        assert (found.thread.title, found.author.username) == (
            reply.thread.title,
            reply.author.username,
        )
    assert found.created_at == reply.created_at
    assert found.created_at.tzinfo is not None


@pytest.mark.parametrize("reply_id", ["abc", "12x", None, 0, -4, 2**63, 10**30])
def test_an_id_that_names_no_reply_is_not_found(user, reply_id):
    with pytest.raises(Http404):
        reply_for_action(user, reply_id)


def test_a_deleted_reply_is_not_found_again(user):
    reply = ReplyFactory()
    reply_for_action(user, reply.pk)
    Reply.objects.filter(pk=reply.pk).delete()

    with pytest.raises(Http404):
        reply_for_action(user, reply.pk)


def test_the_descendants_every_reader_sees_are_those_of_the_rules(
    thread, user, django_assert_num_queries
):
    """The anonymous tree's descendants, by SQL built once, equal the
    queryset's: held replies left out, removed ones kept as placeholders."""
    roots = [ReplyFactory(thread=thread) for _ in range(3)]
    first = ReplyFactory(thread=thread, parent=roots[0])
    ReplyFactory(thread=thread, parent=first, status=Reply.Status.PENDING)
    ReplyFactory(
        thread=thread,
        parent=first,
        removed_at=timezone.now(),
        removal_reason=Reply.RemovalReason.SPAM,
    )
    ReplyFactory(thread=thread, parent=roots[2], author=user)
    tree = reply_tree(thread=thread, viewer=None, sort="old")

    with django_assert_num_queries(2):
        again = reply_tree(thread=thread, viewer=None, sort="old")

    def flat(nodes):
        for node in nodes:
            yield node
            yield from flat(node.children)

    shown = [node.reply for node in flat(again.roots)]
    expected = list(_descendants([root.pk for root in roots], None, 200))
    assert [reply.pk for reply in shown if reply.depth] == [r.pk for r in expected]
    for mine, theirs in zip(
        [reply for reply in shown if reply.depth], expected, strict=True
    ):
        assert _fields(mine) == _fields(theirs)
        assert _shown_author(mine) == _shown_author(theirs)
        # The rest of the author's row (address, password hash) is not read.
        assert {"email", "password", "bio"} <= mine.author.get_deferred_fields()
        assert (mine.my_vote, mine.my_flag) == (theirs.my_vote, theirs.my_flag)
    assert len(expected) == 3
    assert [node.reply.pk for node in flat(tree.roots)] == [reply.pk for reply in shown]


@pytest.mark.parametrize(
    "kind", ["public", "locked", "without article", "hidden", "under a draft"]
)
def test_the_anonymous_thread_page_finds_the_thread_the_rules_show(
    kind, db, django_assert_num_queries
):
    fields = {
        "public": {},
        "locked": {"is_locked": True},
        "without article": {"article": None},
        "hidden": {"is_hidden": True},
        "under a draft": {"article": ArticleFactory(status=Article.Status.DRAFT)},
    }[kind]
    thread = ThreadFactory(**fields)
    cheap = PostingFactory(salary_min=20_000, salary_max=30_000)
    dear = PostingFactory(company__name="Netflix", salary_max=900_000)
    unpaid = PostingFactory(salary_min=None, salary_max=None)
    thread.postings.add(cheap, unpaid, dear)
    PostingFactory()
    expected = (
        Thread.objects.visible_to(None)
        .with_article()
        .with_postings()
        .filter(pk=thread.pk)
        .first()
    )

    if expected is None:
        with pytest.raises(Http404):
            thread_for_page(thread.pk, None)
        return
    with django_assert_num_queries(2):
        found = thread_for_page(thread.pk, None)
    assert _fields(found) == _fields(expected)
    assert _fields(found.article) == _fields(expected.article)
    assert [_fields(p) for p in found.posting_list] == [
        _fields(p) for p in expected.posting_list
    ]
    assert [p.company.name for p in found.posting_list] == [
        p.company.name for p in expected.posting_list
    ]
    assert [p.pk for p in found.posting_list] == [dear.pk, cheap.pk, unpaid.pk]


@pytest.mark.parametrize("thread_id", [0, 2**63, 10**30])
def test_an_id_that_names_no_thread_is_not_found(thread_id):
    with pytest.raises(Http404):
        thread_for_page(thread_id, None)


@pytest.mark.parametrize("sort", SORTS)
def test_the_anonymous_first_page_is_the_page_of_the_rules(
    sort, thread, user, settings, django_assert_num_queries
):
    """Featured first, held replies left out, removed ones kept, answers not
    counted, replies of other threads ignored: the compiled first page and
    its total equal the queryset's for every sort."""
    settings.FORUM_TOP_LEVEL_PER_PAGE = 3
    roots = [ReplyFactory(thread=thread, upvotes=n, score=n) for n in range(4)]
    ReplyFactory(thread=thread, is_featured=True)
    ReplyFactory(thread=thread, status=Reply.Status.PENDING, author=user)
    ReplyFactory(
        thread=thread,
        removed_at=timezone.now(),
        removal_reason=Reply.RemovalReason.SPAM,
    )
    ReplyFactory(thread=thread, parent=roots[0])
    ReplyFactory()
    shown, top_level = _top_level(thread, None, sort, None)
    expected = _counted_page(top_level, shown, 1)
    # The thread as a page reads it, with its count of top-level replies.
    thread.refresh_from_db()

    with django_assert_num_queries(2):
        tree = reply_tree(thread=thread, viewer=None, sort=sort)

    found = [node.reply for node in tree.roots]
    assert [r.pk for r in found] == [r.pk for r in expected.object_list]
    for mine, theirs in zip(found, expected.object_list, strict=True):
        assert _fields(mine) == _fields(theirs)
        assert _shown_author(mine) == _shown_author(theirs)
        # The rest of the author's row (address, password hash) is not read.
        assert {"email", "password", "bio"} <= mine.author.get_deferred_fields()
        assert (mine.my_vote, mine.my_flag) == (theirs.my_vote, theirs.my_flag)
    assert tree.page.paginator.count == expected.paginator.count == 6
    assert tree.page.paginator.num_pages == 2


@pytest.mark.parametrize(
    "kind", ["with replies", "without replies", "hidden", "under a draft"]
)
def test_the_shared_page_finds_the_thread_its_reader_may_open(kind, user):
    fields = {
        "with replies": {},
        "without replies": {},
        "hidden": {"is_hidden": True},
        "under a draft": {"article": ArticleFactory(status=Article.Status.DRAFT)},
    }[kind]
    thread = ThreadFactory(**fields)
    if kind != "without replies":
        ReplyFactory(thread=thread)
        newest = ReplyFactory(thread=thread, status=Reply.Status.PENDING)
    editor = UserFactory(username="editor", is_staff=True)

    if kind in ("hidden", "under a draft"):
        with pytest.raises(Http404):
            thread_for_shared_page(thread.pk, user)
    else:
        found = thread_for_shared_page(thread.pk, user)
        expected = thread_for_page(thread.pk, user)
        assert _fields(found) == _fields(expected)
        assert _fields(found.article) == _fields(expected.article)
        assert found.newest_reply_id == expected.newest_reply_id
        assert found.newest_reply_id == (
            None if kind == "without replies" else newest.pk
        )
    if kind == "under a draft":
        found = thread_for_shared_page(thread.pk, editor)
        assert found.pk == thread.pk
        assert found.newest_reply_id == newest.pk
