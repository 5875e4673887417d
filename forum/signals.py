"""Wiring that belongs to no rule: cache invalidation."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from forum.models import WordRule
from forum.wordrules import WORD_RULES_CACHE_KEY


@receiver([post_save, post_delete], sender=WordRule)
def forget_word_rules(**kwargs):
    cache.delete(WORD_RULES_CACHE_KEY)
