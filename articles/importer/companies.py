"""Company names: the word lists that find them in text and normalise them."""

from __future__ import annotations

import re
import unicodedata

from articles.importer.words import words

# Companies the tech press cites most often. Names outside the list are still
# found when the sentence shape says a company is hiring ("X recrute",
# "chez X", "the dating app X"); the list adds names cited in any position
# and spellings the capitalised-word rule cannot see (xAI, eBay).
KNOWN_COMPANIES = (
    "Accenture",
    "Adobe",
    "Airbnb",
    "Airbus",
    "Alan",
    "Aleph Alpha",
    "Alibaba",
    "Amazon",
    "Amazon Web Services",
    "AMD",
    "American Express",
    "Anthropic",
    "Apple",
    "Atos",
    "AXA",
    "Baidu",
    "Bank of America",
    "Barclays",
    "BCG",
    "BlackRock",
    "BNP Paribas",
    "Boeing",
    "Booking.com",
    "Bouygues Telecom",
    "ByteDance",
    "Capgemini",
    "Capital One",
    "Character.AI",
    "Cisco",
    "Citadel",
    "Citigroup",
    "Cohere",
    "Crédit Agricole",
    "Criteo",
    "Crossover",
    "Dailymotion",
    "Dassault Systèmes",
    "Databricks",
    "Dataiku",
    "Decathlon",
    "DeepMind",
    "Deloitte",
    "Disney",
    "Doctolib",
    "Dropbox",
    "eBay",
    "EDF",
    "Ernst & Young",
    "Goldman Sachs",
    "Google",
    "Google DeepMind",
    "Hinge",
    "HSBC",
    "Hugging Face",
    "IBM",
    "Indeed",
    "Inflection AI",
    "Intel",
    "Jane Street",
    "Johnson & Johnson",
    "JPMorgan Chase",
    "KPMG",
    "L'Oréal",
    "LinkedIn",
    "LightOn",
    "LVMH",
    "Lyft",
    "Mastercard",
    "McKinsey",
    "Meta",
    "Microsoft",
    "Midjourney",
    "Mistral AI",
    "Morgan Stanley",
    "Netflix",
    "Nike",
    "Nvidia",
    "OpenAI",
    "Oracle",
    "Orange",
    "Owkin",
    "Palantir",
    "PayPal",
    "Perplexity",
    "Photoroom",
    "Pinterest",
    "Procter & Gamble",
    "PwC",
    "Qonto",
    "Qualcomm",
    "Reddit",
    "Renault",
    "Salesforce",
    "Samsung",
    "Sanofi",
    "SAP",
    "Scale AI",
    "ServiceNow",
    "Shopify",
    "Snap",
    "Snowflake",
    "Société Générale",
    "Sopra Steria",
    "Spotify",
    "Stability AI",
    "Stripe",
    "Tesla",
    "Thales",
    "TikTok",
    "Ubisoft",
    "Uber",
    "UBS",
    "Upwork",
    "Walmart",
    "Wells Fargo",
    "xAI",
    "Zoom",
)

# Spellings met in articles, keyed by normalised name, and the company each
# one means.
ALIASES = {
    "proctor and gamble": "Procter & Gamble",
    "procter and gamble": "Procter & Gamble",
    "p and g": "Procter & Gamble",
    "pandg": "Procter & Gamble",
    "ey": "Ernst & Young",
    "ernst and young": "Ernst & Young",
    "jp morgan": "JPMorgan Chase",
    "jpmorgan": "JPMorgan Chase",
    "j p morgan": "JPMorgan Chase",
    "jp morgan chase": "JPMorgan Chase",
    "jpmorgan chase": "JPMorgan Chase",
    "open ai": "OpenAI",
    "openai": "OpenAI",
    "nvidea": "Nvidia",
    "meta platforms": "Meta",
    "mistral": "Mistral AI",
    "mistral ai": "Mistral AI",
    "boston consulting group": "BCG",
    "mc kinsey": "McKinsey",
    "mckinsey and company": "McKinsey",
    "pricewaterhousecoopers": "PwC",
    "hugging face": "Hugging Face",
    "huggingface": "Hugging Face",
    "aws": "Amazon Web Services",
}

# Legal forms dropped before names are compared.
LEGAL_SUFFIXES = words(
    "inc incorporated corp corporation co company ltd limited llc plc sa "
    "sas sarl se gmbh ag nv bv spa"
)


def strip_accents(text: str) -> str:
    """Return the text without combining accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _key(name: str) -> str:
    text = strip_accents(name).casefold().replace("’", "'")
    text = text.replace("&", " and ")
    text = re.sub(r"[^\w]+", " ", text).strip()
    words = text.split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def normalize_company_name(name: str) -> str:
    """Return the key two spellings of the same company share."""
    key = _key(name)
    canonical = ALIASES.get(key) or ALIASES.get(key.replace(" ", ""))
    return _key(canonical) if canonical else key


def canonical_company_name(name: str) -> str:
    """Return the display name for a company as cited in a text."""
    name = re.sub(r"\s+", " ", name).strip().strip(",.;:")
    key = _key(name)
    canonical = ALIASES.get(key) or ALIASES.get(key.replace(" ", ""))
    if canonical:
        return canonical
    known = _KNOWN_BY_KEY.get(key)
    if known:
        return known
    words = name.split()
    while len(words) > 1 and _key(words[-1]) in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words).rstrip(",.")


_KNOWN_BY_KEY = {_key(name): name for name in KNOWN_COMPANIES}
