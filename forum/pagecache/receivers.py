"""Invalidation of edits no service makes.

Services bump the versions of what they change. Edits made around them (an
article, company, posting or citation saved in the admin or by the importer,
a thread's postings, a group or permission) are caught here and bump the
"catalog" or "permissions" version. `connect()` runs in
ForumConfig.ready(), so every process that loads the apps (web servers,
workers, management commands) invalidates the same way, whether it serves
pages or not.

Each bump is made at once and again when the transaction that made the edit
commits. The first covers what reads inside that transaction; the second
what another process read between the two: with Redis as the shared store, a
reader who renders the rows as they were before the commit could otherwise
keep that page under the new counter, and serve it until the next edit.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.models import User
from articles.models import Article, Citation, Company, Posting
from forum.infra import cache as versions
from forum.models import Thread


def _now_and_at_commit(change, using=None) -> None:
    change()
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(change, using=using)


def _catalog() -> None:
    versions.bump(*versions.CATALOG)


def _permissions() -> None:
    versions.bump(*versions.PERMISSIONS)


def catalog_changed(using=None, **kwargs):
    _now_and_at_commit(_catalog, using)


def permissions_changed(using=None, **kwargs):
    _now_and_at_commit(_permissions, using)


# What forum.models.is_moderator reads on the user row itself.
MODERATION_FLAGS = {"is_active", "is_staff", "is_superuser"}


def user_saved(instance, created=False, update_fields=None, using=None, **kwargs):
    """Make every process find again whether a user moderates.

    Each process remembers it of its recent readers under the "permissions"
    version (forum/pagecache/store.py), which a save that may change it bumps
    (a log-in, which saves only `last_login`, does not; nor does a sign-up
    without the staff or superuser flag: nothing is remembered of an account
    that did not exist)."""
    moves = update_fields is None or MODERATION_FLAGS & set(update_fields)
    if created:
        moves = instance.is_staff or instance.is_superuser
    if moves:
        _now_and_at_commit(_permissions, using)


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
