"""Banned and suspect words: a reply with a banned word is refused, one with
a suspect word waits for a moderator. New replies and edits are checked
alike (forum/services.py).

Moderators keep the lists in the admin (WordRule); each process keeps them in
its cache under the "wordrules" version counter (forum/infra/cache.py), which
forum.signals bumps whenever a rule is saved or deleted, so every process
reads the new lists on its next check.

What counts as the same word (docs/moderation.md, "Word lists"):

- case and accents are ignored: a rule on "arnaque" matches "ARNAQUE",
  "Arnaqué" and "arnaqué" (accents are dropped before comparing, so a
  participle that differs only by its accent matches too);
- ligatures are spelt out: "œ" is "oe", "æ" is "ae";
- a plural ending may follow: -s ("arnaques", "scams"), -x after -au,
  -eu, -ou ("bijoux" for "bijou"), -es after -s, -x, -z, -ch, -sh, -o
  ("boxes" for "box"), never -es elsewhere ("cônes" is not "con");
- an elided article or pronoun may stand before it, with either apostrophe:
  "l'arnaque", "d’arnaque", "qu'arnaque" (the apostrophe ends a word);
- in a rule of several words, a space or a hyphen between them matches a
  space, a hyphen or nothing: "anti vax" matches "anti-vax" and "antivax";
- only whole words match: a rule on "con" does not match "contrat",
  "second" or "Mâcon". Other forms (feminine, conjugated verbs) need their
  own rule.
"""

import re
import unicodedata
from functools import lru_cache

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum.infra import cache as versions
from forum.models import WordRule

WORD_RULES_CACHE_KEY = "forum:word-rules"
WORD_RULES_VERSION = ("wordrules", "all")

LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "ʼ": "'"})
# Characters a rule's words may be joined by in the text.
JOINERS = r"[\s\-‐‑–_]*"
SEPARATORS = re.compile(r"[\s\-‐‑–_]+")


def plural_ending(word: str) -> str:
    """The plural endings a word may take: -s always, -x after -au, -eu and
    -ou ("bijoux"), -es after -s, -x, -z, -ch, -sh and -o ("boxes"). Not
    -es after any word: a rule on "con" must not match "cônes"."""
    endings = ["s"]
    if word.endswith(("au", "eu", "ou")):
        endings.append("x")
    if word.endswith(("s", "x", "z", "ch", "sh", "o")):
        endings.append("es")
    return "(?:" + "|".join(endings) + ")?"


def normalise(text: str) -> str:
    """Text as rules compare it: case folded, accents dropped, ligatures
    spelt out."""
    folded = text.casefold().translate(LIGATURES)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=1024)
def rule_pattern(word: str) -> re.Pattern:
    """The expression matching a rule's word and its variants, as a whole
    word of normalised text."""
    parts = [part for part in SEPARATORS.split(normalise(word)) if part]
    if not parts:
        return re.compile(r"(?!)")
    core = JOINERS.join(re.escape(part) for part in parts)
    ending = plural_ending(parts[-1])
    return re.compile(r"(?<!\w)" + core + ending + r"(?!\w)")


def word_rules() -> list[tuple[str, str]]:
    """Every rule as (word, kind), read from the cache."""
    key = f"{WORD_RULES_CACHE_KEY}:{versions.version(*WORD_RULES_VERSION)}"
    rules = cache.get(key)
    if rules is None:
        rules = list(WordRule.objects.values_list("word", "kind"))
        cache.set(key, rules, timeout=300)
    return rules


def word_matches(word: str, body: str) -> bool:
    """Whether `body` holds `word` or one of its variants."""
    return bool(word.strip()) and bool(rule_pattern(word).search(normalise(body)))


def matching_word(body: str, kind: str) -> str | None:
    """The first rule of this kind that the body holds, as a whole word or
    one of its variants."""
    normalised = normalise(body)
    for word, rule_kind in word_rules():
        if rule_kind != kind or not word.strip():
            continue
        if rule_pattern(word).search(normalised):
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
