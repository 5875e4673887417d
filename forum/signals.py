"""Wiring that belongs to no rule: cache invalidation, and queueing the
notice of a moderation decision once it is committed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from forum.infra import cache as versions
from forum.models import Reply, WordRule
from forum.taskqueue import enqueue
from forum.wordrules import WORD_RULES_VERSION


@receiver([post_save, post_delete], sender=WordRule)
def forget_word_rules(**kwargs):
    versions.bump(*WORD_RULES_VERSION)


@receiver(post_save, sender=Reply)
def tell_author_of_moderation(sender, instance, update_fields=None, raw=False, **kw):
    if not raw and "removed_at" in (update_fields or ()):
        from forum.tasks import notify_moderation

        enqueue(notify_moderation, instance.pk)
