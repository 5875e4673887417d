"""Money mentions: sums, ranges, qualifiers, currencies and periods."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A salary above this is some other kind of money.
MAX_SALARY = 5_000_000

# Thousands grouped by a space (also a narrow or non-breaking one), a comma,
# a full stop or, in Switzerland, an apostrophe: 140 000, 140,000, 140'000.
NUMBER = (
    r"\d{1,3}(?:(?:[  \u202f]|,|\.|['’])\d{3})+(?:[.,]\d{1,2})?(?!\d)"
    r"|\d+(?:[.,]\d+)?"
)
MULTIPLIER = (
    r"(?:k|K)(?![a-zA-Z])|millions?|million|mn|M(?![a-zA-Z])|m(?![a-zA-Z])"
    r"|milliards?|billions?|Md|bn"
)
PREFIX_CURRENCY = r"US\$|USD|C\$|CA\$|CAD|A\$|AU\$|AUD|\$|€|EUR|£|GBP|CHF|¥"
SUFFIX_CURRENCY = (
    r"dollars?(?:\s+(?:américains|US|canadiens|australiens|canadian|australian))?"
    r"|euros?|livres?(?:\s+sterling)?|pounds?(?:\s+sterling)?|francs?(?:\s+suisses)?"
    r"|yens?|US\$|\$\s?CAN?\b|\$|€|£|USD|EUR|GBP|CHF|CAD|AUD|JPY"
)
WORD_NUMBER = r"un|une|a|one"

MONEY_RE = re.compile(
    rf"(?:(?P<pcur>{PREFIX_CURRENCY})\s?(?P<pnum>{NUMBER})"
    rf"(?:\s?(?P<pmult>{MULTIPLIER}))?(?![\w€$£])"
    rf"|(?<![\w.,])(?P<snum>{NUMBER})\s?(?:(?P<smult>{MULTIPLIER})\s?)?"
    rf"(?:(?:de|d['’]|of)\s?)?(?P<scur>{SUFFIX_CURRENCY})(?![\w])"
    rf"|\b(?P<wnum>{WORD_NUMBER})\s(?P<wmult>millions?|million|milliards?|billion)"
    rf"\s(?:(?:de|d['’]|of)\s?)?(?P<wcur>{SUFFIX_CURRENCY})(?![\w]))"
)
CODE_AFTER_RE = re.compile(r"\s?(?P<code>CAD|USD|AUD|NZD|SGD|HKD)\b")
# The second number of a range whose currency came before the first.
BARE_RANGE_END_RE = re.compile(
    rf"\s?(?:[-–—]|to|à)\s?(?P<num>{NUMBER})(?:\s?(?P<mult>{MULTIPLIER}))?"
    r"(?![\w€$£%]|\s?(?:%|pour ?cent|percent|dollars?|euros?|livres?|francs?|\$|€|£))"
)
# The first number of a range whose currency is written only once:
# "entre 168 000 et 252 000 dollars", "$310,000 to $460,000".
RANGE_START_RE = re.compile(
    rf"(?:\b(?:entre|between|de|from|d['’])\s?)?"
    rf"(?P<cur>{PREFIX_CURRENCY})?\s?(?P<num>{NUMBER})\s?(?P<mult>{MULTIPLIER})?"
    rf"\s?(?:{SUFFIX_CURRENCY})?"
    rf"\s?(?:et|and|à|a|to|-|–|—|jusqu['’]à)\s?$"
)

LIST_ITEM_RE = re.compile(
    rf"(?<![\d,.])(?P<num>{NUMBER})(?:\s?(?P<mult>{MULTIPLIER}))?"
    r"\s?(?:,|et|and|, et|, and)\s$"
)

CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "dollars américains": "USD",
    "dollars us": "USD",
    "c$": "CAD",
    "$ ca": "CAD",
    "$ can": "CAD",
    "$ca": "CAD",
    "$can": "CAD",
    "ca$": "CAD",
    "cad": "CAD",
    "dollars canadiens": "CAD",
    "dollars canadian": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "aud": "AUD",
    "dollars australiens": "AUD",
    "dollars australian": "AUD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "livre": "GBP",
    "livres": "GBP",
    "livre sterling": "GBP",
    "livres sterling": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "pound sterling": "GBP",
    "pounds sterling": "GBP",
    "chf": "CHF",
    "franc suisses": "CHF",
    "franc": "CHF",
    "francs": "CHF",
    "francs suisses": "CHF",
    "¥": "JPY",
    "yen": "JPY",
    "yens": "JPY",
    "jpy": "JPY",
}

UP_TO_RE = re.compile(
    r"(?:jusqu['’]à|allant jusqu['’]à|pouvant (?:aller jusqu['’]à|atteindre)|"
    r"un maximum de|au maximum|maximum de|au plus|plafonnée? à|"
    r"up to|as much as|as high as|capped at|a maximum of|no more than"
    r"|top(?:s|ping)? out at|a ceiling of|ceiling of|plafond de|un plafond de"
    r"|caps? (?:\w+ ){0,3}at|plafonne (?:\w+ ){0,3}à|grimper jusqu['’]à"
    r"|(?:the |le |son |its )?(?:ceiling|plafond|maximum|top of the (?:band|range))"
    r" (?:is|est|sits at|stands at|reaches|atteint)(?: at)?)"
    r"\s*(?:de\s|d['’])?\s*$",
    re.IGNORECASE,
)
ABOUT_RE = re.compile(
    r"(?:environ|autour de|près de|quelque|approximativement|de l['’]ordre de|"
    r"about|around|approximately|roughly|nearly|some|~)\s*(?:de\s|d['’])?\s*$",
    re.IGNORECASE,
)
AT_LEAST_RE = re.compile(
    r"(?:au moins|à partir de|au minimum|minimum de|un minimum de|plus de|dès"
    r"|point de départ (?:à|de)|commence à|démarre à|débute à|plancher de"
    r"|at least|starting at|starting from|starts? at|a minimum of|more than"
    r"|upwards of|(?:salary|pay|rate|wage) (?:of )?from|floor of|\bfrom"
    r"|a floor of|un plancher de|démarre à|starts at|starts (?:\w+ ){1,3}at"
    r"|commence (?:\w+ ){1,3}à|(?:the |le )?(?:floor|plancher|minimum) (?:is|est))"
    r"\s*(?:de\s|d['’])?\s*$",
    re.IGNORECASE,
)
# A floor named after the figure: "€130,000 as the starting point".
FLOOR_AFTER_RE = re.compile(
    r"\s*(?:as (?:the|a) (?:starting point|floor|minimum|starting salary)"
    r"|comme (?:point de départ|plancher|minimum|salaire de départ)"
    r"|(?:au|de) minimum|minimum\b|at least)",
    re.IGNORECASE,
)
RESPECTIVELY_RE = re.compile(r"\b(?:respectivement|respectively)\b", re.IGNORECASE)
# A second figure that restates the first one in other units.
RESTATEMENT_RE = re.compile(
    r"(?:équivaut|équivalent|équivalant|soit|ce qui représente|ce qui correspond|"
    r"ce qui fait|correspond à|equivalent|equates|works out|which is|or about|"
    r"or roughly|translating to|converti)",
    re.IGNORECASE,
)

PERIOD_AFTER = (
    (
        "hour",
        r"par heure|de l['’]heure|/\s?h(?:eure|our|r)?\b|(?:an|per|a|by the) hour"
        r"|hourly"
        r"|/\s?hr\b|brut(?:s)? de l['’]heure|horaires?",
    ),
    (
        "day",
        r"par jour|/\s?jour|/\s?j\b|(?:a|per) day|daily|journaliers?|/\s?day"
        r"|(?:la|par) journée|per diem",
    ),
    ("month", r"par mois|/\s?mois|mensuel(?:le)?s?|(?:a|per) month|monthly|/\s?mo\b"),
    (
        "year",
        r"par an\b|par année|l['’]an\b(?! dernier| passé| prochain)|/\s?an\b"
        r"|annuel(?:le)?s?|(?:a|per) year"
        r"|per annum|annually|/\s?y(?:ea)?r\b|yearly|a yr\b|par an(?:née)?",
    ),
)
PERIOD_BEFORE = (
    ("hour", r"taux horaire|salaire horaire|hourly (?:rate|wage|pay)|rate of"),
    ("day", r"\bTJM\b|taux journalier|tarif journalier|daily rate|day rate"),
    ("month", r"salaire mensuel|rémunération mensuelle|monthly (?:salary|pay)"),
    (
        "year",
        r"salaire annuel|rémunération annuelle|annual (?:salary|pay|base|"
        r"compensation)|salaire de base annuel|yearly",
    ),
)


@dataclass
class Money:
    start: int
    end: int
    low: int | None
    high: int | None
    currency: str
    period: str | None = None
    # A dollar sign or word with no country: "$", "dollars".
    bare_dollar: bool = False


def parse_number(text: str, multiplier: str | None = None) -> float:
    """Return the value of a number written the French or English way."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    if text.lower() in {"un", "une", "a", "one"}:
        value = 1.0
    elif re.fullmatch(r"\d{1,3}(?:([  ,.'])\d{3})+(?:[.,]\d{1,2})?", text):
        grouped = re.match(r"\d{1,3}(?:[  ,.']\d{3})+", text).group(0)
        rest = text[len(grouped) :]
        value = float(re.sub(r"\D", "", grouped))
        if rest:
            value += float("0." + rest[1:])
        # "1,2" or "1.5" are decimals: handled below since they do not match.
    else:
        value = float(text.replace(",", ".").replace(" ", ""))
    if multiplier:
        mult = multiplier.lower()
        if mult == "k":
            value *= 1_000
        elif mult in {"m", "mn", "million", "millions"}:
            value *= 1_000_000
        elif mult in {"md", "bn", "milliard", "milliards", "billion", "billions"}:
            value *= 1_000_000_000
    return value


def _is_bare_dollar(token: str) -> bool:
    return re.sub(r"\s+", " ", token.strip().lower()) in {"$", "dollar", "dollars"}


def _currency(token: str) -> str:
    token = re.sub(r"\s+", " ", token.strip().lower())
    if token in CURRENCIES:
        return CURRENCIES[token]
    if token.startswith("dollar"):
        return "USD"
    return token.upper()[:3]


def _period_after(text: str) -> str | None:
    for period, pattern in PERIOD_AFTER:
        if re.match(
            rf"\s*(?:brut\w*\s+|net\w*\s+|gross\s+|bruts\s+)?(?:{pattern})", text, re.I
        ):
            return period
    return None


def _period_before(text: str) -> str | None:
    for period, pattern in PERIOD_BEFORE:
        if re.search(rf"(?:{pattern})[^.;]{{0,30}}$", text, re.IGNORECASE):
            return period
    return None


def default_period(amount: int) -> str:
    """Return the period a figure most likely covers when the text does not say."""
    if amount >= 15_000:
        return "year"
    if amount >= 1_000:
        return "month"
    if amount >= 150:
        return "day"
    return "hour"


def find_money(sentence: str) -> list[Money]:
    """Return the sums of money in a sentence, ranges and qualifiers resolved."""
    found: list[Money] = []
    respectively = RESPECTIVELY_RE.search(sentence)
    for match in MONEY_RE.finditer(sentence):
        if match.group("pnum"):
            value = parse_number(match.group("pnum"), match.group("pmult"))
            currency = _currency(match.group("pcur"))
            has_mult = bool(match.group("pmult"))
        elif match.group("snum"):
            value = parse_number(match.group("snum"), match.group("smult"))
            currency = _currency(match.group("scur"))
            has_mult = bool(match.group("smult"))
        else:
            value = parse_number(match.group("wnum"), match.group("wmult"))
            currency = _currency(match.group("wcur"))
            has_mult = True
        start, end = match.span()
        low: float | None = value
        high: float | None = value
        if match.group("pnum") and (code := CODE_AFTER_RE.match(sentence, end)):
            # "$145,000 CAD": the code after the sign says which dollars.
            currency = code.group("code").upper()
            end = code.end()
        if match.group("pnum"):
            # "CHF 160,000–210,000": the currency written once, before both.
            bare_end = BARE_RANGE_END_RE.match(sentence, end)
            if bare_end:
                top = parse_number(
                    bare_end.group("num"),
                    bare_end.group("mult") or match.group("pmult"),
                )
                if value < top <= value * 20:
                    high = top
                    end = bare_end.end()
        before = sentence[:start]
        range_match = RANGE_START_RE.search(before)
        if (
            range_match
            and respectively
            and not re.match(r"(?:entre|between)\b", range_match.group(0), re.I)
            and re.search(r"(?:et|and)\s?$", range_match.group(0))
        ):
            # In a "respectively" list, "X et Y" are two figures.
            range_match = None
        if range_match:
            first = parse_number(range_match.group("num"), range_match.group("mult"))
            mult = match.group("pmult") or match.group("smult")
            if not range_match.group("mult") and has_mult and first < 1_000:
                first = parse_number(range_match.group("num"), mult)
            if 0 < first <= value and first * 20 >= value:
                low = first
                start = range_match.start()
                before = sentence[:start]
                # The first figure was read on its own when it carried its
                # currency ("$310,000 to $460,000"): it belongs to this range.
                if found and found[-1].end > start:
                    found.pop()
        qualifier_zone = before[-45:]
        after = sentence[end : end + 40]
        if low == high:
            if UP_TO_RE.search(qualifier_zone):
                low = None
            elif AT_LEAST_RE.search(qualifier_zone) or FLOOR_AFTER_RE.match(after):
                high = None
        period = _period_after(after) or _period_before(before[-60:])
        found.append(
            Money(
                start=start,
                end=end,
                low=round(low) if low is not None else None,
                high=round(high) if high is not None else None,
                currency=currency,
                period=period,
                bare_dollar=_is_bare_dollar(
                    match.group("pcur") or match.group("scur") or match.group("wcur")
                ),
            )
        )
    if respectively:
        found = _add_bare_list_items(sentence, found)
    return _join_bounds(found)


def _join_bounds(found: list[Money]) -> list[Money]:
    """Join a floor and a ceiling said apart into one range.

    "Pay starts at $180,000 and goes up to $240,000", "jusqu'à 90 000 euros,
    avec un point de départ à 70 000 euros".
    """
    floors = [m for m in found if m.low is not None and m.high is None]
    ceilings = [m for m in found if m.high is not None and m.low is None]
    if len(floors) != 1 or len(ceilings) != 1:
        return found
    floor, ceiling = floors[0], ceilings[0]
    if floor.currency != ceiling.currency or floor.low >= ceiling.high:
        return found
    first, second = sorted((floor, ceiling), key=lambda m: m.start)
    joined = Money(
        start=first.start,
        end=second.end,
        low=floor.low,
        high=ceiling.high,
        currency=floor.currency,
        period=floor.period or ceiling.period,
    )
    return sorted(
        [m for m in found if m is not floor and m is not ceiling] + [joined],
        key=lambda m: m.start,
    )


def _add_bare_list_items(sentence: str, found: list[Money]) -> list[Money]:
    """Read the figures of a list written with its currency only once.

    "respectivement 250 000 et 270 000 dollars" holds two sums.
    """
    items = list(found)
    for money in found:
        cursor = money.start
        while True:
            match = LIST_ITEM_RE.search(sentence[:cursor])
            if not match or any(m.start <= match.start("num") < m.end for m in items):
                break
            value = round(parse_number(match.group("num"), match.group("mult")))
            items.append(
                Money(
                    start=match.start("num"),
                    end=match.end("num"),
                    low=value,
                    high=value,
                    currency=money.currency,
                )
            )
            cursor = match.start("num")
    return sorted(items, key=lambda item: item.start)
