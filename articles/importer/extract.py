"""Find the job postings an article cites: company, role, salary, evidence.

Rules and word lists only. Precision comes first: a figure becomes a posting
only when a company is named for it and nothing around it says it is another
kind of money (a valuation, a fund-raise, a course's price, a median...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from articles.importer.companies import KNOWN_COMPANIES, canonical_company_name
from articles.importer.words import words

# A salary above this is some other kind of money.
MAX_SALARY = 5_000_000

# --- Money ------------------------------------------------------------------

NUMBER = r"\d{1,3}(?:(?:[  ]|,|\.)\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d+)?"
MULTIPLIER = (
    r"(?:k|K)(?![a-zA-Z])|millions?|million|mn|M(?![a-zA-Z])|m(?![a-zA-Z])"
    r"|milliards?|billions?|Md|bn"
)
PREFIX_CURRENCY = r"US\$|USD|C\$|CA\$|A\$|AU\$|\$|€|EUR|£|GBP|CHF|¥"
SUFFIX_CURRENCY = (
    r"dollars?(?:\s+(?:américains|US|canadiens|australiens|canadian|australian))?"
    r"|euros?|livres?(?:\s+sterling)?|pounds?(?:\s+sterling)?|francs?\s+suisses"
    r"|yens?|US\$|\$|€|£|USD|EUR|GBP|CHF|CAD|AUD|JPY"
)
WORD_NUMBER = r"un|une|a|one"

MONEY_RE = re.compile(
    rf"(?:(?P<pcur>{PREFIX_CURRENCY})\s?(?P<pnum>{NUMBER})"
    rf"(?:\s?(?P<pmult>{MULTIPLIER}))?(?![\w€$£])"
    rf"|(?<![\w.,])(?P<snum>{NUMBER})\s?(?:(?P<smult>{MULTIPLIER})\s?)?"
    rf"(?:(?:de|d['’]|of)\s?)?(?P<scur>{SUFFIX_CURRENCY})(?![\w])"
    rf"|\b(?P<wnum>{WORD_NUMBER})\s(?P<wmult>millions?|million|milliards?|billion)"
    rf"\s(?:(?:de|d['’]|of)\s?)?(?P<wcur>{SUFFIX_CURRENCY})(?![\w]))"
)
# The first number of a range whose currency is written only once:
# "entre 168 000 et 252 000 dollars", "$310,000 to $460,000".
RANGE_START_RE = re.compile(
    rf"(?:\b(?:entre|between|de|from|d['’])\s?)?"
    rf"(?P<cur>{PREFIX_CURRENCY})?\s?(?P<num>{NUMBER})\s?(?P<mult>{MULTIPLIER})?"
    rf"\s?(?:{SUFFIX_CURRENCY})?"
    rf"\s?(?:et|and|à|a|to|-|–|—|jusqu['’]à)\s?$"
)

LIST_ITEM_RE = re.compile(
    rf"(?<![\d,.])(?P<num>{NUMBER})(?:\s?(?P<mult>{MULTIPLIER}))?"
    r"\s?(?:,|et|and|, et|, and)\s$"
)

CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "dollars américains": "USD",
    "dollars us": "USD",
    "c$": "CAD",
    "ca$": "CAD",
    "cad": "CAD",
    "dollars canadiens": "CAD",
    "dollars canadian": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "aud": "AUD",
    "dollars australiens": "AUD",
    "dollars australian": "AUD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "livre": "GBP",
    "livres": "GBP",
    "livre sterling": "GBP",
    "livres sterling": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "pound sterling": "GBP",
    "pounds sterling": "GBP",
    "chf": "CHF",
    "franc suisses": "CHF",
    "francs suisses": "CHF",
    "¥": "JPY",
    "yen": "JPY",
    "yens": "JPY",
    "jpy": "JPY",
}

UP_TO_RE = re.compile(
    r"(?:jusqu['’]à|allant jusqu['’]à|pouvant (?:aller jusqu['’]à|atteindre)|"
    r"un maximum de|au maximum|maximum de|au plus|plafonnée? à|"
    r"up to|as much as|as high as|capped at|a maximum of|no more than"
    r"|top(?:s|ping)? out at)"
    r"\s*(?:de\s|d['’])?\s*$",
    re.IGNORECASE,
)
ABOUT_RE = re.compile(
    r"(?:environ|autour de|près de|quelque|approximativement|de l['’]ordre de|"
    r"about|around|approximately|roughly|nearly|some|~)\s*(?:de\s|d['’])?\s*$",
    re.IGNORECASE,
)
AT_LEAST_RE = re.compile(
    r"(?:au moins|à partir de|au minimum|minimum de|un minimum de|plus de|"
    r"at least|starting at|starting from|a minimum of|more than|upwards of)"
    r"\s*(?:de\s|d['’])?\s*$",
    re.IGNORECASE,
)
RESPECTIVELY_RE = re.compile(r"\b(?:respectivement|respectively)\b", re.IGNORECASE)
# A second figure that restates the first one in other units.
RESTATEMENT_RE = re.compile(
    r"(?:équivaut|équivalent|équivalant|soit|ce qui représente|ce qui correspond|"
    r"ce qui fait|correspond à|equivalent|equates|works out|which is|or about|"
    r"or roughly|translating to|converti)",
    re.IGNORECASE,
)

PERIOD_AFTER = (
    (
        "hour",
        r"par heure|de l['’]heure|/\s?h(?:eure)?\b|(?:an|per|a|by the) hour|hourly"
        r"|/\s?hr\b|brut(?:s)? de l['’]heure|horaires?",
    ),
    ("day", r"par jour|/\s?jour|/\s?j\b|(?:a|per) day|daily|journaliers?|/\s?day"),
    ("month", r"par mois|/\s?mois|mensuel(?:le)?s?|(?:a|per) month|monthly|/\s?mo\b"),
    (
        "year",
        r"par an\b|par année|l['’]an\b|/\s?an\b|annuel(?:le)?s?|(?:a|per) year"
        r"|per annum|annually|/\s?y(?:ea)?r\b|yearly|a yr\b|par an(?:née)?",
    ),
)
PERIOD_BEFORE = (
    ("hour", r"taux horaire|salaire horaire|hourly (?:rate|wage|pay)|rate of"),
    ("day", r"\bTJM\b|taux journalier|tarif journalier|daily rate|day rate"),
    ("month", r"salaire mensuel|rémunération mensuelle|monthly (?:salary|pay)"),
    (
        "year",
        r"salaire annuel|rémunération annuelle|annual (?:salary|pay|base|"
        r"compensation)|salaire de base annuel|yearly",
    ),
)

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
    r"|fortune|patrimoine|net worth|richesse|valeur|worth"
)
# A figure described as a statistic is never a posting, whatever else the
# sentence says.
STATISTIC_CUES = (
    r"médian\w*|median|moyen(?:ne)?s?\b|average|en moyenne|on average"
    r"|enquête|survey|sondage|poll|percentile|centile|étude|study|classement"
    r"|baromètre|panel|statistiques?"
)
POSITIVE_CUES = (
    r"salaires?|salary|salaries|rémunér\w+|payée?s?|paid|pay\w*|paye|paie"
    r"|looking for|cherche\w*|recherche\w*|wage|wages"
    r"|gagne\w*|earn\w*|touche\w*|offre d['’]emploi|offres d['’]emploi"
    r"|annonces?|job (?:posting|listing|ad|offer)s?|postings?|listings?"
    r"|postes?|rôles?|roles?|positions?|recrut\w+|recruit\w*|hiring|hires?"
    r"|embauch\w+|offre|offrent|offert|offers?|offered|offering|propos\w+"
    r"|TJM|taux|rate|brut|gross|base|package|compensation|assorti"
)
OFFER_CUES = (
    r"\b(?:recrut\w*|recruit\w*|embauch\w*|cherche\w*|recherche(?!s)\w*|offre\w*"
    r"|offr\w+|propos\w+|postes?|rôles?|roles?|positions?|jobs?|listings?"
    r"|postings?|annonces?|hiring|hires?|looking for|seeks?|seeking|openings?"
    r"|vacanc\w+|candidat\w*|applicants?|peut espérer|can expect|pourrait gagner"
    r"|pourra gagner|could earn|would earn|will earn|gagnera|touchera|pays|paie"
    r"|paye|stages?|internships?|alternance|CDI|freelances?|missions?)\b"
)
NEUTRALIZED_RE = re.compile(
    r"(?:sans compter|hors|en plus des?|en plus d['’]|plus|excluding|not including"
    r"|before|avant|non compris|exclusive of|on top of)"
    r"\s+(?:les\s+|la\s+|le\s+|des\s+|d['’])?"
    r"(?:(?:primes?|bonus(?:es)?|actions|stocks?|equity|avantages|benefits|perks"
    r"|stock options|RSUs?)(?:\s*(?:,|et|ou|and|or)\s*(?:les\s+|la\s+|des\s+)?)?)+",
    re.IGNORECASE,
)

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
    r"|has listed|has advertised|is advertising|is also hiring"
)
COMPANY_NOUNS = (
    r"startup|start-up|jeune pousse|société|entreprise|plateforme|application"
    r"|appli|géant|groupe|cabinet|banque|firme|scale-up|licorne|éditeur|fabricant"
    r"|constructeur|chaîne|enseigne|sociétés|entreprises|plateformes|banques"
    r"|company|firm|startup|bank|platform|app|giant|group|chipmaker|retailer"
    r"|maker|unicorn|lab|laboratoire|labo|studio|agence|agency|assureur|insurer"
)
# Capitalised words that start sentences or name things other than
# companies.
NOT_COMPANY = words(
    "le la les l un une des de du d au aux en par pour chez selon enfin "
    "ainsi après avant alors mais et ou donc or ni car ce cette ces cet il "
    "elle ils elles on nous vous je tu son sa ses leur leurs mon ma dans "
    "sur sous avec sans entre vers depuis pendant lorsque quand comme si "
    "aussi toutefois pourtant cependant néanmoins dès déjà même plus moins "
    "très tout toute tous toutes certains certaines plusieurs quelques "
    "autre autres outre côté the a an in at on for by with from to of and "
    "or but so it its this that these those they we you he she his her "
    "their our also however meanwhile moreover yet still as after before "
    "while when if like unlike since ia ai ml llm llms pdg ceo cto cfo coo "
    "vp drh rh phd mba tech janvier février mars avril mai juin juillet "
    "août septembre octobre novembre décembre january february march april "
    "may june july august september october november december lundi mardi "
    "mercredi jeudi vendredi samedi dimanche monday tuesday wednesday "
    "thursday friday saturday sunday france europe états-unis etats-unis "
    "usa us uk royaume-uni allemagne chine inde japon canada californie "
    "california silicon valley hollywood paris londres london new york san "
    "francisco los angeles seattle boston berlin chatgpt copilot gemini "
    "claude llama gpt gpt-4 m mme mr mrs ms dr selon d'après"
)

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
NAME = r"[A-ZÀ-ÖØ-Þ][\w'’.&-]*(?:\s(?:&\s)?[A-ZÀ-ÖØ-Þ][\w'’.&-]*){0,3}"
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


@dataclass
class Money:
    start: int
    end: int
    low: int | None
    high: int | None
    currency: str
    period: str | None = None


@dataclass
class _Mention:
    name: str
    start: int
    end: int
    # 3: hiring subject ("X recrute"), 2: "chez X" or "the app X",
    # 1: a name from the list cited anywhere.
    strength: int


# --- Numbers and money --------------------------------------------------------


def parse_number(text: str, multiplier: str | None = None) -> float:
    """Return the value of a number written the French or English way."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    if text.lower() in {"un", "une", "a", "one"}:
        value = 1.0
    elif re.fullmatch(r"\d{1,3}(?:([  ,.])\d{3})+(?:[.,]\d{1,2})?", text):
        grouped = re.match(r"\d{1,3}(?:[  ,.]\d{3})+", text).group(0)
        rest = text[len(grouped) :]
        value = float(re.sub(r"\D", "", grouped))
        if rest:
            value += float("0." + rest[1:])
        # "1,2" or "1.5" are decimals: handled below since they do not match.
    else:
        value = float(text.replace(",", ".").replace(" ", ""))
    if multiplier:
        mult = multiplier.lower()
        if mult == "k":
            value *= 1_000
        elif mult in {"m", "mn", "million", "millions"}:
            value *= 1_000_000
        elif mult in {"md", "bn", "milliard", "milliards", "billion", "billions"}:
            value *= 1_000_000_000
    return value


def _currency(token: str) -> str:
    token = re.sub(r"\s+", " ", token.strip().lower())
    if token in CURRENCIES:
        return CURRENCIES[token]
    if token.startswith("dollar"):
        return "USD"
    return token.upper()[:3]


def _period_after(text: str) -> str | None:
    for period, pattern in PERIOD_AFTER:
        if re.match(
            rf"\s*(?:brut\w*\s+|net\w*\s+|gross\s+|bruts\s+)?(?:{pattern})", text, re.I
        ):
            return period
    return None


def _period_before(text: str) -> str | None:
    for period, pattern in PERIOD_BEFORE:
        if re.search(rf"(?:{pattern})[^.;]{{0,30}}$", text, re.IGNORECASE):
            return period
    return None


def default_period(amount: int) -> str:
    """Return the period a figure most likely covers when the text does not say."""
    if amount >= 15_000:
        return "year"
    if amount >= 1_000:
        return "month"
    if amount >= 150:
        return "day"
    return "hour"


def find_money(sentence: str) -> list[Money]:
    """Return the sums of money in a sentence, ranges and qualifiers resolved."""
    found: list[Money] = []
    respectively = RESPECTIVELY_RE.search(sentence)
    for match in MONEY_RE.finditer(sentence):
        if match.group("pnum"):
            value = parse_number(match.group("pnum"), match.group("pmult"))
            currency = _currency(match.group("pcur"))
            has_mult = bool(match.group("pmult"))
        elif match.group("snum"):
            value = parse_number(match.group("snum"), match.group("smult"))
            currency = _currency(match.group("scur"))
            has_mult = bool(match.group("smult"))
        else:
            value = parse_number(match.group("wnum"), match.group("wmult"))
            currency = _currency(match.group("wcur"))
            has_mult = True
        start, end = match.span()
        low: float | None = value
        high: float | None = value
        before = sentence[:start]
        range_match = RANGE_START_RE.search(before)
        if (
            range_match
            and respectively
            and not re.match(r"(?:entre|between)\b", range_match.group(0), re.I)
            and re.search(r"(?:et|and)\s?$", range_match.group(0))
        ):
            # In a "respectively" list, "X et Y" are two figures.
            range_match = None
        if range_match:
            first = parse_number(range_match.group("num"), range_match.group("mult"))
            mult = match.group("pmult") or match.group("smult")
            if not range_match.group("mult") and has_mult and first < 1_000:
                first = parse_number(range_match.group("num"), mult)
            if 0 < first <= value and first * 20 >= value:
                low = first
                start = range_match.start()
                before = sentence[:start]
                # The first figure was read on its own when it carried its
                # currency ("$310,000 to $460,000"): it belongs to this range.
                if found and found[-1].end > start:
                    found.pop()
        qualifier_zone = before[-45:]
        if low == high:
            if UP_TO_RE.search(qualifier_zone):
                low = None
            elif AT_LEAST_RE.search(qualifier_zone):
                high = None
        after = sentence[end : end + 40]
        period = _period_after(after) or _period_before(before[-60:])
        found.append(
            Money(
                start=start,
                end=end,
                low=round(low) if low is not None else None,
                high=round(high) if high is not None else None,
                currency=currency,
                period=period,
            )
        )
    if respectively:
        found = _add_bare_list_items(sentence, found)
    return found


def _add_bare_list_items(sentence: str, found: list[Money]) -> list[Money]:
    """Read the figures of a list written with its currency only once.

    "respectivement 250 000 et 270 000 dollars" holds two sums.
    """
    items = list(found)
    for money in found:
        cursor = money.start
        while True:
            match = LIST_ITEM_RE.search(sentence[:cursor])
            if not match or any(m.start <= match.start("num") < m.end for m in items):
                break
            value = round(parse_number(match.group("num"), match.group("mult")))
            items.append(
                Money(
                    start=match.start("num"),
                    end=match.end("num"),
                    low=value,
                    high=value,
                    currency=money.currency,
                )
            )
            cursor = match.start("num")
    return sorted(items, key=lambda item: item.start)


# --- Sentences ---------------------------------------------------------------

ABBREVIATIONS = re.compile(
    r"(?:\b(?:M|Mme|Mlle|Dr|St|Inc|Corp|Ltd|Co|Jr|Sr|vs|etc|cf|p|ex|env|No|Mr|Mrs|Ms"
    r"|U\.S|U\.K|[A-Z])\.)$"
)


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, leaving abbreviations and names whole."""
    sentences: list[str] = []
    start = 0
    for match in re.finditer(
        r"[.!?…]+[»\"”)]?(?=\s+[«\"“(]?\s?[A-ZÀ-ÖØ-Þ0-9$€£])", paragraph
    ):
        head = paragraph[start : match.end()]
        if ABBREVIATIONS.search(head.rstrip('»"”) ')):
            continue
        sentences.append(head.strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


# --- Companies and roles -------------------------------------------------------

_KNOWN_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        re.escape(name) for name in sorted(KNOWN_COMPANIES, key=len, reverse=True)
    )
    + r"|Proctor & Gamble|P&G|JP Morgan|J\.P\. Morgan|EY)(?![\w-])"
)
_SUBJECT_RE = re.compile(
    rf"(?P<name>{NAME})(?:\s?,[^,]{{1,70}},)?\s+"
    r"(?:a |ont |avait |has |have |had |is |are |was |were |va |vont |will )?"
    r"(?:\w+ment |également |aussi |déjà |encore |also |now |recently |currently "
    r"|just |désormais |actuellement )?"
    rf"(?:{JOB_VERBS})\b"
)
_CHEZ_RE = re.compile(rf"\b(?:[Cc]hez|at|[Aa]uprès de)\s+(?P<name>{NAME})")
_APPOSITION_RE = re.compile(
    rf"\b(?:{COMPANY_NOUNS})(?:\s(?!(?:{COMPANY_NOUNS})\b)[a-zà-ÿ'’-]+){{0,4}}\s"
    rf"(?P<name>{NAME}(?:\s(?:et|and)\s{NAME})?)"
)
_POSTING_OF_RE = re.compile(
    rf"\b(?:offre d['’]emploi|annonce|job (?:posting|listing|ad)|posting|listing)"
    rf"\s(?:de|d['’]|from|by|at)\s?(?P<name>{NAME})"
)


def _clean_name(name: str) -> str:
    words = name.replace("’", "'").split()
    # "L'Oréal" keeps its article; "Le groupe" loses it.
    while words and words[0].lower().strip(",.") in NOT_COMPANY:
        words.pop(0)
    # "Mistral AI" and "Salesforce AI" keep their last word.
    while words and words[-1].lower().strip(",.") in NOT_COMPANY - {"ai", "ia"}:
        words.pop()
    cleaned = " ".join(words).strip(",.;: ")
    cleaned = re.sub(r"['’]s$", "", cleaned)
    if cleaned.lower() in NOT_COMPANY or len(cleaned) < 2:
        return ""
    if re.fullmatch(
        r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:\s[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?", cleaned
    ) and (re.fullmatch(CITIES, cleaned) or re.fullmatch(REGIONS, cleaned)):
        return ""
    return cleaned


def find_companies(sentence: str) -> list[_Mention]:
    """Return the company names a sentence cites, strongest reading first."""
    mentions: list[_Mention] = []

    def add(name: str, start: int, end: int, strength: int) -> None:
        cleaned = _clean_name(name)
        if not cleaned:
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
    for pattern, strength in (
        (_SUBJECT_RE, 3),
        (_CHEZ_RE, 2),
        (_APPOSITION_RE, 2),
        (_POSTING_OF_RE, 2),
    ):
        for match in pattern.finditer(sentence):
            name = match.group("name")
            parts = (
                re.split(r"\s(?:et|and)\s", name)
                if pattern is _APPOSITION_RE
                else [name]
            )
            position = match.start("name")
            for part in parts:
                part_start = sentence.find(part, position)
                add(part, part_start, part_start + len(part), strength)
                position = part_start + len(part)
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
    return [m.name for m in _coordinated(mentions, chosen, sentence)]


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


# --- Classification -----------------------------------------------------------


def _nearest(pattern: str, text: str, start: int, end: int) -> int | None:
    best: int | None = None
    for match in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", text, re.IGNORECASE):
        if match.end() <= start:
            distance = start - match.end()
        elif match.start() >= end:
            distance = match.start() - end
        else:
            distance = 0
        if best is None or distance < best:
            best = distance
    return best


def is_offer(sentence: str, money: Money, context: str = "") -> bool:
    """Say whether a sum in a sentence is the pay of a job on offer."""
    top = max(v for v in (money.low, money.high) if v is not None)
    if top > MAX_SALARY or top <= 0:
        return False
    masked = NEUTRALIZED_RE.sub(lambda m: " " * len(m.group(0)), sentence)
    if re.search(rf"(?<![\w-])(?:{STATISTIC_CUES})(?![\w-])", masked, re.IGNORECASE):
        return False
    negative = _nearest(NEGATIVE_CUES, masked, money.start, money.end)
    positive = _nearest(POSITIVE_CUES, masked, money.start, money.end)
    # A job title next to a figure is weaker evidence than a pay word.
    role = _nearest(ROLE_WORDS, masked, money.start, money.end)
    if role is not None:
        role += 30
        positive = role if positive is None else min(positive, role)
    if positive is None and money.period is None:
        if not re.search(POSITIVE_CUES, context, re.IGNORECASE):
            return False
        positive = 200
    if money.period is not None:
        positive = 0 if positive is None else min(positive, 0)
    if negative is not None and positive > negative:
        return False
    # Pay alone may be anyone's; a job on offer is named as one.
    return bool(
        re.search(OFFER_CUES, masked, re.IGNORECASE)
        or re.search(OFFER_CUES, context, re.IGNORECASE)
    )


# --- Extraction -----------------------------------------------------------------


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


def extract_postings(body: str, *, language: str = "fr") -> list[ExtractedPosting]:
    """Return the job postings cited in an article body, in order of appearance."""
    paragraphs = [
        paragraph.strip()
        for paragraph in re.split(r"\n\s*\n", body)
        if paragraph.strip() and not paragraph.lstrip().startswith("#")
    ]
    sentences: list[tuple[int, str]] = []
    for number, paragraph in enumerate(paragraphs):
        text = re.sub(r"\s+", " ", paragraph.replace("\\", ""))
        sentences.extend((number, sentence) for sentence in split_sentences(text))

    postings: list[ExtractedPosting] = []
    seen: set[tuple] = set()
    for index, (paragraph, sentence) in enumerate(sentences):
        moneys = find_money(sentence)
        if not moneys:
            continue
        # A second figure restating the first ("soit environ 58 000 dollars
        # par an") is not another posting.
        kept: list[Money] = []
        for money in moneys:
            if kept and RESTATEMENT_RE.search(sentence[kept[-1].end : money.start]):
                continue
            kept.append(money)
        previous = sentences[index - 1][1] if index > 0 else ""
        context = previous
        offers = [money for money in kept if is_offer(sentence, money, context)]
        if not offers:
            continue

        mentions = find_companies(sentence)
        antecedent = ""
        anaphoric = bool(ANAPHORA_RE.match(sentence))
        if anaphoric and previous and not any(m.strength >= 2 for m in mentions):
            previous_mentions = find_companies(previous)
            if previous_mentions:
                mentions = previous_mentions
                antecedent = previous
        if not mentions:
            continue
        respectively = RESPECTIVELY_RE.search(sentence)
        source = antecedent or sentence
        where = len(antecedent) if antecedent else offers[0].start
        companies = _choose_companies(mentions, where, source)
        roles = find_roles(sentence) or (find_roles(antecedent) if antecedent else [])

        # Later sentences about the same posting give its place and mode.
        follow = [sentence]
        current = paragraph
        for later_paragraph, later in sentences[index + 1 : index + 4]:
            # A new paragraph still talks about the posting when it opens
            # with "Le poste..." or "The role...".
            if find_money(later) or (
                later_paragraph != current and not ANAPHORA_RE.match(later)
            ):
                break
            current = later_paragraph
            later_mentions = [
                m for m in find_companies(later) if m.name not in companies
            ]
            if later_mentions:
                break
            follow.append(later)
        details = " ".join(([antecedent] if antecedent else []) + follow)
        location = _location(details)
        remote = bool(REMOTE_RE.search(details))
        urls = [
            url if url.lower().startswith("http") else f"https://{url}"
            for url in (url.rstrip(".,;:)»") for url in URL_RE.findall(details))
        ]
        evidence = f"{antecedent} {sentence}".strip() if antecedent else sentence

        pairs: list[tuple[str, str, Money]] = []
        if respectively and len(offers) > 1:
            # Amounts listed "respectivement": the period and the qualifier
            # written once apply to every figure of the list.
            period = next((m.period for m in reversed(offers) if m.period), None)
            up_to = offers[0].low is None
            for money in offers:
                if period and not money.period:
                    money.period = period
                if up_to and money.low == money.high:
                    money.low = None
            if len(companies) == len(offers):
                pairs = [
                    (company, roles[0] if len(roles) == 1 else "", money)
                    for company, money in zip(companies, offers, strict=True)
                ]
            elif len(roles) == len(offers):
                pairs = [
                    (companies[0], role, money)
                    for role, money in zip(roles, offers, strict=True)
                ]
            else:
                pairs = [(companies[0], roles[0] if roles else "", m) for m in offers]
        elif len(offers) == 1:
            money = offers[0]
            if len(companies) > 1:
                pairs = [
                    (company, roles[0] if roles else "", money) for company in companies
                ]
            elif len(roles) > 1:
                pairs = [(companies[0], role, money) for role in roles]
            else:
                pairs = [(companies[0], roles[0] if roles else "", money)]
        else:
            # Each figure reads the clause since the previous figure:
            # "Chez A, un X gagne 1, et B recherche un Y qui gagnera 2".
            per_money: list[tuple[list[str], list[str]]] = []
            if not antecedent:
                previous_end = 0
                for money in offers:
                    segment = sentence[previous_end : money.start]
                    local = [
                        m for m in mentions if previous_end <= m.start < money.start
                    ]
                    chosen = (
                        _choose_companies(local, money.start, sentence)
                        if local
                        else _choose_companies(mentions, money.start, sentence)
                    )
                    per_money.append((chosen, find_roles(segment)))
                    previous_end = money.end
            if len(companies) == len(offers) and len(companies) > 1:
                pairs = [
                    (company, roles[0] if len(roles) == 1 else "", money)
                    for company, money in zip(companies, offers, strict=True)
                ]
            elif per_money and len({tuple(c) for c, _r in per_money}) > 1:
                # "Uber offers X, while Lyft pays Y": each figure goes to the
                # company named before it.
                pairs = [
                    (
                        chosen[0],
                        local_roles[0]
                        if local_roles
                        else (roles[0] if len(roles) == 1 else ""),
                        money,
                    )
                    for (chosen, local_roles), money in zip(
                        per_money, offers, strict=True
                    )
                ]
            else:
                pairs = [
                    (
                        companies[0],
                        roles[i] if i < len(roles) else (roles[0] if roles else ""),
                        money,
                    )
                    for i, money in enumerate(offers)
                ]

        for company_name, role, money in pairs:
            company = canonical_company_name(company_name)
            # "responsable IA de la Société Générale": the company is not
            # part of the role.
            role = re.sub(
                rf"\s+(?:de la|de l['’]|du|des|de|d['’]|chez|at|of)\s*"
                rf"{re.escape(company_name)}$",
                "",
                role,
            )
            top = money.high if money.high is not None else money.low
            period = money.period or default_period(top)
            key = (company.lower(), role.lower(), money.low, money.high, period)
            if key in seen:
                continue
            seen.add(key)
            postings.append(
                ExtractedPosting(
                    company=company,
                    title=role,
                    salary_min=money.low,
                    salary_max=money.high,
                    currency=money.currency,
                    period=period,
                    location=location,
                    remote=remote,
                    url=_url_for(company, urls, single=len(pairs) == 1),
                    evidence=evidence,
                )
            )
    return postings
