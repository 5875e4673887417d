"""Roles: the job title an offer is for."""

from __future__ import annotations

import re

from articles.importer.words import words

ROLE_WORDS = (
    r"ingénieure?s?|chercheu(?:r|se)s?|scientifiques?|data scientists?"
    r"|développeu(?:r|se)s?"
    r"|chefs? de produit|product managers?|directeu(?:r|rice)s?|vice-présidente?s?"
    r"|\bVP\b|responsables?|managers?|consultante?s?|avocate?s?|analystes?"
    r"|architectes?|designers?|cadres?|stagiaires?|techniciens?|head|lead"
    r"|engineers?|researchers?|scientists?|developers?|directors?|president"
    r"|lawyers?|analysts?|architects?|officers?|spécialistes?|specialists?"
    r"|experts?|talents?|profils?|CTO|CEO|CFO|associate|intern|stagiaire"
    r"|juristes?|économistes?|statisticien\w*|annotat\w+|formateurs?|trainers?"
    r"|opérateurs?|administrat\w+|commerciale?s?|sales|account executives?"
    r"|coach\w*|stages?|internships?|alternan\w+|apprenti\w*|program managers?"
    r"|chefs? de projet|project managers?|postes?|programmeu(?:r|se)s?"
    r"|programmers?|conseill(?:er|ère)s?|members? of|staff|leads?|heads? of"
    r"|AI trainers?|data trainers?|evaluators?|annotators?|tutors?|supervisors?"
    r"|raters?|labell?ers?|reviewers?|writers?|moderators?|évaluat(?:eur|rice)s?"
    r"|annotat(?:eur|rice)s?|tuteurs?|superviseu(?:r|se)s?|rédact(?:eur|rice)s?"
    r"|modérat(?:eur|rice)s?|correct(?:eur|rice)s?|traduct(?:eur|rice)s?"
    r"|translators?|researchers?|quants?|traders?|owners?|contractors?"
    r"|prestataires?|freelances?|développeu(?:r|se)s? freelance|experts?"
    r"|linguistes?|linguists?|postdoc\w*|post-doc\w*|doctorant\w*|phd students?"
    r"|editors?|rédact(?:eur|rice)s? en chef|journalistes?|journalists?|reporters?"
    r"|formateu(?:r|se)s?|associates?|boursi(?:er|ère)s?|fellows?"
)

# What opens the name of a job: a verb or word of hiring, then perhaps an
# aside ("recrute à Bâle un...", "cherche quant à lui, également à Bâle,
# un..."), then a determiner.
_TRIGGER = (
    r"\bpour\s+(?:recruter\s+)?|\brecrut\w*|\brecherch\w*|\bcherch\w*"
    r"|\bembauch\w*|\bpropos\w*(?:\s+à)?|\boffr\w*\s+à|\by compris|\bdont"
    r"|\bnotamment|:|\bannonc\w*|\bpubli\w*|\bouvr\w*|\bouvert|\bbesoin d['’]"
    r"|\bpourvoir|\bopened|\bopens|\baffich\w*|\bveu(?:t|lent)|\bsouhait\w*"
    r"|\bc['’]est|\bit is|\bit's|\bconfi\w+|\bfilling|\bfill|\bvis(?:e|ent)"
    r"|\bcibl\w+|\btargets?|\baims? at"
    r"|\bfor|\bhiring|\bhires?|\brecruit\w*|\bseek\w*|\blooking for|\bwants?"
    r"|\bneeds?|\bincluding|\bsuch as|\bà|\bto|\boffers?|\boffering|\bpays"
    r"|\bpaying|\blists?|\blisted|\badvertis\w*|\bposted|\bwith|\bshows?(?: that)?"
)
_DETERMINER = (
    r"(?:un|une|des|a|an|the|un\(e\)|plusieurs|deux|trois|quatre|two|three|four"
    r"|several)\s+"
)
# English verbs that may name jobs with no determiner: "recruiting remote
# AI trainers", "needs on-site annotation leads".
_BARE_TRIGGER = (
    r"\b(?:recruiting|hiring|needs|seeks|seeking|shows|wants|pays|paying|hires)\s+"
)
ROLE_WORD_RE = re.compile(rf"(?<![\w-])(?:{ROLE_WORDS})(?![\w-])", re.IGNORECASE)
ROLE_START_RE = re.compile(
    rf"(?:{_BARE_TRIGGER}(?!(?:a|an|the|un|une|des|le|la|les)\s)"
    rf"(?=(?:[\w-]+\s+){{0,4}}(?:{ROLE_WORDS})\b)"
    rf"|(?:{_TRIGGER})\s*(?:[^\s.;\d$€£]+\s+){{0,6}}?{_DETERMINER}"
    # "The role: member of technical staff", "Poste : data scientist".
    r"|\b(?:[Rr]ole|[Pp]oste|[Jj]ob|[Pp]osition|[Tt]itle|[Ii]ntitulé)\s?:\s+"
    # "un poste d'ingénieur NLP", wherever it stands.
    r"|\b(?:un|une|le|ce)\s+(?=(?:poste|emploi)\s+(?:de\s|d['’]\s?))"
    r"|(?:^|,\s)(?:un|une|a|an)\s+(?=(?:[\w-]+\s+){0,4}?"
    rf"(?:{ROLE_WORDS})\b)"
    # "une offre de responsable...": the job with no determiner.
    r"|\b(?:offre|annonce|fiche de poste)(?: d['’]emploi)? (?:de\s|d['’]\s?)"
    r"(?!(?:un|une|la|le|les|l['’]|son|sa|ses|notre|votre)\b)"
    r"|\b(?:le|ce|the|this)\s+(?=(?:poste|rôle|role|position)\s+(?:de\s|d['’]\s?|of\s)))"
    r"(?:nouveaux?\s+|nouvelle\s+|new\s+|on-site\s+|remote\s+)?"
    r"(?:(?:poste|emploi|rôle|role|position|job)s?\s+(?:de\s|d['’]\s?|of\s))?",
    re.IGNORECASE,
)
ROLE_NOUN_RE = re.compile(
    r"\b(?:the|a|an|this|that|its|their)\s+(?P<role>(?:[\w-]+\s){0,5}?[\w-]+)"
    r"\s+(?:role|position|job|opening|seat|post|vacancy|posting|listing)\b",
    re.IGNORECASE,
)
ROLE_END_RE = re.compile(
    r",|;|\.(?:\s|$)|\s[-–—]\s|\(|\s(?:qui|avec|proposant|offrant|payée?|rémunérée?"
    r"|dans le cadre|afin|jusqu|entre|pouvant|peut|pourra|pourrait|gagn\w+|touch\w+"
    r"|un salaire|une rémunération|un taux|avec un|moyennant|contre|à hauteur"
    r"|who|that|with|paying|pays|paie|paye|offering|earning|which|to earn|could"
    r"|can|will|for up"
    r"|at a|at up|starting|between|from \$|et\s(?:un|une|a|an)\s|and\s(?:a|an)\s"
    r"|à partir|est|sera|serait|is|was|will be|basée?s?|based|located|situé\w*"
    r"|chez|auprès|working|pour son|pour sa|pour ses|for its|for their|dans son"
    r"|un contrat|a contract|un CDI|un CDD|to join|to run|to lead|to build"
    r"|pour rejoindre|pour diriger|capable|able to|position|poste|role|rôle"
    r"|un package|une enveloppe|a package|que|qu['’]"
    r"|opening|vacancy"
    r"|dans sa|dans ses|in its|on (?:a|an|up)|on (?:its|their) (?:site|website"
    r"|careers|jobs)|sur son|sur sa|sur un|states|says|shows|lists"
    r"|(?:a|an|the) (?:annual |yearly |base )?(?:salary|pay|wage))\b"
    r"|\s(?:in|à|at)\s(?=[A-ZÀ-ÖØ-Þ])"
    r"|\s(?:à|de|pour|for|at|of)\s(?=(?:US)?[$€£\d])|\s(?=(?:US)?[$€£\d])"
)


# A job named inside what was read as one: "une offre pour un chercheur",
# "fermé les candidatures pour un poste de directeur".
_INNER_ROLE_RE = re.compile(
    r"^.*?\b(?:pour|for|à|to)\s+(?:un|une|a|an)\s+"
    r"(?:(?:poste|rôle|role|position|job)\s+(?:de\s|d['’]\s?|of\s))?"
    r"|^.*?\b(?:un|une|a|an)\s+(?:poste|rôle|role|position|job)\s+(?:de\s|d['’]\s?|of\s)",
    re.IGNORECASE,
)


# Words that say there is a job without saying which.
GENERIC_JOB_WORDS = words(
    "poste postes emploi emplois rôle role roles position positions job jobs "
    "mission missions contrat cdi cdd hybride hybrid remote distance télétravail "
    "temps plein full-time part-time partiel freelance ce cette pour for this "
    "the le la un une a an de d"
)


def _clean_role(role: str) -> str:
    role = _trim_role(role)
    # "un poste hybride", "pour ce poste": no job is named.
    words = re.findall(r"[\w-]+", role.lower())
    if words and all(word in GENERIC_JOB_WORDS for word in words):
        return ""
    return role


def _trim_role(role: str) -> str:
    # "these supervisors", "ce poste": a job named before, not a new one.
    if re.match(
        r"(?:that\s+)?(?:these|those|this|ces|cette|cet|ce)\s", role, re.IGNORECASE
    ):
        return ""
    inner = _INNER_ROLE_RE.match(role)
    if inner and ROLE_WORD_RE.search(role[inner.end() :]):
        role = role[inner.end() :]
    role = role.strip(" ,;:-–—")
    role = re.sub(
        r"^(?:poste|emploi|rôle|role|position)\s+(?:de|d['’]|of)\s*", "", role
    )
    role = re.sub(
        r"\s+(?:role|position|job|poste|seat|post|opening)$",
        "",
        role,
        flags=re.IGNORECASE,
    )
    role = re.sub(
        r"\s+(?:en\s+)?(?:full remote|100 ?% remote|télétravail|à distance|remote)$",
        "",
        role,
        flags=re.IGNORECASE,
    )
    if role.lower() in {"poste", "postes", "rôle", "role", "position", "job", "emploi"}:
        return ""
    if len(role) > 120:
        role = role[:120].rsplit(" ", 1)[0]
    return role


def find_roles(sentence: str) -> list[str]:
    """Return the job titles a sentence names, in order."""
    best: list[str] = []
    for match in ROLE_START_RE.finditer(sentence):
        rest = sentence[match.end() :]
        end = ROLE_END_RE.search(rest)
        text = rest[: end.start()] if end else rest
        if not ROLE_WORD_RE.search(text):
            continue
        roles = [_clean_role(text)]
        # An enumeration: "un X, un Y et un Z" or "a X and a Y".
        tail = rest[len(text) :]
        while True:
            more = re.match(
                # An aside may sit between two jobs: "un X, à Lyon, et un Y".
                r"(?:\s*,?\s*(?:à|in|at|basée? à|based in)\s+[A-ZÀ-Ö][\w'’-]*"
                r"(?:\s[A-ZÀ-Ö][\w'’-]*)*)?"
                r"\s*(?:,|et|and|ou|or|, et|, and)\s+(?:à\s+|to\s+|pour\s+|for\s+)?"
                r"(?:un|une|a|an)\s+"
                r"(?:(?:poste|emploi|rôle|role|position)\s+(?:de|d['’]|of)\s*)?",
                tail,
            )
            if not more:
                break
            tail = tail[more.end() :]
            end = ROLE_END_RE.search(tail)
            item = tail[: end.start()] if end else tail
            if not item.strip() or not ROLE_WORD_RE.search(item):
                break
            roles.append(_clean_role(item))
            tail = tail[len(item) :]
        roles = [role for role in roles if role]
        if len(roles) > len(best):
            best = roles
    if not best:
        # "the machine learning manager role", "le poste de X" said last.
        for match in ROLE_NOUN_RE.finditer(sentence):
            role = _clean_role(match.group("role"))
            if role and ROLE_WORD_RE.search(role):
                return [role]
    return best
