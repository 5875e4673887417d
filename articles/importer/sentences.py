"""Sentences: the units every later stage reads."""

from __future__ import annotations

import re

ABBREVIATIONS = re.compile(
    r"(?:\b(?:M|Mme|Mlle|Dr|St|Inc|Corp|Ltd|Co|Jr|Sr|vs|etc|cf|p|ex|env|No|Mr|Mrs|Ms|Bros"
    r"|U\.S|U\.K|[A-Z])\.)$"
)


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, leaving abbreviations and names whole."""
    sentences: list[str] = []
    start = 0
    for match in re.finditer(
        r"[.!?…]+(?:\s?[»\"”)])?(?=\s+[«\"“(]?\s?[A-ZÀ-ÖØ-Þ0-9$€£])", paragraph
    ):
        head = paragraph[start : match.end()]
        if ABBREVIATIONS.search(head.rstrip('»"”) ')):
            continue
        sentences.append(head.strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    # Sentences the scraper glued together: "...a month.Doctoral students".
    return [
        part
        for sentence in sentences
        for part in re.split(
            r"(?<=[a-zà-ÿ0-9)][.!?])"
            r"(?=[«\"“]?(?:[A-ZÀ-Ö][A-Za-zà-ö]*[a-zà-ö]|[ÀA]\s[A-ZÀ-Ö]))",
            sentence,
        )
        if part
    ]
