"""Employers: the company that pays, named or referred to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.importer.companies import KNOWN_COMPANIES
from articles.importer.places import BROAD_PLACES, CITIES, REGIONS
from articles.importer.words import FIRST_NAMES, NAME, NOT_COMPANY, OPENERS

ANAPHORA_RE = re.compile(
    r"^(?:(?:mais|and|but|et|or|donc|ainsi|also|aussi),?\s+)?"
    r"(?:ce poste|cette offre|cette annonce|ces (?:deux |trois |quatre )?postes"
    r"|ces (?:deux |trois )?offres|le poste|l['’]offre|l['’]annonce|le salaire"
    r"|la rémunération|le rôle|ces rôles|ils|elles|il|elle|les deux postes"
    r"|the (?:role|position|job|posting|listing|salary|pay|offer)"
    r"|this (?:role|position|job|posting|listing)|these (?:roles|positions|jobs)"
    r"|both (?:roles|positions|jobs)|it|they|the two (?:roles|positions|jobs)"
    r"|le candidat retenu|la personne retenue|the successful candidate)\b",
    re.IGNORECASE,
)

JOB_VERBS = (
    r"recrute\w*|recherche\w*|cherche\w*|embauche\w*|propos\w+|offr\w+"
    r"|publi\w+|paie\w*|paye\w*|verse\w*|affiche\w*|annonce\w*"
    r"|est (?:également |aussi )?sur le marché|souhaite recruter|veut recruter"
    r"|is hiring|hires|hired|is recruiting|recruits|recruited|is looking"
    r"|looks for|seeks|is seeking|sought|offers|offered|is offering|pays"
    r"|paid|is paying|posted|lists|listed|advertises|advertised|wants|has posted"
    r"|has listed|has advertised|is advertising|is also hiring|hiring|recruiting"
    r"|looking for|seeking|offering|paying|advertising|listing|needs?|ouvre\w*"
    r"|a annoncé|annonce\w*|a ouvert|has opened|opens|is opening|dangles|offer"
    r"|fait miroiter|met sur la table|promet|promises|has set|sets|a fixé|fixe"
    r"|veut|veulent|souhaite|affiche\w*|advertise|list|want|seek|need|vise|visent"
    r"|targets?"
)
COMPANY_NOUNS = (
    r"startup|start-up|jeune pousse|société|entreprise|plateforme|application"
    r"|appli|géant|groupe|cabinet|banque|firme|scale-up|licorne|éditeur|fabricant"
    r"|constructeur|chaîne|enseigne|sociétés|entreprises|plateformes|banques"
    r"|company|firm|startup|bank|platform|app|giant|group|chipmaker|retailer"
    r"|maker|unicorn|lab|laboratoire|labo|studio|agence|agency|assureur|insurer"
    r"|équipementier|opérateur|distributeur|néo-assurance|néobanque|mutuelle"
    r"|coopérative|multinationale|jeune entreprise|fournisseur|spécialiste|leader"
    r"|lender|chain|grocery chain|carmaker|automaker|manufacturer|carrier|operator"
    r"|broker|fund|hedge fund|publisher|conglomerate|consultancy|corporation"
    r"|supplier|provider|vendor|scale-up|fintech|insurtech|healthtech|biotech"
    r"|manufacturier|pneumaticien|chimiste|industriel|énergéticien|armateur"
    r"|transporteur|producteur|intégrateur|sous-traitant|fleuron|pépite|champion"
    r"|e-commerçant|marketplace|maison|coopérative financière"
)


@dataclass
class _Mention:
    name: str
    start: int
    end: int
    # 3: hiring subject ("X recrute"), 2: "chez X" or "the app X",
    # 1: a name from the list cited anywhere.
    strength: int


_KNOWN_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        re.escape(name) for name in sorted(KNOWN_COMPANIES, key=len, reverse=True)
    )
    + r"|Proctor & Gamble|P&G|JP Morgan|J\.P\. Morgan|EY)(?![\w-])"
)
_SUBJECT_RE = re.compile(
    # A town after "in" or "à" is not the subject: "in Heidelberg is listed".
    r"(?<!\b[iI]n )(?<!\b[àÀ] )(?<!\b[aA]t )(?<!\bof )(?<!\bde )(?<!\bd')"
    r"(?<!\bwithin )(?<!\bacross )(?<!\bfrom )"
    rf"(?P<name>{NAME}(?:(?:,\s|\s(?:et|and)\s){NAME})*)(?:\s?,[^,]{{1,120}},)?\s+"
    r"(?:a |ont |avait |has |have |had |is |are |was |were |va |vont |will )?"
    r"(?:\w+ment |également |aussi |déjà |encore |also |now |recently |currently "
    r"|just |désormais |actuellement |each |both |all |too |chacun |chacune "
    r"|de son côté |quant à lui |quant à elle |pour sa part |à son tour "
    r"|quant à lui, |, de son côté, |meanwhile, )?"
    rf"(?:{JOB_VERBS})\b"
)
# "Anthropic's careers page", "Walmart's job listing".
_OWNER_RE = re.compile(
    rf"(?P<name>{NAME})['’]s\s(?:\w+\s)?(?:careers?|jobs?|job board|job listings?"
    r"|job postings?|listings?|postings?|offer|hiring|recruiters?|website|site"
    r"|openings?|advert|ad|vacancy|vacancies|pay band|band|salary band)\b"
)
# "Un analyste est recherché par Boursorama", "a role posted by Kairo".
_AGENT_RE = re.compile(
    r"\b(?:recherchée?s?|proposée?s?|offerte?s?|publiée?s?|affichée?s?|sought"
    r"|posted|offered|advertised|listed)\s+(?:par|by)\s+(?:the\s+)?"
    rf"(?P<name>{NAME})"
)
# "Harvey, the legal AI startup, and Glean, the enterprise search company".
_NAMED_THEN_DESCRIBED_RE = re.compile(
    r"(?<!\b[iI]n )(?<!\b[àÀ] )(?<!\b[aA]t )(?<!\bof )(?<!\bde )(?<![\w'’-])"
    rf"(?P<name>{NAME}),\s(?:the|a|an|la|le|l['’]|une?)\s?(?:[\w-]+\s){{0,4}}?"
    rf"(?:{COMPANY_NOUNS})\b"
)
# An acronym standing alone: "le CERN", "at RBC".
_ACRONYM_ALONE_RE = re.compile(
    r"\b(?:le|la|the|du|de la|l['’])\s?(?P<name>[A-Z]{3,}(?:-[A-Z]{2,})?)(?![\w-])"
)
# "je travaille pour Back Market, qui cherche un lead MLOps".
_RELATIVE_RE = re.compile(
    rf"(?P<name>{NAME}),\s(?:qui|which|who|that)\s(?:[\w']+\s){{0,2}}?"
    rf"(?:{JOB_VERBS})\b"
)
# "L'Assistance publique-Hôpitaux de Paris (AP-HP)": the short name is used.
_ACRONYM_RE = re.compile(
    r"[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s[\w'’-]+){0,6}\s\((?P<name>[A-Z][A-Z0-9&.-]{1,9})\)"
)
# "Le gouvernement du Québec annonce", "l'Institut des sciences de la mer
# offre": a public body named by what it is.
_PUBLIC_BODY_RE = re.compile(
    r"(?<![\w-])(?P<name>(?:[Gg]ouvernement|[Mm]inistère|Institut|Université|Office"
    r"|Agence"
    r"|[Vv]ille|Caisse|Centre hospitalier|Hôpital|Ministry|Department|Institute"
    r"|University|Agency|City|Government)\s(?:du|de la|des|de|d['’]|of)\s?"
    r"[\w'’ -]{2,40}?)"
    rf"(?=\s?,|\s+(?:{JOB_VERBS})\b)"
)
_CHEZ_RE = re.compile(
    r"\b(?:[Cc]hez|[Aa]t|[Aa]uprès de|[Dd]u côté de|[Aa]u sein de|[Ww]ithin"
    r"|[Qq]uant à|[Aa]s for|^Au|^Aux|^À la|^À l['’])\s*"
    rf"(?:the\s+)?(?P<name>{NAME})"
)
_APPOSITION_RE = re.compile(
    rf"\b(?:{COMPANY_NOUNS})"
    rf"(?:\s(?!(?:{COMPANY_NOUNS}|par|by|pour|for|in|à|at|en|based|basée?)\b)"
    r"[a-zà-ÿ'’-]+){0,4}\s"
    rf"(?P<name>{NAME}(?:\s(?:et|and)\s{NAME})?)"
)
_POSTING_OF_RE = re.compile(
    rf"\b(?:offre d['’]emploi|annonce|job (?:posting|listing|ad)|posting|listing)"
    rf"\s(?:de|d['’]|from|by|at)\s?(?P<name>{NAME})"
)


# A name opening a sentence, before its verb or an aside:
# "Logitech a choisi...", "Orféo Santé, qui analyse des radiographies, ...".
_OPENING_RE = re.compile(
    r"^(?:(?:mais|and|but|et|or|donc|ainsi|also|meanwhile|enfin|finally|de son côté"
    r"|pour sa part|par ailleurs|en revanche|à (?:Paris|Londres|Lyon)),?\s+)?"
    rf"(?P<name>{NAME})(?=\s?,|\s+[a-zà-ÿ])"
)


def is_person(name: str) -> bool:
    """Say whether a name is a person's: a first name, then a surname."""
    words = name.replace("’", "'").split()
    return len(words) >= 2 and words[0].lower() in FIRST_NAMES


def _clean_name(name: str) -> str:
    if is_person(name):
        return ""
    # "Heidelberg-based Aleph Alpha": the name after where it is based.
    name = re.sub(r"^[A-ZÀ-ÖØ-Þ][\w'’-]*-based\s+", "", name)
    # "L'équipementier Latécoère": the name after its common noun.
    apposed = re.match(
        r"^(?:L['’]|La |Le |Les |The )[a-zà-ÿ][\w-]*\s+(?=[A-ZÀ-ÖØ-Þ])", name
    )
    if apposed:
        name = name[apposed.end() :]
    # "L'entreprise", "La start-up": a common noun, not a name.
    if re.match(r"^(?:L['’]|La |Le |Les |The |This |Cette |Ce )[a-zà-ÿ]", name):
        return ""
    words = name.replace("’", "'").split()
    # "L'Oréal" keeps its article; "Le groupe" loses it.
    while words and words[0].lower().strip(",.") in NOT_COMPANY - {"ai", "ia"}:
        words.pop(0)
    if words and words[0].lower() in {"ai", "ia"} and len(words) == 1:
        return ""
    # "Mistral AI" and "Salesforce AI" keep their last word.
    while words and words[-1].lower().strip(",.") in NOT_COMPANY - {"ai", "ia"}:
        words.pop()
    cleaned = " ".join(words).strip(",.;: ")
    cleaned = re.sub(r"['’]s$", "", cleaned)
    if cleaned.lower() in NOT_COMPANY or len(cleaned) < 2:
        return ""
    if re.fullmatch(
        r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:\s[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?", cleaned
    ) and (
        re.fullmatch(CITIES, cleaned)
        or re.fullmatch(REGIONS, cleaned)
        or cleaned.lower() in BROAD_PLACES
    ):
        return ""
    return cleaned


_WORD_BEFORE_RE = re.compile(r"([A-ZÀ-ÖØ-Þ][\w'’.&-]*)\s$")


def find_companies(
    sentence: str, *, common: frozenset[str] = frozenset()
) -> list[_Mention]:
    """Return the company names a sentence cites, strongest reading first.

    `common` holds the words the article writes in lower case: a capitalised
    word among them only opens a sentence, it names nothing.
    """
    mentions: list[_Mention] = []

    def add(name: str, start: int, end: int, strength: int) -> None:
        # "À Genève, X recrute", "In Pittsburgh, X pays": a town, not a name.
        if re.match(r"(?:À|A|In|At|Au|En|From|Depuis)\s", name):
            return
        cleaned = _clean_name(name)
        if not cleaned:
            return
        # The tail of a longer name ("Zuckerberg" of "Mark Zuckerberg",
        # "Alto" of "Palo Alto") is no name of its own.
        before = _WORD_BEFORE_RE.search(sentence, 0, start)
        if before and before.group(1).lower() not in NOT_COMPANY | OPENERS:
            return
        offset = name.replace("’", "'").find(cleaned.split()[0])
        start = start + max(offset, 0)
        for mention in mentions:
            if (
                mention.start <= start < mention.end
                or start <= mention.start < start + len(cleaned)
            ):
                if strength > mention.strength:
                    mention.strength = strength
                return
        mentions.append(_Mention(cleaned, start, start + len(cleaned), strength))

    for match in _KNOWN_RE.finditer(sentence):
        add(match.group(0), match.start(), match.end(), 1)
    opening = _OPENING_RE.match(sentence)
    if opening:
        name = opening.group("name")
        first = name.split()[0].lower()
        if first not in common and first not in OPENERS:
            add(name, opening.start("name"), opening.end("name"), 1)
    for pattern, strength in (
        (_SUBJECT_RE, 3),
        (_RELATIVE_RE, 3),
        (_PUBLIC_BODY_RE, 3),
        (_AGENT_RE, 3),
        (_NAMED_THEN_DESCRIBED_RE, 2),
        (_ACRONYM_ALONE_RE, 1),
        (_OWNER_RE, 3),
        (_ACRONYM_RE, 2),
        (_CHEZ_RE, 2),
        (_APPOSITION_RE, 2),
        (_POSTING_OF_RE, 2),
    ):
        for match in pattern.finditer(sentence):
            name = match.group("name")
            parts = (
                re.split(r",\s|\s(?:et|and)\s", name)
                if pattern in (_APPOSITION_RE, _SUBJECT_RE)
                else [name]
            )
            position = match.start("name")
            for part in parts:
                part_start = sentence.find(part, position)
                add(part, part_start, part_start + len(part), strength)
                position = part_start + len(part)
    # "L'Assistance publique-Hôpitaux de Paris (AP-HP)": one employer, named
    # by its short name.
    for match in _ACRONYM_RE.finditer(sentence):
        long = [m for m in mentions if m.start == match.start()]
        short = [m for m in mentions if m.start == match.start("name")]
        if long and short:
            long[0].name = short[0].name
            long[0].strength = max(long[0].strength, short[0].strength)
            mentions.remove(short[0])
    mentions.sort(key=lambda mention: mention.start)
    return mentions


def _coordinated(
    mentions: list[_Mention], chosen: _Mention, sentence: str
) -> list[_Mention]:
    """Return the companies joined to the chosen one by "et"/"and" lists."""
    index = mentions.index(chosen)
    group = [chosen]
    left = index
    while left > 0:
        gap = sentence[mentions[left - 1].end : mentions[left].start]
        if re.fullmatch(r"\s*(?:,|et|and|,\s*et|, and)\s*", gap):
            left -= 1
            group.insert(0, mentions[left])
        else:
            break
    right = index
    while right + 1 < len(mentions):
        gap = sentence[mentions[right].end : mentions[right + 1].start]
        if re.fullmatch(r"\s*(?:,|et|and|,\s*et|, and)\s*", gap):
            right += 1
            group.append(mentions[right])
        else:
            break
    if len(group) == 1:
        return group
    gaps = [
        sentence[group[i].end : group[i + 1].start].strip()
        for i in range(len(group) - 1)
    ]
    if gaps[-1].endswith(("et", "and")):
        return group
    return [chosen]


def _choose_companies(
    mentions: list[_Mention], before: int, sentence: str
) -> list[str]:
    if not mentions:
        return []
    strongest = max(mention.strength for mention in mentions)
    candidates = [m for m in mentions if m.strength == strongest]
    preceding = [m for m in candidates if m.start < before]
    chosen = preceding[-1] if preceding else candidates[0]
    if strongest == 1 and preceding:
        # Names read from their place alone: the subject, first, is the
        # employer ("Covéa, maison mère de la MAAF, a choisi...").
        chosen = preceding[0]
    return [m.name for m in _coordinated(mentions, chosen, sentence)]
