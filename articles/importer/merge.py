"""Merge: mentions of the same offer in one article become one posting.

Two mentions are the same offer when the same employer pays the same
currency for the same period and the pay is compatible: the same maximum,
or one range inside the other ("up to $900,000" and "$300,000 to $900,000").
The merged posting keeps the widest range, the link, the place and every
sentence it was read from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

from articles.importer.words import FILLER, words

SAME_MAXIMUM = "same-maximum"
RANGE_INSIDE = "range-inside"
SAME_LINK = "same-link"
REPEATED_FIGURE = "repeated-figure"
FLOOR_AND_CEILING = "floor-and-ceiling"


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Return a text lower-cased, without accents or punctuation runs."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


@dataclass
class Offer:
    """An offer being assembled from the sentences of one article."""

    company: str
    title: str
    salary_min: int | None
    salary_max: int | None
    currency: str
    period: str
    location: str = ""
    remote: bool = False
    url: str = ""
    evidence: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    confidence: float = 0.5
    merged_by: list[str] = field(default_factory=list)
    # Position of the pay in the article, to keep postings in reading order.
    order: int = 0
    paragraph: int = 0
    # Where the pay stands in its sentence.
    span: tuple[int, int] = (0, 0)


def _inside(inner: Offer, outer: Offer) -> bool:
    # Only a real range holds another figure: two ceilings or two floors
    # that differ are two offers.
    if outer.salary_min is None or outer.salary_max is None:
        return False
    if outer.salary_min == outer.salary_max:
        return False
    low, high = outer.salary_min, outer.salary_max
    values = [v for v in (inner.salary_min, inner.salary_max) if v is not None]
    return bool(values) and all(low <= value <= high for value in values)


def same_offer_rule(first: Offer, second: Offer) -> str | None:
    """Return the rule saying two offers are one, or None when they are not."""
    if fold(first.company) != fold(second.company):
        return None
    if first.evidence and first.evidence[-1] in second.evidence:
        # Figures of one sentence are different offers.
        return None
    if first.url and second.url:
        return SAME_LINK if first.url.rstrip("/") == second.url.rstrip("/") else None
    if (first.currency, first.period) != (second.currency, second.period):
        return None
    if first.title and second.title and not similar_roles(first.title, second.title):
        return None
    if first.salary_max is not None and first.salary_max == second.salary_max:
        return SAME_MAXIMUM
    # "Its listing starts the band at $198,000. The ceiling is $270,000."
    floor, ceiling = sorted((first, second), key=lambda o: o.salary_max is not None)
    if (
        floor.salary_max is None
        and floor.salary_min is not None
        and ceiling.salary_min is None
        and ceiling.salary_max is not None
        and floor.salary_min < ceiling.salary_max
        and first.title
        and second.title
    ):
        return FLOOR_AND_CEILING
    if _inside(first, second) or _inside(second, first):
        return RANGE_INSIDE
    return None


ROLE_STOP_WORDS = FILLER | words("senior junior")


def role_words(title: str) -> set[str]:
    """Return the content words of a role, folded."""
    return {
        word
        for word in fold(title).split()
        if len(word) > 1 and word not in ROLE_STOP_WORDS
    }


def similar_roles(first: str, second: str) -> bool:
    """Say whether two roles can name the same job (half their words shared)."""
    a, b = role_words(first), role_words(second)
    if not a or not b:
        return True
    return len(a & b) * 2 >= min(len(a), len(b))


def _merge_into(kept: Offer, other: Offer, rule: str) -> None:
    lows = [v for v in (kept.salary_min, other.salary_min) if v is not None]
    highs = [v for v in (kept.salary_max, other.salary_max) if v is not None]
    # A maximum-only mention says nothing of the minimum: the range keeps
    # the minimum the other mention gives.
    kept.salary_min = min(lows) if lows else None
    kept.salary_max = max(highs) if highs else None
    if len(role_words(other.title)) > len(role_words(kept.title)):
        kept.title = other.title
        if "title" in other.sources:
            kept.sources["title"] = other.sources["title"]
    for name in ("location", "url"):
        if not getattr(kept, name) and getattr(other, name):
            setattr(kept, name, getattr(other, name))
            if name in other.sources:
                kept.sources[name] = other.sources[name]
    kept.remote = kept.remote or other.remote
    for sentence in other.evidence:
        if sentence not in kept.evidence:
            kept.evidence.append(sentence)
    kept.confidence = max(kept.confidence, other.confidence)
    kept.merged_by.extend([rule, *other.merged_by])


def merge_offers(offers: list[Offer]) -> list[Offer]:
    """Return the offers with every mention of the same offer merged into one."""
    merged: list[Offer] = []
    # Only offers of one employer can be one offer: compare within each.
    by_company: dict[str, list[Offer]] = {}
    for offer in offers:
        kept_of_company = by_company.setdefault(fold(offer.company), [])
        for kept in kept_of_company:
            rule = same_offer_rule(kept, offer)
            if rule:
                _merge_into(kept, offer, rule)
                break
        else:
            copy = replace(
                offer,
                evidence=list(offer.evidence),
                sources=dict(offer.sources),
                merged_by=list(offer.merged_by),
            )
            merged.append(copy)
            kept_of_company.append(copy)
    return merged
