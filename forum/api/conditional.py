"""Conditional reads and the anonymous read cache.

Every successful read carries a strong ETag computed from its body, so a
client that sends it back in If-None-Match gets 304 when nothing it can see
changed (its own vote included). Anonymous reads of threads and replies are
kept in the cache under keys that include forum.infra.cache versions, which every
service bumps when it commits a change to a thread, and the "catalog" version
the page cache carries too, which edits to articles, companies, postings and
citations bump: the next anonymous request after a write misses and reads the
database again.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from rest_framework.response import Response

from forum.infra import cache as forum_cache

# Edits to profiles (a reader's display name) bump no version: entries expire
# after this many seconds so such edits show without a write.
DEFAULT_CACHE_TIMEOUT = 60


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    candidates = [tag.strip() for tag in if_none_match.split(",")]
    return any(tag.removeprefix("W/") == etag for tag in candidates)


def anonymous_cache(versions):
    """Serve an anonymous JSON read from the cache.

    `versions(view, url_kwargs)` names the forum.infra.cache counters the
    response depends on, e.g. (("thread", 12),); the catalog counter is always
    added. The key is computed before the
    database is read, so a response can never be stored under a version
    newer than the data it shows.
    """

    def decorator(method):
        @wraps(method)
        def wrapper(self, request, *args, **kwargs):
            key = None
            if (
                request.method in ("GET", "HEAD")
                and not request.user.is_authenticated
                and getattr(request.accepted_renderer, "format", "") == "json"
            ):
                digest = hashlib.sha256(
                    request.build_absolute_uri().encode()
                ).hexdigest()
                pairs = versions(self, self.kwargs)
                counters = forum_cache.versions(*pairs, forum_cache.CATALOG)
                key = f"api:anon:{counters}:{digest}"
                hit = cache.get(key)
                if hit is not None:
                    response = HttpResponse(hit["content"], content_type=hit["type"])
                    for header in ("ETag", "Last-Modified"):
                        if hit.get(header):
                            response[header] = hit[header]
                    return response
            self.anonymous_cache_key = key
            return method(self, request, *args, **kwargs)

        return wrapper

    return decorator


class ConditionalReadMixin:
    """ETag and Last-Modified on successful reads; 304 for If-None-Match."""

    anonymous_cache_key = None
    last_modified = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if isinstance(response, Response):
            response.render()
            response["ETag"] = _etag(response.content)
            if self.last_modified is not None:
                response["Last-Modified"] = http_date(self.last_modified.timestamp())
            if self.anonymous_cache_key:
                cache.set(
                    self.anonymous_cache_key,
                    {
                        "content": response.content,
                        "type": response["Content-Type"],
                        "ETag": response["ETag"],
                        "Last-Modified": response.get("Last-Modified"),
                    },
                    getattr(settings, "API_CACHE_TIMEOUT", DEFAULT_CACHE_TIMEOUT),
                )
        response["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match and _matches(if_none_match, response["ETag"]):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
                if response.has_header(header):
                    not_modified[header] = response[header]
            return not_modified
        return response
