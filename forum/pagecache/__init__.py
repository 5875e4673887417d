"""Cached pages for anonymous readers, shared pages for signed-in ones.

Anonymous readers all see the same page, so the home, article and thread
pages are cached whole. Cache keys carry the version counters of
forum/infra/cache.py, which the services bump after every write that changes
what a page shows (reply, vote, edit, moderation); a bumped version makes the
next request render the page afresh. Edits to articles, postings and
companies, made in the admin or by the importer, bump one "catalog" version
that every cached page carries (receivers.py, connected in
ForumConfig.ready()). Entries also expire after FORUM_PAGE_CACHE_TIMEOUT
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
switch, which needs none), so a cached one is sent as it was stored, and is
kept gzipped too for the readers whose browser accepts it. Pages that do
carry tokens are stored with a placeholder in their place (and not gzipped).

anonymous.py caches whole pages, shared.py shares the thread page among
signed-in readers, store.py keeps entries in the process and the shared
cache. Below the page cache, fragments.py keeps each rendered reply and
frames.py the thread page around its replies (the anonymous page and the
shared one), so that a page whose cached copy a vote invalidated is
assembled rather than rendered.
"""

from forum.pagecache.anonymous import (
    AnonymousPageCacheMiddleware,
    anonymous_page,
    article_ident,
    signed_in,
    thread_ident,
)
from forum.pagecache.shared import shared_thread_page

__all__ = [
    "AnonymousPageCacheMiddleware",
    "anonymous_page",
    "article_ident",
    "shared_thread_page",
    "signed_in",
    "thread_ident",
]
