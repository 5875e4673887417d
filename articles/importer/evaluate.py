"""Score the importer against a folder of articles and the answers expected.

The folder holds `articles/*.txt` and `expected.json`, one entry per file
name, in the shape of the development corpus (see docs/importing.md,
"Measuring the importer"). The articles are read exactly as
`import_articles --dry-run --format json` reads them: nothing is written to
the database.
"""

from __future__ import annotations

import fnmatch
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from articles.importer.load import BadFile, decode_file, prepare_article
from articles.importer.words import FILLER

REMOTE_WORDS = ("remote", "teletravail", "distance")
WORD_RE = re.compile(r"[^\W_]+")
SPACE_RE = re.compile(r"\s+")

# Summary fields the command line can set a threshold on, in summary order.
THRESHOLDS = {
    "f1": "postings F1",
    "roles": "roles",
    "locations": "locations",
    "links": "links",
    "titles": "titles",
    "dates": "dates",
    "questions": "questions",
    "sources": "sources",
    "authors": "authors",
}


# Article fields each summary count is read from.
CHECKS = {
    "titles": "title",
    "dates": "date",
    "questions": "questions",
    "sources": "source",
    "authors": "author",
}


class EvaluationError(ValueError):
    """A folder that cannot be evaluated, with the reason in one line."""


# --- Text -------------------------------------------------------------------


def normalize(text: str | None) -> str:
    """Return text with whitespace runs as one space, trimmed, and ’ as '."""
    return SPACE_RE.sub(" ", (text or "").replace("’", "'")).strip()


def fold(text: str | None) -> str:
    """Return normalised text in lower case without accents."""
    decomposed = unicodedata.normalize("NFKD", normalize(text).lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def content_words(text: str | None) -> list[str]:
    """Return the folded words of two letters or more that are not stop words."""
    return [
        word
        for word in WORD_RE.findall(fold(text))
        if len(word) >= 2 and word not in FILLER
    ]


def same_url(expected: str | None, extracted: str | None) -> bool:
    """Say whether two addresses are equal once a trailing / or . is ignored."""
    return _bare_url(expected) == _bare_url(extracted)


def _bare_url(url: str | None) -> str:
    return normalize(url).rstrip("/.")


def pay_label(posting: dict) -> str:
    """Return a posting's pay as `90 000–120 000 EUR/year`."""
    low, high = posting.get("salary_min"), posting.get("salary_max")
    if high is None:
        amount = f"from {_amount(low)}"
    elif low is None:
        amount = f"up to {_amount(high)}"
    elif low == high:
        amount = _amount(high)
    else:
        amount = f"{_amount(low)}–{_amount(high)}"
    return f"{amount} {posting.get('currency') or '?'}/{posting.get('period') or '?'}"


def _amount(value: int | None) -> str:
    return "?" if value is None else f"{value:,}".replace(",", " ")


# --- Postings ---------------------------------------------------------------


def posting_differences(expected: dict, extracted: dict) -> list[str]:
    """Return why an extracted posting does not match an expected one."""
    differences = []
    if not _same_company(expected.get("company"), extracted.get("company")):
        differences.append("company differs")
    if not _same_pay(expected, extracted):
        differences.append("pay differs")
    if expected.get("currency") != extracted.get("currency"):
        differences.append("currency differs")
    if expected.get("period") != extracted.get("period"):
        differences.append("period differs")
    if expected.get("url") and not same_url(expected["url"], extracted.get("url")):
        differences.append("url differs")
    return differences


def _same_company(expected: str | None, extracted: str | None) -> bool:
    expected, extracted = fold(expected), fold(extracted)
    if not expected or not extracted:
        return False
    return expected in extracted or extracted in expected


def _same_pay(expected: dict, extracted: dict) -> bool:
    high = extracted.get("salary_max")
    if expected.get("salary_max") != high:
        return False
    low = extracted.get("salary_min")
    if "salary_min" in expected:
        return expected["salary_min"] == low
    return low is None or low == high


def role_is_right(expected: str | None, extracted: str | None) -> bool:
    """Say whether at least half the expected role's content words are in the other."""
    wanted = content_words(expected)
    found = set(content_words(extracted))
    return 2 * sum(word in found for word in wanted) >= len(wanted)


def location_is_right(expected: str, posting: dict) -> bool:
    """Say whether a posting's place is the expected city, or remote work."""
    place = fold(posting.get("location"))
    if fold(expected) == "remote":
        return bool(posting.get("remote")) or any(
            word in place for word in REMOTE_WORDS
        )
    city = fold(expected)
    return bool(place) and (city in place or place in city)


@dataclass
class PostingMatch:
    """An expected posting and the extracted one paired with it."""

    expected: dict
    extracted: dict

    @property
    def role_ok(self) -> bool:
        return role_is_right(self.expected.get("role"), self.extracted.get("title"))

    @property
    def location_ok(self) -> bool | None:
        """None when the article gives no place for the posting."""
        if not self.expected.get("location"):
            return None
        return location_is_right(self.expected["location"], self.extracted)

    @property
    def link_ok(self) -> bool | None:
        """None when the article gives no address for the posting."""
        if not self.expected.get("url"):
            return None
        return same_url(self.expected["url"], self.extracted.get("url"))


@dataclass
class Miss:
    """An expected posting nothing was paired with, and the closest candidate."""

    expected: dict
    closest: dict | None = None
    why: list[str] = field(default_factory=list)


def pair_postings(
    expected: list[dict], extracted: list[dict]
) -> tuple[list[PostingMatch], list[Miss], list[dict]]:
    """Pair expected and extracted postings one to one; return pairs, misses, extras."""
    options: dict[int, list[int]] = {}
    for e_index, wanted in enumerate(expected):
        ranked = []
        for x_index, found in enumerate(extracted):
            if not posting_differences(wanted, found):
                ranked.append((_preference(wanted, found), x_index))
        ranked.sort(key=lambda item: item[0], reverse=True)
        options[e_index] = [x_index for _rank, x_index in ranked]

    # Each expected posting takes its preferred candidate, unless that would
    # leave another without one: as many pairs as possible (augmenting paths).
    owner: dict[int, int] = {}

    def assign(e_index: int, seen: set[int]) -> bool:
        free = [x_index for x_index in options[e_index] if x_index not in owner]
        if free:
            owner[free[0]] = e_index
            return True
        for x_index in options[e_index]:
            if x_index in seen:
                continue
            seen.add(x_index)
            if assign(owner[x_index], seen):
                owner[x_index] = e_index
                return True
        return False

    for e_index in options:
        assign(e_index, set())
    paired_expected = {e_index: x_index for x_index, e_index in owner.items()}
    paired_extracted = set(owner)

    matches = [
        PostingMatch(expected[e_index], extracted[x_index])
        for e_index, x_index in sorted(paired_expected.items())
    ]
    misses = [
        _miss(wanted, extracted, paired_extracted)
        for e_index, wanted in enumerate(expected)
        if e_index not in paired_expected
    ]
    extras = [
        found
        for x_index, found in enumerate(extracted)
        if x_index not in paired_extracted
    ]
    return matches, misses, extras


def _preference(wanted: dict, found: dict) -> tuple:
    """Rank a candidate: the same address, then the role's words, then the place."""
    match = PostingMatch(wanted, found)
    return (
        bool(found.get("url")) and same_url(wanted.get("url"), found.get("url")),
        _role_overlap(wanted.get("role"), found.get("title")),
        bool(match.location_ok),
    )


def _role_overlap(expected: str | None, extracted: str | None) -> float:
    wanted = content_words(expected)
    if not wanted:
        return 1.0
    found = set(content_words(extracted))
    return sum(word in found for word in wanted) / len(wanted)


def _miss(wanted: dict, extracted: list[dict], taken: set[int]) -> Miss:
    best = None
    for x_index, found in enumerate(extracted):
        why = posting_differences(wanted, found)
        # Fewest differences first; a wrong company weighs more than the rest.
        rank = (len(why) + ("company differs" in why), x_index in taken)
        if best is None or rank < best[0]:
            best = (rank, found, why)
    if best is None:
        return Miss(wanted)
    _rank, found, why = best
    return Miss(wanted, found, why or ["paired with another expected posting"])


# --- Articles ---------------------------------------------------------------


@dataclass
class Check:
    """One field of an article: right or not, and both values."""

    ok: bool
    expected: object
    got: object


@dataclass
class ArticleScore:
    """How one file's extraction compares with what was expected."""

    file: str
    expected_count: int = 0
    extracted_count: int = 0
    matches: list[PostingMatch] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    extras: list[dict] = field(default_factory=list)
    checks: dict[str, Check] = field(default_factory=dict)
    # Furniture the body still holds (c13's `body_must_not_contain`).
    body_leftovers: list[str] = field(default_factory=list)
    body_checked: bool = False
    # Why the file could not be read, when it could not.
    error: str = ""

    @property
    def matched(self) -> int:
        return len(self.matches)

    @property
    def roles(self) -> tuple[int, int]:
        return sum(m.role_ok for m in self.matches), len(self.matches)

    @property
    def locations(self) -> tuple[int, int]:
        judged = [m.location_ok for m in self.matches if m.location_ok is not None]
        return sum(judged), len(judged)

    @property
    def links(self) -> tuple[int, int]:
        right = sum(bool(m.link_ok) for m in self.matches)
        return right, sum(bool(p.get("url")) for p in self._expected_postings)

    @property
    def _expected_postings(self) -> list[dict]:
        return [m.expected for m in self.matches] + [m.expected for m in self.misses]


def score_article(expected: dict, extracted: dict) -> ArticleScore:
    """Compare one article's extraction (JSON shape) with its expected entry."""
    wanted = expected.get("postings") or []
    found = extracted.get("postings") or []
    matches, misses, extras = pair_postings(wanted, found)
    score = ArticleScore(
        file=extracted.get("file") or "",
        expected_count=len(wanted),
        extracted_count=len(found),
        matches=matches,
        misses=misses,
        extras=extras,
    )

    title = extracted.get("title")
    if expected.get("title") is None:
        title_ok = bool(normalize(title))
    else:
        title_ok = normalize(title) == normalize(expected["title"])
    score.checks["title"] = Check(title_ok, expected.get("title"), title)

    published = extracted.get("published") or None
    score.checks["date"] = Check(
        published == expected.get("published"), expected.get("published"), published
    )

    tolerated = {normalize(q) for q in expected.get("tolerated_questions") or []}
    questions = [
        normalize(q)
        for q in extracted.get("questions") or []
        if normalize(q) not in tolerated
    ]
    wanted_questions = [normalize(q) for q in expected.get("questions") or []]
    score.checks["questions"] = Check(
        questions == wanted_questions, wanted_questions, questions
    )

    for key in ("source", "author"):
        got = extracted.get(key) or None
        score.checks[key] = Check(
            fold(got) == fold(expected.get(key)), expected.get(key), got
        )

    forbidden = expected.get("body_must_not_contain") or []
    if forbidden:
        body = normalize(extracted.get("body"))
        score.body_checked = True
        score.body_leftovers = [text for text in forbidden if normalize(text) in body]
    return score


def unread_article(name: str, expected: dict, reason: str) -> ArticleScore:
    """Score a file that could not be read: missed postings, every field wrong."""
    score = score_article(expected, {"file": name})
    score.error = reason
    for check in score.checks.values():
        check.ok = False
    if score.body_checked:
        score.body_leftovers = list(expected["body_must_not_contain"])
    return score


# --- Folders ----------------------------------------------------------------


@dataclass
class Report:
    """The scores of every file evaluated, and the files that could not be."""

    scores: list[ArticleScore] = field(default_factory=list)
    # Files expected.json lists that are not in articles/.
    missing_files: list[str] = field(default_factory=list)
    # Files in articles/ that expected.json does not list.
    unexpected_files: list[str] = field(default_factory=list)

    def total(self, name: str) -> tuple[int, int]:
        """Return (right, judged) for roles, locations, links or a field check."""
        if name in ("roles", "locations", "links"):
            pairs = [getattr(score, name) for score in self.scores]
        elif name == "bodies":
            pairs = [(not s.body_leftovers, 1) for s in self.scores if s.body_checked]
        else:
            key = CHECKS[name]
            pairs = [(score.checks[key].ok, 1) for score in self.scores]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    @property
    def counts(self) -> tuple[int, int, int]:
        """Return the expected, extracted and matched posting counts."""
        return (
            sum(s.expected_count for s in self.scores),
            sum(s.extracted_count for s in self.scores),
            sum(s.matched for s in self.scores),
        )

    @property
    def precision_recall_f1(self) -> tuple[float, float, float]:
        return precision_recall_f1(*self.counts)

    def rate(self, name: str) -> float:
        """Return a threshold's measure: the F1, or the share of right answers."""
        if name == "f1":
            return self.precision_recall_f1[2]
        right, judged = self.total(name)
        return right / judged if judged else 1.0

    def missed_thresholds(self, minimums: dict[str, float]) -> list[str]:
        """Return one line per threshold the report falls below."""
        return [
            f"{THRESHOLDS[name]} {self.rate(name):.3f} < {minimum:g}"
            for name, minimum in minimums.items()
            # A rounding margin, so that 1.0 asks for every answer right.
            if minimum and self.rate(name) < minimum - 1e-9
        ]

    def summary(self) -> str:
        """Return the one-line summary the command prints last."""
        precision, recall, f1 = self.precision_recall_f1
        parts = [f"postings P {precision:.2f} R {recall:.2f} F1 {f1:.2f}"]
        for name in (*list(THRESHOLDS)[1:], "bodies"):
            right, judged = self.total(name)
            if name != "bodies" or judged:
                parts.append(f"{name} {right}/{judged}")
        return " | ".join(parts)


def precision_recall_f1(
    expected: int, extracted: int, matched: int
) -> tuple[float, float, float]:
    """Return precision, recall and F1; nothing to find or nothing found is 1."""
    precision = matched / extracted if extracted else 1.0
    recall = matched / expected if expected else 1.0
    total = precision + recall
    return precision, recall, (2 * precision * recall / total if total else 0.0)


def read_expected(directory: Path) -> dict[str, dict]:
    """Return expected.json's entries, or raise EvaluationError saying why not."""
    if not (directory / "articles").is_dir():
        raise EvaluationError(f"{directory}: no articles/ folder")
    path = directory / "expected.json"
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvaluationError(f"{directory}: no expected.json") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise EvaluationError(f"{path}: cannot be read ({error})") from None
    if not isinstance(entries, dict) or not all(
        isinstance(entry, dict) for entry in entries.values()
    ):
        raise EvaluationError(f"{path}: expected an object of one entry per file")
    return entries


def read_article(path: Path) -> dict:
    """Return an article as `import_articles --dry-run --format json` gives it."""
    text = decode_file(path.read_bytes(), name=path.name)
    return prepare_article(text, filename=path.name).as_dict()


def evaluate(directory: Path, *, patterns: Sequence[str] = ()) -> Report:
    """Run the importer on a folder's articles and score them against expected.json."""
    directory = Path(directory)
    entries = read_expected(directory)
    present = {path.name: path for path in (directory / "articles").glob("*.txt")}

    def chosen(name: str) -> bool:
        return not patterns or any(fnmatch.fnmatch(name, p) for p in patterns)

    report = Report(
        unexpected_files=sorted(n for n in present if n not in entries and chosen(n))
    )
    for name in sorted(entries):
        if not chosen(name):
            continue
        path = present.get(name)
        if path is None:
            report.missing_files.append(name)
            report.scores.append(unread_article(name, entries[name], "file missing"))
            continue
        try:
            extracted = read_article(path)
        except BadFile as error:
            report.scores.append(unread_article(name, entries[name], error.reason))
            continue
        except OSError as error:
            reason = f"cannot be read ({error.strerror})"
            report.scores.append(unread_article(name, entries[name], reason))
            continue
        score = score_article(entries[name], extracted)
        score.file = name
        report.scores.append(score)
    if patterns and not report.scores and not report.unexpected_files:
        raise EvaluationError(f"{directory}: no file matches {' '.join(patterns)}")
    return report


# --- Output -----------------------------------------------------------------


def file_line(score: ArticleScore) -> str:
    """Return one file's scores on one line."""
    precision, recall, f1 = precision_recall_f1(
        score.expected_count, score.extracted_count, score.matched
    )
    not_read = f"not read ({score.error}) " if score.error else ""
    parts = [
        f"{score.file}: {not_read}P {precision:.2f} R {recall:.2f} F1 {f1:.2f} "
        f"({score.matched} of {score.expected_count} found, "
        f"{score.extracted_count} extracted)"
    ]
    for name in ("roles", "locations", "links"):
        right, judged = getattr(score, name)
        parts.append(f"{name} {right}/{judged}")
    for name, check in score.checks.items():
        parts.append(f"{name} {'ok' if check.ok else 'KO'}")
    if score.body_checked:
        parts.append(f"body {'KO' if score.body_leftovers else 'ok'}")
    return " | ".join(parts)


def file_details(score: ArticleScore) -> list[str]:
    """Return one line per miss, extra and wrong answer of a file."""
    lines = []
    for miss in score.misses:
        line = f"  miss: {_posting_label(miss.expected, 'role')}"
        if miss.closest is None:
            line += "; nothing extracted"
        else:
            line += (
                f"; closest: {_posting_label(miss.closest, 'title')} "
                f"({', '.join(miss.why)})"
            )
        lines.append(line)
    for extra in score.extras:
        evidence = normalize(extra.get("evidence"))
        lines.append(f"  extra: {_posting_label(extra, 'title')}: «{evidence}»")
    for match in score.matches:
        label = f"{match.expected.get('company')}, {pay_label(match.expected)}"
        if not match.role_ok:
            lines.append(
                f"  role of {label}: expected {match.expected.get('role')!r}, "
                f"got {match.extracted.get('title') or ''!r}"
            )
        if match.location_ok is False:
            got = match.extracted.get("location") or ""
            if match.extracted.get("remote"):
                got += " (remote)"
            lines.append(
                f"  location of {label}: expected "
                f"{match.expected['location']!r}, got {got!r}"
            )
        if match.link_ok is False:
            lines.append(
                f"  link of {label}: expected {match.expected['url']!r}, "
                f"got {match.extracted.get('url') or ''!r}"
            )
    for name, check in score.checks.items():
        if not check.ok:
            lines.append(f"  {name}: expected {check.expected!r}, got {check.got!r}")
    for text in score.body_leftovers:
        lines.append(f"  body still holds {text!r}")
    return lines


def _posting_label(posting: dict, role_key: str) -> str:
    parts = [
        posting.get("company") or "?",
        posting.get(role_key) or "(no role)",
        pay_label(posting),
    ]
    if posting.get("location"):
        parts.append(posting["location"])
    if posting.get("url"):
        parts.append(posting["url"])
    return " — ".join(parts)


def report_lines(report: Report, *, quiet: bool = False) -> list[str]:
    """Return the text report: per file, overall, and the summary line last."""
    lines = []
    for score in report.scores:
        lines.append(file_line(score))
        if not quiet:
            lines.extend(file_details(score))
    if not quiet:
        expected, extracted, matched = report.counts
        precision, recall, f1 = report.precision_recall_f1
        lines.append("")
        lines.append(
            f"Overall: {len(report.scores)} files; postings: {expected} expected, "
            f"{extracted} extracted, {matched} matched"
        )
        lines.append(f"  postings: P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")
        for name in (*list(THRESHOLDS)[1:], "bodies"):
            right, judged = report.total(name)
            if judged or name != "bodies":
                lines.append(f"  {name}: {right}/{judged} ({report.rate(name):.1%})")
    if report.missing_files:
        lines.append(f"Missing files: {', '.join(report.missing_files)}")
    if report.unexpected_files:
        lines.append(
            f"Files without an expected entry: {', '.join(report.unexpected_files)}"
        )
    lines.append(report.summary())
    return lines


def report_as_dict(report: Report) -> dict:
    """Return the report in a shape fit for JSON."""
    expected, extracted, matched = report.counts
    precision, recall, f1 = report.precision_recall_f1
    totals = {
        name: dict(zip(("right", "judged"), report.total(name), strict=True))
        for name in (*list(THRESHOLDS)[1:], "bodies")
    }
    return {
        "files": [_score_as_dict(score) for score in report.scores],
        "missing_files": report.missing_files,
        "unexpected_files": report.unexpected_files,
        "overall": {
            "expected": expected,
            "extracted": extracted,
            "matched": matched,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            **totals,
        },
        "summary": report.summary(),
    }


def _score_as_dict(score: ArticleScore) -> dict:
    precision, recall, f1 = precision_recall_f1(
        score.expected_count, score.extracted_count, score.matched
    )
    return {
        "file": score.file,
        "error": score.error,
        "expected": score.expected_count,
        "extracted": score.extracted_count,
        "matched": score.matched,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        **{
            name: dict(zip(("right", "judged"), getattr(score, name), strict=True))
            for name in ("roles", "locations", "links")
        },
        "checks": {
            name: {"ok": check.ok, "expected": check.expected, "got": check.got}
            for name, check in score.checks.items()
        },
        "body_leftovers": score.body_leftovers,
        "misses": [
            {"expected": miss.expected, "closest": miss.closest, "why": miss.why}
            for miss in score.misses
        ],
        "extras": score.extras,
        "wrong": [
            {
                "expected": match.expected,
                "extracted": match.extracted,
                "role_ok": match.role_ok,
                "location_ok": match.location_ok,
                "link_ok": match.link_ok,
            }
            for match in score.matches
            if not match.role_ok or match.location_ok is False or match.link_ok is False
        ],
    }
