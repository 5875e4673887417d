"""Idempotency-Key on POST: a request sent again stores nothing new.

A client that sends `Idempotency-Key: <any string up to 255 characters>` with
a POST and then sends the same request again with the same key (after a
time-out, a lost connection) gets the first response back, status, body and
Location included, with `Idempotent-Replayed: true`, and nothing is stored a
second time. Keys belong to the signed-in user and are kept
settings.API_IDEMPOTENCY_SECONDS in the shared store (forum/sharedstore.py),
so a retry reaching another server process is recognised too. Only successful
responses are kept: a refused request can be corrected and sent again with
the same key. The same key with a different body answers 422; a retry while
the first request is still running answers 409 with Retry-After.
"""

import functools
import hashlib
import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from forum.api.exceptions import Conflict
from forum.sharedstore import shared_cache

HEADER = "Idempotency-Key"
MAX_LENGTH = 255
# Seconds a key is held while its first request runs.
RUNNING_SECONDS = 60


class KeyInUse(Conflict):
    default_detail = _("A request with this Idempotency-Key is still being processed.")
    default_code = "idempotency_key_in_use"


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used for a different request.")
    default_code = "idempotency_key_reused"


def _key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not key or len(key) > MAX_LENGTH or not key.isprintable():
        raise exceptions.ValidationError(
            {
                HEADER: [
                    _(
                        "The Idempotency-Key header must be 1 to %(limit)s "
                        "printable characters."
                    )
                    % {"limit": MAX_LENGTH}
                ]
            }
        )
    return key


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    text = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(kept: dict) -> Response:
    response = Response(kept["data"], status=kept["status"])
    for name, value in kept["headers"].items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(handler):
    """Make a POST handler (self, request) answer a repeated key from the store."""

    @functools.wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        key = _key(request)
        if key is None or not request.user.is_authenticated:
            return handler(self, request, *args, **kwargs)
        digest = hashlib.sha256(key.encode()).hexdigest()
        kept_key = f"idempotency:{request.user.pk}:{digest}"
        running_key = f"{kept_key}:running"
        fingerprint = _fingerprint(request)
        cache = shared_cache()

        def replay_if_kept():
            kept = cache.get(kept_key)
            if kept is None:
                return None
            if kept["fingerprint"] != fingerprint:
                raise KeyReused()
            return _replay(kept)

        replayed = replay_if_kept()
        if replayed is not None:
            return replayed
        if not cache.add(running_key, True, RUNNING_SECONDS):
            error = KeyInUse()
            error.wait = 1
            raise error
        try:
            # The first request may have finished between the two looks.
            replayed = replay_if_kept()
            if replayed is not None:
                return replayed
            response = handler(self, request, *args, **kwargs)
            if status.is_success(response.status_code):
                kept = {
                    "fingerprint": fingerprint,
                    "status": response.status_code,
                    "data": json.loads(json.dumps(response.data, default=str)),
                    "headers": {
                        name: response[name]
                        for name in ("Location",)
                        if response.has_header(name)
                    },
                }
                cache.set(kept_key, kept, settings.API_IDEMPOTENCY_SECONDS)
            return response
        finally:
            cache.delete(running_key)

    return wrapper
