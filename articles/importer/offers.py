"""Offer or not: whether a sum is the pay of a job on offer, and why."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_noop as N_

from articles.importer.amounts import MAX_SALARY, Money
from articles.importer.roles import ROLE_WORD_RE

# --- Context ----------------------------------------------------------------

# Any of these near a figure, closer than a hiring word, means the money is not
# a salary on offer.
NEGATIVE_CUES = (
    r"valoris\w*|évalué\w*|valued|valuation|capitalisation|market cap\w*"
    r"|levée\w*|lève|levé|lever|a levé|raised?|raising|funding|financement"
    r"|tour de table|série [A-F]\b|series [A-F]\b|investi\w*|invest\w*"
    r"|chiffre d['’]affaires|revenus?|revenues?|bénéfices?|profits?|pertes?"
    r"|amendes?|fined?|rach\w+|acqui\w+|buyout|budget|coût\w*|costs?|coûte"
    r"|prix|price\w*|frais|fees?|tuition|formation|cours|courses?|bootcamp"
    r"|boot camp|stages? de formation|programme de formation|certification"
    r"|training|diplôme|cursus"
    r"|primes?|bonus(?:es)?|actions|stocks?|equity|RSU\w*|stock.options|BSPCE"
    r"|dividendes?|subventions?|grants?|dons?|donations?|dotation"
    r"|réduction|baisse|augmentations?|hausse|raise of|pay cut|cut of"
    r"|renoncé|économis\w*|dépens\w*|spent|spend\w*|loyer|rent|prêt|loan"
    r"|dette|debt|indemnit\w*|severance|amende|contrat de \d|deal|accord"
    r"|fortune|patrimoine|net worth|richesse|valeur|worth|titres|shares|rents?"
    r"|tax|taxe|impôts?|threshold|seuil|tranche|bracket"
    r"|rented|se loue|loyers?"
    r"|l['’]équivalent de"
)
# A figure described as a statistic is never a posting, whatever else the
# sentence says.
STATISTIC_CUES = (
    r"médian\w*|median|moyen(?:ne)?s?\b|averages?|averaged|en moyenne|on average"
    r"|typically"
    r"|typiquement|en général|generally|usually|habituellement|d['’]ordinaire"
    r"|souvent|often|tend to|ont tendance|comparable|profil comparable"
    r"|by comparison|en comparaison|par comparaison|à titre de comparaison"
    r"|for comparison|in comparison|pour comparaison|for context|pour mémoire"
    r"|minimum wage|salaire minimum|SMIC|union minimum|minimum syndical"
    r"|enquête|survey|sondage|poll|percentile|centile|étude|study|classement"
    r"|baromètre|panel|statistiques?"
)
POSITIVE_CUES = (
    r"salaires?|salary|salaries|rémunér\w+|payée?s?|paid|pay\w*|paye|paie"
    r"|looking for|cherche\w*|recherche\w*|wage|wages"
    r"|gagne\w*|earn\w*|touche\w*|offre d['’]emploi|offres d['’]emploi"
    r"|annonces?|job (?:posting|listing|ad|offer)s?|postings?|listings?"
    r"|postes?|rôles?|roles?|positions?|recrut\w+|recruit\w*|hiring|hires?|jobs?"
    r"|embauch\w+|offre|offrent|offert|offers?|offered|offering|propos\w+"
    r"|TJM|taux|rate|brut|gross|base|package|compensation|assorti|lists|listed"
    r"|advertis\w*|needs?|dangles"
)
OFFER_CUES = (
    r"\b(?:recrut\w*|recruit\w*|embauch\w*|cherche\w*|recherche(?!s)\w*|offre\w*"
    r"|offr\w+|propos\w+|postes?|rôles?|roles?|positions?|jobs?|listings?"
    r"|postings?|annonces?|hiring|hires?|looking for|seeks?|seeking|openings?"
    r"|vacanc\w+|candidat\w*|applicants?|peut espérer|can expect|pourrait gagner"
    r"|pourra gagner|could earn|would earn|will earn|gagnera|touchera|pays|paie"
    r"|paye|stages?|internships?|alternance|CDI|freelances?|missions?|offering"
    r"|lists|listed|advertis\w*|careers?|needs?|dangles|ouvre|a annoncé|ads?"
    r"|posted|filling|seat"
    r"|adverts?|wants?|veut|veulent|souhaite)\b"
)
NEUTRALIZED_RE = re.compile(
    r"(?:sans compter|hors|en plus des?|en plus d['’]|plus|excluding|not including"
    r"|before|avant|non compris|exclusive of|on top of)"
    r"\s+(?:les\s+|la\s+|le\s+|des\s+|d['’])?"
    r"(?:(?:primes?|bonus(?:es)?|actions|stocks?|equity|avantages|benefits|perks"
    r"|stock options|RSUs?)(?:\s*(?:,|et|ou|and|or)\s*(?:les\s+|la\s+|des\s+)?)?)+",
    re.IGNORECASE,
)
# "stock included", "actions incluses": part of the pay, not other money,
# wherever it stands.
INCLUDED_RE = re.compile(
    r"\b(?:stock|equity|bonus|actions|primes?)\s+(?:included|includ\w+|compris\w*"
    r"|inclus\w*)",
    re.IGNORECASE,
)


# --- Classification -----------------------------------------------------------


def _nearest(pattern: str, text: str, start: int, end: int) -> int | None:
    return _nearest_match(
        re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE),
        text,
        start,
        end,
    )


def _nearest_match(pattern: re.Pattern, text: str, start: int, end: int) -> int | None:
    best: int | None = None
    for match in pattern.finditer(text):
        if match.end() <= start:
            distance = start - match.end()
        elif match.start() >= end:
            distance = match.start() - end
        else:
            distance = 0
        if best is None or distance < best:
            best = distance
    return best


# Pay someone already earns ("background actors earn about $200 a day",
# "un chercheur gagne autour de 95 000 euros, selon des salariés"): an
# indicative verb of earning, not one of offering or a modal "could earn".
EARNED_RE = re.compile(
    r"(?<!can )(?<!could )(?<!would )(?<!will )(?<!may )(?<!might )"
    r"(?<!to )\b(?:earns?|earned|makes?|made|took home|takes home|gagnent|gagne"
    r"|gagnait|a gagné|touchent|touche|touchait|a touché|touché|perçoivent|perçoit"
    r"|a perçu|a reçu|received|receives|was paid|a été payée?|factur\w*|bill\w*"
    r"|charges?)\b",
    re.IGNORECASE,
)
# Figures a salary site or a survey gives, not an employer.
REPORTED_BY_RE = re.compile(
    r"\b(?:selon|d['’]après|according to|per|data from|figures from|citing)\s+"
    r"(?!(?:l['’]|the |son |sa |its |their |leur )?(?:annonce|offre|listing|posting"
    r"|job ad|fiche de poste|careers? page|page carrières))",
    re.IGNORECASE,
)
SALARY_SITES_RE = re.compile(
    r"\b(?:Levels\.fyi|Glassdoor|Talent\.com|Payscale|Indeed Salaries|Salary\.com"
    r"|Blind|Hired|Comparably|Welcome to the Jungle)\b"
)
HIRING_CUE_RE = re.compile(
    r"\b(?:recrut\w*|recruit\w*|embauch\w*"
    r"|(?:re)?cherch(?:e|ent|ait)\s+(?:un|une|des|d['’]|activement|actuellement)"
    r"|hiring|hires?|looking for|seeks?|seeking|lists|listed|advertis\w*|posted"
    r"|publi\w+|annonc\w+|offr\w+|offer\w*|propos\w+|needs|opening|vacanc\w+"
    r"|ouvre|careers? page|listing|posting|poste|job|pays|paying|paie|verse\w*)\b",
    re.IGNORECASE,
)


INDEFINITE_JOB_RE = re.compile(
    r"\b(?:à|pour|for|to|of|de|d['’]) ?(?:un|une|a|an) (?:[\w-]+ ){0,3}?"
    rf"(?:{ROLE_WORD_RE.pattern})",
    re.IGNORECASE,
)


# How near a stated period counts as a word of pay, in characters.
PERIOD_DISTANCE = 15
# How far from a figure a word of statistics still speaks of it.
STATISTIC_REACH = 90
# How far before a figure the noun that names it is looked for.
CLAUSE_BEFORE = 30


# The person the job will go to: "That contractor earns $65 hourly".
THE_HIRE_RE = re.compile(
    r"^(?:That|This|The successful|The new|The chosen|Whoever|Ce|Cet|Cette|Le futur"
    r"|La future|Le candidat retenu|La candidate retenue|La personne (?:retenue"
    r"|recrutée))\b"
)
# "je facturais 550 € par jour", "I billed $120 an hour": the writer's own pay.
FIRST_PERSON_RE = re.compile(
    r"\b(?:je|j['’]|I|we|nous)\s+(?:\w+\s+)?(?:factur\w*|gagn\w*|touch\w*|billed"
    r"|earned|made|charged|was paid|étais payée?)\b",
)
# The pay of those who run a company, not of a job on offer.
EXECUTIVE_RE = re.compile(
    r"\b(?:président|présidente|PDG|directeur général|directrice générale|patron"
    r"|patronne|fondateur|fondatrice|dirigeants?|chief executive|CEO|chairman"
    r"|chairwoman|founder|executives?|board)\b",
    re.IGNORECASE,
)


# What pay was before ("Il y a cinq ans, le même profil se négociait à..."),
# said ahead of the figure.
HISTORY_RE = re.compile(
    r"\b(?:il y a (?:\w+ )?ans|years? ago|autrefois|auparavant|à l['’]époque"
    r"|back then|se négociait|used to (?:pay|earn|command))\b",
    re.IGNORECASE,
)


PAY_WORD_RE = re.compile(
    r"\b(?:salaires?|salary|rémunération|pay|paie|paye|payée?|compensation"
    r"|fourchette|range|band|enveloppe|package|TJM|taux|rate)\b",
    re.IGNORECASE,
)
# "Il vise un ingénieur logiciel" before "La rémunération : 9 800 francs".
ANY_JOB_RE = re.compile(
    rf"\b(?:un|une|a|an)\s(?:[\w-]+\s){{0,3}}?(?:{ROLE_WORD_RE.pattern})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Verdict:
    """Whether a sum is the pay of a job on offer, and the reason.

    The reason is kept in English, marked for translation; `gettext(reason)`
    shows it in the reader's language.
    """

    is_offer: bool
    reason: str

    def __bool__(self) -> bool:
        return self.is_offer


def judge(sentence: str, money: Money, context: str = "") -> Verdict:
    """Say whether a sum in a sentence is the pay of a job on offer, and why."""
    top = max(v for v in (money.low, money.high) if v is not None)
    if top > MAX_SALARY or top <= 0:
        return Verdict(False, N_("too large for a salary"))
    # "sans compter les primes" after a salary says what the salary leaves
    # out; before a figure ("hors prime, qui a atteint 3 200 euros") it names
    # what that figure is.
    masked = NEUTRALIZED_RE.sub(
        lambda m: " " * len(m.group(0)) if m.start() >= money.start else m.group(0),
        INCLUDED_RE.sub(lambda m: " " * len(m.group(0)), sentence),
    )
    # A statistic said of this figure, not of another one further off: "À
    # 95 000 euros, le poste atteint deux fois le salaire médian" is an offer.
    statistic = _nearest(STATISTIC_CUES, masked, money.start, money.end)
    if statistic is not None and statistic <= STATISTIC_REACH:
        return Verdict(False, N_("a statistic"))
    hiring = HIRING_CUE_RE.search(masked)
    if SALARY_SITES_RE.search(masked) and not hiring:
        return Verdict(False, N_("a salary site's figure"))
    reported = REPORTED_BY_RE.search(masked[: money.start])
    if reported and not hiring:
        return Verdict(False, N_("figures someone reports"))
    if EARNED_RE.search(masked) and not hiring and not THE_HIRE_RE.match(sentence):
        return Verdict(False, N_("pay someone already earns"))
    if HISTORY_RE.search(masked[: money.start]) and not hiring:
        return Verdict(False, N_("what pay used to be"))
    if EXECUTIVE_RE.search(masked) and not hiring:
        return Verdict(False, N_("an executive's pay"))
    if FIRST_PERSON_RE.search(masked) and not hiring:
        return Verdict(False, N_("pay someone already earns"))
    bracket = re.search(r"\(\s*$", masked[: money.start])
    if bracket:
        # "the salary of a senior data scientist (€95k–€120k)": a figure in
        # brackets belongs to what stands just before them.
        masked = masked[: bracket.start()] + " " * (len(masked) - bracket.start())
    negative = _nearest(NEGATIVE_CUES, masked, money.start, money.end)
    positive = _nearest(POSITIVE_CUES, masked, money.start, money.end)
    # A job title next to a figure is weaker evidence than a pay word.
    role = _nearest_match(ROLE_WORD_RE, masked, money.start, money.end)
    if role is not None:
        role += 30
        positive = role if positive is None else min(positive, role)
    if positive is None and money.period is None:
        if not re.search(POSITIVE_CUES, context, re.IGNORECASE):
            return Verdict(False, N_("no word of pay"))
        positive = 200
    if money.period is not None:
        # A period says pay, but a word of other money right beside the figure
        # ("stock units worth around $60,000 a year") says more.
        positive = (
            PERIOD_DISTANCE if positive is None else min(positive, PERIOD_DISTANCE)
        )
    if negative is not None and positive > negative:
        return Verdict(False, N_("another kind of money"))
    # The noun a figure follows names it: "une prime d'arrivée de 20 000
    # euros" is a bonus, whatever comes after.
    before = masked[max(0, money.start - CLAUSE_BEFORE) : money.start]
    # Only the noun phrase the figure ends: nothing past a comma or a colon.
    before = re.split(r"[,;:()]", before)[-1]
    negative_before = _nearest(NEGATIVE_CUES, before, len(before), len(before))
    positive_before = _nearest(POSITIVE_CUES, before, len(before), len(before))
    if negative_before is not None and (
        positive_before is None or negative_before < positive_before
    ):
        return Verdict(False, N_("another kind of money"))
    # Pay alone may be anyone's; a job on offer is named as one, or as
    # "a job" ("à un ingénieur", "for a research scientist").
    if (
        re.search(OFFER_CUES, masked, re.IGNORECASE)
        or re.search(OFFER_CUES, context, re.IGNORECASE)
        or INDEFINITE_JOB_RE.search(masked)
        or (
            PAY_WORD_RE.search(masked)
            and (INDEFINITE_JOB_RE.search(context) or ANY_JOB_RE.search(context))
        )
    ):
        return Verdict(True, N_("pay of a job on offer"))
    return Verdict(False, N_("no job named"))


def is_offer(sentence: str, money: Money, context: str = "") -> bool:
    """Say whether a sum in a sentence is the pay of a job on offer."""
    return judge(sentence, money, context).is_offer
