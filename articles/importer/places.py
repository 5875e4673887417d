"""Places and links: where an offer is based and the address of its listing."""

from __future__ import annotations

import re

from articles.importer.words import FIRST_NAMES, words

CITIES = (
    "Paris|Lyon|Marseille|Toulouse|Bordeaux|Nantes|Lille|Rennes|Grenoble|Nice"
    "|Montpellier|Strasbourg|Sophia Antipolis|Londres|London|Berlin|Munich|Madrid"
    "|Barcelone|Barcelona|Amsterdam|Dublin|Zurich|Genève|Geneva|Bruxelles|Brussels"
    "|Luxembourg|Montréal|Montreal|Toronto|Vancouver|New York|San Francisco"
    "|Los Angeles|Los Gatos|Seattle|Boston|Austin|Chicago|Palo Alto|Mountain View"
    "|Menlo Park|Cupertino|Redmond|Sunnyvale|San Jose|Santa Clara|Bentonville"
    "|Beaverton|Cincinnati|McLean|Atlanta|Miami|Denver|Washington|Tokyo|Singapour"
    "|Singapore|Bangalore|Tel Aviv|Stockholm|Oslo|Copenhague|Copenhagen|Milan|Rome"
    "|Lisbonne|Lisbon|Varsovie|Warsaw|Prague|Vienne|Vienna|Pittsburgh|Philadelphia"
    "|Minneapolis|Dallas|Houston|Phoenix|Portland|San Diego|Raleigh|Detroit"
    "|Nashville|Salt Lake City|Montréal|Québec|Ottawa|Calgary|Edmonton|Waterloo"
    "|Manchester|Édimbourg|Edinburgh|Cambridge|Oxford|Bristol|Leeds|Glasgow"
    "|Hambourg|Hamburg|Francfort|Frankfurt|Cologne|Stuttgart|Heidelberg|Bâle|Basel"
    "|Lausanne|Berne|Bern|Zoug|Zug|Anvers|Antwerp|Gand|Ghent|Rotterdam|Eindhoven"
    "|Helsinki|Tallinn|Cracovie|Krakow|Bucarest|Bucharest|Athènes|Athens|Porto"
    "|Séville|Valence|Valencia|Turin|Bologne|Bologna|Naples|Sophia-Antipolis"
)
KNOWN_TOWNS = set(CITIES.split("|"))
REGIONS = (
    "Californie|California|CA|Texas|TX|New York|NY|Washington|WA|Massachusetts"
    "|Ontario|Colombie-Britannique|British Columbia|Alberta|Minnesota|Arizona"
    "|Pennsylvania|Pennsylvanie|Michigan|North Carolina|Caroline du Nord|Utah"
    "|Île-de-France|Ile-de-France|Oregon|Arkansas|Ohio|Virginie|Virginia|Floride"
    "|Florida|Géorgie|Georgia|Colorado|Illinois|Royaume-Uni|Allemagne|Suisse"
    "|Canada|Québec|Irlande|Espagne|Belgique|Pays-Bas|France|Japon"
)

# A place's name: capitalised words, with a hyphen or "de"/"of" inside
# ("Vélizy-Villacoublay", "King's Cross", "Redwood City").
PLACE = (
    r"[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s(?:(?:de|del|di|du|of|upon|sur|la|le)\s)?"
    r"[A-ZÀ-ÖØ-Þ][\w'’-]*){0,3}"
)
# Facilities named after their town: "son campus de Montrouge", "its
# Zurich campus", "the Toronto-based maker".
FACILITY = (
    r"bureaux?|locaux|siège|site|campus|centre(?:-ville)?|centre de recherche"
    r"|institut(?: de recherche)?|laboratoire|labo|studio|usine|agence|antenne"
    r"|filiale|offices?|headquarters|HQ|hub|technology centre|lab|plant|studio"
)
# Ranked readings of where a job is: the strongest first.
PLACE_PATTERNS = (
    re.compile(
        r"\b(?:basée?s?|situé(?:e|s|es)?|localisée?s?|installée?s?|based|located"
        rf"|posted)\s+(?:à|au|en|in|at|out of)\s+(?P<place>{PLACE})"
    ),
    re.compile(
        r"\b(?:(?:at|for|in|from|joining)\s+)?(?:its|their|the|his|her|a|an)\s+"
        rf"(?P<place>{PLACE})\s+(?:[\w-]+\s+)?(?:{FACILITY})\b"
    ),
    # "SAP's Walldorf listing", "UBS's Zurich office".
    re.compile(
        rf"['’]s\s(?P<place>{PLACE})\s(?:listing|posting|office|campus|site|team"
        r"|job|lab|hub|headquarters)\b"
    ),
    re.compile(rf"(?:\b|^)(?:à|À|au|aux|in|In|at|At|pour)\s+(?P<place>{PLACE})"),
    re.compile(
        rf"\b(?:{FACILITY}|équipes?)\s+(?:de\s+|d['’]\s*|du\s+|in\s+|at\s+|à\s+)"
        r"(?:la\s+ville\s+de\s+)?"
        rf"(?P<place>{PLACE})"
    ),
    re.compile(rf"(?P<place>{PLACE})-based\b"),
    # "pour son technocentre de Guyancourt", "its research arm in Toronto".
    re.compile(
        r"\b(?:son|sa|ses|leur|leurs|its|their)\s+[\w-]+\s+(?:de|d['’]|du|in|at)\s+"
        rf"(?P<place>{PLACE})"
    ),
    # "The University of Sheffield", "l'Université de Lille".
    re.compile(
        r"\b(?:University|Université|Universität|Hôpital|Hospital|City|Ville"
        r"|Council|Mairie|CHU|Metropolitan)\s+(?:of|de|d['’]|du)\s+"
        rf"(?P<place>{PLACE})"
    ),
)
# Towns read from their inhabitants' adjective: "l'école lausannoise".
DEMONYMS = {
    "parisien": "Paris",
    "lyonnais": "Lyon",
    "marseillais": "Marseille",
    "toulousain": "Toulouse",
    "bordelais": "Bordeaux",
    "nantais": "Nantes",
    "lillois": "Lille",
    "rennais": "Rennes",
    "grenoblois": "Grenoble",
    "niçois": "Nice",
    "strasbourgeois": "Strasbourg",
    "montpelliérain": "Montpellier",
    "londonien": "Londres",
    "berlinois": "Berlin",
    "munichois": "Munich",
    "genevois": "Genève",
    "lausannois": "Lausanne",
    "zurichois": "Zurich",
    "bâlois": "Bâle",
    "bernois": "Berne",
    "bruxellois": "Bruxelles",
    "montréalais": "Montréal",
    "torontois": "Toronto",
    "new-yorkais": "New York",
    "madrilène": "Madrid",
    "barcelonais": "Barcelone",
    "milanais": "Milan",
    "amstellodamois": "Amsterdam",
    "luxembourgeois": "Luxembourg",
}
DEMONYM_RE = re.compile(
    r"\b(?:"
    + "|".join(re.escape(word) for word in DEMONYMS)
    + r")(?:e|s|es|ne|nes)?\b",
    re.IGNORECASE,
)

# Capitalised words that never name a place, or name too much of one.
NOT_PLACE = words(
    "le la les l un une des de du d au aux en the a an this that its their "
    "ia ai ml llm janvier février mars avril mai juin juillet août septembre "
    "octobre novembre décembre january february march april may june july "
    "august september october november december lundi mardi mercredi jeudi "
    "vendredi samedi dimanche monday tuesday wednesday thursday friday "
    "saturday sunday noël christmas internet linkedin chf usd eur gbp cad aud "
    "jpy"
)
BROAD_PLACES = words(
    "europe asie asia afrique africa amérique america amériques americas "
    "france allemagne germany royaume-uni uk britain angleterre england suisse "
    "switzerland canada québec quebec états-unis etats-unis usa us inde india "
    "chine china japon japan espagne spain italie italy irlande ireland "
    "belgique belgium pays-bas netherlands californie california ontario "
    "texas silicon valley bay area"
)
REMOTE_RE = re.compile(
    r"(?<!emplois )(?<!jobs )(?:travailler |télétravailler |poste |)"
    r"(?:à distance|en télétravail|télétravail|full remote|en remote|fully remote"
    r"|\bremote\b(?! jobs| work platform| job board)|work from home|from anywhere"
    r"|remotely|from home|à domicile|depuis chez (?:soi|eux|lui|elle)|home-based)",
    re.IGNORECASE,
)
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\"«»]+", re.IGNORECASE)


_REGION_AFTER_RE = re.compile(
    r",\s+(?:en\s+|dans\s+l['’]|au\s+|dans\s+le\s+)?"
    rf"(?P<region>{REGIONS})\b"
)


def _clean_place(place: str, exclude: set[str]) -> str:
    place = place.strip(" ,.;:'’")
    place = re.sub(r"['’]s$", "", place)
    words_ = place.split()
    while words_ and words_[0].lower() in NOT_PLACE:
        words_.pop(0)
    place = " ".join(words_)
    if len(place) < 3 or place.lower() in NOT_PLACE or is_first_name(place):
        return ""
    # "chez Mistral AI" names an employer; "gouvernement du Québec" still
    # leaves Québec a town.
    if any(place == name or name.startswith(f"{place} ") for name in exclude):
        return ""
    return place


def is_first_name(place: str) -> bool:
    return place.split()[0].lower() in FIRST_NAMES and len(place.split()) > 1


def find_places(text: str, *, exclude: set[str] = frozenset()) -> list[str]:
    """Return the places a text puts a job in, in reading order.

    `exclude` holds the companies the text names: "chez Mistral AI" or
    "at Google" name an employer, not a town.
    """
    found: list[tuple[int, int, str]] = []
    for rank, pattern in enumerate(PLACE_PATTERNS):
        for match in pattern.finditer(text):
            place = _clean_place(match.group("place"), exclude)
            if not place:
                continue
            start = match.start("place")
            if any(abs(start - other) < 3 for other, _r, _p in found):
                continue
            # "Los Gatos, Californie", "McLean, Virginia": the region stays.
            region = _REGION_AFTER_RE.match(text, match.end("place"))
            if region and region.group("region") not in exclude:
                place = f"{place}, {region.group('region')}"
            found.append((start, rank, place))
    found.sort()
    places = [place for _start, _rank, place in found]
    # "ses bureaux de King's Cross, à Londres": the town after the district.
    for first, second in zip(places, places[1:], strict=False):
        if (
            re.search(rf"{re.escape(first)},\s+(?:à|in)\s+{re.escape(second)}", text)
            and second.lower() not in BROAD_PLACES
        ):
            places.remove(first)
    return places


def find_location(text: str, *, exclude: set[str] = frozenset()) -> str:
    """Return the town a text puts a job in, or a broader place, or ""."""
    places = find_places(text, exclude=exclude)
    towns = [p for p in places if p.lower() not in BROAD_PLACES]
    # A town everyone knows before a district it holds: "Canary Wharf, in
    # London" reads London when both are named.
    known = [p for p in towns if p.split(",")[0] in KNOWN_TOWNS]
    if known and len(towns) > 1:
        return known[0]
    if towns:
        return towns[0]
    demonym = DEMONYM_RE.search(text)
    if demonym:
        return _town_of(demonym.group(0))
    return places[0] if places else ""


def _town_of(adjective: str) -> str:
    word = adjective.lower()
    for ending in ("nes", "es", "ne", "e", "s", ""):
        stem = word[: len(word) - len(ending)] if ending else word
        if word.endswith(ending) and stem in DEMONYMS:
            return DEMONYMS[stem]
    return ""


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
