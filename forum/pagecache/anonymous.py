"""Whole pages cached for anonymous readers."""

from functools import lru_cache, wraps

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, get_resolver, get_urlconf
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

from articles.models import Article
from forum.infra import cache as versions
from forum.pagecache.store import (
    CSRF_INPUT,
    CSRF_PLACEHOLDER,
    current_or_recent,
    digest,
    hot,
    rendering_salt,
    set_many,
    timeout,
)


def has_messages(request) -> bool:
    """Whether a flash message waits, in its cookie or in the session."""
    if CookieStorage.cookie_name in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.get("_messages"))


def signed_in(request) -> bool:
    """Whether the request's session names a user, read without the user:
    one who no longer exists or whose session no longer holds is anonymous
    to request.user, and gets the page rendered for them."""
    session = getattr(request, "session", None)
    return session is not None and SESSION_KEY in session


def _anonymous_and_plain(request) -> bool:
    """A GET by an anonymous reader with no flash message waiting."""
    if request.method not in ("GET", "HEAD"):
        return False
    if CookieStorage.cookie_name in request.COOKIES:
        return False
    return not signed_in(request) and not has_messages(request)


def thread_ident(request, thread_id: int, **kwargs) -> int:
    return thread_id


def article_ident(request, slug: str) -> int | None:
    """The id of the article a slug names, remembered in the cache."""
    key = f"pagecache:article-id:{digest(slug)}"
    article_id = cache.get(key)
    if article_id is None:
        article_id = (
            Article.objects.filter(slug=slug).values_list("pk", flat=True).first()
        )
        if article_id is not None:
            cache.set(key, article_id, timeout=versions.VERSION_TIMEOUT)
    return article_id


def _identity(request, page_cache, kwargs: dict, language: str) -> tuple | None:
    """(kind, ident, the page's key without versions) of the page a request
    asks for, or None."""
    kind, ident = page_cache
    key_ident = ident(request, **kwargs) if ident else "all"
    if not key_ident:
        return None
    where = digest(f"{request.get_host()}{request.get_full_path()}")
    salt = rendering_salt()
    return (
        kind,
        key_ident,
        f"page:anonymous:{kind}:{key_ident}:{language}:{salt}:{where}",
    )


def _with_versions(request, found: tuple) -> tuple[str, str]:
    """The page's identity and its versions."""
    kind, ident, identity = found
    # Read once per request: the middleware and the view ask alike.
    counters = versions.versions((kind, ident), versions.CATALOG, request=request)
    return identity, counters


def _key_for(request, page_cache, kwargs: dict, language: str):
    """(identity, versions) of the page a request asks for, or None."""
    found = _identity(request, page_cache, kwargs, language)
    return _with_versions(request, found) if found else None


@lru_cache(maxsize=1024)
def _cached_view(resolver, path: str):
    """(page_cache, kwargs) of the cached page view a path resolves to, or
    None. Remembered per resolver (a changed URLconf has a new one), for the
    paths most recently asked."""
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    page_cache = getattr(match.func, "page_cache", None)
    return None if page_cache is None else (page_cache, match.kwargs)


def _entry_for(page) -> tuple:
    """The stored page, or a hot page's recent copy: (entry or None, status)."""
    entry, _counters, status = current_or_recent(*page)
    return entry, status


def _compressed(content: bytes, tokens: int) -> bytes | None:
    """The page gzipped once, for the readers whose browser accepts it, or
    None when it holds a CSRF token (put in per reader) or gains nothing."""
    if tokens:
        return None
    gzipped = compress_string(content)
    return gzipped if len(gzipped) < len(content) else None


def _encoded(request, response, gzipped: bytes | None) -> None:
    """Send the gzipped copy when the reader accepts it (a page kept gzipped
    is stored saying it varies by Accept-Encoding), with its length."""
    if gzipped is not None and re_accepts_gzip.search(
        request.META.get("HTTP_ACCEPT_ENCODING", "")
    ):
        response.content = gzipped
        response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(response.content))


def _from_entry(request, entry, status: str = "hit") -> HttpResponse:
    content, headers, has_token, gzipped = entry
    if has_token:
        content = content.replace(
            CSRF_PLACEHOLDER.encode(), get_token(request).encode()
        )
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = status
    _encoded(request, response, gzipped)
    return response


def _read_counters_with_session(request, page_cache, kwargs: dict) -> None:
    """Read the page's counters, and the "permissions" one, in the same round
    trip as the session when both live in Redis (forum/infra/cached_db.py)."""
    session = getattr(request, "session", None)
    if getattr(session, "joint_key", None) is None:
        return
    kind, ident = page_cache
    pairs = [(kind, ident(request, **kwargs)), versions.CATALOG, versions.PERMISSIONS]
    versions.read(pairs, request=request)


def anonymous_page(kind: str, ident=None, *, with_session: bool = False):
    """Cache a page whole for anonymous readers, under `kind`'s version counter.

    `ident(request, **kwargs)` names the object whose counter applies (a
    thread id, an article id); without it the kind has one counter ("home").
    AnonymousPageCacheMiddleware stores the finished response and answers
    later requests before the rest of the stack; this decorator answers
    anonymous readers who carry a session cookie.

    With `with_session`, for a page that signed-in readers get from the
    cache too (the thread page), its counters are read with the session, in
    one round trip; `ident` must then read nothing.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if with_session and timeout() and request.method in ("GET", "HEAD"):
                _read_counters_with_session(request, wrapper.page_cache, kwargs)
            if timeout() and _anonymous_and_plain(request):
                page = _key_for(
                    request, wrapper.page_cache, kwargs, request.LANGUAGE_CODE
                )
                # Not looked for again when the middleware did not find it.
                looked_for = page and page != getattr(
                    request, "page_cache_missed", None
                )
                entry, status = _entry_for(page) if looked_for else (None, None)
                if entry is not None:
                    return _from_entry(request, entry, status)
                request.page_cache_key = page
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
    the stack gave it, its CSRF tokens replaced by a placeholder; a page
    without a token is kept gzipped too, and sent so to the readers whose
    browser accepts it.
    """

    SKIPPED_HEADERS = {
        "content-length",
        "x-page-cache",
        "x-page-frame",
        "x-reply-fragments",
    }

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if (
            timeout()
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
        ):
            response = self._cached(request)
            if response is not None:
                return response
        response = self.get_response(request)
        page = getattr(request, "page_cache_key", None)
        if page and self._storable(response):
            content, tokens = CSRF_INPUT.subn(
                rb"\g<1>" + CSRF_PLACEHOLDER.encode() + rb"\g<2>", response.content
            )
            gzipped = _compressed(content, tokens)
            if gzipped is not None:
                patch_vary_headers(response, ("Accept-Encoding",))
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in self.SKIPPED_HEADERS
            ]
            identity, counters = page
            entry = (content, headers, bool(tokens), gzipped)
            set_many({f"{identity}:{counters}": entry})
            hot.remember(identity, counters, entry)
            response["X-Page-Cache"] = "miss"
            _encoded(request, response, gzipped)
        return response

    def _cached(self, request) -> HttpResponse | None:
        view = _cached_view(get_resolver(get_urlconf()), request.path_info)
        if view is None:
            return None
        page_cache, kwargs = view
        language = translation.get_language_from_request(request)
        found = _identity(request, page_cache, kwargs, language)
        if found is None:
            request.page_cache_missed = None
            return None
        # A hot page's young copy is served without reading its versions.
        entry, status = hot.fresh(found[2]), "recent"
        page = None
        if entry is None:
            page = _with_versions(request, found)
            entry, status = _entry_for(page)
        if entry is None:
            request.page_cache_missed = page
            return None
        if not entry[2]:
            return _from_entry(request, entry, status)
        self.csrf.process_request(request)
        response = _from_entry(request, entry, status)
        return self.csrf.process_response(request, response)

    @staticmethod
    def _storable(response) -> bool:
        """A complete 200 that sets no cookie but the CSRF one."""
        return (
            response.status_code == 200
            and not response.streaming
            and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
        )
