from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Discussions")

    def ready(self):
        from forum import signals  # noqa: F401
        from forum.pagecache import receivers

        receivers.connect()
