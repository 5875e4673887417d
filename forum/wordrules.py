"""Banned and suspect words: a reply with a banned word is refused, one with
a suspect word waits for a moderator.

Moderators keep the lists in the admin (WordRule); each process keeps them in
its cache under the "wordrules" version counter (forum/infra/cache.py), which
forum.signals bumps whenever a rule is saved or deleted, so every process
reads the new lists on its next check.
"""

import re

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum.infra import cache as versions
from forum.models import WordRule

WORD_RULES_CACHE_KEY = "forum:word-rules"
WORD_RULES_VERSION = ("wordrules", "all")


def word_rules() -> list[tuple[str, str]]:
    """Every rule as (word, kind), read from the cache."""
    key = f"{WORD_RULES_CACHE_KEY}:{versions.version(*WORD_RULES_VERSION)}"
    rules = cache.get(key)
    if rules is None:
        rules = list(WordRule.objects.values_list("word", "kind"))
        cache.set(key, rules, timeout=300)
    return rules


def matching_word(body: str, kind: str) -> str | None:
    """The first word of this kind that the body holds as a whole word."""
    lowered = body.casefold()
    for word, rule_kind in word_rules():
        if rule_kind != kind:
            continue
        pattern = r"(?<!\w)" + re.escape(word.casefold()) + r"(?!\w)"
        if re.search(pattern, lowered):
            return word
    return None


def refuse_banned_words(body: str) -> None:
    """Refuse a message holding a banned word, naming it."""
    banned = matching_word(body, WordRule.Kind.BANNED)
    if banned:
        raise ValidationError(
            {
                "body": _(
                    "Your message contains a word that is not allowed here "
                    "(%(word)s). Please rephrase it."
                )
                % {"word": banned}
            },
            code="banned_word",
        )
