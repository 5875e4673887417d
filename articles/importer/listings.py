"""Listings: offers written as list items or table rows, not as sentences.

"• Kairo — ML engineer (Lyon) — 70–85 k€", "- Wayve: simulation engineer
(London): £700/day", "Mila | Chercheur principal | 120 000 $ CA | Montréal".
Each line gives one offer: the employer first, then the job, the place in
brackets or in a cell of its own, and the pay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.importer.amounts import find_money
from articles.importer.offers import NEGATIVE_CUES, STATISTIC_CUES
from articles.importer.places import REMOTE_RE, URL_RE, find_location
from articles.importer.roles import find_roles

# A list item: a bullet or a number, perhaps read as a heading before, its
# marker perhaps escaped ("\1.").
ITEM_RE = re.compile(r"^\s*(?:#+\s*)?\\?(?:[-–—•*·▪►]|\d{1,2}[.)])\s+(?P<item>\S.*)$")
# A pay cell whose currency the table states once: "120,000–155,000".
BARE_PAY_RE = re.compile(
    r"^(?:(?:up to|jusqu['’]à|from|à partir de|dès|starting at)\s+)?"
    r"\d{1,3}(?:[  ,.'’]\d{3})+(?:\s?[-–—]\s?\d{1,3}(?:[  ,.'’]\d{3})+)?$",
    re.IGNORECASE,
)
# "All amounts below are in Canadian dollars", "Salaires en euros".
STATED_CURRENCY_RE = re.compile(
    r"\b(?:amounts?|figures|salaries|pay|montants|salaires|chiffres|rémunérations)"
    r"\b[^.]{0,60}?\b(?:in|en)\s+(?P<currency>dollars canadiens|Canadian dollars"
    r"|dollars américains|US dollars|American dollars|euros?|pounds?|livres?"
    r"|francs suisses|Swiss francs|dollars)|\((?P<code>CAD|USD|EUR|GBP|CHF)\)",
    re.IGNORECASE,
)
CURRENCY_NAMES = {
    "dollars canadiens": "CAD",
    "canadian dollars": "CAD",
    "dollars américains": "USD",
    "us dollars": "USD",
    "american dollars": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "livre": "GBP",
    "livres": "GBP",
    "francs suisses": "CHF",
    "swiss francs": "CHF",
}
# Where an item's parts meet: "Kairo — ML engineer", "Wayve: engineer".
PART_SEPARATOR_RE = re.compile(r"\s+[—–]\s+|\s+-\s+|:\s+|\s+\|\s+")
NOT_AN_OFFER_RE = re.compile(
    rf"(?<![\w-])(?:{STATISTIC_CUES}|{NEGATIVE_CUES})(?![\w-])", re.IGNORECASE
)


NAME_JOINERS = {"&", "and", "et", "de", "du", "des", "of", "the", "la", "le"}


@dataclass(frozen=True)
class Listing:
    """One offer read from a list item or a table row."""

    line: str
    company: str
    title: str
    location: str
    remote: bool
    url: str
    low: int | None
    high: int | None
    currency: str
    period: str | None

    @property
    def text(self) -> str:
        """The line as it reads, without its bullet, number or table bars."""
        item = ITEM_RE.match(self.line)
        text = item.group("item") if item else self.line.strip().strip("#|").strip()
        return re.sub(r"\s*\|\s*", " | ", text)


def _company_from_url(url: str) -> str:
    host = re.sub(r"^(?:https?://)?", "", url.lower()).split("/")[0]
    labels = [
        label
        for label in host.split(".")[:-1]
        if label not in {"www", "jobs", "careers", "career", "apply", "boards"}
    ]
    return labels[-1].replace("-", " ").title() if labels else ""


def _place(text: str) -> tuple[str, bool]:
    """Return the town a bracket or a cell names, and whether it says remote."""
    remote = bool(REMOTE_RE.search(text))
    town = find_location(f"à {text}") or (
        text.strip()
        if re.fullmatch(r"[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:[\s-][A-ZÀ-ÖØ-Þ][\w'’.-]*){0,3}", text)
        else ""
    )
    if remote and town.lower() in {"remote", "télétravail"}:
        town = ""
    return town, remote


def _is_name(text: str) -> bool:
    """Say whether a cell reads as a name: capitalised words, no comma."""
    words = text.split()
    return (
        0 < len(words) <= 5
        and "," not in text
        and all(
            word[0].isupper() or word[0].isdigit() or word in NAME_JOINERS
            for word in words
        )
        and not find_money(text)
    )


def _row(line: str, currency: str) -> Listing | None:
    cells = [cell.strip() for cell in line.strip().strip("#").strip("|").split("|")]
    cells = [cell for cell in cells if cell]
    if currency:
        cells = [
            f"{cell} {currency}" if BARE_PAY_RE.match(cell) else cell for cell in cells
        ]
    paid = [i for i, cell in enumerate(cells) if find_money(cell)]
    if len(cells) < 3 or len(paid) != 1 or not _is_name(cells[0]):
        return None
    (money,) = find_money(cells[paid[0]])[:1]
    others = [cell for i, cell in enumerate(cells[1:], 1) if i != paid[0]]
    title = others[0] if others else ""
    town, remote = _place(others[1]) if len(others) > 1 else ("", False)
    return Listing(
        line,
        cells[0],
        title,
        town,
        remote,
        "",
        money.low,
        money.high,
        money.currency,
        money.period,
    )


def _item(line: str, item: str) -> Listing | None:
    moneys = find_money(item)
    if not moneys:
        return None
    money = moneys[0]
    urls = URL_RE.findall(item)
    url = urls[0].rstrip(".,;)") if urls else ""
    head = item[: money.start]
    parts = PART_SEPARATOR_RE.split(head, maxsplit=1)
    # "Staff AI Engineer at Databricks (San Francisco) — $220K".
    role_first = re.match(
        r"(?P<title>[^—–:|]+?)\s+(?:at|chez)\s+(?P<company>[A-ZÀ-ÖØ-Þ][^(—–:|,]*?)"
        r"\s*(?=\(|[—–:|,]|$)",
        head,
    )
    if len(parts) == 2 and _is_name(parts[0]):
        company, rest = parts[0].strip(), parts[1]
    elif role_first and _is_name(role_first.group("company").strip()):
        company = role_first.group("company").strip()
        rest = role_first.group("title") + head[role_first.end() :]
    elif url:
        company, rest = _company_from_url(url), head
    else:
        return None
    bracket = re.search(r"\(([^()]+)\)", rest)
    town, remote = _place(bracket.group(1)) if bracket else ("", False)
    title = rest[: bracket.start()] if bracket else rest
    pieces = [p.strip(" ,;:—–-\"“”«»'.") for p in PART_SEPARATOR_RE.split(title)]
    pieces = [p for p in pieces if p]
    # "The New York Times — yes, a newsroom — pays an editor in New York".
    roles = find_roles(" ".join(pieces[1:])) if len(pieces) > 1 else []
    title = roles[0] if roles else (pieces[0] if pieces else "")
    if not bracket:
        remote = remote or bool(REMOTE_RE.search(item))
        # "Machine Learning Platform Engineer, Los Gatos, California": the job
        # comes first, its place after.
        title, *after = re.split(r",\s+", title)
        title = re.split(r"\s+(?:in|à|at)\s+(?=[A-ZÀ-Ö])", title)[0]
        company_free = item.replace(company, "", 1) if company else item
        town = find_location(company_free.replace(title, "", 1)) or next(
            (p for p in (_place(a)[0] for a in after) if p), ""
        )
    return Listing(
        line,
        company,
        title,
        town,
        remote,
        url,
        money.low,
        money.high,
        money.currency,
        money.period,
    )


def stated_currency(body: str) -> str:
    """Return the currency an article says its figures are in, or ""."""
    stated = STATED_CURRENCY_RE.search(body)
    if not stated:
        return ""
    if stated.group("code"):
        return stated.group("code").upper()
    return CURRENCY_NAMES.get(stated.group("currency").lower(), "")


def read_listings(body: str) -> tuple[list[Listing], str]:
    """Return the offers a body lists line by line, and the body without them."""
    listings: list[Listing] = []
    kept: list[str] = []
    currency = stated_currency(body)
    for line in body.splitlines():
        found = None
        if not NOT_AN_OFFER_RE.search(line):
            if line.count("|") >= 2:
                found = _row(line, currency)
            elif item := ITEM_RE.match(line):
                found = _item(line, item.group("item"))
        if found is None:
            kept.append(line)
        else:
            listings.append(found)
    return listings, "\n".join(kept)
