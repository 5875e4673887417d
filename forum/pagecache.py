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
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
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


def _page_key(request, kind: str, ident) -> str:
    counters = versions.versions((kind, ident), ("catalog", "all"))
    where = _digest(f"{request.get_host()}{request.get_full_path()}")
    return f"page:{kind}:{ident}:{counters}:{request.LANGUAGE_CODE}:{where}"


def _with_token(request, content: bytes) -> bytes:
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder not in content:
        return content
    return content.replace(placeholder, get_token(request).encode())


def anonymous_page(kind: str, ident=None):
    """Cache a page whole for anonymous readers, under `kind`'s version counter.

    `ident(request, **kwargs)` names the object whose counter applies (a
    thread id, an article id); without it the kind has one counter ("home").
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _timeout() or not _anonymous_and_plain(request):
                return view(request, *args, **kwargs)
            key_ident = ident(request, **kwargs) if ident else "all"
            key = _page_key(request, kind, key_ident) if key_ident else None
            entry = cache.get(key) if key else None
            if entry is not None:
                content, content_type = entry
                response = HttpResponse(
                    _with_token(request, content), content_type=content_type
                )
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if key and response.status_code == 200 and not response.streaming:
                content = CSRF_INPUT.sub(
                    rb"\g<1>" + CSRF_PLACEHOLDER.encode() + rb"\g<2>", response.content
                )
                cache.set(key, (content, response["Content-Type"]), _timeout())
                response["X-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorator


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
) -> list:
    """The reply list rendered for a generic reader, split around each reply's
    actions: [html, reply id, actions html, html, reply id, ..., html]."""
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
    return parts


def _own_state(thread: Thread, viewer, shown_ids) -> list[Reply]:
    """The shown replies whose actions differ for this viewer (their own,
    those they voted on or reported), and any reply of theirs held for review
    in the thread. Both halves read by index: the shown ids, and the author."""
    differs = (
        Q(author=viewer)
        | Exists(Vote.objects.filter(reply=OuterRef("pk"), user=viewer))
        | Exists(Flag.objects.filter(reply=OuterRef("pk"), reporter=viewer))
    )
    shown = Reply.objects.filter(differs, pk__in=shown_ids).order_by()
    held = Reply.objects.filter(
        thread=thread, author=viewer, status=Reply.Status.PENDING
    ).order_by()
    return list(
        shown.with_viewer_vote(viewer)
        .with_viewer_flag(viewer)
        .union(held.with_viewer_vote(viewer).with_viewer_flag(viewer))
    )


def shared_reply_list(
    request, *, thread: Thread, sort: str, page, focus: Reply | None
) -> SafeString | None:
    """The thread page's reply list for a signed-in reader, or None when it
    must be rendered for them alone."""
    viewer = request.user
    if is_moderator(viewer):
        return None
    writer = can_write(viewer)
    key = "fragment:replies:{}:{}:{}:{}:{}:{}".format(
        thread.pk,
        versions.versions(("thread", thread.pk), ("catalog", "all")),
        "w" if writer else "r",
        "s" if viewer.is_staff else "p",
        request.LANGUAGE_CODE,
        _digest(f"{request.get_host()}{request.get_full_path()}"),
    )
    parts = cache.get(key) if _timeout() else None
    if parts is None:
        parts = _fragment(
            request,
            thread=thread,
            sort=sort,
            page=page,
            focus=focus,
            writer=writer,
            staff=viewer.is_staff,
        )
        if _timeout():
            cache.set(key, parts, _timeout())
    special = _own_state(thread, viewer, parts[1::3])
    if any(reply.is_pending for reply in special):
        return None
    token = get_token(request)
    actions = {}
    for reply in special:
        node = ReplyNode(reply=reply, display_depth=0)
        decorate_tree(
            ReplyTree(roots=[node], page=None, sort=sort), viewer=viewer, thread=thread
        )
        actions[reply.pk] = render_to_string(
            "forum/_reply_actions.html",
            {"node": node, "reply": reply, "user": viewer, "csrf_token": token},
        )
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
