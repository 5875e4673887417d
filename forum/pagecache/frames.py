"""The thread page's frame, kept between renders of the anonymous page and of
the page signed-in readers share (shared.py).

Everything around the replies (the site's header and footer, the thread's
header, its postings with their chart and table, the sort links) changes
when the thread, its article or its postings change, not when a reply is
voted on. With the page cache off, or on a hot thread whose cached pages
every vote invalidates, the page is rendered once with a hole where the
replies go and one where its structured data goes (which describes every
reply shown); the next renders fill the holes (the replies from their kept
fragments, forum/pagecache/fragments.py) and keep the rest. The parts are
kept too, in the process, under the frame's key with what each shows
besides (the replies with their counters, the thread's last change, the
pagination), and rendered again when one of those changes.

The key is the fingerprint of everything the frame reads: the thread's
fields but those every vote changes and the frame does not show
(THREAD_CHANGING), the context entries named in FRAME_CONTEXT, the sort and
the conversation in focus, the kind of reader the page is rendered for
(anonymous, or the shared page's generic reader: may write or not, staff or
not), and the reader's language, time zone and address (scheme, host, path
and query, which the page repeats in its links). Nothing has to
be invalidated: a change gives another key. The CSRF token, if any, is kept
as a placeholder and put back for each reader.

A value the frame's templates read from the context must be named in
FRAME_CONTEXT or be part of the thread, or readers would be served a frame
showing it as it was.
"""

from django.conf import settings
from django.middleware.csrf import get_token
from django.template.context import make_context
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from forum.pagecache.fragments import (
    SEPARATOR,
    fingerprint,
    keep,
    kept,
    keys_for,
    local,
    tallies,
)
from forum.pagecache.store import (
    CSRF_INPUT_TEXT,
    CSRF_PLACEHOLDER,
    digest,
    rendering_salt,
)

TEMPLATE = "forum/thread_detail.html"
STRUCTURED_DATA, REPLY_LIST = "jsonld_html", "reply_list_html"
# The parts filled in on every request, by the context name the page's
# template shows them under; each is kept too, under the frame's key and
# what it shows besides (_part_key).
PARTS = {
    STRUCTURED_DATA: "forum/_jsonld_thread.html",
    REPLY_LIST: "forum/_reply_list.html",
}
# Thread fields every vote or reply changes, which the frame does not show
# (the structured data, which does, is a part; the pagination, which shows
# top_level_count, is one too); the postings are read from the context.
THREAD_CHANGING = frozenset(
    {"score", "updated_at", "last_activity_at", "top_level_count", "posting_list"}
)
# Annotations of the thread that are the reader's own: the shared page shows
# them only in the places each reader's own parts go.
THREAD_READERS = frozenset({"is_followed", "last_seen_reply_id"})
# Context entries the frame's templates read, besides the thread and the
# tree's sort and focus.
FRAME_CONTEXT = (
    "article",
    "postings",
    "sorts",
    "can_reply",
    "is_moderator",
    "is_following",
)


def _hole(name: str) -> str:
    # Reply bodies and titles refuse NUL characters: no text can contain it.
    return f"\x00part:{name}\x00"


def _key(request, context, reader: str) -> str:
    thread = context["thread"]
    tree = context["tree"]
    out = [
        rendering_salt(),
        reader,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        repr(tree.sort),
        repr(getattr(tree.focus, "pk", None)),
    ]
    for name, value in thread.__dict__.items():
        if name[0] != "_" and name not in THREAD_CHANGING | THREAD_READERS:
            out.append(name)
            fingerprint(value, out)
    for name in FRAME_CONTEXT:
        out.append(name)
        fingerprint(context.get(name), out)
    return f"fragment:frame:{thread.pk}:{digest(SEPARATOR.join(out))}"


def _frame(request, context, key: str) -> tuple[str, str]:
    """The page with holes for its parts: (html, "kept" or "rendered")."""
    frame = kept([key]).get(key)
    if frame is not None:
        return frame, "kept"
    holes = {name: mark_safe(_hole(name)) for name in PARTS}  # noqa: S308
    frame = _rendered(request, {**context, **holes})
    keep({key: frame})
    return frame, "rendered"


def _rendered(request, context) -> str:
    """The page's template rendered, its CSRF tokens as placeholders."""
    html = get_template(TEMPLATE).render(context, request)
    return CSRF_INPUT_TEXT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", html)


def page_html(request, context, *, reader: str) -> tuple[str, str | None]:
    """The thread page as forum/thread_detail.html renders it, its CSRF
    tokens as placeholders: (html, whether its frame was "kept" or
    "rendered", or None when rendered whole because kept fragments are off).

    `reader` names the kind of reader the context is for: every value of
    the context the frame reads that FRAME_CONTEXT and the thread do not
    hold must follow from it.
    """
    if not settings.FORUM_FRAGMENT_CACHE_TIMEOUT:
        return _rendered(request, context), None
    key = _key(request, context, reader)
    frame, status = _frame(request, context, key)
    bound = make_context(context, request)
    # Bound once for every part: the context processors run once.
    with bound.bind_template(get_template(TEMPLATE).template):
        replies = _replies_shown(bound)
        for name, template_name in PARTS.items():
            part = _part(bound, name, template_name, key, replies)
            frame = frame.replace(_hole(name), part, 1)
    return frame, status


def _replies_shown(context) -> list[str]:
    """The replies shown as the parts read them: their fragments' keys
    (everything they are rendered and described from) and their vote
    counters."""
    roots = context["tree"].roots
    return [*keys_for(roots, context), repr(sorted(tallies(roots, context).items()))]


def _part_key(context, name: str, frame_key: str, replies: list[str]) -> str:
    """What a part shows follows from what the frame does (the thread but
    the fields every vote changes, its article, the reader's kind, language
    and address) and, besides:

    - the structured data: the thread's `updated_at` (its dateModified) and,
      for a reader who is not signed in, the replies it describes;
    - the reply list: the replies, the page's number and size, the number of
      top-level replies (its pagination) and the first reply new to the
      reader.
    """
    tree = context["tree"]
    if name == STRUCTURED_DATA:
        out = [repr(context["thread"].updated_at)]
        user = getattr(context.get("request"), "user", None)
        if user is None or not user.is_authenticated:
            out += replies
    else:
        page = tree.page
        paginator = page.paginator
        shown = (page.number, paginator.count, paginator.per_page, paginator.orphans)
        out = [repr(shown), repr(getattr(tree.first_new, "pk", None)), *replies]
    return f"fragment:part:{name}:{digest(SEPARATOR.join([frame_key, *out]))}"


def _part(context, name: str, template_name: str, frame_key: str, replies) -> str:
    """A part of the page, kept between renders that show the same, its CSRF
    tokens as placeholders.

    Parts are kept in this process only: every vote gives them another key
    (its counters, the thread's last change), and the shared cache would
    take a new copy of the page's replies for each. Those no render reads
    again are the first this process's copies let go.
    """
    key = _part_key(context, name, frame_key, replies)
    part = local.get(key)
    if part is None:
        with context.push(csrf_token=CSRF_PLACEHOLDER):
            part = get_template(template_name).template.render(context)
        local.set_many({key: part}, None, settings.FORUM_FRAGMENT_CACHE_TIMEOUT)
    elif name == REPLY_LIST:
        request = context.get("request")
        if request is not None:
            # Every top-level reply shown was kept, with the list.
            shown = len(context["tree"].roots)
            request.reply_fragments = (shown, shown)
    return part


def render_thread_page(request, context) -> tuple[str, str | None]:
    """The thread page for an anonymous reader with no message waiting:
    (html, whether its frame was "kept" or "rendered", or None)."""
    html, status = page_html(request, context, reader="anonymous")
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return html, status
