"""Places and links: where an offer is based and the address of its listing."""

from __future__ import annotations

import re

from articles.importer.words import NAME, NOT_COMPANY

CITIES = (
    "Paris|Lyon|Marseille|Toulouse|Bordeaux|Nantes|Lille|Rennes|Grenoble|Nice"
    "|Montpellier|Strasbourg|Sophia Antipolis|Londres|London|Berlin|Munich|Madrid"
    "|Barcelone|Barcelona|Amsterdam|Dublin|Zurich|Genève|Geneva|Bruxelles|Brussels"
    "|Luxembourg|Montréal|Montreal|Toronto|Vancouver|New York|San Francisco"
    "|Los Angeles|Los Gatos|Seattle|Boston|Austin|Chicago|Palo Alto|Mountain View"
    "|Menlo Park|Cupertino|Redmond|Sunnyvale|San Jose|Santa Clara|Bentonville"
    "|Beaverton|Cincinnati|McLean|Atlanta|Miami|Denver|Washington|Tokyo|Singapour"
    "|Singapore|Bangalore|Tel Aviv|Stockholm|Oslo|Copenhague|Copenhagen|Milan|Rome"
    "|Lisbonne|Lisbon|Varsovie|Warsaw|Prague|Vienne|Vienna"
)
REGIONS = (
    "Californie|California|CA|Texas|TX|New York|NY|Washington|WA|Massachusetts"
    "|Île-de-France|Ile-de-France|Oregon|Arkansas|Ohio|Virginie|Virginia|Floride"
    "|Florida|Géorgie|Georgia|Colorado|Illinois|Royaume-Uni|Allemagne|Suisse"
    "|Canada|Québec|Irlande|Espagne|Belgique|Pays-Bas|France|Japon"
)

LOCATION_RE = re.compile(
    rf"(?:(?:au|aux|dans les?) bureaux? (?:de|d['’])\s?|basée?s? à |situé(?:e|s)? à "
    rf"|localisée?s? à |offices? in |based in |located in |bureaux? à |sur le site de )"
    rf"(?P<place>{NAME})(?:,\s(?:en |dans l['’]|dans le |au )?(?P<region>{NAME}))?"
    rf"|(?:\bà |\bin |\bfrom |\(|\bde )(?P<city>{CITIES})\b"
    rf"(?:,\s(?:en |dans l['’]|au )?"
    rf"(?P<city_region>{REGIONS})\b)?"
)
REMOTE_RE = re.compile(
    r"(?<!emplois )(?<!jobs )(?:travailler |télétravailler |poste |)"
    r"(?:à distance|en télétravail|télétravail|full remote|en remote|fully remote"
    r"|\bremote\b(?! jobs| work platform| job board)|work from home|from anywhere"
    r"|remotely)",
    re.IGNORECASE,
)
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\"«»]+", re.IGNORECASE)


def _location(text: str) -> str:
    match = LOCATION_RE.search(text)
    if not match:
        return ""
    place = match.group("place") or match.group("city")
    region = match.group("region") or match.group("city_region")
    place = _clean_location(place)
    if not place:
        return ""
    if region and (region := _clean_location(region)):
        return f"{place}, {region}"
    return place


def _clean_location(place: str | None) -> str:
    if not place:
        return ""
    words = place.split()
    while words and words[-1].lower() in NOT_COMPANY - {
        "paris",
        "london",
        "californie",
        "california",
    }:
        words.pop()
    return " ".join(words).strip(" ,.")


def _url_for(company: str, urls: list[str], single: bool) -> str:
    key = re.sub(r"[^a-z0-9]", "", company.lower())
    for url in urls:
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).split("/")[0]
        if key and key[:6] in re.sub(r"[^a-z0-9]", "", host):
            return url
    for url in urls:
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).split("/")[0]
        # A job board's address belongs to whichever posting sits next to it.
        if single and re.search(
            r"linkedin|indeed|greenhouse|lever\.co|workday|welcometothejungle|jobs|careers|smartrecruiters|ashby",
            host + url.lower(),
        ):
            return url
    return ""
