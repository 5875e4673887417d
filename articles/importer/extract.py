"""Find the job postings an article cites, stage by stage.

1. sentences: the body cut into paragraphs and sentences;
2. amounts: the sums of money in each sentence, ranges and qualifiers read;
3. offers: whether a sum is the pay of a job on offer, and why not;
4. employers: who pays it, named in the sentence or earlier in the text;
5. roles: the job it pays for, in the sentence or where the job was named;
6. places: where the job is based and the address of its listing;
7. merge: mentions of the same offer become one posting.

Rules and word lists only: nothing is downloaded and no model runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from articles.importer.amounts import (
    RESPECTIVELY_RE,
    RESTATEMENT_RE,
    Money,
    default_period,
    find_money,
)
from articles.importer.companies import canonical_company_name
from articles.importer.employers import (
    ANAPHORA_RE,
    COMPANY_NOUNS,
    _choose_companies,
    find_companies,
)
from articles.importer.listings import Listing, read_listings
from articles.importer.merge import REPEATED_FIGURE, Offer, fold, merge_offers
from articles.importer.offers import judge
from articles.importer.places import (
    CITIES,
    KNOWN_TOWNS,
    REMOTE_RE,
    URL_RE,
    find_location,
    find_places,
)
from articles.importer.roles import find_roles
from articles.importer.sentences import split_sentences


@dataclass(frozen=True)
class ExtractedPosting:
    """A job offer read from an article, with where each part of it came from."""

    company: str
    title: str
    salary_min: int | None
    salary_max: int | None
    currency: str
    period: str
    location: str = ""
    remote: bool = False
    url: str = ""
    # The sentence the pay was read from (several, joined, when mentions of
    # the same offer were merged).
    evidence: str = ""
    # The sentence each part was read from: "company", "title", "pay",
    # "location", "url".
    sources: dict[str, str] = field(default_factory=dict)
    # How sure the extractor is that this is a job offer with these parts,
    # from 0 to 1.
    confidence: float = 1.0
    # The rules that merged several mentions of the offer into this one.
    merged_by: tuple[str, ...] = ()


# Sentences further back than this no longer lend their employer or role.
REACH = 4
# The pay said with a word that names what it pays for ("Pay starts at",
# "Le salaire annoncé"), or the listing spoken of again ("The role").
POSTING_SUBJECT_RE = re.compile(
    r"^(?:pay|salary|compensation|base pay)\b"
    r"|\b(?:the|this|its|their|that) (?:pay|salary|salaries|compensation|role"
    r"|position|job|listing|posting|offer|opening|range|band)\b"
    r"|\b(?:le|ce|son|leur) (?:salaire|poste|rôle|montant)\b"
    r"|\b(?:la|cette|sa) (?:rémunération|fourchette|offre|annonce|mission)\b"
    r"|\bl['’](?:offre|annonce)\b"
    r"|\b(?:ces|les|leurs) (?:deux |trois |quatre )?(?:postes|offres|annonces"
    r"|salaires)\b|\b(?:both|these|the two) (?:roles|jobs|positions|listings)\b"
    r"|\b(?:payée?s?|rémunérée?s?)\b",
    re.IGNORECASE,
)
HIRING_RE = re.compile(
    r"\b(?:recrut\w*|recherch\w*|cherch\w*|embauch\w*|hiring|hires?|recruit\w*"
    r"|looking for|seek\w*|lists|listed|advertis\w*|posted|publi\w+|propos\w+"
    r"|offr\w+|offer\w*|annonc\w+|ouvr\w+|ouvert|opening|opened|opens|vacancy"
    r"|besoin d|needs?|wants?|position|poste|pourvoir|promet\w*|promis\w*"
    r"|fait miroiter|met sur la table|dangl\w+|veut|veulent|souhaite|sought"
    r"|affich\w+|filling|fill|staffing|listing|posting|vise|visent|cible\w*)\b",
    re.IGNORECASE,
)
COMPANY_SUBJECT_RE = re.compile(
    r"^(?:(?:mais|and|but|et),?\s+)?(?:the|this|that|le|la|l['’]|cette|ce|cet)\s*"
    rf"(?:[\w-]+\s+){{0,2}}?(?:{COMPANY_NOUNS})\b",
    re.IGNORECASE,
)
ASIDE_RE = re.compile(
    r"\b(?:which|who|whose|qui|dont|from|by|par|avec|with|like|comme|auprès)\b",
    re.IGNORECASE,
)
TITLED_RE = re.compile(
    r"\b(?:titled|called|named|s['’]intitule|intitulé|a pour intitulé)\s+"
    r"(?P<role>[^,.;()]+?)(?=\s+(?:and|et|is|est|based|basé)\b|[,.;(]|$)",
    re.IGNORECASE,
)
ENUMERATED_RE = re.compile(
    r"\b(?:first|second|two|three|four|premi\w+|deux|trois|quatre|both|les deux)\b",
    re.IGNORECASE,
)


@dataclass
class _Sentence:
    index: int
    paragraph: int
    text: str


@dataclass
class _Named:
    """A company the text has named, and where."""

    name: str
    sentence: _Sentence


@dataclass
class _Role:
    """A job the text has named with no pay yet, to lend to the pay to come."""

    company: str
    titles: list[str]
    sentence: _Sentence
    location: str = ""
    remote: bool = False
    url: str = ""


def split_body(body: str) -> list[_Sentence]:
    """Return the sentences of an article body; headings are left out."""
    paragraphs = [
        paragraph.strip()
        for paragraph in re.split(r"\n\s*\n", body)
        if paragraph.strip() and not paragraph.lstrip().startswith("#")
    ]
    sentences: list[_Sentence] = []
    for number, paragraph in enumerate(paragraphs):
        # Typographic apostrophes read as plain ones: "jusqu’à", "l’offre".
        text = re.sub(r"\s+", " ", paragraph.replace("\\", "").replace("’", "'"))
        for sentence in split_sentences(text):
            sentences.append(_Sentence(len(sentences), number, sentence))
    return sentences


def _urls(text: str) -> list[str]:
    return [
        url if url.lower().startswith("http") else f"https://{url}"
        for url in (url.rstrip(".,;:)»") for url in URL_RE.findall(text))
    ]


def _host_names(url: str, company: str) -> bool:
    key = re.sub(r"[^a-z0-9]", "", fold(company))
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).split("/")[0]
    return bool(key) and key[:6] in re.sub(r"[^a-z0-9]", "", host)


def _near(earlier: _Sentence, later: _Sentence) -> bool:
    return (
        later.index - earlier.index <= REACH
        and later.paragraph - earlier.paragraph <= 2
    )


def _only(roles: list[str]) -> str:
    return roles[0] if len(roles) == 1 else ""


def _pairs(
    sentence: str,
    offers: list[Money],
    mentions: list,
    companies: list[str],
    roles: list[str],
) -> list[tuple[str, str, Money]]:
    """Give each sum of a sentence its employer and role."""
    if RESPECTIVELY_RE.search(sentence) and len(offers) > 1:
        # Amounts listed "respectivement": the period and the qualifier
        # written once apply to every figure of the list.
        period = next((m.period for m in reversed(offers) if m.period), None)
        up_to = offers[0].low is None
        for money in offers:
            if period and not money.period:
                money.period = period
            if up_to and money.low == money.high:
                money.low = None
        if len(mentions) == len(offers) and len(companies) < len(offers):
            # "A, qui..., et B, spécialisée..., recrutent respectivement".
            companies = [m.name for m in mentions]
        if len(companies) == len(offers):
            return [
                (
                    company,
                    roles[i] if len(roles) == len(offers) else _only(roles),
                    money,
                )
                for i, (company, money) in enumerate(
                    zip(companies, offers, strict=True)
                )
            ]
        if len(roles) == len(offers):
            return [
                (companies[0], role, money)
                for role, money in zip(roles, offers, strict=True)
            ]
        return [(companies[0], roles[0] if roles else "", m) for m in offers]
    if len(offers) == 1:
        money = offers[0]
        if len(companies) > 1:
            return [
                (company, roles[0] if roles else "", money) for company in companies
            ]
        if len(roles) > 1:
            return [(companies[0], role, money) for role in roles]
        return [(companies[0], roles[0] if roles else "", money)]
    # Each figure reads the clause since the previous figure:
    # "Chez A, un X gagne 1, et B recherche un Y qui gagnera 2".
    per_money: list[tuple[list[str], list[str]]] = []
    previous_end = 0
    for money in offers:
        segment = sentence[previous_end : money.start]
        local = [m for m in mentions if previous_end <= m.start < money.start]
        chosen = (
            _choose_companies(local, money.start, sentence)
            if local
            else (_choose_companies(mentions, money.start, sentence) or companies)
        )
        per_money.append((chosen, find_roles(segment)))
        previous_end = money.end
    if len(companies) == len(offers) and len(companies) > 1:
        return [
            (company, roles[i] if len(roles) == len(offers) else _only(roles), money)
            for i, (company, money) in enumerate(zip(companies, offers, strict=True))
        ]
    if len({tuple(c) for c, _r in per_money}) > 1:
        # "Uber offers X, while Lyft pays Y": each figure goes to the
        # company named before it.
        return [
            (
                chosen[0],
                local_roles[0]
                if local_roles
                else (roles[0] if len(roles) == 1 else ""),
                money,
            )
            for (chosen, local_roles), money in zip(per_money, offers, strict=True)
        ]
    return [
        (
            companies[0],
            local_roles[0]
            if local_roles and i
            else (roles[i] if i < len(roles) else (roles[0] if roles else "")),
            money,
        )
        for i, ((_chosen, local_roles), money) in enumerate(
            zip(per_money, offers, strict=True)
        )
    ]


def _confidence(*, named_here: bool, role: str, money: Money, hiring: bool) -> float:
    score = 0.5
    score += 0.15 if named_here else 0.05
    score += 0.1 if role else 0
    score += 0.1 if money.period else 0
    score += 0.1 if hiring else 0
    return round(min(score, 0.95), 2)


def _attach_urls(
    urls: list[str],
    sentence: _Sentence,
    offers: list[Offer],
    named: set[str] = frozenset(),
) -> None:
    """Give the addresses of a sentence to the offers they list.

    An address goes to the offer whose employer its host names, then to the
    offer whose employer the sentence names ("See the X listing: URL"), then
    in order to the offers named just before.
    """
    free = [url for url in urls if not any(o.url == url for o in offers)]
    names = {fold(name) for name in named}
    for url in list(free):
        owner = next(
            (o for o in offers if not o.url and _host_names(url, o.company)), None
        ) or next(
            (
                o
                for o in reversed(offers)
                if not o.url and len(named) == 1 and fold(o.company) in names
            ),
            None,
        )
        if owner is not None:
            owner.url = url
            owner.sources["url"] = sentence.text
            free.remove(url)
    if not free:
        return
    # Addresses given apart go to offers named in this paragraph or the one
    # before.
    waiting = [o for o in offers if not o.url and sentence.paragraph - o.paragraph <= 1]
    if not waiting:
        return
    # "The first two listings are at A and B": the addresses go, in order, to
    # the last offers named that still lack one.
    if len(free) > 1 or ENUMERATED_RE.search(sentence.text):
        chosen = waiting[-len(free) :]
        if ENUMERATED_RE.search(sentence.text) and re.search(
            r"\b(?:first|premi\w+)\b", sentence.text, re.IGNORECASE
        ):
            chosen = waiting[: len(free)]
    else:
        chosen = waiting[-1:]
    for offer, url in zip(chosen, free, strict=False):
        offer.url = url
        offer.sources["url"] = sentence.text


ORDINALS_RE = re.compile(
    r"\b(?:la première|le premier|la seconde|le second|la deuxième|le deuxième"
    r"|la troisième|le troisième|the first|the second|the third|the former"
    r"|the latter|l['’]une|l['’]un|l['’]autre|one|the other)\b",
    re.IGNORECASE,
)


def _distribute(sentence: str, offers: list[Offer], named: set[str]) -> None:
    """Give each offer of a list its own job and place.

    "AXA et Orange proposent...: la première pour un consultant à Nanterre,
    la seconde pour un architecte à Paris"; "respectivement à Redmond et à
    Seattle".
    """
    parts = ORDINALS_RE.split(sentence)
    if len(parts) - 1 == len(offers):
        for offer, part in zip(offers, parts[1:], strict=True):
            roles = find_roles(part)
            if roles:
                offer.title = roles[0]
            place = find_location(part, exclude=named)
            if place:
                offer.location = place
        return
    places = find_places(sentence, exclude=named)
    if RESPECTIVELY_RE.search(sentence):
        if len(places) == len(offers):
            for offer, place in zip(offers, places, strict=True):
                offer.location = place
        return
    # "Barclays offre 90 000 £ pour un X à Glasgow, tandis que Lloyds propose
    # 82 000 £ pour un Y à Édimbourg", "Turing for an X, Mercor for a Y": each
    # employer's clause runs from where it is last named to the next one.
    starts = [sentence.rfind(offer.company) for offer in offers]
    if (
        len({offer.company for offer in offers}) == len(offers)
        and min(starts) >= 0
        and starts == sorted(starts)
    ):
        for offer, start, end in zip(
            offers, starts, [*starts[1:], len(sentence)], strict=True
        ):
            clause = sentence[start:end]
            roles = find_roles(clause)
            if roles:
                offer.title = roles[0]
                offer.sources["title"] = sentence
            place = find_location(clause, exclude=named)
            if place:
                offer.location = place
                offer.sources["location"] = sentence
        return
    # "A recrute un X à Cardiff pour 1, et B un Y à Newcastle pour 2": each
    # figure takes the place named since the figure before.
    previous_end = 0
    for offer in offers:
        start, end = offer.span
        place = find_location(sentence[previous_end:start], exclude=named)
        if place:
            offer.location = place
        previous_end = end


FORWARD_RE = re.compile(
    r"^(?:L['’]offre|Cette offre|L['’]annonce|Cette annonce|Le poste|Ce poste"
    r"|The (?:listing|offer|post|role|job)|This (?:listing|offer|role|job)"
    r"|Voilà ce|Voici ce|C['’]est ce|That is what|This is what|That's what)\b",
    re.IGNORECASE,
)


def _names_ahead(
    sentences: list[_Sentence], current: _Sentence, common: frozenset[str]
) -> tuple[list[str], str] | None:
    """Return the employer the next sentence gives a figure said first.

    "Taux journalier proposé : 800 euros. Voilà ce que la SNCF met en avant
    pour attirer un expert."
    """
    if current.index + 1 >= len(sentences):
        return None
    ahead = sentences[current.index + 1]
    if ahead.paragraph - current.paragraph > 1 or not FORWARD_RE.match(ahead.text):
        return None
    if find_money(ahead.text):
        return None
    mentions = find_companies(ahead.text, common=common)
    if not mentions:
        return None
    return _choose_companies(mentions, len(ahead.text), ahead.text), ahead.text


def _paragraph_start(sentences: list[_Sentence], current: _Sentence) -> int:
    index = current.index
    while index > 0 and sentences[index - 1].paragraph == current.paragraph:
        index -= 1
    return index


OPENING_PLACE_RE = re.compile(r"^(?:À|A|Au|En|In|At|Dans|Depuis|From)\s+[^,]{2,40},")


def _paragraph_place(
    sentences: list[_Sentence], current: _Sentence, named: set[str]
) -> str:
    """Return the town a paragraph opens on: "À Bâle, ...", "Zurich n'est pas...".

    The place must open the paragraph: "À Bâle," or "In Leeds," before the
    rest, or a town of the list as the subject of its first sentence.
    """
    first = sentences[_paragraph_start(sentences, current)]
    if first is current:
        return ""
    opening = OPENING_PLACE_RE.match(first.text)
    if opening:
        return find_location(opening.group(0), exclude=named - KNOWN_TOWNS)
    town = re.match(rf"(?P<town>{CITIES})\b", first.text)
    return town.group("town") if town else ""


def _listed_offer(listing: Listing) -> Offer:
    top = listing.high if listing.high is not None else listing.low
    sources = {"company": listing.text, "pay": listing.text}
    if listing.title:
        sources["title"] = listing.text
    if listing.location or listing.remote:
        sources["location"] = listing.text
    if listing.url:
        sources["url"] = listing.text
    return Offer(
        company=canonical_company_name(listing.company),
        title=listing.title,
        salary_min=listing.low,
        salary_max=listing.high,
        currency=listing.currency,
        period=listing.period or default_period(top),
        location=listing.location,
        remote=listing.remote,
        url=listing.url,
        evidence=[listing.text],
        sources=sources,
        confidence=0.8 if listing.title else 0.7,
    )


CANADIAN_DOLLAR_RE = re.compile(
    r"\$\s?CAN?\b|\bC\$|\bCAD\b|dollars? canadiens?|Canadian dollars?", re.IGNORECASE
)
US_DOLLAR_RE = re.compile(
    r"\bUS\$|\bUSD\b|dollars? américains?|U\.S\. dollars?|American dollars?",
    re.IGNORECASE,
)


def article_dollar(body: str) -> str:
    """Return the currency a bare "$" means in an article.

    A text that writes Canadian dollars as such ("$ CA", "C$") and never
    names American ones means Canadian dollars by a bare "32 $" too.
    """
    if CANADIAN_DOLLAR_RE.search(body) and not US_DOLLAR_RE.search(body):
        return "CAD"
    return "USD"


def _restates(before: Money, money: Money, sentence: str) -> bool:
    """Say whether a figure restates the one before ("soit environ 58 000 $").

    A figure in another currency put in brackets after the first is its
    conversion: "9 800 francs (environ 10 400 euros)".
    """
    between = sentence[before.end : money.start]
    if RESTATEMENT_RE.search(between):
        return True
    return money.currency != before.currency and bool(
        re.search(r"\(|\b(?:environ|about|roughly|approximately|soit|or|ou)\b", between)
    )


def _lent_role(
    roles_named: list[_Role], company: str, current: _Sentence
) -> _Role | None:
    """Return the job last named for a company, if it is near enough to lend."""
    wanted = {fold(company), fold(canonical_company_name(company))}
    for named in reversed(roles_named):
        if not _near(named.sentence, current):
            # Jobs are kept in reading order: the rest are further back.
            return None
        if fold(named.company) in wanted:
            return named
    return None


def _in_order(position: dict[str, int], sources: dict[str, str]) -> list[str]:
    """Return the sentences an offer was read from, in the article's order."""
    return sorted(set(sources.values()), key=lambda text: position.get(text, 0))


def _repeats(offer: Offer, earlier: list[Offer]) -> bool:
    """Fold a figure said again without its employer into the offer it repeats.

    "This $850,000 job..." speaks of the offer cited earlier at that figure,
    whichever company the text named last.
    """
    for candidate in earlier:
        if (
            candidate.currency == offer.currency
            and candidate.period == offer.period
            and offer.salary_max is not None
            and offer.salary_max in (candidate.salary_max, candidate.salary_min)
        ):
            if offer.sources["pay"] not in candidate.evidence:
                candidate.evidence.append(offer.sources["pay"])
            candidate.merged_by.append(REPEATED_FIGURE)
            return True
    return False


@dataclass(frozen=True)
class SetAside:
    """A sum of money the text gives that is not read as a job on offer."""

    figure: str
    sentence: str
    # In English, marked for translation (see offers.Verdict).
    reason: str

    @property
    def reason_display(self) -> str:
        return gettext(self.reason)


def extract_postings(body: str, *, language: str = "fr") -> list[ExtractedPosting]:
    """Return the job postings cited in an article body, in order of appearance."""
    return read_figures(body, language=language)[0]


def read_figures(
    body: str, *, language: str = "fr"
) -> tuple[list[ExtractedPosting], list[SetAside]]:
    """Return the postings an article cites, and the other figures with why."""
    dollar = article_dollar(body)
    listings, body = read_listings(body)
    sentences = split_body(body)
    set_aside: list[SetAside] = []
    position = {sentence.text: sentence.index for sentence in sentences}
    # Words the article writes in lower case somewhere: capitalised, they
    # only open a sentence.
    common = frozenset(re.findall(r"\b[a-zà-ÿ][\w'’-]*", URL_RE.sub(" ", body)))
    offers: list[Offer] = [_listed_offer(listing) for listing in listings]
    latest: list[Offer] = []
    focus: _Named | None = None
    roles_named: list[_Role] = []

    for current in sentences:
        sentence = current.text
        previous = sentences[current.index - 1].text if current.index else ""
        mentions = find_companies(sentence, common=common)
        if COMPANY_SUBJECT_RE.match(sentence):
            # "The company, which has raised billions from Amazon and Google,
            # is hiring...": the subject is the employer named before; the
            # names in its aside are not.
            mentions = [
                m
                for m in mentions
                if m.strength > 1 or not ASIDE_RE.search(sentence[: m.start])
            ]
        moneys = find_money(sentence)
        # A second figure restating the first ("soit environ 58 000 dollars
        # par an") is not another posting.
        kept: list[Money] = []
        paid: list[Money] = []
        for money in moneys:
            if money.bare_dollar and sentence[money.end - 1] in "$s":
                # Written after the figure, French style: "32 $", "32 dollars".
                money.currency = dollar
            figure = sentence[money.start : money.end]
            if kept and _restates(kept[-1], money, sentence):
                set_aside.append(
                    SetAside(figure, sentence, N_("restates the figure before"))
                )
                continue
            kept.append(money)
            verdict = judge(sentence, money, previous)
            if verdict:
                paid.append(money)
            else:
                set_aside.append(SetAside(figure, sentence, verdict.reason))
        urls = _urls(sentence)
        named = {m.name for m in mentions}
        location = find_location(sentence, exclude=named)
        remote = bool(REMOTE_RE.search(sentence))

        if not paid:
            roles = find_roles(sentence)
            if roles and HIRING_RE.search(sentence) and (mentions or focus):
                company = (
                    _choose_companies(mentions, len(sentence), sentence)[0]
                    if mentions
                    else focus.name
                )
                roles_named.append(
                    _Role(
                        company,
                        roles,
                        current,
                        location or _paragraph_place(sentences, current, named),
                        remote,
                        urls[0] if len(urls) == 1 else "",
                    )
                )
                if len(urls) == 1:
                    urls = []
            elif (
                roles_named
                and not mentions
                and (location or remote)
                and _near(roles_named[-1].sentence, current)
                and (
                    not latest
                    or roles_named[-1].sentence.index > latest[0].order // 10_000
                )
            ):
                # "X cherche un Y. Le poste est basé à Z." before the pay.
                pending = roles_named[-1]
                pending.location = pending.location or location
                pending.remote = pending.remote or remote
            elif latest and not mentions and (location or remote):
                # "The role can be based in Los Gatos, or remote."
                for offer in latest:
                    if location and not offer.location:
                        offer.location = location
                        offer.sources["location"] = sentence
                    if remote and not offer.remote:
                        offer.remote = True
                        offer.sources.setdefault("location", sentence)
            if latest and (titled := TITLED_RE.search(sentence)):
                # "The job is titled head of inference platform."
                for offer in latest:
                    if not offer.title:
                        offer.title = titled.group("role").strip()
                        offer.sources["title"] = sentence
            if urls:
                _attach_urls(urls, current, offers, named)
            if mentions:
                focus = _Named(mentions[-1].name, current)
                strongest = max(m.strength for m in mentions)
                focus = _Named(
                    [m for m in mentions if m.strength == strongest][-1].name, current
                )
            continue

        named_here = bool(mentions)
        ahead = _names_ahead(sentences, current, common)
        if mentions:
            companies = _choose_companies(mentions, paid[0].start, sentence)
            company_sentence = sentence
        elif ahead is not None:
            # "Salaire proposé : de 70 à 85 k€. L'offre émane de Safran, qui
            # cherche un data scientist."
            companies, company_sentence = ahead
        elif (
            focus is not None
            and _near(focus.sentence, current)
            and (
                POSTING_SUBJECT_RE.search(sentence)
                or HIRING_RE.search(sentence)
                or ANAPHORA_RE.match(sentence)
                # The job was named just before, the pay comes now.
                or _lent_role(roles_named, focus.name, current) is not None
            )
        ):
            companies = [focus.name]
            company_sentence = focus.sentence.text
        else:
            set_aside.extend(
                SetAside(sentence[m.start : m.end], sentence, N_("no employer named"))
                for m in paid
            )
            continue
        roles = find_roles(sentence)
        hiring = bool(HIRING_RE.search(sentence))
        if not roles and len(companies) == 1:
            # "Ces deux postes offraient 800 000 dollars", "Ils toucheront
            # respectivement...": the jobs named before get the figures.
            lent_all = _lent_role(roles_named, companies[0], current)
            if lent_all is not None and len(lent_all.titles) > 1:
                roles = list(lent_all.titles)
        new: list[Offer] = []
        for company_name, role, money in _pairs(
            sentence, paid, mentions, companies, roles
        ):
            company = canonical_company_name(company_name)
            # "responsable IA de la Société Générale": the company is not
            # part of the role.
            role = re.sub(
                rf"\s+(?:de la|de l['’]|du|des|de|d['’]|chez|at|of)\s*"
                rf"{re.escape(company_name)}$",
                "",
                role,
            )
            sources = {"company": company_sentence, "pay": sentence}
            lent = _lent_role(roles_named, company, current)
            offer_location, offer_remote = location, remote
            if role:
                sources["title"] = sentence
            elif lent is not None:
                role = lent.titles[0]
                sources["title"] = lent.sentence.text
            offer_url = ""
            if lent is not None:
                if not offer_location and lent.location:
                    offer_location = lent.location
                    sources["location"] = lent.sentence.text
                offer_remote = offer_remote or lent.remote
                if lent.url:
                    offer_url = lent.url
                    sources["url"] = lent.sentence.text
            if not offer_location:
                offer_location = _paragraph_place(sentences, current, named)
                if offer_location:
                    sources["location"] = sentences[
                        _paragraph_start(sentences, current)
                    ].text
            if offer_location and "location" not in sources:
                sources["location"] = sentence
            top = money.high if money.high is not None else money.low
            new.append(
                Offer(
                    company=company,
                    title=role,
                    salary_min=money.low,
                    salary_max=money.high,
                    currency=money.currency,
                    period=money.period or default_period(top),
                    # "The University of Sheffield" names its town.
                    location=offer_location or find_location(company_name),
                    remote=offer_remote,
                    url=offer_url,
                    evidence=_in_order(position, sources),
                    sources=sources,
                    confidence=_confidence(
                        named_here=named_here, role=role, money=money, hiring=hiring
                    ),
                    order=current.index * 10_000 + money.start,
                    span=(money.start, money.end),
                    paragraph=current.paragraph,
                )
            )
        if len(new) > 1:
            _distribute(sentence, new, named)
        if not named_here:
            repeated = [offer for offer in new if _repeats(offer, offers)]
            set_aside.extend(
                SetAside(
                    sentence[offer.span[0] : offer.span[1]],
                    sentence,
                    N_("repeats an offer cited before"),
                )
                for offer in repeated
            )
            new = [offer for offer in new if all(offer is not r for r in repeated)]
        if urls:
            _attach_urls(urls, current, new)
        offers.extend(new)
        latest = new
        if mentions:
            focus = _Named(companies[-1], current)

    postings = [
        ExtractedPosting(
            company=offer.company,
            title=offer.title,
            salary_min=offer.salary_min,
            salary_max=offer.salary_max,
            currency=offer.currency,
            period=offer.period,
            location=offer.location,
            remote=offer.remote,
            url=offer.url,
            evidence=" ".join(offer.evidence),
            sources=dict(offer.sources),
            confidence=offer.confidence,
            merged_by=tuple(offer.merged_by),
        )
        for offer in merge_offers(offers)
    ]
    return postings, set_aside
