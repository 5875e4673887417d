import socket

import pytest

from forum.infra import redis_cache


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _english(settings):
    """Pages in English, so that tests read the messages' own wording."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def redis_down(settings):
    """The production Redis set-up (cache and cached_db sessions), with
    REDIS_URL pointing at a port nothing listens on."""
    location = f"redis://127.0.0.1:{closed_port()}/11"
    settings.CACHES = {
        "default": {
            "BACKEND": "forum.infra.redis_cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "forum-outage-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield location
    redis_cache._outages.pop(location, None)
