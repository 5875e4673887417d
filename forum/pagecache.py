"""Cached pages for anonymous readers, shared reply fragments for signed-in ones.

Anonymous readers all see the same page, so the home, article and thread
pages are cached whole. Cache keys carry the version counters of
forum/cache.py, which the services bump after every write that changes what a
page shows (reply, vote, edit, moderation); a bumped version makes the next
request render the page afresh. Edits to articles, postings and companies,
made in the admin or by the importer, bump one "catalog" version that every
cached page carries. Entries also expire after FORUM_PAGE_CACHE_TIMEOUT
seconds, which bounds how long a change no counter tracks (a reader's new
display name) takes to show; 0 turns the caches off.

Signed-in readers share the rendered reply list of a thread page: it is
rendered once for a "generic" reader of their kind (writer or read-only, staff
or not) and only the actions of each reply (vote buttons showing your vote,
edit, report, delete) are rendered again for the replies where this reader's
state differs from the generic one: their own replies and those they voted on
or reported. Moderators, and readers with replies held for review in the
thread, get the page rendered for them alone.
"""

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User
from articles.models import Article, Citation, Company, Posting
from forum import cache as versions
from forum.models import Flag, Reply, Thread, Vote
from forum.permissions import can_reply, can_write, is_moderator
from forum.selectors import (
    ReplyNode,
    ReplyTree,
    decorate_tree,
    reply_tree,
    thread_page,
    thread_page_head,
)

# Stands for the viewer's CSRF token in cached HTML. Reply bodies refuse NUL
# characters, so no text a reader writes can contain it.
CSRF_PLACEHOLDER = "\x00csrf-token\x00"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# Markers of the viewer's own state in _own_state's single query.
FLAGGED, HELD = 2, 3
ACTIONS = re.compile(r"<!--actions:(\d+)-->(.*?)<!--/actions-->", re.S)


def _timeout() -> int:
    return settings.FORUM_PAGE_CACHE_TIMEOUT


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


# Anonymous pages -----------------------------------------------------------


def _anonymous_and_plain(request) -> bool:
    """A GET by an anonymous reader with no flash message waiting."""
    if request.method not in ("GET", "HEAD"):
        return False
    if CookieStorage.cookie_name in request.COOKIES:
        return False
    if request.user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.get("_messages"))


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
    return f"page:{kind}:{ident}:{counters}:{language}:{where}"


def _key_for(request, page_cache, kwargs: dict, language: str) -> str | None:
    kind, ident = page_cache
    key_ident = ident(request, **kwargs) if ident else "all"
    return _page_key(request, kind, key_ident, language) if key_ident else None


def _with_token(request, content: bytes) -> bytes:
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder not in content:
        return content
    return content.replace(placeholder, get_token(request).encode())


def _from_entry(request, entry) -> HttpResponse:
    content, headers = entry
    response = HttpResponse(_with_token(request, content))
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
                entry = cache.get(key) if key else None
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
    anonymous and has no flash message, so a cached page is answered after
    only the CSRF cookie is handled, as CsrfViewMiddleware would. A page is
    stored with the headers the rest of the stack gave it, its CSRF tokens
    replaced by a placeholder.
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
            content = CSRF_INPUT.sub(
                rb"\g<1>" + CSRF_PLACEHOLDER.encode() + rb"\g<2>", response.content
            )
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in self.SKIPPED_HEADERS
            ]
            cache.set(key, (content, headers), _timeout())
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
        entry = cache.get(key) if key else None
        if entry is None:
            return None
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


# Shared reply fragments for signed-in readers ---------------------------------


class SharedTree(ReplyTree):
    """The tree a shared fragment shows: sort and focus known, nodes on demand.

    The nodes are already rendered in the fragment; a template that still asks
    for them gets them loaded, at the cost of the queries the fragment saved.
    """

    def __init__(self, *, thread: Thread, viewer, sort, page, focus):
        self.sort, self.focus = sort, focus
        self._load = lambda: reply_tree(
            thread=thread, viewer=viewer, sort=sort, page=page, focus=focus
        )
        self._tree = None

    def _loaded(self) -> ReplyTree:
        if self._tree is None:
            self._tree = self._load()
        return self._tree

    @property
    def roots(self):
        return self._loaded().roots

    @property
    def page(self):
        return self._loaded().page


def _generic_reader(*, writer: bool, staff: bool) -> User:
    """An unsaved reader who has written, voted and reported nothing."""
    reader = User(is_active=True, is_staff=staff)
    if not writer:
        reader.banned_at = timezone.now()
    # No permission rows to read: this reader is nobody's moderator.
    reader._perm_cache = set()
    return reader


def _fragment(
    request, *, thread: Thread, sort: str, page, focus, writer: bool, staff: bool
) -> dict:
    """The reply list rendered for a generic reader.

    "parts" splits its HTML around each reply's actions: [html, reply id,
    actions html, html, reply id, ..., html]; "replies" keeps the fields of
    the shown replies.
    """
    reader = _generic_reader(writer=writer, staff=staff)
    # An anonymous tree is what every reader but moderators and authors of
    # held replies sees; the generic reader then sets the permissions.
    tree = reply_tree(thread=thread, viewer=None, sort=sort, page=page, focus=focus)
    decorate_tree(tree, viewer=reader, thread=thread)
    context = {
        **thread_page_head(thread=thread, viewer=None),
        "tree": tree,
        "user": reader,
        "can_reply": can_reply(reader, thread),
        "csrf_token": CSRF_PLACEHOLDER,
        "shared_fragment": True,
    }
    html = render_to_string("forum/_reply_list.html", context, request=request)
    parts = ACTIONS.split(html)
    for index in range(1, len(parts), 3):
        parts[index] = int(parts[index])
    return {"parts": parts, "replies": _fields_of_shown(tree)}


def _fields_of_shown(tree: ReplyTree) -> dict[int, dict]:
    """The fields of every shown reply but its text, to rebuild the few whose
    actions are rendered again for a reader."""
    names = [
        field.attname
        for field in Reply._meta.concrete_fields
        if field.name not in {"body", "body_html"}
    ]
    fields, pending = {}, list(tree.roots)
    while pending:
        node = pending.pop()
        fields[node.reply.pk] = {name: getattr(node.reply, name) for name in names}
        pending.extend(node.children)
    return fields


def _own_state(thread: Thread, viewer, shown_ids) -> tuple[dict, set, bool]:
    """The viewer's votes and reports among the shown replies, and whether a
    reply of theirs waits for review in the thread.

    One query, each part read by index. It runs on every signed-in thread
    page, so it is written as SQL: building the same union through the ORM
    costs more than all the page's other queries together.
    """
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    def table(model) -> str:
        return quote(model._meta.db_table)

    parts, params = [], []
    if shown_ids:
        listed = ", ".join(["%s"] * len(shown_ids))
        parts += [
            f"SELECT {column(Vote, 'reply')}, {column(Vote, 'value')} "
            f"FROM {table(Vote)} WHERE {column(Vote, 'user')} = %s "
            f"AND {column(Vote, 'reply')} IN ({listed})",
            f"SELECT {column(Flag, 'reply')}, {FLAGGED} FROM {table(Flag)} "
            f"WHERE {column(Flag, 'reporter')} = %s "
            f"AND {column(Flag, 'reply')} IN ({listed})",
        ]
        params += [viewer.pk, *shown_ids, viewer.pk, *shown_ids]
    parts.append(
        f"SELECT {column(Reply, 'id')}, {HELD} FROM {table(Reply)} "
        f"WHERE {column(Reply, 'thread')} = %s AND {column(Reply, 'author')} = %s "
        f"AND {column(Reply, 'status')} = %s"
    )
    params += [thread.pk, viewer.pk, Reply.Status.PENDING.value]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    votes, flags, has_held = {}, set(), False
    for reply_id, value in rows:
        if value == HELD:
            has_held = True
        elif value == FLAGGED:
            flags.add(reply_id)
        else:
            votes[reply_id] = value
    return votes, flags, has_held


def _actions_for(viewer, *, thread: Thread, kind: str, shown, states) -> dict:
    """The actions of the replies whose state differs for this viewer.

    A reply's actions depend only on the kind of reader, whether they wrote
    it, their vote and their report: each variant is rendered once and
    shared with every reader in the same state.
    """
    keys = {
        pk: f"fragment:actions:{thread.pk}:{kind}:{pk}:{own:d}:{vote}:{flag:d}"
        for pk, (own, vote, flag) in states.items()
    }
    found = cache.get_many(list(keys.values())) if keys and _timeout() else {}
    actions, rendered = {}, {}
    for pk, (_own, vote, flag) in states.items():
        if keys[pk] in found:
            actions[pk] = found[keys[pk]]
            continue
        reply = Reply(**shown[pk])
        reply.thread = thread
        reply.my_vote, reply.my_flag = vote, flag
        node = ReplyNode(reply=reply, display_depth=0)
        decorate_tree(
            ReplyTree(roots=[node], page=None, sort=""), viewer=viewer, thread=thread
        )
        actions[pk] = rendered[keys[pk]] = render_to_string(
            "forum/_reply_actions.html",
            {
                "node": node,
                "reply": reply,
                "user": viewer,
                "csrf_token": CSRF_PLACEHOLDER,
            },
        )
    if rendered and _timeout():
        cache.set_many(rendered, _timeout())
    return actions


def shared_reply_list(
    request, *, thread: Thread, sort: str, page, focus: Reply | None
) -> SafeString | None:
    """The thread page's reply list for a signed-in reader, or None when it
    must be rendered for them alone."""
    viewer = request.user
    if is_moderator(viewer):
        return None
    writer = can_write(viewer)
    # Who the generic reader stands for: the same for every reader alike.
    kind = "{}:{}:{}:{}".format(
        versions.versions(("thread", thread.pk), ("catalog", "all")),
        "w" if writer else "r",
        "s" if viewer.is_staff else "p",
        request.LANGUAGE_CODE,
    )
    where = _digest(f"{request.get_host()}{request.get_full_path()}")
    key = f"fragment:replies:{thread.pk}:{kind}:{where}"
    fragment = cache.get(key) if _timeout() else None
    if fragment is None:
        fragment = _fragment(
            request,
            thread=thread,
            sort=sort,
            page=page,
            focus=focus,
            writer=writer,
            staff=viewer.is_staff,
        )
        if _timeout():
            cache.set(key, fragment, _timeout())
    parts, shown = fragment["parts"], fragment["replies"]
    votes, flags, has_held = _own_state(thread, viewer, list(shown))
    if has_held:
        return None
    own = {pk for pk, fields in shown.items() if fields["author_id"] == viewer.pk}
    actions = _actions_for(
        viewer,
        thread=thread,
        kind=kind,
        shown=shown,
        states={
            pk: (pk in own, votes.get(pk, 0), pk in flags)
            for pk in own | set(votes) | flags
        },
    )
    token = get_token(request)
    out = []
    for index in range(0, len(parts) - 1, 3):
        out.append(parts[index])
        out.append(actions.get(parts[index + 1], parts[index + 2]))
    out.append(parts[-1])
    return mark_safe("".join(out).replace(CSRF_PLACEHOLDER, token))


def thread_context(request, *, thread: Thread, sort: str, page, focus) -> dict:
    """The thread page's context, its reply list shared when it can be."""
    viewer = request.user
    where = {"thread": thread, "sort": sort, "page": page, "focus": focus}
    if not viewer.is_authenticated:
        return thread_page(viewer=viewer, **where)
    replies = shared_reply_list(request, **where)
    if replies is None:
        return thread_page(viewer=viewer, **where)
    return {
        **thread_page_head(thread=thread, viewer=viewer),
        "tree": SharedTree(viewer=viewer, **where),
        "reply_list_html": replies,
    }


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
