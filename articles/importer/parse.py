"""Turn scraped article text into its parts: metadata, Markdown body, questions.

Plain functions with no database access, so the rules can be tested on short
texts. The shape of the input is described in docs/importing.md.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from articles.importer.words import words

TITLE_MAX_LENGTH = 120
# A clause shorter than this makes a poor title, so the cut falls back to a
# word boundary instead.
TITLE_MIN_CLAUSE = 40
HEADING_MAX_LENGTH = 120
HEADING_MAX_WORDS = 16

GENERAL_QUESTION = {
    "fr": "Qu'en pensez-vous ?",
    "en": "What do you think?",
}

FRENCH_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "février": 2,
    "fevrier": 2,
    "févr": 2,
    "fevr": 2,
    "fév": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
    "déc": 12,
}
ENGLISH_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
MONTHS = {**FRENCH_MONTHS, **ENGLISH_MONTHS}
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
WEEKDAY_NAMES = (
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday"
    "|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thu|fri"
    "|sat|sun"
)

# Words frequent in one language and rare in the other; counting them is
# enough to tell a French article from an English one.
FRENCH_WORDS = words(
    "le la les des du un une et est sont dans pour par avec sur pas que qui "
    "ce cette ces il elle ils elles nous vous leur leurs plus mais ou au "
    "aux été être avoir fait selon entre chez très aussi comme"
)
ENGLISH_WORDS = words(
    "the and is are of to in for with on that this these it they we you "
    "their more but or at by from was were be been have has had not which "
    "who what as an about than"
)

# Lines a scraper picks up from the page around the article.
FURNITURE = frozenset(
    {
        "commentaire",
        "commentaires",
        "comment",
        "comments",
        "partager",
        "partager cet article",
        "partager l'article",
        "share",
        "share this article",
        "share this story",
        "publicité",
        "advertisement",
        "sponsored",
        "contenu sponsorisé",
        "lire aussi",
        "lire la suite",
        "read more",
        "abonnez-vous",
        "subscribe",
        "newsletter",
        "imprimer",
        "print",
        "réagir",
        "tweet",
        "copier le lien",
        "copy link",
        "envoyer par e-mail",
        "email",
        "e-mail",
        "écouter cet article",
        "listen to this article",
        "article réservé aux abonnés",
        "réservé aux abonnés",
        "abonnés",
        "premium",
        "voir les commentaires",
        "laisser un commentaire",
        "leave a comment",
        "ajouter aux favoris",
        "save",
        "facebook",
        "twitter",
        "linkedin",
        "offrir l'article",
        "offrir cet article",
        "gift this article",
        "ajouter à vos sélections",
        "read later",
        "lire plus tard",
        # Navigation, account and legal links around the article.
        "menu",
        "rechercher",
        "recherche",
        "search",
        "sections",
        "se connecter",
        "connexion",
        "s'identifier",
        "mon compte",
        "sign in",
        "log in",
        "login",
        "my account",
        "s'abonner",
        "infolettre",
        "x",
        "whatsapp",
        "bluesky",
        "envoyer par courriel",
        "envoyer par mail",
        "send by email",
        "share this",
        "mentions légales",
        "politique de confidentialité",
        "conditions d'utilisation",
        "conditions générales",
        "cgu",
        "cgv",
        "plan du site",
        "nous contacter",
        "contact",
        "contact us",
        "qui sommes-nous",
        "tous droits réservés",
        "privacy",
        "privacy policy",
        "privacy notice",
        "terms",
        "terms of use",
        "terms of service",
        "terms and conditions",
        "about us",
        "advertise",
        "all rights reserved",
        "sitemap",
        "gérer mes cookies",
        "gérer les cookies",
        "cookie settings",
        "cookie policy",
        "cookies",
        "skip to main content",
        "skip to content",
        "aller au contenu",
        "aller au contenu principal",
        "passer au contenu",
        "passer au contenu principal",
        # Newsletter footers.
        "se désabonner",
        "se désinscrire",
        "désabonnement",
        "unsubscribe",
        "gérer mes préférences",
        "gérer vos préférences",
        "manage preferences",
        "manage your preferences",
        "update your preferences",
        "voir dans le navigateur",
        "view in browser",
        "view online",
    }
)
# Words a menu bar is made of, read only in a list of short items:
# "Accueil | Emploi | Podcasts".
NAVIGATION_WORDS = FURNITURE | words(
    "accueil home actualités actu news jobs emploi emplois événements events "
    "podcasts podcast vidéos videos tech business careers carrières économie "
    "société culture sport sports opinion opinions idées international monde "
    "world politique politics sciences science santé health abonnement "
    "connexion rss tweet email e-mail imprimer print actus dossiers newsletters"
)
FURNITURE_RE = re.compile(
    r"""^(?:
        (?:partager|share)\s+(?:sur|on|via)\b.*
      | (?:partager|share)(?:\s+(?:cet\s+article|this(?:\s+article|\s+story)?))?
        \s*:.{0,120}
      | (?:suivez-nous|follow\s+us)\b.*
      | (?:abonnez-vous|inscrivez-vous|s['’]abonner|sign\s+up|subscribe)\b.{0,80}
      | (?:newsletters?|infolettres?)(?:\s*[-:]?\s*(?:sign[\s-]?up|inscription
        |gratuite|free))?
      | \d+\s+(?:commentaires?|comments?|réactions?)
      | (?:commentaires?|comments?|réactions?|réagir)\s*\(\d+\)
      | .{0,120}\b(?:articles?\s+gratuits?|free\s+(?:articles?|stories)
        |(?:pour|to)\s+continuer\s+votre\s+lecture|to\s+continue\s+reading)\b.{0,120}
      | (?:temps\s+de\s+)?lecture\s*:?\s*\d+\s*min\w*\.?
      | \d+\s*min(?:utes?)?\.?\s+(?:de\s+lecture|read)
      | (?:cet\s+)?article\s+(?:est\s+)?réservé\s+aux\s+abonnés.{0,80}
      | (?:la\s+suite\s+est\s+réservée|il\s+vous\s+reste\s+\d+\s*%).{0,80}
      | this\s+(?:article|story)\s+is\s+(?:for|available\s+to)\s+subscribers.{0,40}
      | reading\s+time\s*:?\s*\d+\s*min\w*\.?
      | (?:photo|photos|image|illustration|crédits?(?:\s+photo)?|credits?)
        \s*:.{0,120}
      | \(\s*(?:photos?|images?|illustrations?|crédits?|credits?|vidéo|video
        |infographie|graphique|chart|source)\b.{0,240}\)
      | (?:©|copyright\b).{0,120}
      | (?:related\s+|sujets\s+)?(?:mots-clés|mots\s+clés|tags|sujets|topics
        |thèmes|themes)\s*:.{0,200}
      | (?:lire\s+aussi|à\s+lire\s+aussi|a\s+lire\s+aussi|lire\s+également
        |à\s+lire\s+également|voir\s+aussi|read\s+also|also\s+read|read\s+more
        |see\s+also|more\s+on\s+this|related)\s*[:>-].{0,200}
      | [^>›/\n]{1,40}(?:\s[>›/]\s[^>›/\n]{1,40}){2,}
      | (?:cet\s+article\s+vous\s+a(?:-t-il)?\s+(?:plu|été\s+utile)
        |(?:vous\s+avez|avez-vous)\s+aimé\s+(?:cet\s+article|ce\s+numéro
          |cette\s+(?:lettre|newsletter|infolettre|édition))
        |(?:did\s+you|do\s+you)\s+(?:like|enjoy|find)\s+this\s+(?:article|story
          |issue|newsletter|edition|post)
        |was\s+this\s+(?:article\s+|story\s+)?(?:helpful|useful)).{0,120}
      | (?:transférez|transmettez)-(?:la|le|les)\b.{0,80}
      | (?:faites-(?:la|le)\s+suivre|(?:faites\s+suivre|forward)\s+(?:cette|ce|this|it))
        \b.{0,80}
      | (?:you(?:['’]re|\s+are)\s+receiving|vous\s+recevez)\b.{0,200}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# A cookie notice: the word and a consent button or setting on one short line.
COOKIE_NOTICE_RE = re.compile(
    r"^(?=.{0,300}$)(?=.*\bcookies?\b)(?=.*\b(?:accept\w*|utilis\w*|uses?"
    r"|consent\w*|paramètr\w*|gérer|manage\w*|settings|polic\w*|politique"
    r"|préférences|preferences|got\s+it|ok|yes|oui)\b)",
    re.IGNORECASE,
)
# The separators of a menu bar or a share bar: "News | Jobs | Events".
NAVIGATION_SEPARATOR_RE = re.compile(r"\s*[|•·]\s*")
# "Voir l'annonce : URL", "Apply here: URL": a short label before the
# addresses of a job ad. The label goes; the addresses stay in the body.
LINK_LABEL_RE = re.compile(
    r"^(?P<label>[^\W\d][^:.!?\d]{0,40}?)\s*:\s*"
    r"(?P<links>(?:https?://|www\.)\S+(?:\s+(?:et|and|&|,)?\s*(?:https?://|www\.)\S+)*)$",
    re.IGNORECASE,
)
# A heading that announces a list of links to other articles; it and the
# short lines after it are page furniture.
RELATED_LIST_RE = re.compile(
    r"^(?:voir\s+aussi|lire\s+aussi|à\s+lire\s+aussi|a\s+lire\s+aussi"
    r"|à\s+lire\s+également|sur\s+le\s+même\s+sujet|dans\s+la\s+même\s+rubrique"
    r"|articles?\s+(?:similaires|liés|associés)|see\s+also|read\s+more"
    r"|related(?:\s+(?:articles|stories|reading))?|more\s+on\s+this(?:\s+topic)?"
    r"|you\s+may\s+also\s+like)\s*:?$",
    re.IGNORECASE,
)
# Lines that ask readers to answer in the comments: not questions to keep.
COMMENT_INVITATION_RE = re.compile(
    r"\b(?:en|dans\s+les|in\s+the|below|ci-dessous|section)\s+(?:commentaires?"
    r"|comments?)\b|\b(?:commentaires?|comments)\s+(?:ci-dessous|below)\b"
    r"|\b(?:let\s+us\s+know|tell\s+us|dites-(?:le-)?nous|donnez(?:-nous)?\s+votre"
    r"\s+avis|réagissez|partagez\s+votre\s+avis|share\s+your\s+(?:thoughts|views"
    r"|opinion))\b",
    re.IGNORECASE,
)
# Lines that introduce the closing questions and are not questions to keep.
LEAD_IN_RE = re.compile(
    r"""^(?:
        et\s+vous | à\s+vous | a\s+vous | à\s+vous\s+de\s+(?:jouer|répondre)
      | et\s+toi | your\s+turn | over\s+to\s+you | what\s+about\s+you | and\s+you
      | (?:le\s+)?débat | debate | discussion | (?:à\s+)?votre\s+avis
      | your\s+(?:view|views|opinion|thoughts)
      | (?:les\s+)?questions?(?:\s+(?:pour|du|de|à|for|to)\b.{0,40})?
      | pour\s+(?:aller\s+plus\s+loin|en\s+débattre|débattre|discuter)
      | (?:to\s+)?discuss | food\s+for\s+thought
      | à\s+vous\s+de\s+(?:juger|trancher|décider) | (?:le\s+)?débat\s+est\s+ouvert
      | participez\s+au\s+débat | have\s+your\s+say | you\s+decide
      | join\s+the\s+(?:conversation|discussion|debate)
      | tell\s+us(?:\s+(?:in\s+the\s+comments|below|what\s+you\s+think))?
    )\s*[?:!.…]*$""",
    re.IGNORECASE | re.VERBOSE,
)
# A lead-in at the start of the line holding the first question:
# "À vous : faut-il ... ?".
LEAD_IN_PREFIX_RE = re.compile(
    r"^(?P<lead>[^:?!.]{1,40}?)\s*[:!]\s*(?=\S)",
)
# "1.", "2)", "(3)", "-", "•", "Question 2 :" before a question.
ENUMERATOR_RE = re.compile(
    r"^(?:(?:question\s*|q)\d{1,2}\s*[:.)-]?|\(?\d{1,2}\s*[.)°/-]|\(\d{1,2}\)"
    r"|[a-e]\)|[-–—•*·▪►✓>])\s*",
    re.IGNORECASE,
)
# A list item: "• Kairo — ML engineer", "- Hugging Face: ML engineer".
LIST_ITEM_RE = re.compile(r"^[-–•*·▪►]\s+\S")
# The cells of a table row: "Zalando | Applied scientist | €85,000 | Berlin".
TABLE_CELL_RE = re.compile(r"\s+\|\s+")
LINK_RE = re.compile(r"https?://\S+|\bwww\.\S+", re.IGNORECASE)

FOLLOW_UP_RE = re.compile(
    r"""^(?:
        (?:et\s+)?pourquoi(?:\s+pas)?(?:\s+ou\s+pourquoi\s+pas)?
      | pour\s+quelles?\s+raisons?
      | (?:et\s+)?comment(?:\s+ça|\s+cela)?
      | (?:et\s+)?vous
      | et\s+chez\s+vous | et\s+demain | et\s+ailleurs | et\s+en\s+france
      | lesquel(?:le)?s?(?:\s+et\s+pourquoi)?
      | dans\s+quel(?:le)?s?\s+(?:cas|mesure|conditions?)
      | à\s+quel(?:le)?s?\s+(?:conditions?|prix)
      | oui\s+ou\s+non | ou\s+pas | ou\s+non | vraiment
      | (?:and\s+)?why(?:\s+not)?(?:\s+or\s+why\s+not)?(?:\s+is\s+that|\s+so)?
      | (?:and\s+)?how(?:\s+so)?
      | (?:and\s+)?you | what\s+about\s+you
      | which\s+ones?(?:\s+and\s+why)?
      | (?:to|in)\s+what\s+extent | under\s+what\s+conditions | at\s+what\s+cost
      | for\s+what\s+reasons? | yes\s+or\s+no | or\s+not | really
      | (?:(?:et|and)\s+)?(?:si\s+oui|si\s+non|sinon|le\s+cas\s+échéant|if\s+so|if\s+not
        |if\s+yes|if\s+no|otherwise)\b.*
    )\s*[?!.]?$""",
    re.IGNORECASE | re.VERBOSE,
)
# Short instructions that follow a question and belong to it.
FOLLOW_UP_INSTRUCTION_RE = re.compile(
    r"^(?:expliquez|argumentez|justifiez|détaillez|précisez|développez"
    r"|explain|discuss|justify|elaborate)\b[^.!?]{0,40}[.!]?$",
    re.IGNORECASE,
)
# Words that open a question, used to find where a question glued to a
# "Sources :" list starts.
QUESTION_OPENERS = words(
    "pensez croyez estimez trouvez êtes avez faut doit doivent peut peuvent "
    "que quel quelle quels quelles qu comment pourquoi combien selon est où "
    "qui à d faudrait serait seriez do does did should would could can will "
    "is are was were what which how why who where when has have in"
)
DETERMINER_RE = re.compile(
    r"(?:les|la|le|l['’]|ces|cette|ce|cet|un|une|des|du|vos|nos|leurs|leur|ses|sa|son"
    r"|mes|ma|mon|tous|toutes|tout|toute|chaque|certains|certaines|the|these"
    r"|those|this|that|our|your|their|a|an)(?:\s|(?<=['’]))",
    re.IGNORECASE,
)
# "peuvent-elles", "faut-il", "a-t-on": a French question's verb and subject.
INVERTED_SUBJECT_RE = re.compile(
    r"\w+-(?:t-)?(?:je|tu|il|elle|on|nous|vous|ils|elles)\b", re.IGNORECASE
)
READER_ADDRESS_RE = re.compile(
    r"\b(?:vous|votre|vos|you|your)\b|-vous\b", re.IGNORECASE
)

# Dates: "2024-03-05", "05/03/2024", "5 mars 2024", "1er avr. 2024",
# "March 5, 2024", "5 March 2024", "mars 2024", with an optional weekday.
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:er|st|nd|rd|th)?"
_MONTH = rf"(?:{MONTH_NAMES})(?![a-zà-ÿ])\.?"
_YEAR = r"(?:19|20)\d{2}"
DATE_RE = re.compile(
    rf"""(?<![\w/.-])(?:(?:{WEEKDAY_NAMES})\.?,?\s+)?(?:
        (?P<iso>{_YEAR}-\d{{1,2}}(?:-\d{{1,2}})?)
      | (?P<numeric>\d{{1,2}}[/.]\d{{1,2}}[/.](?:{_YEAR}|\d{{2}}))
      | (?P<dmy>{_DAY}\s+{_MONTH}\s*,?\s+{_YEAR})
      | (?P<mdy>{_MONTH}\s+{_DAY},?\s+{_YEAR})
      | (?P<my>{_MONTH}\s+{_YEAR})
    )(?![\w/-])""",
    re.IGNORECASE | re.VERBOSE,
)
# What may surround a date on a line of its own: labels, times, time zones.
DATE_WORDS_RE = re.compile(
    r"""(?<!\w)(?:
        (?:article\s+)?publiée?s?(?:\s+le)?(?:\s+en\s+ligne)?
      | (?:mise?|mis)\s+à\s+jour(?:\s+le)? | modifiée?(?:\s+le)? | actualisée?(?:\s+le)?
      | date(?:\s+de\s+publication)? | dernière\s+mise\s+à\s+jour
      | (?:first\s+|last\s+)?(?:published|posted|updated|modified)(?:\s+on)?
      | le | du | on | at | à | et
      | \d{1,2}\s*(?:h|:)\s*\d{0,2}(?:\s*(?:a\.?m\.?|p\.?m\.?))?
      | \d{1,2}\s*(?:a\.?m\.?|p\.?m\.?)
      | \d+\s*min(?:utes?)?\.?\s+(?:read|de\s+lecture)
      | utc|gmt|cet|cest|et|est|edt|pt|pst|pdt|bst|heure\s+de\s+paris
    )(?!\w)""",
    re.IGNORECASE | re.VERBOSE,
)
DATE_LABEL_RE = re.compile(
    r"(?:article\s+)?(?:publiée?|mise?\s+à\s+jour|modifiée?|actualisée?|date"
    r"|dernière\s+mise\s+à\s+jour|(?:first\s+|last\s+)?(?:published|posted"
    r"|updated|modified))\b",
    re.IGNORECASE,
)
UPDATED_RE = re.compile(
    r"\b(?:mise?|mis)\s+à\s+jour|\bmodifiée?|\bactualisée?|\bupdated|\bmodified",
    re.IGNORECASE,
)
DATE_HEADER_RE = re.compile(
    r"^\s*date\s*:?\s*"
    rf"(?P<date>{DATE_RE.pattern}|{_YEAR}(?![\w/-]))[.,]?",
    re.IGNORECASE | re.VERBOSE,
)
PUBLISHED_RE = re.compile(
    r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$"
)

SOURCE_AUTHOR_RE = re.compile(
    r"^(?P<source>[A-Z0-9ÀÂÉÈÊÎÔÙÛÇ][^()\n]{1,80}?)\s*"
    r"\((?P<author>[^()\n]{2,80})\)\s*\.?$"
)
PERSON_NAME_RE = re.compile(
    r"^[A-ZÀ-ÖØ-Þ][\w'’.-]+(?:\s+(?:de|da|van|von|der|le|la|du|et|and|&)?\s*"
    r"[A-ZÀ-ÖØ-Þ][\w'’.-]+){0,4}(?:\s*(?:,|et|and|&)\s*[A-ZÀ-ÖØ-Þ][\w'’.-]+"
    r"(?:\s+[A-ZÀ-ÖØ-Þ][\w'’.-]+){0,3})*$"
)
AUTHOR_FIELD_RE = re.compile(
    r"^(?:auteur|autrice|auteure|auteurs|author|authors)"
    r"(?:\s*/\s*(?:autrice|auteure|auteur))?\s*:\s*(?P<author>.*)$",
    re.IGNORECASE,
)
# The words that open a by-line: "Par", "By", "Texte :", "Propos recueillis
# par", "Written by"...
# "Le 14 février 2024 à 10:12, par Paul Martin", "Posted on March 12, 2024
# by Jane Cooper".
DATED_BYLINE_RE = re.compile(
    r"^(?P<date>.{6,80}?\d)[,\s]+(?:par|by)\s+(?P<rest>.{2,120})$", re.IGNORECASE
)
BYLINE_RE = re.compile(
    r"""^(?:
        par | by | texte\s*: | textes\s*: | text\s*: | words\s*:
      | textes?\s+(?:de|par) | propos\s+recueillis\s+par
      | (?:un\s+)?article\s+(?:de|par|rédigé\s+par)
      | (?:rédigé|écrit|signé)e?\s+par | enquête\s+(?:de|par)
      | (?:interview|reporting|words|written|story|report)\s+by
      | interviewed\s+by | edited\s+by | posted\s+by | publiée?\s+par
    )\s+(?P<rest>.{2,160})$""",
    re.IGNORECASE | re.VERBOSE,
)
# Words that describe the author rather than name a publication.
ROLE_NOUNS = words(
    "journaliste journalistes correspondant correspondante correspondants "
    "envoyé envoyée envoyés rédacteur rédactrice chef cheffe chroniqueur "
    "chroniqueuse reporter reporters writer writers editor editors "
    "correspondent correspondents contributor contributing staff columnist "
    "senior special pigiste freelance"
)
ROLE_WORDS = words(
    "journaliste journalistes correspondant correspondante correspondants "
    "envoyé envoyée envoyés spécial spéciale rédacteur rédactrice rédaction "
    "chef cheffe chroniqueur chroniqueuse reporter reporters writer writers "
    "editor editors correspondent correspondents contributor contributing "
    "staff columnist senior avec with à a au en in at from de pour for "
    "special service pigiste freelance"
)
PUBLICATION_WORDS_RE = re.compile(
    r"^(?:le|la|les|l['’]|the)\b|&|\.(?:com|fr|io|net|org|co\.uk|ca|ch|be)\b"
    r"|\b(?:tech|review|journal|times|news|digest|wire|weekly|daily|magazine"
    r"|mag|hebdo|quotidien|gazette|post|tribune|monde|echos|courrier|ledger"
    r"|presse|press|média|media|radio|tv|télé|info|infos|herald|observer"
    r"|chronicle|insider|report|letter|lettre|revue|blog|club|agence|agency"
    r"|reuters|afp|bloomberg)\b",
    re.IGNORECASE,
)
SOURCE_FIELD_RE = re.compile(
    r"^(?:source|publication|publié\s+dans|paru\s+dans|via)\s*:\s*(?P<source>.+)$",
    re.IGNORECASE | re.DOTALL,
)
SOURCES_RE = re.compile(r"^sources\s*:\s*(?P<sources>.*)$", re.IGNORECASE | re.DOTALL)
# A wire dispatch's dateline: "PARIS, 4 mars (Agence Tech Presse) — ...",
# "SAN FRANCISCO, May 6 (Pacific Newswire) - ...". The city is in capitals.
DATELINE_RE = re.compile(
    rf"""^(?P<place>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\s-]{{1,40}}?)
    (?:,\s*(?i:{_DAY}\s+{_MONTH}|{_MONTH}\s+{_DAY}))?
    \s*\((?P<source>[^()]{{2,60}})\)\s*[-–—]\s+(?=\S)""",
    re.VERBOSE,
)
# The credits that close a wire dispatch: "(Reporting by Dana Ko; Editing
# by Mark Hill)", "(Reportage de Lou Bel, édition par Ana Roy)".
WIRE_CREDITS_RE = re.compile(
    r"^\(\s*(?:additional\s+)?(?:reporting|writing|reportage|rédaction|texte)"
    r"\s+(?:by|de|par)\s+(?P<author>[^;,()]+?)\s*(?:[;,].{0,120})?\)\.?$",
    re.IGNORECASE,
)
# A magazine's masthead and issue: "Continental Business Review, Spring 2025
# issue", "Revue du numérique, numéro d'été 2025". The issue is no date.
ISSUE_LINE_RE = re.compile(
    rf"""^(?P<source>[A-ZÀ-ÖØ-Þ][^,|:()]{{1,60}}?)\s*(?:,|\||\s[–—-])\s*(?:
        (?:(?:spring|summer|autumn|fall|winter|{MONTH_NAMES})\s+)?(?:19|20)\d{{2}}
        \s+(?:issue|edition)
      | (?:issue|edition)\s+(?:no\.?\s*)?\d+.*
      | (?:numéro|édition|n°)\s+(?:du\s+|de\s+l['’]|d['’]|de\s+)?
        (?:printemps|été|automne|hiver|{MONTH_NAMES}|\d+)\b.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# The newsletter a reader subscribed to, named in the footer: "You're
# receiving this because you subscribed to Signal & Noise."
SUBSCRIBED_TO_RE = re.compile(
    r"\b(?:subscribed\s+to|signed\s+up\s+(?:for|to)|abonnée?s?\s+à"
    r"|inscrite?s?\s+à)\s+(?P<name>[A-ZÀ-ÖØ-Þ«\"“][^.!?|]{1,60}?)\s*(?:[.!|]|$)"
)
# A newsletter's sign-off: "À la semaine prochaine,", "See you next week,
# Ellie", "Bonne lecture !".
SIGN_OFF_RE = re.compile(
    r"""^(?:
        à\s+(?:la\s+semaine\s+prochaine|bientôt|très\s+vite|la\s+prochaine
        |(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain)(?:\s+prochain)?)
      | bonne\s+(?:semaine|journée|soirée|lecture|fin\s+de\s+semaine)
      | amitiés | bises | cordialement | merci\s+de\s+(?:m['’]avoir|nous\s+avoir)\s+lue?
      | see\s+you\s+(?:next\s+(?:week|time|month)|soon) | until\s+next\s+(?:week|time)
      | cheers | best(?:\s+wishes)? | thanks\s+for\s+reading | talk\s+soon
      | take\s+care | bye(?:\s+for\s+now)?
    )\s*[,.!]?(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]+){0,2}\s*[,.!]?$""",
    re.IGNORECASE | re.VERBOSE,
)
# "2025-05-06T16:12:00Z": a machine timestamp above a dispatch.
TIMESTAMP_RE = re.compile(
    r"(?<=\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\b"
)
TRANSLATOR_RE = re.compile(
    r"^\(?\s*(?:traduit|traduction|adapté|translated|translation)\b[^()]*?"
    r"(?:\b(?:par|by)\s+|:\s*)(?P<name>[^():]+?)\s*\)?\s*\.?\s*\)?$",
    re.IGNORECASE,
)

# A paragraph break the scraper lost: a sentence end immediately followed by
# a capitalised word ("...marché.Quel est") or an opening quote. Two capitals
# in a row ("Snackable.AI") are a name, not a break.
GLUED_BREAK_RE = re.compile(
    r"(?<=[a-zà-öø-ÿA-ZÀ-ÖØ-Þ0-9)»\"”%][.!?…])(?=«|[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’])"
    r"|(?<=\s[?!])(?=«|[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’])"
)
# A sentence ends at ".", "!", "?" or "…", after the closing quote that may
# follow; questions glued together split at the "?".
SENTENCE_SPLIT_RE = re.compile(
    r"(?<=[.!?…])\s+(?=[^\s»”)])|(?<=[.!?…][»”\")])\s+|(?<=[.!?…]\s[»”])\s+"
    r"|(?<=\?)(?=[^\s?!.»”)\"'])"
)


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    published: str | None = None
    source: str = ""
    author: str = ""
    translator: str = ""
    sources: list[str] = field(default_factory=list)
    language: str = "fr"
    body: str = ""
    questions: list[str] = field(default_factory=list)


@dataclass
class _Block:
    text: str
    # True when the block was a line of its own in the file, False when it
    # was cut out of a longer line at a lost paragraph break.
    own_line: bool = True


def normalize_text(text: str) -> str:
    """Return the text with line endings, spaces and Unicode forms unified."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u202f\u2007\u2009\t]", " ", text)
    text = re.sub(r"[\u200b\u200c\u200d\u2060\u00ad]", "", text)
    return text.replace("\u2011", "-")


def squash(text: str) -> str:
    """Return the text with runs of spaces collapsed and ends trimmed."""
    return re.sub(r"[ ]{2,}", " ", text).strip()


def detect_language(text: str) -> str:
    """Return "fr" or "en" by counting frequent words of each language."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    french = sum(word in FRENCH_WORDS for word in words)
    english = sum(word in ENGLISH_WORDS for word in words)
    return "en" if english > french else "fr"


def normalize_published(value: str) -> str | None:
    """Return a date written in a supported form as YYYY, YYYY-MM or YYYY-MM-DD."""
    value = squash(normalize_text(value)).rstrip(".,").strip()
    if re.fullmatch(r"\d{4}", value):
        return _format_date(value, None, None)
    match = DATE_RE.fullmatch(value)
    return _read_date(match) if match else None


def _read_date(match: re.Match) -> str | None:
    if iso := match.group("iso"):
        year, month, *day = iso.split("-")
        return _format_date(year, month, day[0] if day else None)
    if numeric := match.group("numeric"):
        first, second, year = re.split(r"[/.]", numeric)
        year = f"20{year}" if len(year) == 2 else year
        # Day first, as in French, unless the first number cannot be a month
        # and the second cannot be a day.
        day, month = (second, first) if int(second) > 12 else (first, second)
        return _format_date(year, month, day)
    written = match.group("dmy") or match.group("mdy") or match.group("my")
    month_name = re.search(_MONTH, written, re.IGNORECASE).group(0)
    month = MONTHS[month_name.rstrip(".").lower()]
    year = written[-4:]
    day = re.search(r"(?<!\d)\d{1,2}(?!\d)", written[:-4])
    return _format_date(year, str(month), day.group(0) if day else None)


def _format_date(year: str, month: str | None, day: str | None) -> str | None:
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    if month is None:
        return year
    if day is None:
        return f"{year}-{int(month):02d}"
    return f"{year}-{int(month):02d}-{int(day):02d}"


def read_date_line(text: str) -> tuple[str, bool] | None:
    """Return the date a line made only of a date gives, and if it is an update.

    "Publié le 3 avril 2024 à 14h05", "Published Tuesday, June 7, 2024",
    "Mis à jour le 12/03/2024", "Updated on 12 March 2024" or a bare date.
    """
    if len(text) > 160:
        return None
    # "à 7:00Mis à jour le ...": two dates glued by the scraper.
    text = re.sub(r"(?<=\d)(?=[A-ZÀ-ÖØ-Þ])", " ", TIMESTAMP_RE.sub("", text))
    matches = list(DATE_RE.finditer(text))
    if not matches:
        return None
    rest = DATE_WORDS_RE.sub(" ", DATE_RE.sub(" ", text))
    if re.search(r"[^\W_]", rest):
        return None
    update = None
    previous_end = 0
    for match in matches:
        label = text[previous_end : match.start()]
        previous_end = match.end()
        date = _read_date(match)
        if date is None:
            continue
        if not UPDATED_RE.search(label):
            return date, False
        update = update or (date, True)
    return update


def split_glued(line: str) -> list[str]:
    """Split a line at paragraph breaks the scraper lost."""
    parts = GLUED_BREAK_RE.split(line)
    return [squash(part) for part in parts if part.strip()]


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, including questions glued together."""
    return [squash(part) for part in SENTENCE_SPLIT_RE.split(text) if part.strip()]


def _is_list_item(text: str) -> bool:
    """Tell a bullet ("• Kairo — ML engineer — 70 k€") or a table row
    ("Mila | Chercheur | 120 000 $ CA | Montréal") from running text."""
    return bool(LIST_ITEM_RE.match(text)) or len(TABLE_CELL_RE.split(text)) >= 3


def _is_heading(block: _Block) -> bool:
    text = block.text
    if not block.own_line or len(text) > HEADING_MAX_LENGTH or _is_list_item(text):
        return False
    if len(text.split()) > HEADING_MAX_WORDS or LINK_RE.search(text):
        return False
    return not (text[-1] in '.,;:«»"”)' or text[0] in '«"“(-–—')


def _is_title_line(block: _Block) -> bool:
    text = block.text
    return (
        block.own_line
        and len(text) <= TITLE_MAX_LENGTH
        and text[-1] not in ".,;:"
        and text[0] != "("
        # A quotation alone is not a title; a headline that opens with one,
        # "« Nous payons le prix du marché » : ...", is.
        and (text[0] not in '«"“' or bool(re.match(r'.[^»"”]+[»"”]\s*\S', text)))
    )


def shorten_title(sentence: str, limit: int = TITLE_MAX_LENGTH) -> str:
    """Return a sentence as a title, cut at a clause or word boundary."""
    sentence = sentence.strip().rstrip(".").strip()
    if len(sentence) <= limit:
        return sentence
    head = sentence[: limit - 1]
    clause_ends = [m.start() for m in re.finditer(r"\s*(?:,|;|:| –| —| -)\s", head)]
    clause_ends = [end for end in clause_ends if end >= TITLE_MIN_CLAUSE]
    if clause_ends:
        cut = head[: clause_ends[-1]]
    else:
        cut = head[: head.rfind(" ")] if " " in head else head
        # Ending on "de" or "the" reads as a broken title.
        weak = re.compile(
            r"\s+(?:le|la|les|l['’]\w*|de|des|du|d['’]\w*|un|une|et|à|au|aux|en"
            r"|pour|par|sur|avec|dans|que|qui|the|a|an|of|to|and|in|for|on"
            r"|with|by|at|from)$",
            re.IGNORECASE,
        )
        while weak.search(cut):
            cut = weak.sub("", cut)
    return cut.rstrip(" ,;:–—-") + "…"


def _is_follow_up(sentence: str) -> bool:
    return bool(
        FOLLOW_UP_RE.match(sentence) or FOLLOW_UP_INSTRUCTION_RE.match(sentence)
    )


def _is_lead_in(sentence: str) -> bool:
    return bool(LEAD_IN_RE.match(sentence))


def _merge_follow_ups(questions: list[str]) -> list[str]:
    # A lead-in such as "Et vous ?" opening the run introduces the questions;
    # one that follows a question asks it of the reader and stays with it.
    while questions and _is_lead_in(questions[0]):
        questions = questions[1:]
    merged: list[str] = []
    for question in questions:
        if merged and _is_follow_up(question):
            merged[-1] = f"{merged[-1]} {question}"
        elif question.endswith("?"):
            merged.append(question)
    return merged


def _closing_sentences(text: str) -> list[str] | None:
    """Return the questions a block is made of, or None if it says anything else.

    Lead-ins ("À vous :", "Et vous ?") are kept for the caller to drop;
    enumerators ("1.", "-") and invitations to comment are left out.
    """
    if LINK_RE.search(text):
        return None
    found: list[str] = []
    for sentence in split_sentences(ENUMERATOR_RE.sub("", text, count=1)):
        sentence = ENUMERATOR_RE.sub("", sentence, count=1).strip()
        if not sentence or re.fullmatch(r"\d{1,2}[.)]?", sentence):
            continue
        lead = LEAD_IN_PREFIX_RE.match(sentence)
        if lead and _is_lead_in(lead.group("lead")) and sentence.endswith("?"):
            sentence = sentence[lead.end() :]
            sentence = sentence[0].upper() + sentence[1:]
        if sentence.endswith("?") or _is_follow_up(sentence) or _is_lead_in(sentence):
            found.append(sentence)
        elif not (COMMENT_INVITATION_RE.search(sentence) and len(sentence) <= 160):
            return None
    return found


def _trailing_questions(text: str, *, marked_only: bool) -> tuple[str, list[str]]:
    """Split questions ending the last paragraph from the statements before.

    After a lead-in ("À vous : ... ?", "Et vous ? ...") they are closing
    questions. Otherwise, unless marked_only, they are when they speak to the
    reader or when there are several; one rhetorical question stays in the body.
    """
    if LINK_RE.search(text):
        return text, []
    sentences = split_sentences(text)
    start = len(sentences)
    while start > 0 and (
        sentences[start - 1].endswith("?") or _is_follow_up(sentences[start - 1])
    ):
        start -= 1
    while start < len(sentences) and not sentences[start].endswith("?"):
        start += 1
    tail = sentences[start:]
    if not start or not tail:
        return text, []
    for index, sentence in enumerate(tail):
        lead = LEAD_IN_PREFIX_RE.match(sentence)
        if _is_lead_in(sentence) or (lead and _is_lead_in(lead.group("lead"))):
            head = " ".join(sentences[: start + index])
            return head, _closing_sentences(" ".join(tail[index:])) or []
    asked = [sentence for sentence in tail if not _is_follow_up(sentence)]
    if marked_only or not asked:
        return text, []
    if len(asked) < 2 and not any(READER_ADDRESS_RE.search(s) for s in asked):
        return text, []
    return " ".join(sentences[:start]), tail


INTERVIEW_CREDIT_RE = re.compile(
    r"\b(?:Propos recueillis par|Entretien réalisé par|Interview by|Interviewed by)"
    r"\s+(?P<name>[A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s[A-ZÀ-ÖØ-Þ][\w'’-]+){1,2})\.?\s*$"
)
# "Antoine Morel est économiste du travail à Lille.", "Dana Ko is a reporter."
AUTHOR_NOTE_RE = re.compile(
    r"^[A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s[A-ZÀ-ÖØ-Þ][\w'’-]+){1,3}\s"
    r"(?:est|is|was|était|a été|has been|enseigne|teaches|writes|écrit)\s"
    r"[^?]{5,200}\.$"
)


def _take_closing_questions(blocks: list[_Block]) -> tuple[list[_Block], list[str]]:
    """Return the body blocks and the questions that close the article.

    Closing questions are the run of blocks at the very end made only of
    questions, whether glued together, one per line or between blank lines.
    Link lines after them ("Voir l'offre : URL") stay at the end of the body.
    """
    blocks = list(blocks)
    # A newsletter's sign-off: "À la semaine prochaine," alone or above a name.
    if blocks and SIGN_OFF_RE.match(blocks[-1].text):
        blocks.pop()
    elif (
        len(blocks) >= 2
        and SIGN_OFF_RE.match(blocks[-2].text)
        and len(blocks[-1].text.split()) <= 3
        and _is_person_name(blocks[-1].text)
    ):
        del blocks[-2:]
    links: list[_Block] = []
    while blocks and LINK_RE.search(blocks[-1].text) and len(blocks[-1].text) < 300:
        links.insert(0, blocks.pop())
    # A line on the writer after the questions ("Antoine Morel est économiste
    # du travail.") stays in the body, after them.
    if len(blocks) >= 2 and AUTHOR_NOTE_RE.match(blocks[-1].text):
        links.insert(0, blocks.pop())
    sentences: list[str] = []
    while blocks:
        found = _closing_sentences(blocks[-1].text)
        if found is None:
            break
        sentences = found + sentences
        blocks.pop()
    if blocks:
        asked = any(sentence.endswith("?") for sentence in sentences)
        head, tail = _trailing_questions(blocks[-1].text, marked_only=asked)
        if tail:
            blocks[-1] = _Block(head, own_line=False)
            sentences = tail + sentences
    questions = _merge_follow_ups(sentences)
    if questions and blocks:
        lead_in = blocks[-1].text
        if _is_lead_in(lead_in) or (lead_in.endswith(":") and len(lead_in) <= 80):
            blocks.pop()
    # Lead-ins and invitations to comment found without any question are
    # dropped all the same: they are not the article.
    return blocks + links, questions


def _split_listing_and_question(listing: str) -> tuple[str, str]:
    """Split a question glued to the end of a "Source(s) :" line from it."""
    if not listing.rstrip().endswith("?"):
        return listing, ""
    # After a full stop: "Silicon Sud. Faut-il ... ?"
    for match in re.finditer(r"(?<=[\w)][.!])\s*(?=[«\"“]?[A-ZÀ-ÖØ-Þ])", listing):
        rest = listing[match.end() :]
        if _closing_sentences(rest):
            return listing[: match.start() + 1], rest
    # Glued without a space: "Faro HealthPensez-vous ... ?". A name such as
    # "DeepMind" looks the same, so the last place a question can start wins.
    glued = [
        match.start()
        for match in re.finditer(
            r"(?<=[a-zà-öø-ÿ0-9.)])(?=[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’])", listing
        )
        if _asks_a_question(listing[match.start() :])
    ]
    if glued:
        return listing[: glued[-1]], listing[glued[-1] :]
    # After a space: "Tech Weekly Should companies ... ?", "Le Journal Les
    # banques paient-elles ... ?"
    spaced = [
        match.start()
        for match in re.finditer(r"(?<=\s)(?=[A-ZÀ-ÖØ-Þ])", listing)
        if match.start() > 1
    ]
    opening = [start for start in spaced if _opens_a_question(listing[start:])]
    asking = [start for start in spaced if _asks_a_question(listing[start:])]
    # The subject of "Les PME peuvent-elles" opens with a determiner.
    determined = [start for start in asking if DETERMINER_RE.match(listing[start:])]
    start = (opening or determined or asking[-1:] or [None])[0]
    if start is None:
        return listing, ""
    return listing[:start], listing[start:]


def _opens_a_question(text: str) -> bool:
    first_word = re.match(r"\w*", text).group(0).lower()
    return first_word in QUESTION_OPENERS or bool(INVERTED_SUBJECT_RE.match(text))


def _asks_a_question(text: str) -> bool:
    """Tell whether the first sentence of a text reads as a question."""
    first = text[: text.find("?") + 1] if "?" in text else ""
    return bool(first) and (
        _opens_a_question(first)
        or bool(INVERTED_SUBJECT_RE.search(first))
        or _is_lead_in(first)
    )


def _split_sources(listing: str) -> list[str]:
    parts = re.split(r"[,;]| et | and ", listing)
    return [cleaned for part in parts if (cleaned := _clean_name(part))]


def _clean_name(text: str) -> str:
    return squash(text).strip(' .,;:|«»"“”()').strip()


def _is_person_name(text: str) -> bool:
    return len(text) <= 80 and bool(PERSON_NAME_RE.match(text))


def _read_byline(rest: str) -> tuple[str, str, str | None] | None:
    """Return the author, publication and date a by-line gives after "Par".

    "Marie Martin, Le Quotidien Tech.", "Sam Lee | Tech Weekly", "Ana Ortiz
    (Frontier Wire)", "Paul Roy, journaliste au Quotidien Tech, le 3 avril 2024".
    """
    date = None
    for match in DATE_RE.finditer(rest):
        date = date or _read_date(match)
    rest = DATE_RE.sub(" | ", rest)
    parts = re.split(
        r"\s*(?:[|,;·•/()–—]|\s-\s|\s(?:pour|for)\s)\s*"
        r"|\s(?=(?:in|à|at|from|depuis)\s+[A-ZÀ-ÖØ-Þ])",
        rest,
    )
    parts = [_strip_date_words(part) for part in parts]
    parts = [part for part in parts if part]
    # "Par notre envoyé spécial Paul Roy", "Par notre correspondante à
    # Montréal, Julie Tremblay"
    ours = re.match(
        r"(?:notre|nos|our)\s+((?:[a-zà-ÿ]+(?:\s+|$))*)(.*)$", parts[0] if parts else ""
    )
    if ours and _is_role(ours.group(1) or "x"):
        place = re.search(r"\b(?:à|a|au|en|in|at|de|du|from)\s*$", ours.group(1))
        named = ours.group(2) and not place
        parts = [ours.group(2), *parts[1:]] if named else parts[1:]
        while parts and parts[0][0].islower() and _is_role(parts[0]):
            parts = parts[1:]
        if not parts:
            # "Par notre rédaction": a by-line naming no one.
            return "", "", None
    if not parts or not _is_person_name(parts[0]):
        return None
    source = ""
    for part in parts[1:]:
        if len(part.split()) > 8:
            return None
        first_word = part.split()[0]
        if first_word[0].islower() or _is_role(part):
            if not _is_role(part):
                return None
            # "journaliste au Quotidien Tech", "reporter at Tech Weekly"
            employer = re.search(
                r"\b(?:au|à\s+la|à\s+l['’]|chez|du|de\s+la|at|for|of)\s+"
                r"(?P<name>[«\"“]?[A-ZÀ-ÖØ-Þ0-9].*)$",
                part,
            )
            if employer and not source:
                source = _clean_name(employer.group("name"))
        elif not source:
            source = _clean_name(part)
    return _clean_name(parts[0]), source, date


def _is_role(text: str) -> bool:
    """Tell "journaliste au Quotidien Tech" or "Staff Writer" from a publication."""
    first_word = text.split()[0]
    if first_word.islower():
        return first_word in ROLE_WORDS
    return first_word.lower() in ROLE_NOUNS


def _strip_date_words(text: str) -> str:
    """Return a by-line part without the words that stood around its date."""
    text = _clean_name(text)
    if not re.search(r"[^\W_]", DATE_WORDS_RE.sub(" ", text)):
        return ""
    previous = None
    while previous != text:
        previous = text
        text = _clean_name(
            re.sub(
                rf"\s+(?:{DATE_WORDS_RE.pattern})$",
                "",
                text,
                flags=re.IGNORECASE | re.VERBOSE,
            )
        )
    return text


def _read_unmarked_byline(text: str) -> tuple[str, str, str | None] | None:
    """Return the author, publication and date of a header line without "Par".

    "Northern Tech Review (Marc Tremblay).", "Marie Martin | Le Quotidien
    Tech | 3 avril 2024", "Le Quotidien Tech — Marie Martin".
    """
    # "Le Quotidien Tech (Marie Martin), 3 avril 2024."
    first_date = DATE_RE.search(text)
    if first_date and read_date_line(text[first_date.start() :].rstrip(" .")):
        head = re.sub(
            r"[\s,;|·•–—-]*(?:(?:publiée?|published|posted|le|on)\s*)*$",
            "",
            text[: first_date.start()],
            flags=re.IGNORECASE,
        )
        pair = SOURCE_AUTHOR_RE.match(head)
    else:
        first_date, pair = None, SOURCE_AUTHOR_RE.match(text)
    if pair:
        source, author = (
            _clean_name(pair.group("source")),
            _clean_name(pair.group("author")),
        )
        if _is_person_name(author) and ":" not in source and len(source.split()) <= 8:
            return author, source, _read_date(first_date) if first_date else None
        return None
    piped = re.search(r"[|·•]", text)
    date = None
    for match in DATE_RE.finditer(text):
        date = date or _read_date(match)
    # With a date on the line, a comma also separates: "Marie Martin,
    # publié le 12 mars 2024".
    separator = r"\s*[|·•,]\s*|\s[–—/-]\s" if date else r"\s*[|·•]\s*|\s[–—/-]\s"
    parts = re.split(separator, DATE_RE.sub(" | ", text))
    parts = [_strip_date_words(part) for part in parts]
    parts = [part for part in parts if part]
    if len(parts) < (1 if date else 2):
        return None
    author = source = ""
    for part in parts:
        if (
            _is_person_name(part)
            and 2 <= len(part.split()) <= 4
            and not PUBLICATION_WORDS_RE.search(part)
            and not author
        ):
            author = part
        elif _is_role(part):
            continue
        elif (
            re.match(r"[«\"“]?[A-ZÀ-ÖØ-Þ0-9]", part)
            and len(part.split()) <= 8
            and not re.search(r"[.!?:]$", part)
            and not source
            and (piped or PUBLICATION_WORDS_RE.search(part))
        ):
            source = part
        else:
            return None
    if (author and (source or date)) or (source and date and piped):
        return author, source, date
    return None


def _dedupe(blocks: list[_Block]) -> list[_Block]:
    """Keep one copy of text the scraper repeated."""

    def key(block: _Block) -> str:
        return re.sub(r"\W+", " ", block.text.casefold()).strip()

    keys = [key(block) for block in blocks]
    # A whole article scraped twice: the first paragraph comes back and most
    # of what follows was already seen. Everything from there is the copy.
    if len(blocks) >= 4:
        for start in range(1, len(blocks)):
            if keys[start] != keys[0]:
                continue
            seen = set(keys[:start])
            repeated = sum(k in seen for k in keys[start:])
            if repeated >= 0.6 * len(keys[start:]):
                blocks, keys = blocks[:start], keys[:start]
                break
    kept: list[_Block] = []
    seen_keys: set[str] = set()
    for block, block_key in zip(blocks, keys, strict=True):
        if block_key in seen_keys:
            continue
        seen_keys.add(block_key)
        kept.append(block)
    return kept


def _escape_markdown(text: str) -> str:
    # A paragraph starting with "#", ">", "+" or "1." would turn into a
    # heading, a list or a quote when rendered. A bullet ("- item") is left
    # as written: it renders as the list it is, and the text after it stays
    # whole for the extractor.
    if LIST_ITEM_RE.match(text):
        return text
    return re.sub(r"^([#>+\-*]|\d+[.)])", r"\\\1", text)


@dataclass
class _Metadata:
    published: str | None = None
    # Lower is surer: a " date" header, a "Publié le" line, a date in a
    # by-line, then an update date.
    published_rank: int = 99
    source: str = ""
    author: str = ""
    translator: str = ""
    sources: list[str] = field(default_factory=list)

    def add_date(self, date: str | None, rank: int) -> None:
        if date and rank < self.published_rank:
            self.published, self.published_rank = date, rank

    def add_source(self, name: str) -> None:
        name = _clean_name(name)
        if not name:
            return
        if not self.source:
            self.source = name
        elif name.casefold() != self.source.casefold() and name not in self.sources:
            self.sources.append(name)

    def add_byline(self, author: str, source: str, date: str | None) -> None:
        self.author = self.author or author
        if source:
            self.add_source(source)
        self.add_date(date, 2)


def _read_source_line(text: str, meta: _Metadata) -> _Block | None:
    """Store a "Source(s) :" line; return a question glued to its end."""
    plural = SOURCES_RE.match(text)
    listing = plural.group("sources") if plural else SOURCE_FIELD_RE.match(text)[1]
    listing, question = _split_listing_and_question(listing)
    for match in DATE_RE.finditer(listing):
        meta.add_date(_read_date(match), 2)
    listing = _strip_date_words(DATE_RE.sub("", listing))
    pair = SOURCE_AUTHOR_RE.match(listing + ")")
    if not plural and pair and _is_person_name(_clean_name(pair.group("author"))):
        meta.add_source(pair.group("source"))
        meta.author = meta.author or _clean_name(pair.group("author"))
    elif plural or re.search(r"[,;]", listing) or listing.strip()[:1].islower():
        meta.sources.extend(_split_sources(listing))
    else:
        meta.add_source(listing)
    question = squash(question)
    return _Block(question, own_line=False) if question else None


def _furniture_key(text: str) -> str:
    return text.casefold().rstrip(" .:!").replace("’", "'")


def _is_furniture(text: str) -> bool:
    return (
        _furniture_key(text) in FURNITURE
        or bool(FURNITURE_RE.match(text))
        or bool(COOKIE_NOTICE_RE.match(text))
        or _is_navigation_list(text, known_words_only=True)
    )


def _is_navigation_list(text: str, *, known_words_only: bool) -> bool:
    """Tell a bar of short links ("Menu | Search | Subscribe") from text.

    Items that are all known navigation words make a bar anywhere; three or
    more short items without figures ("Tech | Business | Careers") only once
    the line could not be read as a by-line.
    """
    items = NAVIGATION_SEPARATOR_RE.split(text)
    if len(items) < 2 or not all(items):
        return False
    if all(_furniture_key(item) in NAVIGATION_WORDS for item in items):
        return True
    return (
        not known_words_only
        and len(items) >= 3
        and all(
            len(item) <= 30
            and len(item.split()) <= 3
            and not re.search(r"[\d.!?:;,]", item)
            for item in items
        )
    )


def _is_kicker(text: str, following: list[_Block]) -> bool:
    """Tell a section label in capitals above the title ("INTELLIGENCE
    ARTIFICIELLE") from the title itself."""
    letters = re.sub(r"[^\w]|\d|_", "", text)
    return (
        len(text.split()) <= 4
        and letters.isupper()
        and len(letters) >= 3
        and bool(following)
        and _is_title_line(following[0])
        and not following[0].text.isupper()
    )


def _related_links(blocks: list[_Block]) -> set[int]:
    """Return the positions of the links to other articles a page lists.

    At the end of the page, "Voir aussi :" and the short lines after it, up
    to a lead-in to the closing questions; inside the text, the heading and
    the one title it announces.
    """
    skipped: set[int] = set()
    for index, block in enumerate(blocks):
        if not (index and block.own_line and RELATED_LIST_RE.match(block.text)):
            continue
        skipped.add(index)
        following = range(index + 1, len(blocks))
        if all(len(blocks[at].text) <= 160 for at in following):
            for at in following:
                if _is_lead_in(blocks[at].text):
                    break
                skipped.add(at)
        elif index + 1 < len(blocks) and _is_heading(blocks[index + 1]):
            skipped.add(index + 1)
    return skipped


def _take_metadata(blocks: list[_Block], meta: _Metadata) -> list[_Block]:
    """Return the blocks left once by-lines, dates, sources and furniture are read.

    By-lines without an opening word ("Source (Author)", "A | B") are only
    read above the text; marked ones ("Par ...", "Source : ...", "Publié le
    ...") wherever they stand on a line of their own.
    """
    kept: list[_Block] = []
    in_header = True
    # The standfirst: a sentence or two between the headline and the by-line.
    # Until a by-line confirms it, it may as well be the first paragraph.
    standfirst_seen = after_standfirst = False
    skipped = _related_links(blocks)
    for index, block in enumerate(blocks):
        text = block.text
        if index in skipped:
            continue
        if _is_furniture(text):
            if subscribed := SUBSCRIBED_TO_RE.search(text):
                meta.add_source(subscribed.group("name"))
            continue
        if dateline := DATELINE_RE.match(text):
            meta.add_source(dateline.group("source"))
            block = _Block(text[dateline.end() :], own_line=block.own_line)
            text = block.text
        if SOURCE_FIELD_RE.match(text):
            # "Source : Bruxelles Digital. L'intelligence artificielle ...":
            # a sentence the scraper glued to the field goes back to the body.
            end = re.search(r"(?<=[\w)])\.\s+(?=[«\"“]?[A-ZÀ-ÖØ-Þ])", text)
            if end and len(text[end.end() :].split()) >= 6 and text[-1] != "?":
                _read_source_line(text[: end.start() + 1], meta)
                block = _Block(text[end.end() :], own_line=False)
                text = block.text
        if SOURCES_RE.match(text) or SOURCE_FIELD_RE.match(text):
            question = _read_source_line(text, meta)
            if question:
                kept.append(question)
            continue
        labelled = LINK_LABEL_RE.match(text) if block.own_line else None
        if labelled and len(labelled.group("label").split()) <= 5:
            kept.append(_Block(labelled.group("links")))
            in_header = False
            continue
        if block.own_line:
            if credits := WIRE_CREDITS_RE.match(text):
                meta.author = meta.author or _clean_name(credits.group("author"))
                continue
            if field_match := AUTHOR_FIELD_RE.match(text):
                value = squash(field_match.group("author"))
                byline = _read_byline(value) if value else None
                if byline:
                    meta.add_byline(*byline)
                elif value:
                    meta.author = meta.author or _clean_name(value)
                continue
            translated = TRANSLATOR_RE.match(text)
            if translated and _is_person_name(_clean_name(translated.group("name"))):
                meta.translator = meta.translator or _clean_name(
                    translated.group("name")
                )
                continue
            # A bare date further down is a heading ("Mars 2024") of a
            # timeline, not when the article came out.
            dated = read_date_line(text)
            bare = after_standfirst and DATE_RE.fullmatch(text.rstrip(" ."))
            if dated and ((in_header and not bare) or DATE_LABEL_RE.match(text)):
                meta.add_date(dated[0], 3 if dated[1] else 1)
                continue
            marked = BYLINE_RE.match(text) or DATED_BYLINE_RE.match(text)
            byline = _read_byline(marked.group("rest")) if marked else None
            if byline and marked.re is DATED_BYLINE_RE:
                dated = read_date_line(marked.group("date"))
                byline = (*byline[:2], dated[0]) if dated else None
            if not byline and in_header and len(text) <= TITLE_MAX_LENGTH:
                byline = _read_unmarked_byline(text)
            if byline:
                meta.add_byline(*byline)
                after_standfirst = False
                continue
            # The publication under the by-line: "The Pennine Tech Post",
            # "Le Journal du Code, 9 avril 2025".
            publication = (
                _read_publication_line(text)
                if in_header and meta.author and not meta.source
                else None
            )
            if publication:
                meta.add_source(publication[0])
                meta.add_date(publication[1], 2)
                continue
            # "Rédacteur technique" under the by-line.
            if (
                in_header
                and meta.author
                and len(text.split()) <= 4
                and _is_role(text)
                and not re.search(r"[.!?]$", text)
            ):
                continue
            if in_header and not kept and _is_kicker(text, blocks[index + 1 :]):
                continue
            if _is_navigation_list(text, known_words_only=False):
                continue
        if in_header and not _is_title_line(block):
            in_header = _is_standfirst(block, kept) and not standfirst_seen
            standfirst_seen = after_standfirst = True
        kept.append(block)
    return kept


def _read_publication_line(text: str) -> tuple[str, str | None] | None:
    """Return the publication and date of a line under the by-line.

    "The Pennine Tech Post", "Le Journal du Code, 9 avril 2025", "Le Fil
    techno — Publié le 14 mai 2025", "Continental Business Review, Spring
    2025 issue" (an issue is no date).
    """
    if issue := ISSUE_LINE_RE.match(text):
        return _clean_name(issue.group("source")), None
    if re.search(r"[.!?:;,]$", text):
        return None
    date = None
    first_date = DATE_RE.search(text)
    if first_date:
        dated = read_date_line(text[first_date.start() :].rstrip(" ."))
        if not dated:
            return None
        date = dated[0]
        text = re.sub(
            r"[\s,;|·•–—-]*(?:(?:publiée?|published|posted|le|on)\s*)*$",
            "",
            text[: first_date.start()],
            flags=re.IGNORECASE,
        )
    name = _clean_name(text)
    if (
        name
        and re.match(r"[A-ZÀ-ÖØ-Þ]", name)
        and len(name.split()) <= 6
        and not re.search(r"[\d.!?:;,|]", name)
        # Alone, the name must say what it is ("The Pennine Tech Post"); with
        # a date, an article before it will do ("Le Fil techno — Publié le").
        and (
            PUBLICATION_WORDS_RE.search(re.sub(r"^\w+['’]?\s*", "", name))
            or (date and PUBLICATION_WORDS_RE.search(name) and len(name.split()) <= 4)
        )
    ):
        return name, date
    return None


def _is_standfirst(block: _Block, kept: list[_Block]) -> bool:
    """Tell the sentence or two under the headline, above the by-line."""
    return (
        block.own_line
        and len(block.text) <= 300
        # The headline, and a masthead or a section label above it.
        and 1 <= len(kept) <= 3
        and all(_is_title_line(above) for above in kept)
    )


def _drop_masthead(
    blocks: list[_Block], meta: _Metadata, lines: list[_Block]
) -> list[_Block]:
    """Drop the site's name printed above the headline ("LE FIL TECHNO").

    The name is the publication the by-line gives, or is part of the
    copyright line at the foot of the page ("© 2025 Le Fil Techno inc.").
    """
    if len(blocks) < 2 or not _is_title_line(blocks[1]):
        return blocks
    name = _furniture_key(blocks[0].text)
    if meta.source and name == _furniture_key(meta.source):
        return blocks[1:]
    copyrights = [
        _furniture_key(line.text)
        for line in lines
        if re.match(r"(?:©|copyright\b)", line.text, re.IGNORECASE)
    ]
    if len(name.split()) <= 5 and any(
        re.search(rf"(?<!\w){re.escape(name)}(?!\w)", line) for line in copyrights
    ):
        return blocks[1:]
    return blocks


def _copyright_holder(lines: list[_Block]) -> str:
    """Return the name a copyright line gives ("© 2025 La revue de Camille —
    Mentions légales"), for a page that names its publication nowhere else."""
    for line in lines:
        if not re.match(r"(?:©|copyright\b)", line.text, re.IGNORECASE):
            continue
        holder = re.sub(r"^(?:©|copyright\b)\s*", "", line.text, flags=re.IGNORECASE)
        holder = re.split(r"\s+[|–—-]\s+|\.\s", holder)[0]
        holder = re.sub(r"(?<!\w)(?:19|20)\d{2}(?!\w)", " ", holder)
        holder = re.sub(
            r"\b(?:ltd|limited|inc|llc|sa|sas|sarl|gmbh|plc)\b\.?",
            " ",
            holder,
            flags=re.IGNORECASE,
        )
        holder = _clean_name(holder)
        if holder and not _is_furniture(holder) and len(holder.split()) <= 6:
            return holder
    return ""


def parse_article(
    text: str,
    *,
    filename: str = "",
    title: str | None = None,
    source: str | None = None,
    published: str | None = None,
) -> ParsedArticle:
    """Parse scraped article text; the keyword arguments override what it says."""
    text = normalize_text(text)
    meta = _Metadata()
    match = DATE_HEADER_RE.match(text)
    if match:
        meta.add_date(normalize_published(match.group("date")), 0)
        text = text[match.end() :]

    blocks: list[_Block] = []
    for raw_line in text.split("\n"):
        line = squash(raw_line)
        if not line:
            continue
        # "Menu   Actus   Dossiers   Se connecter": a menu laid out with spaces.
        items = re.split(r"\s{2,}", raw_line.strip())
        if len(items) >= 3 and _is_navigation_list(
            " | ".join(items), known_words_only=False
        ):
            continue
        pieces = split_glued(line)
        blocks.extend(_Block(piece, own_line=len(pieces) == 1) for piece in pieces)
    lines = blocks
    blocks = _take_metadata(blocks, meta)
    if not meta.author:
        # "Propos recueillis par Hugo Lefèvre." at the end of the standfirst.
        credit = next(
            (
                match
                for block in blocks[:3]
                if (match := INTERVIEW_CREDIT_RE.search(block.text))
            ),
            None,
        )
        if credit:
            meta.author = credit.group("name")
    if not meta.source:
        meta.add_source(_copyright_holder(lines))
    blocks = _dedupe(_drop_masthead(blocks, meta, lines))
    blocks, questions = _take_closing_questions(blocks)

    found_title = ""
    if blocks and _is_title_line(blocks[0]) and len(blocks) > 1:
        found_title = blocks[0].text
        # Section headings stacked above the text: the first one gives the
        # title and stays with its siblings.
        if not (_is_heading(blocks[1]) and len(blocks) > 2 and _is_heading(blocks[0])):
            blocks = blocks[1:]
    if not found_title and blocks:
        found_title = shorten_title(split_sentences(blocks[0].text)[0])
    if not found_title and questions:
        found_title = shorten_title(questions[0])
    if not found_title and filename:
        stem = re.sub(
            r"\.[A-Za-z0-9]+$", "", filename.replace("\\", "/").split("/")[-1]
        )
        found_title = squash(re.sub(r"[-_]+", " ", stem))

    body_parts = []
    for block in blocks:
        if _is_heading(block) and block is not blocks[-1]:
            body_parts.append(f"## {block.text}")
        else:
            body_parts.append(_escape_markdown(block.text))
    body = "\n\n".join(body_parts)

    date = meta.published
    if published is not None:
        date = normalize_published(published)
        if date is None:
            raise ValueError(f"Unsupported date: {published!r}")
    if published is None and date is not None and not PUBLISHED_RE.match(date):
        date = None

    return ParsedArticle(
        title=squash(title) if title else found_title,
        published=date,
        source=squash(source) if source is not None else meta.source,
        author=meta.author,
        translator=meta.translator,
        sources=meta.sources,
        language=detect_language(body + " " + " ".join(questions)),
        body=body,
        questions=questions,
    )


def general_question(language: str) -> str:
    """Return the title of the discussion thread for an article without questions."""
    return GENERAL_QUESTION.get(language, GENERAL_QUESTION["fr"])
