"""A cheap guess at the language of a reader's text, French or English, so a
reply written in the other language than the page's carries its `lang` and
screen readers pronounce it right.

Only the most common function words are counted: a short text, or one where
neither language clearly leads, gets no guess and inherits the page's.
"""

import re

_FRENCH = (
    "le la les des du un une et est sont pas que qui dans sur pour avec "
    "ce cette ces il elle ils nous vous au aux ne se leur mais ou donc "
    "très plus être ont sa son ses"
)
_ENGLISH = (
    "the and is are of to that it for with this not be on they you was "
    "have has but or their what which would should can from these those "
    "very more"
)
FUNCTION_WORDS = {"fr": frozenset(_FRENCH.split()), "en": frozenset(_ENGLISH.split())}
# At least this many function words, and the leader at least twice the other.
MIN_HITS = 3
LEAD = 2

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Addresses are not prose: their words say nothing of the text's language.
_ADDRESS = re.compile(r"\S+://\S+|\S+@\S+")


def guess_language(text: str) -> str | None:
    """ "fr" or "en" when the text's function words say so clearly, else None."""
    counts = dict.fromkeys(FUNCTION_WORDS, 0)
    for word in _WORD.findall(_ADDRESS.sub(" ", text[:2000].lower())):
        for language, words in FUNCTION_WORDS.items():
            if word in words:
                counts[language] += 1
    (first, first_count), (_, second_count) = sorted(
        counts.items(), key=lambda item: item[1], reverse=True
    )
    if first_count >= MIN_HITS and first_count >= LEAD * max(second_count, 1):
        return first
    return None
