"""The thread page shared by signed-in readers, with each reader's own parts
put in.
"""

import re
from copy import copy
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from django.contrib.auth import SESSION_KEY, get_user_model
from django.db import connection, router
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from accounts.backends import by_id_statement, signed_in_from_row
from accounts.models import User
from forum.forms import ReplyForm
from forum.infra import cache as versions
from forum.infra import prepared
from forum.models import (
    Flag,
    Follow,
    Notification,
    Reply,
    ThreadVisit,
    Vote,
    flag_weight_to_hide,
)
from forum.pagecache import frames
from forum.pagecache.anonymous import has_messages
from forum.pagecache.store import (
    CSRF_PLACEHOLDER,
    current_or_recent,
    digest,
    get_many,
    hot,
    readers,
    rendering_salt,
    set_many,
    timeout,
)
from forum.permissions import can_reply, can_write, is_moderator
from forum.selectors import (
    ReplyNode,
    ReplyTree,
    decorate_tree,
    reply_tree,
    thread_for_shared_page,
    thread_page_head,
)
from forum.services import record_visit

# Marks, in a page rendered for a generic reader, what each reader gets for
# themself: the header's account links ("nav"), the follow button ("follow")
# and each reply's actions ("actions:ID"). Reply bodies and article texts are
# sanitised without HTML comments, so no text a reader writes can forge one.
SLOT = re.compile(r"<!--slot:(\w+)(?::(\d+))?-->(.*?)<!--/slot-->", re.S)
# Where a reader's own actions return them ("next"), put in per request:
# the actions are shared by every page and sort of the thread.
HERE, HERE_QUOTED = "__HERE__", "__HERE_QUOTED__"
# Markers of the viewer's state in _own_state's single query.
FLAGGED, HELD, FOLLOWING, UNREAD, VISITED, WROTE = 2, 3, 4, 5, 6, 7


@dataclass
class OwnState:
    """What one signed-in reader sees differently on a thread page."""

    votes: dict[int, int]
    flags: set[int]
    has_held: bool
    following: bool
    unread: int
    # The newest reply seen at the last recorded visit (None: never visited).
    last_seen: int | None = None
    # The newest reply this reader wrote in the thread (0: none).
    newest_own: int = 0


def _generic_reader(*, writer: bool, staff: bool) -> User:
    """An unsaved reader who has written, voted and reported nothing."""
    reader = User(is_active=True, is_staff=staff, email_verified_at=timezone.now())
    if not writer:
        reader.banned_at = timezone.now()
    return reader


def _pieces(html: str) -> dict:
    """A page cut where each reader's parts go, as UTF-8.

    "pieces" is a flat list of bytes with an empty item wherever the reader's
    CSRF token goes ("tokens" lists those places); "slots" gives, for "nav",
    "follow" and each reply id, the range of pieces its generic content
    takes, replaced for a reader whose part differs.
    """
    placeholder = CSRF_PLACEHOLDER.encode()
    pieces, tokens, slots = [], [], {}

    def static(text: str) -> None:
        chunks = text.encode().split(placeholder)
        pieces.append(chunks[0])
        for chunk in chunks[1:]:
            tokens.append(len(pieces))
            pieces.extend((b"", chunk))

    parts = SLOT.split(html)
    static(parts[0])
    for index in range(1, len(parts), 4):
        name, ident, inner = parts[index : index + 3]
        start = len(pieces)
        static(inner)
        slots[int(ident) if ident else name] = (start, len(pieces))
        static(parts[index + 3])
    return {"pieces": pieces, "tokens": tokens, "slots": slots}


def _shared_entry(request, *, thread_id, writer: bool, staff: bool):
    """The thread page rendered for a generic reader of a kind, cut into
    pieces, with the thread and replies it was rendered from; None when this
    request's page cannot be shared (a conversation only its reader may
    see)."""
    reader = _generic_reader(writer=writer, staff=staff)
    # The thread as the kind sees it: not as this reader, whose
    # permissions it would read again.
    thread = thread_for_shared_page(thread_id, reader)
    focus = None
    focus_id = request.GET.get("reply")
    if focus_id:
        if not focus_id.isdigit():
            return None
        focus = (
            Reply.objects.in_thread(thread).in_tree_for(None).filter(pk=focus_id)
        ).first()
        if focus is None:
            return None
    # The anonymous tree is what every reader but moderators and authors of
    # held replies sees; the generic reader then sets the permissions.
    tree = reply_tree(
        thread=thread,
        viewer=None,
        sort=request.GET.get("sort", "best"),
        page=request.GET.get("page", 1),
        focus=focus,
    )
    decorate_tree(tree, viewer=reader, thread=thread)
    context = {
        **thread_page_head(thread=thread, viewer=None),
        "tree": tree,
        "user": reader,
        "can_reply": can_reply(reader, thread),
        "form": ReplyForm(),
        "csrf_token": CSRF_PLACEHOLDER,
        "messages": (),
        "shared_page": True,
    }
    html, frame = frames.page_html(
        request,
        context,
        reader="shared:{}:{}".format("w" if writer else "r", "s" if staff else "p"),
    )
    follow = {
        following: render_to_string(
            "forum/_follow_form.html",
            {
                "thread": thread,
                "is_following": following,
                "csrf_token": CSRF_PLACEHOLDER,
                "here": request.get_full_path(),
            },
        )
        for following in (False, True)
    }
    shown = _shown_replies(tree)
    entry = {
        "slug": thread.slug,
        "newest_id": thread.newest_reply_id or 0,
        **_pieces(html),
        "authors": {pk: reply.author_id for pk, reply in shown.items()},
        "follow": follow,
    }
    return entry, {"thread": thread, "replies": shown, "frame": frame}


def _shown_replies(tree: ReplyTree) -> dict[int, Reply]:
    """Every reply shown, by id."""
    shown, pending = {}, list(tree.roots)
    while pending:
        node = pending.pop()
        shown[node.reply.pk] = node.reply
        pending.extend(node.children)
    return shown


BY_AUTHOR = Reply.RemovalReason.AUTHOR.value


@lru_cache(maxsize=64)
def _own_state_sql(shown: int) -> str:
    """_own_state's query for `shown` replies on the page (written once)."""
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    def table(model) -> str:
        return quote(model._meta.db_table)

    parts = []
    if shown:
        # PostgreSQL plans one array parameter in a third of the time it
        # takes for a list of as many parameters. The array comes as text
        # ("{1,2,3}"): psycopg writes a list of numbers through Python,
        # element by element, in several times as long.
        listed = (
            f"= ANY(%s::{Reply._meta.pk.db_type(connection)}[])"
            if connection.vendor == "postgresql"
            else "IN ({})".format(", ".join(["%s"] * shown))
        )
        # On PostgreSQL the reader's votes are read as one range of
        # forum_vote_by_user, the page's first to last reply, and only then
        # matched to the page: looked up reply by reply, as an indexed
        # "= ANY" is, each of them costs a descent of the index, several
        # times the range's cost for a page of a hundred replies.
        voted = column(Vote, "reply")
        if connection.vendor == "postgresql":
            voted = f"{voted} BETWEEN %s AND %s AND {voted} + 0"
        parts += [
            f"SELECT {column(Vote, 'reply')}, {column(Vote, 'value')} "
            f"FROM {table(Vote)} WHERE {column(Vote, 'user')} = %s "
            f"AND {voted} {listed}",
            f"SELECT {column(Flag, 'reply')}, {FLAGGED} FROM {table(Flag)} "
            f"WHERE {column(Flag, 'reporter')} = %s "
            f"AND {column(Flag, 'reply')} {listed}",
        ]
    # The reader's held replies from the partial index forum_reply_held. The
    # status is written out, not bound, so that SQLite can use it; named, so
    # that SQLite (which keeps no statistics here) does not prefer to read
    # the thread's entries of forum_reply_top_level, which hold every column
    # this part reads, and so that a change of indexes fails loudly.
    held = " INDEXED BY forum_reply_held" if connection.vendor == "sqlite" else ""
    parts += [
        f"SELECT {column(Reply, 'id')}, {HELD} FROM {table(Reply)}{held} "
        f"WHERE {column(Reply, 'thread')} = %s AND {column(Reply, 'author')} = %s "
        f"AND {column(Reply, 'status')} = '{Reply.Status.PENDING.value}'",
        # An edit held for review, a reply hidden by reports, or a
        # removal's reasons, shown to its author alone.
        f"SELECT {column(Reply, 'id')}, {HELD} FROM {table(Reply)} "
        f"WHERE {column(Reply, 'thread')} = %s AND {column(Reply, 'author')} = %s "
        f"AND ({column(Reply, 'pending_edit_at')} IS NOT NULL "
        f"OR {column(Reply, 'open_flag_weight')} >= %s "
        f"OR ({column(Reply, 'removed_at')} IS NOT NULL "
        f"AND {column(Reply, 'removal_reason')} <> '{BY_AUTHOR}'))",
        f"SELECT {column(Follow, 'thread')}, {FOLLOWING} FROM {table(Follow)} "
        f"WHERE {column(Follow, 'thread')} = %s AND {column(Follow, 'user')} = %s",
        f"SELECT COUNT(*), {UNREAD} FROM {table(Notification)} "
        f"WHERE {column(Notification, 'recipient')} = %s "
        f"AND {column(Notification, 'read_at')} IS NULL",
        f"SELECT {column(ThreadVisit, 'last_seen_reply_id')}, {VISITED} "
        f"FROM {table(ThreadVisit)} WHERE {column(ThreadVisit, 'thread')} = %s "
        f"AND {column(ThreadVisit, 'reader')} = %s",
        f"SELECT MAX({column(Reply, 'id')}), {WROTE} FROM {table(Reply)} "
        f"WHERE {column(Reply, 'thread')} = %s AND {column(Reply, 'author')} = %s",
    ]
    return " UNION ALL ".join(parts)


def _own_state_params(thread_id: int, viewer_id: int, shown_ids: list[int]) -> list:
    if not shown_ids:
        params = []
    elif connection.vendor == "postgresql":
        shown = "{" + ",".join(map(str, shown_ids)) + "}"
        first, last = min(shown_ids), max(shown_ids)
        params = [viewer_id, first, last, shown, viewer_id, shown]
    else:
        params = [viewer_id, *shown_ids, viewer_id, *shown_ids]
    params += [thread_id, viewer_id, thread_id, viewer_id, flag_weight_to_hide()]
    params += [thread_id, viewer_id, viewer_id]
    params += [thread_id, viewer_id, thread_id, viewer_id]
    return params


def _state_from(rows) -> OwnState:
    """The reader's state from _own_state_sql's rows (value, marker)."""
    state = OwnState(votes={}, flags=set(), has_held=False, following=False, unread=0)
    for value, marker in rows:
        if marker == HELD:
            state.has_held = True
        elif marker == FLAGGED:
            state.flags.add(value)
        elif marker == FOLLOWING:
            state.following = True
        elif marker == UNREAD:
            state.unread = value
        elif marker == VISITED:
            state.last_seen = value
        elif marker == WROTE:
            state.newest_own = value or 0
        else:
            state.votes[value] = marker
    return state


def _own_state(thread_id: int, viewer_id: int, shown_ids: list[int]) -> OwnState:
    """The viewer's votes and reports among the shown replies, whether a reply
    of theirs waits for review in the thread, whether they follow it, and
    their unread notifications, and the newest reply they wrote in it.

    One query, each part read by its marker. It runs on every signed-in
    thread page, so it is written as SQL: building the same union through the
    ORM costs more than all the page's other queries together.
    """
    with prepared.cursor(connection) as cursor:
        cursor.execute(
            _own_state_sql(len(shown_ids)),
            _own_state_params(thread_id, viewer_id, shown_ids),
        )
        return _state_from(cursor.fetchall())


@lru_cache(maxsize=16)
def _with_viewer_sql(alias: str, shown: int) -> str:
    """The signed-in user's row (accounts/backends.py) with the rows of
    _own_state_sql, in one statement: on PostgreSQL, its columns as two
    arrays after the user's; elsewhere, the user's columns before each of
    its rows (_own_state_sql always gives some)."""
    _compiler, user_sql, _converters, _names = by_id_statement(alias)
    if connection.vendor != "postgresql":
        return (
            f"SELECT viewer.*, own.* FROM ({user_sql}) AS viewer, "
            f"({_own_state_sql(shown)}) AS own"
        )
    return (
        f"SELECT viewer.*, own.state_values, own.markers FROM ({user_sql}) AS viewer, "
        "(SELECT array_agg(value) AS state_values, array_agg(marker) AS markers "
        f"FROM ({_own_state_sql(shown)}) AS state(value, marker)) AS own"
    )


def _viewer_and_state(
    request, user_id, thread_id: int, shown_ids: list[int]
) -> tuple[object, OwnState | None]:
    """The signed-in user, as Django's authentication gives them (an
    anonymous user when the session no longer holds), and their state.

    The user's row is read in the same statement as the state (on
    PostgreSQL, where each statement is a round trip to the server, that
    is one fewer), and handed to the authentication (accounts/backends.py).
    """
    alias = router.db_for_read(get_user_model())
    if alias != connection.alias:
        viewer = request.user
        if not viewer.is_authenticated:
            return viewer, None
        return viewer, _own_state(thread_id, viewer.pk, shown_ids)
    params = [user_id, *_own_state_params(thread_id, user_id, shown_ids)]
    with prepared.cursor(connection) as cursor:
        cursor.execute(_with_viewer_sql(alias, len(shown_ids)), params)
        rows = cursor.fetchall()
    viewer = signed_in_from_row(request, alias, user_id, rows[0][:-2] if rows else None)
    if viewer is None:
        return request.user, None
    if connection.vendor == "postgresql":
        return viewer, _state_from(
            zip(rows[0][-2] or (), rows[0][-1] or (), strict=True)
        )
    return viewer, _state_from(row[-2:] for row in rows)


def _action_key(thread_id, kind: str, reply_id: int, state: tuple) -> str:
    own, vote, flag, new = state
    return (
        f"fragment:actions:{thread_id}:{kind}:{reply_id}"
        f":{own:d}:{vote}:{flag:d}:{new:d}"
    )


def _render_actions(
    viewer, *, thread_id, kind: str, states: dict, rendered_from: dict | None
) -> dict:
    """The actions of replies for a reader in the given states, rendered and
    remembered for every reader in the same state.

    A reply's actions depend only on the kind of reader, whether they wrote
    it, their vote and their report. Unless the page was just rendered from
    them, the thread and those replies are read again; it happens once per
    variant.
    """
    if rendered_from is not None:
        thread = rendered_from["thread"]
        replies = [copy(rendered_from["replies"][pk]) for pk in states]
    else:
        writer, staff = _kind_of(viewer)
        thread = thread_for_shared_page(
            thread_id, _generic_reader(writer=writer, staff=staff)
        )
        replies = Reply.objects.filter(pk__in=list(states), thread=thread)
    actions, rendered = {}, {}
    for reply in replies:
        state = states[reply.pk]
        reply.thread = thread
        reply.my_vote, reply.my_flag = state[1], state[2]
        node = ReplyNode(reply=reply, display_depth=0, is_new=state[3])
        # A shared page's reader does not moderate, as remembered under the
        # permissions counter (shared_thread_page).
        decorate_tree(
            ReplyTree(roots=[node], page=None, sort=""),
            viewer=viewer,
            thread=thread,
            moderator=False,
        )
        actions[reply.pk] = render_to_string(
            "forum/_reply_actions.html",
            {
                "node": node,
                "reply": reply,
                "user": viewer,
                "csrf_token": CSRF_PLACEHOLDER,
                "here": HERE,
                "here_quoted": HERE_QUOTED,
            },
        )
        rendered[_action_key(thread_id, kind, reply.pk, state)] = actions[reply.pk]
    set_many(rendered)
    return actions


def _nav_key(viewer, unread: int, language: str) -> str:
    """The header's account links depend on these fields and nothing else."""
    who = digest(f"{viewer.username}\x00{viewer.public_name}")
    return (
        f"fragment:nav:{rendering_salt()}:{language}:{viewer.pk}"
        f":{viewer.is_staff:d}:{unread}:{who}"
    )


def _personalised(
    request,
    entry: dict,
    *,
    thread_id: int,
    kind: str,
    state: OwnState,
    rendered_from: dict | None,
) -> bytes:
    """The shared page with this reader's parts put in."""
    viewer = request.user
    viewer_id = viewer.pk
    own = {pk for pk, author in entry["authors"].items() if author == viewer_id}
    seen = state.last_seen
    new = set()
    if seen is not None:
        new = {
            pk
            for pk, author in entry["authors"].items()
            if pk > seen and author != viewer_id
        }
    states = {
        pk: (pk in own, state.votes.get(pk, 0), pk in state.flags, pk in new)
        for pk in own | set(state.votes) | state.flags | new
    }
    keys = {pk: _action_key(thread_id, kind, pk, value) for pk, value in states.items()}
    nav_key = _nav_key(viewer, state.unread, request.LANGUAGE_CODE)
    found = get_many([nav_key, *keys.values()])
    fills = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = {pk: value for pk, value in states.items() if pk not in fills}
    if missing:
        fills.update(
            _render_actions(
                viewer,
                thread_id=thread_id,
                kind=kind,
                states=missing,
                rendered_from=rendered_from,
            )
        )
    fills["nav"] = found.get(nav_key)
    if fills["nav"] is None:
        fills["nav"] = render_to_string(
            "_user_nav.html",
            {
                "user": viewer,
                "unread_notifications": state.unread,
                "csrf_token": CSRF_PLACEHOLDER,
            },
        )
        set_many({nav_key: fills["nav"]})
    fills["follow"] = entry["follow"][state.following]
    slots = entry["slots"]
    # The first new reply in the page's order: the one whose actions come
    # first among the pieces.
    shown_new = [pk for pk in new if pk in slots]
    first_new = min(shown_new, key=lambda pk: slots[pk][0]) if shown_new else None
    # Nothing to jump to (the usual case) renders nothing.
    fills["news"] = (
        render_to_string("forum/_first_new.html", {"first_new": {"pk": first_new}})
        if first_new
        else ""
    )

    here = request.get_full_path()
    for name, html in list(fills.items()):
        if name != "nav" and html:
            fills[name] = html.replace(HERE_QUOTED, escape(quote(here))).replace(
                HERE, escape(here)
            )
    token = get_token(request)
    out = entry["pieces"][:]
    token_bytes = token.encode()
    for index in entry["tokens"]:
        out[index] = token_bytes
    for name, html in fills.items():
        start, end = slots.get(name, (None, None))
        if start is not None:
            out[start:end] = [html.replace(CSRF_PLACEHOLDER, token).encode()] + [
                b""
            ] * (end - start - 1)
    return b"".join(out)


def _kind_of(viewer) -> tuple[bool, bool]:
    """Which shared page a reader gets: whether they may write, are staff."""
    return can_write(viewer), viewer.is_staff


def _reader(viewer, permissions_version) -> tuple[bool, bool, bool]:
    """Whether the reader moderates, may write and is staff, remembered."""
    found = (is_moderator(viewer), *_kind_of(viewer))
    readers.remember(viewer.pk, permissions_version, found)
    return found


def shared_thread_page(request, *, thread_id, slug) -> HttpResponse | None:
    """The thread page for a signed-in reader, from the page shared by every
    reader of their kind; None when it must be rendered for them alone.

    Moderators, banned readers, readers with a flash message waiting and
    readers with a reply or an edit held for review, or a reply removed by
    the moderators, in the thread get their own page. Everyone else shares
    the page of a generic reader of their kind (may write or not, staff or
    not) and language; only the header's account links, the follow button
    and the actions of the replies they wrote, voted on or reported are
    theirs, from one query, which on PostgreSQL also reads the user.

    What the reader is (moderator, writer, staff) is remembered by each
    process between their requests (forum/pagecache/store.py): whether they
    moderate only chooses between the shared page and one rendered for them
    alone, and every permission is checked again when used; the rest, which
    chooses the shared page to read before the user's row is, is checked on
    the row, and the page read again if it was the wrong one.
    """
    if not timeout() or request.method not in ("GET", "HEAD"):
        return None
    if has_messages(request):
        return None
    # The counters, read with the session when the page began (anonymous.py).
    counters, _found = versions.read(
        [("thread", thread_id), versions.CATALOG, versions.PERMISSIONS],
        request=request,
    )
    thread_version, catalog_version, permissions_version = counters
    user_id = get_user_model()._meta.pk.to_python(request.session[SESSION_KEY])
    known = readers.get(user_id, permissions_version)
    viewer = None
    if known is None:
        viewer = request.user
        if not viewer.is_authenticated:
            return None
        known = _reader(viewer, permissions_version)
    for _attempt in range(2):
        page = _shared_page_for(
            request,
            thread_id=thread_id,
            slug=slug,
            versions=f"{thread_version}.{catalog_version}",
            user_id=user_id,
            viewer=viewer,
            known=known,
        )
        if page is None or isinstance(page, HttpResponse):
            return page
        # The reader is not what was remembered: found again from their row.
        viewer = page
        known = _reader(viewer, permissions_version)
    return None


def _shared_page_for(request, *, thread_id, slug, versions, user_id, viewer, known):
    """The page from the shared page of the reader's kind as `known`, None
    when they get their own, or the reader when `known` was wrong."""
    moderator, writer, staff = known
    # A moderator's page is theirs alone.
    if moderator:
        return None
    # The release's templates are part of the kind: its page, actions and
    # header are never another release's.
    reader_kind = "{}:{}:{}:{}".format(
        "w" if writer else "r",
        "s" if staff else "p",
        request.LANGUAGE_CODE,
        rendering_salt(),
    )
    where = digest(f"{request.get_host()}{request.get_full_path()}")
    identity = f"page:shared:{thread_id}:{reader_kind}:{where}"

    def render():
        """The page at its current versions, rendered and stored."""
        shared = _shared_entry(request, thread_id=thread_id, writer=writer, staff=staff)
        if shared is not None:
            set_many({f"{identity}:{versions}": shared[0]})
            hot.remember(identity, versions, shared[0])
        return shared

    entry, at, status = current_or_recent(identity, versions)
    rendered_from = None
    if entry is None:
        # Rendered for this kind of reader: checked to be theirs first.
        if viewer is None:
            viewer = request.user
            if not viewer.is_authenticated:
                return None
        if _kind_of(viewer) != known[1:]:
            return viewer
        if not _may_share(viewer):
            return None
        shared = render()
        if shared is None:
            return None
        (entry, rendered_from), status = shared, "miss"
    if entry["slug"] != slug:
        return None
    if viewer is None:
        viewer, state = _viewer_and_state(
            request, user_id, thread_id, list(entry["authors"])
        )
        if state is None:
            return None
        if _kind_of(viewer) != known[1:]:
            return viewer
    else:
        state = _own_state(thread_id, viewer.pk, list(entry["authors"]))
    if state.has_held or not _may_share(viewer):
        return None
    if status == "recent" and state.newest_own > entry["newest_id"]:
        # A copy of a hot page older than this reader's own newest reply:
        # they get the current version, with it.
        shared = render()
        if shared is None:
            return None
        (entry, rendered_from), at, status = shared, versions, "miss"
        state = _own_state(thread_id, viewer.pk, list(entry["authors"]))
    kind = f"{at}:{reader_kind}"
    response = HttpResponse(
        _personalised(
            request,
            entry,
            thread_id=thread_id,
            kind=kind,
            state=state,
            rendered_from=rendered_from,
        )
    )
    response["X-Page-Cache"] = status
    if rendered_from is not None and rendered_from["frame"] is not None:
        response["X-Page-Frame"] = rendered_from["frame"]
    if state.last_seen is None or entry["newest_id"] > state.last_seen:
        record_visit(
            reader=viewer, thread_id=thread_id, newest_reply_id=entry["newest_id"]
        )
    return response


def _may_share(viewer) -> bool:
    """Whether the reader may get a shared page: not a reader who has yet to
    confirm their address (their page gives the reason they cannot reply
    yet), nor a banned one (it tells them why and until when)."""
    return viewer.has_verified_email and not getattr(viewer, "is_banned", False)
