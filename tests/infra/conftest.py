import contextlib
import socket
import threading
import uuid

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
    redis = {
        "BACKEND": "forum.infra.redis_cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "forum-outage-test",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    # The shared store of rate limits and idempotency keys is Redis too.
    settings.CACHES = {"default": redis, "shared": dict(redis)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield location
    redis_cache._outages.pop(location, None)


class Switch:
    """A TCP relay to the real Redis that can be cut and restored, so a test
    sees Redis go away and come back on the same address."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = closed_port()
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Refuse new connections and break the open ones."""
        with self.lock:
            listener, self.listener = self.listener, None
            sockets, self.sockets = self.sockets, []
        for sock in [listener, *sockets]:
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=self._pipe, args=(source, sink), daemon=True
                ).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def redis_switch(settings):
    """The production Redis set-up on Redis database 11, reached through a
    relay the test can cut (`switch.cut()`) and restore (`switch.start()`)."""
    switch = Switch(("127.0.0.1", 6379))
    switch.start()
    location = f"redis://127.0.0.1:{switch.port}/11"
    redis = {
        "BACKEND": "forum.infra.redis_cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": f"forum-outage-{uuid.uuid4().hex}",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    # The shared store (version counters, rate limits) is Redis too, as in
    # production.
    settings.CACHES = {"default": redis, "shared": dict(redis)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # Ask Redis again at once after a failure, so the test sees it return.
    settings.FORUM_CACHE_RETRY_SECONDS = 0
    yield switch
    switch.cut()
    redis_cache._outages.pop(location, None)
