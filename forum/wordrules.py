"""Banned and suspect words: a reply with a banned word is refused, one with
a suspect word waits for a moderator.

Moderators keep the lists in the admin (WordRule); they are read from the
cache, which forum.signals clears whenever a rule is saved or deleted.
"""

import re

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum.models import WordRule

WORD_RULES_CACHE_KEY = "forum:word-rules"


def word_rules() -> list[tuple[str, str]]:
    """Every rule as (word, kind), read from the cache."""
    rules = cache.get(WORD_RULES_CACHE_KEY)
    if rules is None:
        rules = list(WordRule.objects.values_list("word", "kind"))
        cache.set(WORD_RULES_CACHE_KEY, rules, timeout=300)
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
