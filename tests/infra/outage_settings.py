"""The production settings for a server started by the outage tests.

The same as `make serve` except for static files, which are served from
the source folders so that no collectstatic run is needed.
"""

from forum.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
