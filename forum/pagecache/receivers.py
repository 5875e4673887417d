"""Invalidation of edits no service makes.

Services bump the versions of what they change. Edits made around them (an
article, company, posting or citation saved in the admin or by the importer,
a thread's postings, a group or permission) are caught here and bump the
"catalog" or "permissions" version. `connect()` runs in
ForumConfig.ready(), so every process that loads the apps (web servers,
workers, management commands) invalidates the same way, whether it serves
pages or not.
"""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.models import User
from articles.models import Article, Citation, Company, Posting
from forum.infra import cache as versions
from forum.models import Thread
from forum.pagecache.store import moderator_key
from forum.sharedstore import shared_cache


def catalog_changed(**kwargs):
    versions.bump(*versions.CATALOG)


def permissions_changed(**kwargs):
    versions.bump("permissions")


# What forum.models.is_moderator reads on the user row itself.
MODERATION_FLAGS = {"is_active", "is_staff", "is_superuser"}


def user_saved(instance, created=False, update_fields=None, **kwargs):
    """Forget whether a user moderates, in every process.

    It is remembered in the shared store under the "permissions" version,
    which a save that may change it bumps too (a log-in, which saves only
    `last_login`, does not; nor does a sign-up: nothing is remembered of an
    account that did not exist)."""
    shared_cache().delete(moderator_key(instance.pk))
    if created:
        return
    if update_fields is None or MODERATION_FLAGS & set(update_fields):
        versions.bump("permissions")


def connect() -> None:
    for model in (Article, Company, Posting, Citation):
        for signal in (post_save, post_delete):
            signal.connect(
                catalog_changed,
                sender=model,
                dispatch_uid=f"pagecache-{signal is post_save}-{model.__name__}",
            )
    m2m_changed.connect(
        catalog_changed,
        sender=Thread.postings.through,
        dispatch_uid="pagecache-thread-postings",
    )
    for through in (
        User.groups.through,
        User.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(
            permissions_changed,
            sender=through,
            dispatch_uid=f"pagecache-permissions-{through.__name__}",
        )
    post_delete.connect(
        permissions_changed, sender=Group, dispatch_uid="pagecache-group-deleted"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            user_saved,
            sender=User,
            dispatch_uid=f"pagecache-user-{signal is post_save}",
        )
