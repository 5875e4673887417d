"""Money as readers of each language expect it: "900 000 $" or "$900,000".

Digits are grouped with the active language's own separators (Django's locale
formats), so amounts agree with every other number on the page. English puts
the symbol first; French, like most other languages, puts it after the amount.
"""

from django.utils import numberformat
from django.utils.formats import get_format

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CHF": "CHF", "CAD": "CA$"}
NO_BREAK_SPACE = "\u00a0"
# Languages that write the symbol before the amount.
SYMBOL_FIRST = {"en"}
# Short scales for axis ticks: "150 k$" or "$150k".
SCALES = ((1_000_000, "M"), (1_000, "k"))


def _language(language: str | None) -> str:
    return (language or "fr").split("-")[0].lower()


def _separators(language: str) -> tuple[str, str, int]:
    decimal = get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
    thousand = get_format("THOUSAND_SEPARATOR", language, use_l10n=True)
    grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
    return decimal, thousand, grouping


def _with_symbol(number: str, currency: str, language: str, glued: bool) -> str:
    symbol = SYMBOLS.get(currency, currency)
    if language in SYMBOL_FIRST:
        # "$900,000" but "CHF 900,000": a code-like symbol needs a space.
        space = "" if len(symbol) == 1 else NO_BREAK_SPACE
        return f"{symbol}{space}{number}"
    space = "" if glued and len(symbol) == 1 else NO_BREAK_SPACE
    return f"{number}{space}{symbol}"


def format_money(amount: int | None, currency: str, language: str | None) -> str:
    """An amount with its currency, e.g. "900 000 $" in French, "$900,000" in
    English; an empty string when the amount is unknown."""
    if amount is None:
        return ""
    language = _language(language)
    decimal, thousand, grouping = _separators(language)
    number = numberformat.format(
        amount,
        decimal,
        grouping=grouping or 3,
        thousand_sep=thousand,
        force_grouping=True,
    )
    return _with_symbol(number, currency, language, glued=False)


def format_money_short(amount: int | None, currency: str, language: str | None) -> str:
    """A rounded amount for chart axes: "150 k$" in French, "$150k" in English."""
    if amount is None:
        return ""
    language = _language(language)
    decimal, _thousand, _grouping = _separators(language)
    for size, suffix in SCALES:
        if abs(amount) >= size:
            value = round(amount / size, 1)
            text = f"{value:g}".replace(".", decimal)
            if language not in SYMBOL_FIRST:
                text += NO_BREAK_SPACE
            return _with_symbol(f"{text}{suffix}", currency, language, glued=True)
    return _with_symbol(str(amount), currency, language, glued=False)
