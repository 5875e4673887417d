"""Money as readers of each language expect it: "900 000 $" or "$900,000"."""

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CHF": "CHF", "CAD": "CA$"}
NARROW_NO_BREAK_SPACE = "\u202f"


def format_money(amount: int | None, currency: str, language: str | None) -> str:
    if amount is None:
        return ""
    symbol = SYMBOLS.get(currency, currency)
    if (language or "fr").startswith("fr"):
        number = f"{amount:,}".replace(",", NARROW_NO_BREAK_SPACE)
        return f"{number}\u00a0{symbol}"
    number = f"{amount:,}"
    if len(symbol) == 1:
        return f"{symbol}{number}"
    return f"{symbol}\u00a0{number}"
