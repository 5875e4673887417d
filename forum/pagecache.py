"""Cached pages for anonymous readers, shared pages for signed-in ones.

Anonymous readers all see the same page, so the home, article and thread
pages are cached whole. Cache keys carry the version counters of
forum/infra/cache.py, which the services bump after every write that changes what a
page shows (reply, vote, edit, moderation); a bumped version makes the next
request render the page afresh. Edits to articles, postings and companies,
made in the admin or by the importer, bump one "catalog" version that every
cached page carries. Entries also expire after FORUM_PAGE_CACHE_TIMEOUT
seconds, which bounds how long a change no counter tracks (a reader's new
display name) takes to show; 0 turns the caches off.

Signed-in readers share the thread page: it is rendered once for a "generic"
reader of their kind (writer or read-only, staff or not) and language, with
marks where each reader's own parts go. A request then costs the session and
user lookups and one query for the reader's own state, which fills in the
header's account links, the follow button and the actions (vote buttons
showing your vote, edit, report, delete) of the replies where this reader's
state differs from the generic one: their own replies and those they voted on
or reported. Moderators, and readers with replies held for review in the
thread, get the page rendered for them alone.

Anonymous pages carry no CSRF token (nothing on them posts but the language
switch, which needs none), so a cached one is sent as it was stored. Pages
that do carry tokens are stored with a placeholder in their place.
"""

import hashlib
import re
import threading
import time
from collections import OrderedDict
from copy import copy
from dataclasses import dataclass
from functools import lru_cache, wraps

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from accounts.models import User
from articles.models import Article, Citation, Company, Posting
from forum.forms import ReplyForm
from forum.infra import cache as versions
from forum.models import Flag, Follow, Notification, Reply, Thread, Vote
from forum.permissions import can_reply, can_write, is_moderator
from forum.selectors import (
    ReplyNode,
    ReplyTree,
    decorate_tree,
    reply_tree,
    thread_for_page,
    thread_page_head,
)

# Stands for the viewer's CSRF token in cached HTML. Reply bodies refuse NUL
# characters, so no text a reader writes can contain it.
CSRF_PLACEHOLDER = "\x00csrf-token\x00"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _timeout() -> int:
    return settings.FORUM_PAGE_CACHE_TIMEOUT


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


# Local copies ----------------------------------------------------------------


class LocalCopies:
    """This process's copies of cache entries whose key names their versions.

    Such an entry never changes (a change bumps a version and so the key), so
    each worker keeps the pages and fragments it serves for a short while
    instead of fetching and unpickling them from the shared cache (Redis) on
    every request; only the version counters are read there. Copies live at
    most FORUM_PAGE_LOCAL_SECONDS and FORUM_PAGE_LOCAL_BYTES in all, the least
    recently used going first.
    """

    def __init__(self):
        self._items: OrderedDict[str, tuple] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            value, expires, size = item
            if expires < time.monotonic():
                del self._items[key]
                self._bytes -= size
                return None
            self._items.move_to_end(key)
            return value

    def set(self, key: str, value, size: int) -> None:
        limit = settings.FORUM_PAGE_LOCAL_BYTES
        if size > limit:
            return
        seconds = min(settings.FORUM_PAGE_LOCAL_SECONDS, _timeout())
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[2]
            self._items[key] = (value, time.monotonic() + seconds, size)
            self._bytes += size
            while self._bytes > limit:
                _key, (_value, _expires, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


local = LocalCopies()


def _get_many(keys: list[str]) -> dict:
    """Entries of versioned keys: local copies first, then the shared cache."""
    found = {}
    wanted = []
    for key in keys:
        value = local.get(key)
        if value is None:
            wanted.append(key)
        else:
            found[key] = value
    if wanted:
        fetched = cache.get_many(wanted)
        for key, value in fetched.items():
            local.set(key, value, _size(value))
        found.update(fetched)
    return found


def _set_many(entries: dict) -> None:
    cache.set_many(entries, _timeout())
    for key, value in entries.items():
        local.set(key, value, _size(value))


def _size(value) -> int:
    """About how much memory an entry takes, in bytes."""
    if isinstance(value, dict):
        return sum(len(piece) for piece in value.get("pieces", ())) + 4096
    if isinstance(value, tuple):
        return len(value[0]) + 1024
    return len(value) * 2 + 256


# Anonymous pages -----------------------------------------------------------


def _has_messages(request) -> bool:
    """Whether a flash message waits, in its cookie or in the session."""
    if CookieStorage.cookie_name in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.get("_messages"))


def _anonymous_and_plain(request) -> bool:
    """A GET by an anonymous reader with no flash message waiting."""
    if request.method not in ("GET", "HEAD"):
        return False
    if CookieStorage.cookie_name in request.COOKIES:
        return False
    return not request.user.is_authenticated and not _has_messages(request)


def thread_ident(request, thread_id: int, **kwargs) -> int:
    return thread_id


def article_ident(request, slug: str) -> int | None:
    """The id of the article a slug names, remembered in the cache."""
    key = f"pagecache:article-id:{_digest(slug)}"
    article_id = cache.get(key)
    if article_id is None:
        article_id = (
            Article.objects.filter(slug=slug).values_list("pk", flat=True).first()
        )
        if article_id is not None:
            cache.set(key, article_id, timeout=versions.VERSION_TIMEOUT)
    return article_id


def _page_key(request, kind: str, ident, language: str) -> str:
    counters = versions.versions((kind, ident), ("catalog", "all"))
    where = _digest(f"{request.get_host()}{request.get_full_path()}")
    return f"page:anonymous:{kind}:{ident}:{counters}:{language}:{where}"


def _key_for(request, page_cache, kwargs: dict, language: str) -> str | None:
    kind, ident = page_cache
    key_ident = ident(request, **kwargs) if ident else "all"
    return _page_key(request, kind, key_ident, language) if key_ident else None


def _from_entry(request, entry) -> HttpResponse:
    content, headers, has_token = entry
    if has_token:
        content = content.replace(
            CSRF_PLACEHOLDER.encode(), get_token(request).encode()
        )
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def anonymous_page(kind: str, ident=None):
    """Cache a page whole for anonymous readers, under `kind`'s version counter.

    `ident(request, **kwargs)` names the object whose counter applies (a
    thread id, an article id); without it the kind has one counter ("home").
    AnonymousPageCacheMiddleware stores the finished response and answers
    later requests before the rest of the stack; this decorator answers
    anonymous readers who carry a session cookie.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if _timeout() and _anonymous_and_plain(request):
                key = _key_for(
                    request, wrapper.page_cache, kwargs, request.LANGUAGE_CODE
                )
                entry = _get_many([key]).get(key) if key else None
                if entry is not None:
                    return _from_entry(request, entry)
                request.page_cache_key = key
            return view(request, *args, **kwargs)

        wrapper.page_cache = (kind, ident)
        return wrapper

    return decorator


class AnonymousPageCacheMiddleware:
    """Answer cached anonymous pages early; store the pages views mark.

    Placed before sessions: a request without a session or messages cookie is
    anonymous and has no flash message, so a cached page is answered at once
    (a page with a CSRF token after the CSRF cookie is handled, as
    CsrfViewMiddleware would). A page is stored with the headers the rest of
    the stack gave it, its CSRF tokens replaced by a placeholder.
    """

    SKIPPED_HEADERS = {"content-length", "x-page-cache"}

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if (
            _timeout()
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
        ):
            response = self._cached(request)
            if response is not None:
                return response
        response = self.get_response(request)
        key = getattr(request, "page_cache_key", None)
        if key and self._storable(response):
            content, tokens = CSRF_INPUT.subn(
                rb"\g<1>" + CSRF_PLACEHOLDER.encode() + rb"\g<2>", response.content
            )
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in self.SKIPPED_HEADERS
            ]
            _set_many({key: (content, headers, bool(tokens))})
            response["X-Page-Cache"] = "miss"
        return response

    def _cached(self, request) -> HttpResponse | None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        page_cache = getattr(match.func, "page_cache", None)
        if page_cache is None:
            return None
        language = translation.get_language_from_request(request)
        key = _key_for(request, page_cache, match.kwargs, language)
        entry = _get_many([key]).get(key) if key else None
        if entry is None:
            return None
        if not entry[2]:
            return _from_entry(request, entry)
        self.csrf.process_request(request)
        response = _from_entry(request, entry)
        return self.csrf.process_response(request, response)

    @staticmethod
    def _storable(response) -> bool:
        """A complete 200 that sets no cookie but the CSRF one."""
        return (
            response.status_code == 200
            and not response.streaming
            and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
        )


# Shared pages for signed-in readers -----------------------------------------

# Marks, in a page rendered for a generic reader, what each reader gets for
# themself: the header's account links ("nav"), the follow button ("follow")
# and each reply's actions ("actions:ID"). Reply bodies and article texts are
# sanitised without HTML comments, so no text a reader writes can forge one.
SLOT = re.compile(r"<!--slot:(\w+)(?::(\d+))?-->(.*?)<!--/slot-->", re.S)
# Markers of the viewer's state in _own_state's single query.
FLAGGED, HELD, FOLLOWING, UNREAD = 2, 3, 4, 5


@dataclass
class OwnState:
    """What one signed-in reader sees differently on a thread page."""

    votes: dict[int, int]
    flags: set[int]
    has_held: bool
    following: bool
    unread: int


def _generic_reader(*, writer: bool, staff: bool) -> User:
    """An unsaved reader who has written, voted and reported nothing."""
    reader = User(is_active=True, is_staff=staff)
    if not writer:
        reader.banned_at = timezone.now()
    # No permission rows to read: this reader is nobody's moderator.
    reader._perm_cache = set()
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
    thread = thread_for_page(thread_id, request.user)
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
    reader = _generic_reader(writer=writer, staff=staff)
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
    html = render_to_string("forum/thread_detail.html", context, request=request)
    follow = {
        following: render_to_string(
            "forum/_follow_form.html",
            {
                "thread": thread,
                "is_following": following,
                "csrf_token": CSRF_PLACEHOLDER,
            },
        )
        for following in (False, True)
    }
    shown = _shown_replies(tree)
    entry = {
        "slug": thread.slug,
        **_pieces(html),
        "authors": {pk: reply.author_id for pk, reply in shown.items()},
        "follow": follow,
    }
    return entry, {"thread": thread, "replies": shown}


def _shown_replies(tree: ReplyTree) -> dict[int, Reply]:
    """Every reply shown, by id."""
    shown, pending = {}, list(tree.roots)
    while pending:
        node = pending.pop()
        shown[node.reply.pk] = node.reply
        pending.extend(node.children)
    return shown


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
        # takes for a list of as many parameters.
        listed = (
            "= ANY(%s)"
            if connection.vendor == "postgresql"
            else "IN ({})".format(", ".join(["%s"] * shown))
        )
        parts += [
            f"SELECT {column(Vote, 'reply')}, {column(Vote, 'value')} "
            f"FROM {table(Vote)} WHERE {column(Vote, 'user')} = %s "
            f"AND {column(Vote, 'reply')} {listed}",
            f"SELECT {column(Flag, 'reply')}, {FLAGGED} FROM {table(Flag)} "
            f"WHERE {column(Flag, 'reporter')} = %s "
            f"AND {column(Flag, 'reply')} {listed}",
        ]
    parts += [
        f"SELECT {column(Reply, 'id')}, {HELD} FROM {table(Reply)} "
        f"WHERE {column(Reply, 'thread')} = %s AND {column(Reply, 'author')} = %s "
        # The status is written out, not bound, so that SQLite's planner can
        # match it to the partial index forum_reply_held.
        f"AND {column(Reply, 'status')} = '{Reply.Status.PENDING.value}'",
        f"SELECT {column(Follow, 'thread')}, {FOLLOWING} FROM {table(Follow)} "
        f"WHERE {column(Follow, 'thread')} = %s AND {column(Follow, 'user')} = %s",
        f"SELECT COUNT(*), {UNREAD} FROM {table(Notification)} "
        f"WHERE {column(Notification, 'recipient')} = %s "
        f"AND {column(Notification, 'read_at')} IS NULL",
    ]
    return " UNION ALL ".join(parts)


def _own_state(thread_id: int, viewer_id: int, shown_ids: list[int]) -> OwnState:
    """The viewer's votes and reports among the shown replies, whether a reply
    of theirs waits for review in the thread, whether they follow it, and
    their unread notifications.

    One query, each part read by its marker. It runs on every signed-in
    thread page, so it is written as SQL: building the same union through the
    ORM costs more than all the page's other queries together.
    """
    if not shown_ids:
        params = []
    elif connection.vendor == "postgresql":
        params = [viewer_id, shown_ids, viewer_id, shown_ids]
    else:
        params = [viewer_id, *shown_ids, viewer_id, *shown_ids]
    params += [thread_id, viewer_id, thread_id, viewer_id, viewer_id]
    with connection.cursor() as cursor:
        cursor.execute(_own_state_sql(len(shown_ids)), params)
        rows = cursor.fetchall()
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
        else:
            state.votes[value] = marker
    return state


def _action_key(thread_id, kind: str, reply_id: int, state: tuple) -> str:
    own, vote, flag = state
    return f"fragment:actions:{thread_id}:{kind}:{reply_id}:{own:d}:{vote}:{flag:d}"


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
        thread = thread_for_page(thread_id, viewer)
        replies = Reply.objects.filter(pk__in=list(states), thread=thread)
    actions, rendered = {}, {}
    for reply in replies:
        state = states[reply.pk]
        reply.thread = thread
        reply.my_vote, reply.my_flag = state[1], state[2]
        node = ReplyNode(reply=reply, display_depth=0)
        decorate_tree(
            ReplyTree(roots=[node], page=None, sort=""), viewer=viewer, thread=thread
        )
        actions[reply.pk] = render_to_string(
            "forum/_reply_actions.html",
            {
                "node": node,
                "reply": reply,
                "user": viewer,
                "csrf_token": CSRF_PLACEHOLDER,
            },
        )
        rendered[_action_key(thread_id, kind, reply.pk, state)] = actions[reply.pk]
    _set_many(rendered)
    return actions


def _nav_key(viewer, unread: int, language: str) -> str:
    """The header's account links depend on these fields and nothing else."""
    who = _digest(f"{viewer.username}\x00{viewer.public_name}")
    return f"fragment:nav:{language}:{viewer.pk}:{viewer.is_staff:d}:{unread}:{who}"


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
    states = {
        pk: (pk in own, state.votes.get(pk, 0), pk in state.flags)
        for pk in own | set(state.votes) | state.flags
    }
    keys = {pk: _action_key(thread_id, kind, pk, value) for pk, value in states.items()}
    nav_key = _nav_key(viewer, state.unread, request.LANGUAGE_CODE)
    found = _get_many([nav_key, *keys.values()])
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
        _set_many({nav_key: fills["nav"]})
    fills["follow"] = entry["follow"][state.following]

    token = get_token(request)
    out = entry["pieces"][:]
    token_bytes = token.encode()
    for index in entry["tokens"]:
        out[index] = token_bytes
    slots = entry["slots"]
    for name, html in fills.items():
        start, end = slots.get(name, (None, None))
        if start is not None:
            out[start:end] = [html.replace(CSRF_PLACEHOLDER, token).encode()] + [
                b""
            ] * (end - start - 1)
    return b"".join(out)


def shared_thread_page(request, *, thread_id, slug) -> HttpResponse | None:
    """The thread page for a signed-in reader, from the page shared by every
    reader of their kind; None when it must be rendered for them alone.

    Moderators, readers with a flash message waiting and readers with a reply
    held for review in the thread get their own page. Everyone else shares
    the page of a generic reader of their kind (may write or not, staff or
    not) and language; only the header's account links, the follow button
    and the actions of the replies they wrote, voted on or reported are
    theirs, from one query.

    Whether a reader moderates is remembered between their requests (the
    "permissions" version changes with any group or permission): it only
    chooses between the shared page and one rendered for them alone, and
    every permission is checked again when used.
    """
    if not _timeout() or request.method not in ("GET", "HEAD"):
        return None
    if _has_messages(request):
        return None
    viewer = request.user
    moderator_key = f"pagecache:moderator:{viewer.pk}"
    counters, found = versions.read(
        [("thread", thread_id), ("catalog", "all"), ("permissions", "all")],
        moderator_key,
    )
    thread_version, catalog_version, permissions_version = counters
    remembered = found.get(moderator_key)
    if remembered is not None and remembered[0] == permissions_version:
        moderator = remembered[1]
    else:
        moderator = is_moderator(viewer)
        cache.set(moderator_key, (permissions_version, moderator), _timeout())
    if moderator:
        return None
    writer = can_write(viewer)
    kind = "{}.{}:{}:{}:{}".format(
        thread_version,
        catalog_version,
        "w" if writer else "r",
        "s" if viewer.is_staff else "p",
        request.LANGUAGE_CODE,
    )
    where = _digest(f"{request.get_host()}{request.get_full_path()}")
    key = f"page:shared:{thread_id}:{kind}:{where}"
    entry = _get_many([key]).get(key)
    rendered_from = None
    status = "hit"
    if entry is None:
        shared = _shared_entry(
            request, thread_id=thread_id, writer=writer, staff=viewer.is_staff
        )
        if shared is None:
            return None
        entry, rendered_from = shared
        _set_many({key: entry})
        status = "miss"
    if entry["slug"] != slug:
        return None
    state = _own_state(thread_id, viewer.pk, list(entry["authors"]))
    if state.has_held:
        return None
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
    return response


# Invalidation of edits no service makes -------------------------------------


def _catalog_changed(**kwargs):
    versions.bump("catalog")


for _model in (Article, Company, Posting, Citation):
    for _signal in (post_save, post_delete):
        _signal.connect(
            _catalog_changed,
            sender=_model,
            dispatch_uid=f"pagecache-{_signal is post_save}-{_model.__name__}",
        )
m2m_changed.connect(
    _catalog_changed,
    sender=Thread.postings.through,
    dispatch_uid="pagecache-thread-postings",
)


def _permissions_changed(**kwargs):
    versions.bump("permissions")


def _user_saved(instance, **kwargs):
    cache.delete(f"pagecache:moderator:{instance.pk}")


for _through in (
    User.groups.through,
    User.user_permissions.through,
    Group.permissions.through,
):
    m2m_changed.connect(
        _permissions_changed,
        sender=_through,
        dispatch_uid=f"pagecache-permissions-{_through.__name__}",
    )
post_delete.connect(
    _permissions_changed, sender=Group, dispatch_uid="pagecache-group-deleted"
)
for _signal in (post_save, post_delete):
    _signal.connect(
        _user_saved,
        sender=User,
        dispatch_uid=f"pagecache-user-{_signal is post_save}",
    )
