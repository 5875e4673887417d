"""What an editor corrected in the import review, applied to any later import.

Each extracted posting gets a key from what the importer read (employer, role,
pay). An editor's corrections are stored as ImportCorrection rows under the
file's import key and that posting key; every import of the file applies them,
oldest first, on top of a fresh extraction: a dropped posting stays dropped, a
changed field keeps the editor's value, an added posting stays added and a
merge stays a merge.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from articles.importer.companies import normalize_company_name
from articles.importer.extract import ExtractedPosting
from articles.models import ImportCorrection

# The fields of an extracted posting an editor may correct.
EDITABLE_FIELDS = (
    "company",
    "title",
    "salary_min",
    "salary_max",
    "currency",
    "period",
    "location",
    "remote",
    "url",
)

# The parts of a posting whose sentence the importer keeps, in reading order.
SOURCE_LABELS = (
    ("company", _("Employer")),
    ("title", _("Role")),
    ("pay", _("Pay")),
    ("location", _("Location")),
    ("url", _("Link")),
)


def posting_key(posting: ExtractedPosting) -> str:
    """Return the key that finds an extracted posting again in a re-import."""
    return "|".join(
        [
            normalize_company_name(posting.company),
            " ".join(posting.title.casefold().split()),
            str(posting.salary_min or ""),
            str(posting.salary_max or ""),
            posting.currency,
            posting.period,
        ]
    )[:380]


def _loose_key(key: str) -> str:
    # Without the role: the part of the key a reworded role leaves unchanged.
    parts = key.split("|")
    return "|".join(parts[:1] + parts[2:])


def added_key(values: dict) -> str:
    """Return the key of a posting an editor added, from its values."""
    encoded = json.dumps(values, sort_keys=True, ensure_ascii=False)
    return "added:" + hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:16]


def values_of(posting: ExtractedPosting) -> dict:
    """Return the editable values of an extracted posting."""
    return {name: getattr(posting, name) for name in EDITABLE_FIELDS}


@dataclass
class ReviewItem:
    """One posting as the review shows it: read, then corrected."""

    key: str
    # What the importer read; None for a posting an editor added.
    extracted: ExtractedPosting | None
    values: dict
    dropped: bool = False
    # The pk of the stored posting an editor chose to merge it with.
    merge_into: int | None = None
    # The fields whose value comes from an editor.
    corrected: set[str] = field(default_factory=set)

    @property
    def is_added(self) -> bool:
        return self.extracted is None

    @property
    def sources(self) -> list[tuple[str, str]]:
        """Each sentence a part was read from, with the parts it gave."""
        found = self.extracted.sources if self.extracted is not None else {}
        parts: dict[str, list[str]] = {}
        for key, label in SOURCE_LABELS:
            if found.get(key):
                parts.setdefault(found[key], []).append(str(label))
        return [(", ".join(labels), sentence) for sentence, labels in parts.items()]

    def as_posting(self) -> ExtractedPosting:
        """Return the posting to store: the extracted one with the corrections."""
        if self.extracted is None:
            return ExtractedPosting(**self.values, confidence=1.0)
        return dataclasses.replace(self.extracted, **self.values)


def review_items(
    postings: Iterable[ExtractedPosting],
    corrections: Iterable[ImportCorrection] = (),
) -> list[ReviewItem]:
    """Return the extracted postings with the stored corrections applied."""
    items: list[ReviewItem] = []
    seen: dict[str, int] = {}
    for posting in postings:
        key = posting_key(posting)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}#{seen[key]}"
        items.append(ReviewItem(key=key, extracted=posting, values=values_of(posting)))
    by_key = {item.key: item for item in items}
    loose: dict[str, list[ReviewItem]] = {}
    for item in items:
        loose.setdefault(_loose_key(item.key), []).append(item)

    def find(key: str) -> ReviewItem | None:
        if key in by_key:
            return by_key[key]
        # The role was reworded since: the same employer and pay, if only one.
        candidates = loose.get(_loose_key(key), [])
        return candidates[0] if len(candidates) == 1 else None

    for correction in sorted(corrections, key=lambda c: (c.created_at, c.pk)):
        action = correction.action
        if action == ImportCorrection.Action.ADDED:
            values = {
                name: (correction.corrected_value or {}).get(name)
                for name in EDITABLE_FIELDS
            }
            if correction.posting_key in by_key:
                item = by_key[correction.posting_key]
                item.values = values
            else:
                item = ReviewItem(
                    key=correction.posting_key,
                    extracted=None,
                    values=values,
                    corrected=set(EDITABLE_FIELDS),
                )
                items.append(item)
                by_key[item.key] = item
            continue
        item = find(correction.posting_key)
        if item is None:
            # The file no longer has this posting: the correction waits.
            continue
        if action == ImportCorrection.Action.CHANGED:
            if correction.field in EDITABLE_FIELDS:
                item.values[correction.field] = correction.corrected_value
                item.corrected.add(correction.field)
        elif action == ImportCorrection.Action.DROPPED:
            item.dropped = bool(correction.corrected_value)
        elif action == ImportCorrection.Action.MERGED:
            item.merge_into = correction.corrected_value or None
    return items


def corrections_for(import_key: str) -> list[ImportCorrection]:
    """Return the corrections stored for a file, oldest first."""
    if not import_key:
        return []
    return list(
        ImportCorrection.objects.filter(import_key=import_key).order_by(
            "created_at", "pk"
        )
    )


def _json_value(value):
    return value if value is None or isinstance(value, bool | int | str) else str(value)


def differences(
    *,
    shown: ReviewItem | None,
    changed: dict,
    dropped: bool,
    merge_into: int | None,
) -> list[ImportCorrection]:
    """Return, unsaved, the corrections between a shown item and what was confirmed.

    `shown` is None for a row the editor added, and then `changed` holds all
    of its values; otherwise it holds only the fields the editor changed.
    """
    rows: list[ImportCorrection] = []
    changed = {name: _json_value(value) for name, value in changed.items()}
    if shown is None:
        if dropped:
            return rows
        values = {name: changed.get(name) for name in EDITABLE_FIELDS}
        key = added_key(values)
        rows.append(
            ImportCorrection(
                posting_key=key,
                action=ImportCorrection.Action.ADDED,
                corrected_value=values,
            )
        )
        if merge_into:
            rows.append(
                ImportCorrection(
                    posting_key=key,
                    action=ImportCorrection.Action.MERGED,
                    corrected_value=merge_into,
                )
            )
        return rows
    read = values_of(shown.extracted) if shown.extracted is not None else {}
    if dropped != shown.dropped:
        rows.append(
            ImportCorrection(
                posting_key=shown.key,
                action=ImportCorrection.Action.DROPPED,
                extracted_value=read or None,
                corrected_value=dropped,
            )
        )
    if dropped:
        return rows
    if shown.is_added:
        if changed:
            rows.append(
                ImportCorrection(
                    posting_key=shown.key,
                    action=ImportCorrection.Action.ADDED,
                    corrected_value={**shown.values, **changed},
                )
            )
    else:
        for name in EDITABLE_FIELDS:
            if name in changed:
                rows.append(
                    ImportCorrection(
                        posting_key=shown.key,
                        action=ImportCorrection.Action.CHANGED,
                        field=name,
                        extracted_value=_json_value(read.get(name)),
                        corrected_value=changed[name],
                    )
                )
    if (merge_into or None) != shown.merge_into:
        rows.append(
            ImportCorrection(
                posting_key=shown.key,
                action=ImportCorrection.Action.MERGED,
                extracted_value=None,
                corrected_value=merge_into or None,
            )
        )
    return rows
