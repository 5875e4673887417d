"""What one page or endpoint needs, loaded in a fixed number of queries."""

import hashlib
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import connection, router
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.backends import by_id_statement
from accounts.models import User
from forum.infra import prepared
from forum.infra.compiled import LARGEST_ID, SLOTS, Compiled, compiled, ids
from forum.markdown import mentioned_names, render_markdown
from forum.models import (
    Appeal,
    Flag,
    Follow,
    IllegalContentNotice,
    ModerationDecision,
    Notification,
    Reply,
    Revision,
    Thread,
    Vote,
    flag_weight_to_hide,
    path_ancestor_ids,
    postings_shown,
)
from forum.permissions import (
    can_edit,
    can_flag,
    can_remove,
    can_reply,
    can_see_reply,
    can_vote,
    is_moderator,
    sees_drafts,
)

SORTS = ("best", "top", "new", "old")
# What the reply templates and the structured data show of a reply's author
# (a link to their profile under their public name): the rest of the row
# (address, password hash, biography, dates) is not read for the trees the
# pages share.
SHOWN_AUTHOR = ("author", ("id", "username", "display_name"))


# Which replies a viewer may act on and answer --------------------------------


def reply_for_action(viewer, reply_id, *, readers_lookup_done=False) -> Reply:
    """The reply a viewer may act on (vote, report, edit, delete, answer),
    with its thread, article and author, or 404.

    Pages and API both look a reply up here: one the viewer may not see
    (removed, hidden by reports, held for review, in a hidden thread) is not
    found on both, and the services then check the finer rules.
    `readers_lookup_done`: what any reader may act on was already looked up
    for this viewer (reader_and_reply) and not found.
    """
    try:
        pk = int(reply_id)
    except (ValueError, TypeError) as error:
        raise Http404("No such reply.") from error
    if not 0 < pk <= LARGEST_ID:
        raise Http404("No such reply.")
    if viewer is not None and viewer.is_authenticated and not readers_lookup_done:
        # What any signed-in reader may act on, found by SQL built once; a
        # reply only moderators or staff may act on is looked up below.
        reply = _readers_reply().first(user=viewer.pk, reply=pk)
        if reply is not None:
            return reply
    replies = Reply.objects.actionable_by(viewer).select_related(
        "thread__article", "author"
    )
    try:
        return replies.get(pk=pk)
    except Reply.DoesNotExist as error:
        raise Http404("No such reply.") from error


def reader_and_reply(user_id, reply_id) -> tuple | None:
    """The row of the signed-in user `user_id` as accounts/backends.py reads
    it and the reply reply_for_action finds for them if any reader may act
    on it (else None), in one statement: on PostgreSQL, one round trip
    instead of two. (None, None) when no user has that id; None when users
    are read from another database than replies, or for an id that names
    no reply, which reply_for_action answers."""
    alias = router.db_for_read(User)
    if alias != connection.alias:
        return None
    try:
        pk = int(reply_id)
    except (TypeError, ValueError):
        return None
    if not 0 < pk <= LARGEST_ID:
        return None
    _compiler, user_sql, _converters, names = by_id_statement(alias)
    lookup = _readers_reply()
    sql = (
        f"SELECT viewer.*, found.* FROM ({user_sql}) AS viewer "
        f"LEFT JOIN ({lookup.sql}) AS found ON TRUE"
    )
    with prepared.cursor(connection) as cursor:
        cursor.execute(sql, [user_id, *lookup.params_for(user=user_id, reply=pk)])
        row = cursor.fetchone()
    if row is None:
        return None, None
    user_row, reply_row = row[: len(names)], row[len(names) :]
    reply = None if reply_row[0] is None else lookup.instances([reply_row])[0]
    return user_row, reply


ACTION_RELATED = ("thread", "thread__article", "author")


def _readers_reply() -> Compiled:
    """reply_for_action's lookup for a signed-in reader who neither
    moderates nor sees drafts: what such a reader may act on, any reader
    may (moderators and staff see more, never less)."""

    def build():
        reader = User(pk=SLOTS["user"], is_active=True, is_staff=False)
        reader.has_perm = lambda perm, obj=None: False
        assert not is_moderator(reader) and not sees_drafts(reader)
        replies = Reply.objects.actionable_by(reader).filter(pk=SLOTS["reply"])
        return Compiled(replies, ACTION_RELATED)

    return compiled(("readers_reply", flag_weight_to_hide()), build)


def parent_for_answer(viewer, parent_id) -> Reply | None:
    """The reply a viewer answers, from the id a form or request gives.

    None for no parent; a reply the viewer may not answer (unknown, removed,
    hidden by reports, held for someone else's review) raises a
    ValidationError on "parent", which the page shows as a form error and
    the API as a 400. post_reply then checks that it is in the same thread.
    """
    if parent_id is None:
        return None
    parent = (
        Reply.objects.answerable_by(viewer)
        .select_related("thread__article", "author")
        .filter(pk=parent_id)
        .first()
    )
    if parent is None:
        raise ValidationError(
            {"parent": _("The reply you answer does not exist.")},
            code="parent_unknown",
        )
    return parent


# Where a reply stands on its thread's pages -------------------------------


def reply_for_permalink(viewer, reply_id) -> Reply:
    """The reply a permalink points at, with its thread, or 404.

    A reply is found when it takes a place in the tree the viewer sees on
    the thread page (in_tree_for: a removed reply keeps its place as a
    placeholder, one held for review is its author's and the moderators'),
    in a thread the viewer may open.
    """
    replies = (
        Reply.objects.in_tree_for(viewer)
        .filter(thread__in=Thread.objects.visible_to(viewer))
        .select_related("thread")
    )
    try:
        return replies.get(pk=reply_id)
    except (Reply.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No such reply.") from error


def _sorted_before(row: Reply, sort: str) -> Q:
    """Rows that come before `row` in the top-level order named `sort`."""
    before, equal = Q(pk__in=[]), Q()
    for ordering in Reply.objects.none().sorted_by(sort).query.order_by:
        name = ordering.lstrip("-")
        value = getattr(row, name)
        lookup = "gt" if ordering.startswith("-") else "lt"
        before |= equal & Q(**{f"{name}__{lookup}": value})
        equal &= Q(**{name: value})
    return before


def reply_page_number(reply: Reply, viewer, sort: str) -> int:
    """The page of the thread, in order `sort`, that shows `reply`: the one
    holding its top-level ancestor, among the top-level replies the viewer
    sees. One query (two for a nested reply)."""
    root = reply if reply.root_id is None else Reply.objects.get(pk=reply.root_id)
    before = (
        Reply.objects.in_thread(reply.thread_id)
        .top_level()
        .in_tree_for(viewer)
        .filter(_sorted_before(root, sort))
        .count()
    )
    return before // settings.FORUM_TOP_LEVEL_PER_PAGE + 1


def reply_place(reply: Reply, viewer, sort: str | None = None) -> str:
    """The URL of the thread page, in order `sort`, that shows `reply`,
    anchored on it: the page holding its top-level ancestor."""
    query = {}
    if sort in SORTS:
        query["sort"] = sort
    page = reply_page_number(reply, viewer, sort if sort in SORTS else "best")
    if page > 1:
        query["page"] = page
    search = f"?{urlencode(query)}" if query else ""
    return f"{reply.thread.get_absolute_url()}{search}#reply-{reply.pk}"


def readers_named(names: list[str]):
    """The active readers with these usernames, whatever their case."""
    if not names:
        return User.objects.none()
    named = Q()
    for name in names:
        named |= Q(username__iexact=name)
    return User.objects.filter(named, is_active=True)


def mentioned_readers(body: str):
    """The active readers a text mentions by "@username" (at most
    FORUM_MENTIONS_PER_REPLY names; unknown names are left as text)."""
    return readers_named(mentioned_names(body))


def reply_html(body: str) -> str:
    """A reply's Markdown as pages show it, through the one sanitiser, with
    each mentioned reader's name linked to their profile. Posting, editing
    and the preview all render through here."""
    mentions = {
        reader.username.lower(): reader.get_absolute_url()
        for reader in mentioned_readers(body)
    }
    return render_markdown(body, mentions)


def earlier_versions(reply: Reply, viewer) -> list[Revision]:
    """A reply's earlier versions, newest first, each with `body_html`
    rendered through the sanitiser: all of them for moderators (those they
    hid marked `is_hidden`), the ones not hidden for everyone else."""
    revisions = reply.revisions.select_related("editor").order_by("-created_at", "-pk")
    if not is_moderator(viewer):
        revisions = revisions.filter(is_hidden=False)
    found = list(revisions)
    for revision in found:
        revision.body_html = render_markdown(revision.body)
    return found


# How a reply is shown to a viewer -----------------------------------------


@dataclass(frozen=True)
class Concealment:
    """How a removed or report-hidden reply is shown to one viewer.

    `placeholder` stands where the message was; `state` names the reply's
    moderation state (the admin's "state" column). Readers, the reply's
    author included, see the placeholder alone, with no author: a reply
    hidden by reports looks like a removed one. Moderators see through it
    (`reveals`): the placeholder, then the text and the author.
    """

    placeholder: str
    state: str
    is_removed: bool
    reveals: bool

    @property
    def looks_removed(self) -> bool:
        """What the API's `is_removed` says: removed, or hidden from this viewer."""
        return self.is_removed or not self.reveals


def concealment(
    reply: Reply, viewer, *, moderator: bool | None = None
) -> Concealment | None:
    """How `reply` is concealed from `viewer`, or None when it is shown as
    written: the one rule behind the thread page (`_reply.html`, through
    ReplyNode.concealment), the inbox, the API's ReplySerializer and the
    admin's "state" columns (through moderation_state, which asks it what
    the public sees).

    `moderator` saves asking is_moderator again for every reply of a page.
    Runs no query.
    """
    if reply.is_removed:
        if reply.removal_reason == Reply.RemovalReason.AUTHOR:
            placeholder = _("[message deleted by its author]")
        else:
            placeholder = _("[message removed by the moderators]")
        state = _("Removed (%(reason)s)") % {
            "reason": reply.get_removal_reason_display()
        }
    elif reply.is_hidden_by_flags:
        placeholder = _("[message hidden while the moderators review it]")
        state = str(_("Hidden by reports"))
    else:
        return None
    if moderator is None:
        moderator = is_moderator(viewer)
    return Concealment(
        placeholder=placeholder,
        state=state,
        is_removed=reply.is_removed,
        reveals=moderator,
    )


def moderation_state(reply: Reply) -> str:
    """A reply's state as moderators read it in the admin: removed (with the
    reason), pending review, hidden by reports or published.

    Removed and hidden come from concealment(reply, None), what the public
    is shown, so the admin names the same states the thread page and the API
    conceal. Meant for the admin's "state" columns (reply_state).
    """
    public = concealment(reply, None, moderator=False)
    if public is not None and public.is_removed:
        return public.state
    if reply.is_pending:
        return str(_("Pending review"))
    if public is not None:
        return public.state
    return str(_("Published"))


@dataclass
class ReplyNode:
    reply: Reply
    display_depth: int
    in_reply_to: object = None
    children: list["ReplyNode"] = field(default_factory=list)
    hidden_descendants: int = 0
    can_vote: bool = False
    can_edit: bool = False
    can_flag: bool = False
    can_reply: bool = False
    can_remove: bool = False
    concealment: Concealment | None = None
    # Posted by someone else after the viewer's last visit.
    is_new: bool = False

    @property
    def shows_text(self) -> bool:
        """Whether the viewer reads the reply's text and author."""
        return self.concealment is None or self.concealment.reveals


class Roots(Sequence):
    """The top-level nodes of a tree whose rows are read and whose nodes are
    made on first use: a page whose replies were all rendered before needs
    only what each was made of.

    `signatures[i]` is a digest of the rows top-level reply `ids[i]` and its
    shown answers are made of (each reply's columns but those a vote writes,
    its author's shown ones, its subtree's size) and the display settings:
    everything its nodes follow from for a reader who is not signed in,
    their vote counters apart, which `tallies` gives by reply id (as
    Reply.VOTE_COUNTERS). Nodes changed for another reader after they are
    made no longer follow from it: whatever changes them takes them as a
    list first (settled()).
    """

    def __init__(self, ids: list[int], signatures: list[str], tallies: dict, build):
        self.ids = ids
        self.signatures = signatures
        self.tallies = tallies
        self._build = build
        self._nodes = None

    @property
    def nodes(self) -> list[ReplyNode]:
        if self._nodes is None:
            self._nodes = self._build()
            self._build = None
        return self._nodes

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        return self.nodes[index]

    def __iter__(self):
        return iter(self.nodes)


class _RootReplies(Sequence):
    """The replies of Roots, for a page's object_list."""

    def __init__(self, roots: Roots):
        self.roots = roots

    def __len__(self) -> int:
        return len(self.roots)

    def __getitem__(self, index):
        found = self.roots[index]
        if isinstance(index, slice):
            return [node.reply for node in found]
        return found.reply


@dataclass
class ReplyTree:
    roots: list[ReplyNode] | Roots
    page: object
    sort: str
    focus: Reply | None = None
    first_new: Reply | None = None

    def nodes(self):
        """Every node shown, in display order."""
        pending = list(reversed(self.roots))
        while pending:
            node = pending.pop()
            yield node
            pending.extend(reversed(node.children))


def is_new_to(reply: Reply, viewer, last_seen_reply_id: int | None) -> bool:
    """Whether `reply` came after the viewer's last visit (recorded as the
    newest reply they had seen), from someone else. Nothing is new on a
    first visit."""
    return (
        last_seen_reply_id is not None
        and reply.pk > last_seen_reply_id
        and reply.author_id != getattr(viewer, "pk", None)
    )


def settled(tree: ReplyTree) -> ReplyTree:
    """The tree with its nodes made, as a list: what changes them for one
    reader (new replies, permissions) does so here, and their fragments are
    then keyed on the nodes themselves."""
    if isinstance(tree.roots, Roots):
        tree.roots = list(tree.roots)
    return tree


def mark_new(tree: ReplyTree, viewer, last_seen_reply_id: int | None) -> None:
    """Mark the nodes new to the viewer, and remember the first shown."""
    if last_seen_reply_id is None:
        # A first visit, or a reader who is not signed in: nothing is new.
        return
    for node in settled(tree).nodes():
        node.is_new = is_new_to(node.reply, viewer, last_seen_reply_id)
        if node.is_new and tree.first_new is None:
            tree.first_new = node.reply


def _top_level(thread, viewer, sort: str, focus: Reply | None) -> tuple:
    """(the top-level replies the viewer sees, the same in the sort's order
    with what the page shows of each)."""
    shown = Reply.objects.in_thread(thread).top_level().in_tree_for(viewer)
    if focus is not None:
        shown = shown.filter(pk=focus.root_id or focus.pk)
    top_level = (
        shown.sorted_by(sort)
        .with_author()
        .with_viewer_vote(viewer)
        .with_viewer_flag(viewer)
    )
    return shown, top_level


def _with_total(rows, counted):
    """`rows` with the number of `counted` beside each, as a scalar subquery
    read once by the database instead of a COUNT query of its own."""
    total = Subquery(
        counted.order_by()
        .annotate(total=Func(template="COUNT(*)", output_field=IntegerField()))
        .values("total")
    )
    return rows.annotate(top_level_total=total)


def _anyones_first_page(viewer, focus, number) -> bool:
    """Whether the page asked for is the whole thread's first, for a reader
    who is not signed in."""
    if focus is not None or (viewer is not None and viewer.is_authenticated):
        return False
    try:
        return int(number or 1) == 1
    except (TypeError, ValueError):
        return False


def _first_page(sort: str, per_page: int) -> Compiled:
    """The first page of top-level replies for an anonymous reader, by SQL
    built once per sort (the page every reader but the signed-in ones asks
    for most). Their number is the thread's top_level_count."""

    def build():
        _, top_level = _top_level(SLOTS["thread"], None, sort, None)
        return Compiled(top_level[:per_page], (SHOWN_AUTHOR,))

    return compiled(("first-page", sort, per_page), build)


def _anyones_descendants(count: int, limit: int) -> Compiled:
    """_descendants for `count` top-level replies and a reader who is not
    signed in (the cached and shared pages' tree), by SQL built once."""
    return compiled(
        ("descendants", count, limit),
        lambda: Compiled(
            _descendants(ids(count), None, limit), (SHOWN_AUTHOR,), ids_count=count
        ),
    )


def _page(found, total: int, number: int, per_page: int) -> Page:
    """Page `number` holding the rows found, of `total` in all."""
    paginator = Paginator([], per_page)
    paginator.count = total
    return Page(found, number, paginator)


def _rows_digest(values) -> str:
    """A digest of values as the database returned them: the same for equal
    values of the same types, in every process (pickle's fixed protocol,
    written out by C code: an eighth of the time of their repr on a page of
    long messages)."""
    written = pickle.dumps(values, protocol=5)
    return hashlib.blake2b(written, digest_size=16).hexdigest()


def _anyones_tree(thread: Thread, viewer, sort: str, moderator: bool) -> ReplyTree:
    """reply_tree's first page for a reader who is not signed in: its rows
    read now, in the same two queries, its nodes made on first use (Roots).
    """
    per_page = settings.FORUM_TOP_LEVEL_PER_PAGE
    limit = settings.FORUM_DESCENDANTS_PER_ROOT
    first = _first_page(sort, per_page)
    rows = first.raw(thread=thread.pk)
    id_at = first.position("id")
    root_ids = [row[id_at] for row in rows]
    descendants = _anyones_descendants(len(root_ids), limit) if rows else None
    found = descendants.raw(ids=root_ids) if descendants is not None else []
    under = {pk: [] for pk in root_ids}
    if found:
        root_at = descendants.position("root_id")
        for row in found:
            under[row[root_at]].append(row)
    sizes = _subtree_sizes({pk: len(under[pk]) for pk in root_ids}, viewer, limit)
    # The settings the nodes follow from, then each reply's row without the
    # columns a vote writes; the counters apart.
    head = (limit, settings.FORUM_DISPLAY_DEPTH_CAP)
    shown = first.picker(*Reply.VOTE_WRITTEN, leaving=True)
    counters = first.picker(*Reply.VOTE_COUNTERS)
    tallies = {row[id_at]: counters(row) for row in rows}
    answer_shown = None
    if found:
        answer_shown = descendants.picker(*Reply.VOTE_WRITTEN, leaving=True)
        answer_counters = descendants.picker(*Reply.VOTE_COUNTERS)
        answer_id_at = descendants.position("id")
        for row in found:
            tallies[row[answer_id_at]] = answer_counters(row)
    signatures = [
        _rows_digest(
            (
                head,
                shown(row),
                sizes.get(pk),
                [answer_shown(item) for item in under[pk]],
            )
        )
        for pk, row in zip(root_ids, rows, strict=True)
    ]

    def build() -> list[ReplyNode]:
        replies = first.instances(rows)
        nodes = {reply.pk: ReplyNode(reply=reply, display_depth=0) for reply in replies}
        if found:
            _attach(nodes, descendants.instances(found), viewer, moderator, sizes)
        for node in nodes.values():
            _decorate(node, viewer, thread, moderator)
        return [nodes[pk] for pk in root_ids]

    roots = Roots(root_ids, signatures, tallies, build)
    # Read with the thread, a statement before the rows: never fewer than
    # the rows found, should a reply have been posted in between.
    total = max(thread.top_level_count, len(root_ids))
    return ReplyTree(
        roots=roots,
        page=_page(_RootReplies(roots), total, 1, per_page),
        sort=sort,
    )


def _counted_page(rows, counted, number) -> Page:
    """One page of `rows`, counting `counted` in the same query."""
    per_page = settings.FORUM_TOP_LEVEL_PER_PAGE
    try:
        number = int(number or 1)
    except (TypeError, ValueError) as error:
        raise Http404("That page number is not an integer.") from error
    if number < 1:
        raise Http404("That page number is less than 1.")
    if number * per_page >= 2**63:
        # Past what a database offset can hold: no such page.
        raise Http404("That page contains no results.")
    offset = (number - 1) * per_page
    found = list(_with_total(rows, counted)[offset : offset + per_page])
    if not found and number > 1:
        raise Http404("That page contains no results.")
    return _page(found, found[0].top_level_total if found else 0, number, per_page)


def _decorate(node: ReplyNode, viewer, thread: Thread, moderator: bool) -> None:
    reply = node.reply
    reply.thread = thread
    node.concealment = concealment(reply, viewer, moderator=moderator)
    if viewer is None or not viewer.is_authenticated:
        return
    # Links only to what reply_for_action will find: a reply hidden by
    # reports offers no "Reply" or "Report" to other readers.
    visible = moderator or can_see_reply(viewer, reply)
    node.can_vote = can_vote(viewer, reply)
    node.can_edit = can_edit(viewer, reply)
    node.can_flag = (
        visible and can_flag(viewer, reply) and not getattr(reply, "my_flag", False)
    )
    node.can_reply = visible and not reply.is_removed and can_reply(viewer, thread)
    node.can_remove = not reply.is_removed and can_remove(
        viewer, reply, moderator=moderator
    )


def decorate_tree(
    tree: ReplyTree, *, viewer, thread: Thread, moderator: bool | None = None
) -> None:
    """Set every node's permissions (can vote, edit, ...) for a viewer.
    `moderator`, when the caller knows it, saves asking is_moderator."""
    if moderator is None:
        moderator = is_moderator(viewer)
    pending = list(settled(tree).roots)
    while pending:
        node = pending.pop()
        _decorate(node, viewer, thread, moderator)
        pending.extend(node.children)


def reply_tree(
    *, thread: Thread, viewer, sort: str = "best", page=1, focus: Reply | None = None
) -> ReplyTree:
    """A page of top-level replies with their descendants, in display order.

    Two queries whatever the thread's size: the page of top-level replies
    (with their total, for the page count), then their descendants (at most
    FORUM_DESCENDANTS_PER_ROOT each) read along the materialised path; a
    third counts the descendants of those that hold more, for their "more
    answers" link.
    Replies deeper than the display depth cap are shown at the cap's level,
    in order, under the deepest ancestor shown above it, each with "in reply
    to @name"; their true parent is kept.
    """
    sort = sort if sort in SORTS else "best"
    moderator = is_moderator(viewer)
    if _anyones_first_page(viewer, focus, page):
        return _anyones_tree(thread, viewer, sort, moderator)
    shown, top_level = _top_level(thread, viewer, sort, focus)
    current = _counted_page(top_level, shown, page)
    roots = current.object_list
    nodes: dict[int, ReplyNode] = {}
    for reply in roots:
        nodes[reply.pk] = ReplyNode(reply=reply, display_depth=0)
    if roots:
        _attach_descendants(nodes, [reply.pk for reply in roots], viewer, moderator)
    for node in nodes.values():
        _decorate(node, viewer, thread, moderator)
    return ReplyTree(
        roots=[nodes[reply.pk] for reply in roots],
        page=current,
        sort=sort,
        focus=focus,
    )


def _attach_descendants(
    nodes: dict[int, ReplyNode], root_ids, viewer, moderator: bool
) -> None:
    limit = settings.FORUM_DESCENDANTS_PER_ROOT
    if viewer is None or not viewer.is_authenticated:
        # The tree every reader but moderators and authors of held replies
        # sees (the cached and shared pages): its SQL built once.
        lookup = _anyones_descendants(len(root_ids), limit)
        descendants = lookup.all(ids=list(root_ids))
    else:
        descendants = _descendants(root_ids, viewer, limit)
    _attach(nodes, descendants, viewer, moderator)


def _attach(
    nodes: dict[int, ReplyNode], descendants, viewer, moderator: bool, sizes=None
):
    """Nodes for the descendants (in path order) under their top-level
    nodes, as the display depth cap places them, with the number of those
    left out under each (`sizes`: the subtree sizes of the top-level replies
    whose shown descendants reached the limit, counted here when not
    given)."""
    limit = settings.FORUM_DESCENDANTS_PER_ROOT
    deepest = settings.FORUM_DISPLAY_DEPTH_CAP
    # Container of a node: where its children are attached for display.
    containers: dict[int, ReplyNode] = dict(nodes)
    shown = dict.fromkeys(nodes, 0)
    for reply in descendants:
        root_node = nodes[reply.root_id]
        shown[reply.root_id] += 1
        parent_node = _nearest_shown_ancestor(reply, nodes)
        container = containers.get(parent_node.reply.pk, root_node)
        flattened = reply.depth > deepest
        node = ReplyNode(
            reply=reply,
            display_depth=min(reply.depth, deepest),
            in_reply_to=_shown_author(parent_node.reply, viewer, moderator)
            if flattened
            else None,
        )
        container.children.append(node)
        nodes[reply.pk] = node
        containers[reply.pk] = node if reply.depth < deepest else container
    if sizes is None:
        sizes = _subtree_sizes(shown, viewer, limit)
    for pk, size in sizes.items():
        nodes[pk].hidden_descendants = max(0, size - limit)


def _descendants(root_ids, viewer, limit: int):
    """The replies under these top-level ones that the viewer sees, the first
    `limit` of each in path order.

    A window function numbers each root's descendants over their ids and
    paths alone; only the rows it keeps are then read whole, by id
    (numbering the whole rows, their text included, would sort them twice:
    for the window and for the order)."""
    first = (
        Reply.objects.filter(root_id__in=root_ids)
        .in_tree_for(viewer)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("root_id")], order_by=F("path").asc()
            )
        )
        .filter(rank__lte=limit)
        .values("pk")
    )
    return (
        Reply.objects.filter(pk__in=first)
        .with_author()
        .with_viewer_vote(viewer)
        .with_viewer_flag(viewer)
        .order_by("path")
    )


def _subtree_sizes(shown: dict, viewer, limit: int) -> dict:
    """How many replies the viewer sees under each top-level reply whose
    descendants shown (`shown`: their number by root) reached `limit`: one
    query, made only when one did."""
    full = [pk for pk, count in shown.items() if count >= limit]
    if not full:
        return {}
    return dict(
        Reply.objects.filter(root_id__in=full)
        .in_tree_for(viewer)
        .order_by()
        .values_list("root_id")
        .annotate(size=Count("id"))
    )


def _shown_author(reply: Reply, viewer, moderator: bool):
    """The reply's author, or None when the reply conceals it from the viewer."""
    hidden = concealment(reply, viewer, moderator=moderator)
    return reply.author if hidden is None or hidden.reveals else None


def _nearest_shown_ancestor(reply: Reply, nodes: dict[int, ReplyNode]) -> ReplyNode:
    if reply.parent_id in nodes:
        return nodes[reply.parent_id]
    # The parent is not shown (held for review): climb the path.
    for ancestor_id in reversed(path_ancestor_ids(reply.path)):
        if ancestor_id in nodes:
            return nodes[ancestor_id]
    return nodes[reply.root_id]


def thread_page_head(*, thread: Thread, viewer) -> dict:
    """The thread page's context apart from its reply tree (the thread from
    thread_for_page)."""
    signed_in = viewer is not None and viewer.is_authenticated
    if not signed_in:
        is_following = False
    elif hasattr(thread, "is_followed"):
        is_following = thread.is_followed
    else:
        is_following = Follow.objects.filter(thread=thread, user=viewer).exists()
    return {
        "thread": thread,
        "article": thread.article,
        "postings": thread.posting_list,
        "sorts": SORTS,
        "can_reply": signed_in and can_reply(viewer, thread),
        "is_moderator": is_moderator(viewer),
        "is_following": is_following,
    }


def thread_page(
    *, thread: Thread, viewer, sort: str = "best", page=1, focus: Reply | None = None
) -> dict:
    """The whole context of the thread page (the thread from thread_for_page)."""
    tree = reply_tree(thread=thread, viewer=viewer, sort=sort, page=page, focus=focus)
    mark_new(tree, viewer, getattr(thread, "last_seen_reply_id", None))
    return {**thread_page_head(thread=thread, viewer=viewer), "tree": tree}


def thread_for_page(thread_id: int, viewer) -> Thread:
    """The thread a page shows, with its article and postings, or 404."""
    if viewer is None or not viewer.is_authenticated:
        thread = _anyones_thread(thread_id)
        if thread is None:
            raise Http404("No such thread.")
        return thread
    threads = (
        Thread.objects.visible_to(viewer)
        .with_article()
        .with_postings()
        .with_visit(viewer)
    )
    if viewer is not None and viewer.is_authenticated:
        # Whether the viewer follows the thread comes with the thread's row.
        threads = threads.annotate(
            is_followed=Exists(
                Follow.objects.filter(thread=OuterRef("pk"), user=viewer)
            )
        )
    try:
        return threads.get(pk=thread_id)
    except Thread.DoesNotExist as error:
        raise Http404("No such thread.") from error


def thread_for_shared_page(thread_id: int, reader) -> Thread:
    """The thread of the page signed-in readers of a kind share, as the
    kind's generic reader (who moderates nothing and has no visit) may open
    it, with its article, postings and `newest_reply_id`, or 404: for a
    reader who does not see drafts, what anyone may open, by SQL built
    once."""
    if is_moderator(reader) or sees_drafts(reader):
        threads = (
            Thread.objects.visible_to(reader)
            .with_article()
            .with_postings()
            .with_newest_reply()
        )
        try:
            return threads.get(pk=thread_id)
        except Thread.DoesNotExist as error:
            raise Http404("No such thread.") from error
    thread = _anyones_thread(thread_id, newest=True)
    if thread is None:
        raise Http404("No such thread.")
    return thread


def _anyones_thread(thread_id: int, *, newest=False) -> Thread | None:
    """thread_for_page's thread for an anonymous reader, with its article
    and postings (and, if asked, the id of its newest reply), by SQL built
    once."""
    if not 0 < thread_id <= LARGEST_ID:
        return None

    def build():
        threads = Thread.objects.visible_to(None).with_article()
        if newest:
            threads = threads.with_newest_reply()
        return Compiled(threads.filter(pk=SLOTS["thread"]), ("article",))

    thread = compiled(("thread-page", newest), build).first(thread=thread_id)
    if thread is not None:
        thread.posting_list = compiled(
            ("thread-postings",),
            lambda: Compiled(
                postings_shown().filter(threads=SLOTS["thread"]), ("company",)
            ),
        ).all(thread=thread_id)
    return thread


def notifications_for(user):
    """A user's notifications, newest first, each with its reply, the reply's
    author, thread and article, `is_unread`, and `can_open`: whether the user
    may still open the thread."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("reply__author", "reply__thread__article")
        .annotate(
            is_unread=ExpressionWrapper(
                Q(read_at__isnull=True), output_field=BooleanField()
            ),
            can_open=Exists(
                Thread.objects.visible_to(user).filter(pk=OuterRef("reply__thread_id"))
            ),
        )
        .order_by("-created_at", "-pk")
    )


def notification_for_action(user, notification_id) -> Notification:
    """One of the user's own notifications, or 404 (someone else's too)."""
    try:
        return Notification.objects.get(pk=notification_id, recipient=user)
    except (Notification.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No such notification.") from error


def replies_by_author(author):
    """The replies an author wrote and has not deleted, newest first, in the
    threads they may still open (held for review included: theirs to see)."""
    return (
        Reply.objects.filter(author=author)
        .not_removed()
        .filter(thread__in=Thread.objects.visible_to(author))
        .select_related("thread__article", "author")
        .with_viewer_vote(author)
        .order_by("-created_at", "-pk")
    )


# A reader's own data, for the export of their account (accounts/export.py).


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def exported_replies(user) -> list[dict]:
    """Every reply a reader wrote, removed and held ones too, each with its
    earlier versions."""
    replies = (
        Reply.objects.filter(author=user)
        .select_related("thread")
        .prefetch_related("revisions")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": reply.pk,
            "thread": reply.thread.title,
            "thread_id": reply.thread_id,
            "parent_id": reply.parent_id,
            "url": reply.get_absolute_url(),
            "body": reply.body,
            "status": reply.status,
            "created_at": _when(reply.created_at),
            "edited_at": _when(reply.edited_at),
            "removed_at": _when(reply.removed_at),
            "removal_reason": reply.removal_reason,
            "score": reply.score,
            "revisions": [
                {"body": revision.body, "replaced_at": _when(revision.created_at)}
                for revision in reply.revisions.all()
            ],
        }
        for reply in replies
    ]


def exported_threads(user) -> list[dict]:
    """The threads a reader started."""
    return [
        {"id": thread.pk, "title": thread.title, "created_at": _when(thread.created_at)}
        for thread in Thread.objects.filter(author=user).order_by("created_at", "pk")
    ]


def exported_votes(user) -> list[dict]:
    return [
        {"reply_id": reply_id, "value": value, "created_at": _when(created_at)}
        for reply_id, value, created_at in Vote.objects.filter(user=user)
        .order_by("created_at", "pk")
        .values_list("reply_id", "value", "created_at")
    ]


def exported_reports(user) -> list[dict]:
    return [
        {
            "reply_id": reply_id,
            "reason": reason,
            "note": note,
            "status": status,
            "created_at": _when(created_at),
            "decided_at": _when(decided_at),
        }
        for reply_id, reason, note, status, created_at, decided_at in (
            Flag.objects.filter(reporter=user)
            .order_by("created_at", "pk")
            .values_list(
                "reply_id", "reason", "note", "status", "created_at", "decided_at"
            )
        )
    ]


def exported_appeals(user) -> list[dict]:
    return [
        {
            "decision": {
                "action": appeal.decision.action,
                "reason": appeal.decision.reason,
                "explanation": appeal.decision.explanation,
                "reply_id": appeal.decision.reply_id,
                "decided_at": _when(appeal.decision.created_at),
            },
            "text": appeal.text,
            "status": appeal.status,
            "created_at": _when(appeal.created_at),
            "handled_at": _when(appeal.handled_at),
            "response": appeal.response,
        }
        for appeal in Appeal.objects.filter(appellant=user)
        .select_related("decision")
        .order_by("created_at", "pk")
    ]


def exported_decisions(user) -> list[dict]:
    """The moderation decisions about this reader's replies and account."""
    return [
        {
            "action": decision.action,
            "reason": decision.reason,
            "explanation": decision.explanation,
            "reply_id": decision.reply_id,
            "thread_id": decision.thread_id,
            "automatic": decision.decided_by_id is None,
            "created_at": _when(decision.created_at),
        }
        for decision in ModerationDecision.objects.filter(user=user).order_by(
            "created_at", "pk"
        )
    ]


def exported_notices(user) -> list[dict]:
    return [
        {
            "location": notice.location,
            "explanation": notice.explanation,
            "name": notice.name,
            "email": notice.email,
            "status": notice.status,
            "created_at": _when(notice.created_at),
        }
        for notice in IllegalContentNotice.objects.filter(reporter=user).order_by(
            "created_at", "pk"
        )
    ]


def exported_notifications(user) -> list[dict]:
    return [
        {
            "kind": kind,
            "reply_id": reply_id,
            "created_at": _when(created_at),
            "read_at": _when(read_at),
        }
        for kind, reply_id, created_at, read_at in Notification.objects.filter(
            recipient=user
        )
        .order_by("created_at", "pk")
        .values_list("kind", "reply_id", "created_at", "read_at")
    ]


def exported_follows(user) -> list[dict]:
    return [
        {"thread_id": thread_id, "thread": title, "created_at": _when(created_at)}
        for thread_id, title, created_at in Follow.objects.filter(user=user)
        .order_by("created_at", "pk")
        .values_list("thread_id", "thread__title", "created_at")
    ]
