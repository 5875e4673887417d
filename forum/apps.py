from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Discussions")

    def ready(self):
        from django.db.backends.signals import connection_created

        from forum import signals  # noqa: F401
        from forum.infra import prepared
        from forum.pagecache import receivers

        receivers.connect()
        connection_created.connect(prepared.use_generic_plans)
