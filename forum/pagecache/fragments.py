"""Rendered replies kept between renders of the thread page.

With the page cache off, or when a hot thread's pages are invalidated by
every vote and reply, each render of a thread page used to render every
reply shown through its templates again (about 0.75 ms per reply). Here each
top-level reply is rendered with its shown answers once and kept; the next
render of any page showing it takes the kept HTML.

The key is the fingerprint of everything the reply templates read: each
reply's loaded fields (body, status, counters, times, the reader's vote and
report as annotated), its author's fields (a new display name changes it),
the tree node's flags (what the reader may do, concealment, display depth,
answers hidden), and the reader-level context (language, time zone, the
reader's id and kind, whether the page is the shared one). Nothing has to be
invalidated: a change to any of those gives another key, and the old entry
ages out. The CSRF token in the actions is kept as a placeholder and put
back for each reader.

The tree every reader who is not signed in sees on a thread's first page
is read as rows and its nodes made only when needed (selectors.Roots): its
fragments are keyed on those rows as read (each reply's columns, its
author's shown ones, its subtree's size) and the display settings, from
which the nodes follow, so that a page whose replies were all kept makes no
node at all.

A reply's vote counters are not part of its kept HTML or structured data:
they are kept as markers (`{% tally %}`, tally_marker) and put in from the
rows of each render, and the key leaves out every column a vote writes
(Reply.VOTE_WRITTEN). A vote on a hot thread then renders no reply again;
the order of a reply's answers, which is their path's, does not follow
votes.

A per-reader value read by the reply templates from the page's context (and
not from the node or the reply) must be named in READER_CONTEXT, or the
fragment would be shared by readers who should see it differently.
"""

import re
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter, itemgetter

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import Model
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.functional import Promise

from forum.models import Reply
from forum.pagecache.store import (
    CSRF_PLACEHOLDER,
    LocalCopies,
    digest,
    rendering_salt,
)

# Context names the reply templates read besides the node: each is part of
# every fragment's key. "here" and "here_quoted" are the page the actions
# return the reader to; without them the actions use the request's own path,
# which is part of the key too.
READER_CONTEXT = ("shared_page", "here", "here_quoted")
# Annotations of the page's queries that are not the reply's own: the number
# of top-level replies, which every new reply changes.
PAGE_ANNOTATIONS = {"top_level_total"}
# Where kept HTML, and kept structured data once written as JSON, shows a
# reply's vote counter. Reply bodies refuse NUL characters, so no text a
# reader writes can forge one.
TALLY = re.compile("\x00tally:(\\d+):(\\w+)\x00")
TALLY_JSON = re.compile(r'"\\u0000tally:(\d+):(\w+)\\u0000"')
# Set in the context while kept HTML is rendered: {% tally %} writes markers.
TALLIES_LATER = "tallies_later"
SIMPLE = (str, int, float, bool, Decimal, date, datetime, type(None))
# Between the parts of the text a key is a digest of.
SEPARATOR = "\x1f"

local = LocalCopies(
    seconds=lambda: settings.FORUM_FRAGMENT_LOCAL_SECONDS,
    limit=lambda: settings.FORUM_FRAGMENT_LOCAL_BYTES,
)


def fingerprint(value, out: list) -> None:
    if isinstance(value, SIMPLE):
        out.append(repr(value))
    elif isinstance(value, Promise):
        out.append(str(value))
    elif isinstance(value, Model):
        _model(value, out)
    elif is_dataclass(value):
        out.append(type(value).__name__)
        for item in fields(value):
            fingerprint(getattr(value, item.name), out)
    elif isinstance(value, list | tuple | set | frozenset):
        out.append("[")
        for item in value:
            fingerprint(item, out)
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        for key in sorted(value, key=str):
            out.append(str(key))
            fingerprint(value[key], out)
        out.append("}")
    else:
        out.append(repr(value))


# For each model and set of attribute names an instance has: those names
# written out, and what picks the values that are part of a key (no
# "_state", no page annotation, none of a reply's columns a vote writes).
# The sets are few: one per model and query shape.
_shapes: dict[tuple, tuple] = {}


def _shape(model: type, names: tuple) -> tuple:
    shape = _shapes.get((model, names))
    if shape is None:
        kept = [
            name
            for name in names
            if name[0] != "_"
            and name not in PAGE_ANNOTATIONS
            and not (model is Reply and name in Reply.VOTE_WRITTEN)
        ]
        pick = (
            itemgetter(*kept)
            if len(kept) > 1
            else lambda values: tuple(values[name] for name in kept)
        )
        if len(_shapes) > 1024:
            _shapes.clear()
        shape = _shapes[model, names] = (repr(names), pick)
    return shape


def _model(instance: Model, out: list) -> None:
    """A row as loaded: every field and annotation, and the rows loaded
    with it (the reply's author)."""
    out.append(type(instance).__name__)
    values = instance.__dict__
    # The names once, then the values: cheaper to write out than pairs.
    names, pick = _shape(type(instance), tuple(values))
    out.append(names)
    out.append(repr(pick(values)))
    state = values.get("_state")
    for name, related in getattr(state, "fields_cache", {}).items():
        if name in ("thread", "parent", "root"):
            # Read for URLs and visibility, which the node's flags already
            # carry; the thread changes with every reply.
            continue
        out.append(name)
        if isinstance(related, Model):
            _model(related, out)
        else:
            fingerprint(related, out)


_node_fields: dict[type, tuple[str, ...]] = {}


def _node(node, out: list) -> None:
    names = _node_fields.get(type(node))
    if names is None:
        names = _node_fields[type(node)] = tuple(
            item.name for item in fields(node) if item.name not in ("reply", "children")
        )
    out.append("(")
    _model(node.reply, out)
    for name in names:
        out.append(name)
        fingerprint(getattr(node, name), out)
    for child in node.children:
        _node(child, out)
    out.append(")")


def _reader(context) -> list:
    user = context.get("user")
    parts = [
        repr(value)
        for value in (
            translation.get_language(),
            timezone.get_current_timezone_name(),
            getattr(user, "pk", None),
            bool(getattr(user, "is_authenticated", False)),
            bool(getattr(user, "is_staff", False)),
        )
    ]
    for name in READER_CONTEXT:
        fingerprint(context.get(name), parts)
    request = context.get("request")
    parts.append(request.get_full_path() if request is not None else "")
    return parts


def _key(node, reader: list) -> str:
    out = [rendering_salt(), *reader]
    _node(node, out)
    return f"fragment:reply:{node.reply.pk}:{digest(SEPARATOR.join(out))}"


def _signed_key(pk: int, signature: str, reader: list) -> str:
    text = SEPARATOR.join((rendering_salt(), *reader, "rows", signature))
    return f"fragment:reply:{pk}:{digest(text)}"


def keys_for(nodes, context) -> list[str]:
    """The fragment key of each top-level node, worked out once per request
    for the replies and their structured data alike."""
    reader = _reader(context)
    request = context.get("request")
    memo = getattr(request, "fragment_keys", None)
    if memo is not None and memo[0] is nodes and memo[1] == reader:
        return memo[2]
    signatures = getattr(nodes, "signatures", None)
    if signatures is not None:
        # Nodes not made yet (selectors.Roots): keyed on the rows they are
        # made of, and made only if a fragment is missing.
        keys = [
            _signed_key(pk, signature, reader)
            for pk, signature in zip(nodes.ids, signatures, strict=True)
        ]
    else:
        keys = [_key(node, reader) for node in nodes]
    if request is not None:
        request.fragment_keys = (nodes, reader, keys)
    return keys


def tally_marker(reply: Reply, name: str) -> str:
    """What kept HTML or structured data holds in place of the reply's vote
    counter `name` (one of Reply.VOTE_COUNTERS)."""
    return f"\x00tally:{reply.pk}:{name}\x00"


_counters = attrgetter(*Reply.VOTE_COUNTERS)
_COUNTER_AT = {name: index for index, name in enumerate(Reply.VOTE_COUNTERS)}


def tallies(nodes, context) -> dict[int, tuple]:
    """The vote counters (Reply.VOTE_COUNTERS) of every reply under these
    top-level nodes, by id, worked out once per request."""
    found = getattr(nodes, "tallies", None)
    if found is not None:
        # Nodes not made yet (selectors.Roots): read from their rows.
        return found
    request = context.get("request")
    memo = getattr(request, "fragment_tallies", None)
    if memo is not None and memo[0] is nodes:
        return memo[1]
    found, pending = {}, list(nodes)
    while pending:
        node = pending.pop()
        found[node.reply.pk] = _counters(node.reply)
        pending.extend(node.children)
    if request is not None:
        request.fragment_tallies = (nodes, found)
    return found


def _cut(text: str, pattern: re.Pattern) -> tuple:
    """Text holding tally markers (`pattern`) as it is kept: its pieces, with
    a number in place of each marker naming the reply and the counter (the
    reply's id times four plus the counter's place in Reply.VOTE_COUNTERS).
    Empty text is kept as nothing."""
    if not text:
        return ()
    parts = pattern.split(text)
    cut = [parts[0]]
    for index in range(1, len(parts), 3):
        cut.append(int(parts[index]) * 4 + _COUNTER_AT[parts[index + 1]])
        cut.append(parts[index + 2])
    return tuple(cut)


def _put(cuts, counters: dict) -> str:
    """The text of kept cuts, the counters put in."""
    return "".join(
        piece if type(piece) is str else str(counters[piece >> 2][piece & 3])
        for cut in cuts
        for piece in cut
    )


def _described_key(key: str, scope: str, within: int | None = None) -> str:
    text = SEPARATOR.join((key, scope, str(within)))
    return f"fragment:described:{digest(text)}"


def described(nodes, context, *, scope: str, budget: int, describe, encode) -> str:
    """What `describe(nodes, [budget])` says of top-level nodes, as
    comma-separated JSON items (`encode` writes a list of them): each node's
    kept beside its rendered fragment, under the fragment's key and `scope`
    (whatever else the description reads: the site's address, the thread's).
    `describe` writes each vote counter as its tally_marker, put in here.

    The budget is the most items the description holds in all, taken in
    order. A node's description written whole is kept as such and used
    wherever it fits in what is left; one the budget cut short is kept for
    that budget only. The result is the one `describe` gives for all the
    nodes.
    """
    keys = [_described_key(key, scope) for key in keys_for(nodes, context)]
    found = kept(keys)
    pieces, missing = [], {}
    for index, key in enumerate(keys):
        if budget <= 0:
            break
        entry = found.get(key)
        if entry is None or entry[1] > budget:
            within = _described_key(key, scope, budget)
            entry = kept([within]).get(within)
        if entry is None:
            left = [budget]
            written = encode(describe([nodes[index]], left))[1:-1]
            entry = (_cut(written, TALLY_JSON), budget - left[0])
            # Written whole when the budget outlasted it; cut short, or just
            # fitting, otherwise.
            missing[key if left[0] > 0 else within] = entry
        piece, used = entry
        budget -= used
        if piece:
            pieces.append(piece)
    if missing:
        keep(missing)
    counters = tallies(nodes, context)
    return ", ".join(_put((piece,), counters) for piece in pieces)


def remote():
    """The cache other processes read too (Redis), or None when the cache is
    this process's memory, where the local copies are enough."""
    return None if isinstance(cache, LocMemCache) else cache


def kept(keys: list[str]) -> dict:
    """The kept HTML of these keys: this process's copies first, then the
    shared cache's."""
    return local.get_many(keys, remote())


def keep(entries: dict) -> None:
    """Keep rendered HTML by key, in this process and the shared cache."""
    local.set_many(entries, remote(), settings.FORUM_FRAGMENT_CACHE_TIMEOUT)


def render_replies(nodes, context) -> tuple[str, int]:
    """The HTML of top-level reply nodes with their answers, as
    forum/_reply.html renders them, and how many were kept from before."""
    if not settings.FORUM_FRAGMENT_CACHE_TIMEOUT:
        template = get_template("forum/_reply.html").template
        with context.push(node=None):
            html = []
            for node in nodes:
                context["node"] = node
                html.append(template.render(context))
        return "".join(html), 0
    keys = keys_for(nodes, context)
    found = kept(keys)
    taken = len(found)
    token = context.get("csrf_token")
    if taken < len(keys):
        template = get_template("forum/_reply.html").template
        missing = {}
        later = {TALLIES_LATER: True}
        with context.push(node=None, csrf_token=CSRF_PLACEHOLDER, **later):
            for key, node in zip(keys, nodes, strict=True):
                if key not in found and key not in missing:
                    context["node"] = node
                    missing[key] = _cut(str(template.render(context)), TALLY)
        found.update(missing)
        keep(missing)
    html = _put((found[key] for key in keys), tallies(nodes, context))
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, str(token or ""))
    return html, taken
