"""Roles: the job title an offer is for."""

from __future__ import annotations

import re

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
    r"|chefs? de projet|project managers?|postes?"
)

ROLE_START_RE = re.compile(
    r"(?:(?:\bpour\s+(?:recruter\s+)?|\brecrute\w*\s+|\brecherche\w*\s+"
    r"|\bcherche\w*\s+|\bembauche\w*\s+|\brecruter\s+|\bpropose\w*\s+(?:à\s+)?"
    r"|\boffre\w*\s+à\s+|\by compris\s+|\bdont\s+|\bnotamment\s+|:\s+"
    r"|\bfor\s+|\bhiring\s+|\bhire\s+|\brecruiting\s+|\bseek\w*\s+"
    r"|\blooking for\s+|\bwants\s+|\bincluding\s+|\bsuch as\s+|\bà\s+|\bto\s+"
    r"|\boffers?\s+|\boffering\s+|\bpays\s+|\bpaying\s+)"
    r"(?:(?:par ailleurs|également|aussi|actuellement|notamment|désormais|toujours"
    r"|encore|also|currently|now|still)\s+)?"
    r"(?:un|une|des|a|an|the|un\(e\))\s+"
    r"|(?:^|,\s)(?:un|une)\s+|\b(?:le|ce|the|this)\s+(?=(?:poste|rôle|role|position)\s+(?:de|d['’]|of)\s))"
    r"(?:nouveaux?\s+|nouvelle\s+|new\s+)?"
    r"(?:(?:poste|emploi|rôle|role|position|job)\s+(?:de|d['’]|of)\s*)?",
    re.IGNORECASE,
)
ROLE_NOUN_RE = re.compile(
    r"\b(?:the|a|an|this|that)\s+(?P<role>(?:[\w-]+\s){0,5}?[\w-]+)"
    r"\s+(?:role|position|job|opening)\b",
    re.IGNORECASE,
)
ROLE_END_RE = re.compile(
    r",|;|\.(?:\s|$)|\s[-–—]\s|\(|\s(?:qui|avec|proposant|offrant|payée?|rémunérée?"
    r"|dans le cadre|afin|jusqu|entre|pouvant|peut|pourra|pourrait|gagn\w+|touch\w+"
    r"|un salaire|une rémunération|un taux|avec un|moyennant|contre|à hauteur"
    r"|who|that|with|paying|offering|earning|which|to earn|could|can|will|for up"
    r"|at a|at up|starting|between|from \$|et\s(?:un|une|a|an)\s|and\s(?:a|an)\s"
    r"|à partir|est|sera|serait|is|was|will be|basée?s?|based|located|situé\w*"
    r"|chez|auprès"
    r"|(?:a|an|the) (?:annual |yearly |base )?(?:salary|pay|wage))\b"
    r"|\s(?:in|à|at)\s(?=[A-ZÀ-ÖØ-Þ])"
    r"|\s(?:à|de|pour|for|at|of)\s(?=(?:US)?[$€£\d])|\s(?=(?:US)?[$€£\d])"
)


def _clean_role(role: str) -> str:
    role = role.strip(" ,;:-–—")
    role = re.sub(
        r"^(?:poste|emploi|rôle|role|position)\s+(?:de|d['’]|of)\s*", "", role
    )
    role = re.sub(r"\s+(?:role|position|job|poste)$", "", role, flags=re.IGNORECASE)
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
        if not re.search(ROLE_WORDS, text, re.IGNORECASE):
            continue
        roles = [_clean_role(text)]
        # An enumeration: "un X, un Y et un Z" or "a X and a Y".
        tail = rest[len(text) :]
        while True:
            more = re.match(
                r"\s*(?:,|et|and|ou|or|, et|, and)\s+(?:un|une|a|an)\s+"
                r"(?:(?:poste|emploi|rôle|role|position)\s+(?:de|d['’]|of)\s*)?",
                tail,
            )
            if not more:
                break
            tail = tail[more.end() :]
            end = ROLE_END_RE.search(tail)
            item = tail[: end.start()] if end else tail
            if not item.strip() or not re.search(ROLE_WORDS, item, re.IGNORECASE):
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
            if role and re.search(ROLE_WORDS, role, re.IGNORECASE):
                return [role]
    return best
