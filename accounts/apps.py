from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts import signals  # noqa: F401

        share_allauth_rate_limits()


def share_allauth_rate_limits():
    """Count allauth's limits (failed logins, sign-ups, password resets) in
    the store every server process shares.

    allauth counts in the default cache, which without Redis is each
    process's own memory: the sixth failed login would go through on the
    next worker. Its counting module reads one module-level `cache`, pointed
    here at the shared store, resolved per thread like Django's own.
    """
    from allauth.core.internal import ratelimit
    from django.core.cache import caches
    from django.utils.connection import ConnectionProxy

    ratelimit.cache = ConnectionProxy(caches, "shared")
