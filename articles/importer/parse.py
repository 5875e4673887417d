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
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}
ENGLISH_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
MONTHS = {**FRENCH_MONTHS, **ENGLISH_MONTHS}
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))

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
        "share",
        "share this article",
        "publicité",
        "advertisement",
        "lire aussi",
        "read more",
        "abonnez-vous",
        "subscribe",
        "newsletter",
        "imprimer",
        "print",
        "réagir",
    }
)

FOLLOW_UP_RE = re.compile(
    r"""^(?:
        (?:et\s+)?pourquoi(?:\s+pas)?(?:\s+ou\s+pourquoi\s+pas)?
      | (?:et\s+)?comment
      | (?:et\s+)?vous
      | et\s+chez\s+vous
      | lesquel(?:le)?s?
      | dans\s+quel(?:le)?s?\s+cas
      | (?:and\s+)?why(?:\s+not)?(?:\s+or\s+why\s+not)?
      | (?:and\s+)?how
      | (?:and\s+)?you
      | which\s+ones?
      | (?:si\s+oui|si\s+non|sinon|if\s+so|if\s+not)\b.*
    )\s*[?!.]?$""",
    re.IGNORECASE | re.VERBOSE,
)
# Short instructions that follow a question and belong to it.
FOLLOW_UP_INSTRUCTION_RE = re.compile(
    r"^(?:expliquez|argumentez|justifiez(?:\s+votre\s+réponse)?|détaillez"
    r"|explain(?:\s+why)?|discuss|justify(?:\s+your\s+answer)?)\s*[.!]?$",
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
READER_ADDRESS_RE = re.compile(
    r"\b(?:vous|votre|vos|you|your)\b|-vous\b", re.IGNORECASE
)

DATE_HEADER_RE = re.compile(
    r"^\s*(?:date|publié le|published)\s*:?\s*"
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{4}-\d{1,2}|\d{4}"
    r"|\d{1,2}/\d{1,2}/\d{4}"
    rf"|(?:\d{{1,2}}(?:er)?\s+)?(?:{MONTH_NAMES})\s+\d{{4}}"
    rf"|(?:{MONTH_NAMES})\s+\d{{1,2}},\s*\d{{4}})\b[.,]?",
    re.IGNORECASE,
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
    r"^(?:auteur|autrice|auteurs|author|authors)(?:\s*/\s*(?:autrice|auteur))?"
    r"\s*:\s*(?P<author>.*)$",
    re.IGNORECASE,
)
BYLINE_RE = re.compile(r"^(?:par|by)\s+(?P<author>.{2,80})$", re.IGNORECASE)
SOURCE_FIELD_RE = re.compile(r"^source\s*:\s*(?P<source>.+)$", re.IGNORECASE)
SOURCES_RE = re.compile(r"^sources\s*:\s*(?P<sources>.*)$", re.IGNORECASE | re.DOTALL)
TRANSLATOR_RE = re.compile(
    r"^\(?\s*(?:traduit|traduction|adapté|translated)\b[^()]*?"
    r"\b(?:par|by)\s+(?P<name>[^()]+?)\s*\)?\s*\.?\s*\)?$",
    re.IGNORECASE,
)

# A paragraph break the scraper lost: a sentence end immediately followed by
# a capitalised word ("...marché.Quel est") or an opening quote. Two capitals
# in a row ("Snackable.AI") are a name, not a break.
GLUED_BREAK_RE = re.compile(
    r"(?<=[a-zà-öø-ÿA-ZÀ-ÖØ-Þ0-9)»\"”%][.!?…])(?=«|[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’])"
    r"|(?<=\s[?!])(?=«|[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’])"
)
SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?…])\s+(?=\S)|(?<=\?)(?=[^\s?!.»”)\"'])")


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
    text = re.sub(r"[\u200b\u200c\u200d\u2060]", "", text)
    return text


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
    value = value.strip().rstrip(".,").strip()
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value)
    if match:
        year, month, day = match.groups()
        return _format_date(year, month, day)
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if match:
        day, month, year = match.groups()
        return _format_date(year, month, day)
    match = re.fullmatch(
        rf"(?:(\d{{1,2}})(?:er)?\s+)?({MONTH_NAMES})\s+(\d{{4}})", value, re.I
    )
    if match:
        day, month_name, year = match.groups()
        return _format_date(year, str(MONTHS[month_name.lower()]), day)
    match = re.fullmatch(rf"({MONTH_NAMES})\s+(\d{{1,2}}),\s*(\d{{4}})", value, re.I)
    if match:
        month_name, day, year = match.groups()
        return _format_date(year, str(MONTHS[month_name.lower()]), day)
    return None


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


def split_glued(line: str) -> list[str]:
    """Split a line at paragraph breaks the scraper lost."""
    parts = GLUED_BREAK_RE.split(line)
    return [squash(part) for part in parts if part.strip()]


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, including questions glued together."""
    return [squash(part) for part in SENTENCE_SPLIT_RE.split(text) if part.strip()]


def _is_heading(block: _Block) -> bool:
    text = block.text
    if not block.own_line or len(text) > HEADING_MAX_LENGTH:
        return False
    if len(text.split()) > HEADING_MAX_WORDS:
        return False
    return not (text[-1] in '.,;:«»"”)' or text[0] in '«"“(-–—')


def _is_title_line(block: _Block) -> bool:
    text = block.text
    return (
        block.own_line
        and len(text) <= TITLE_MAX_LENGTH
        and text[-1] not in ".,;:"
        and text[0] not in '«"“('
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


def _merge_follow_ups(questions: list[str]) -> list[str]:
    merged: list[str] = []
    for question in questions:
        is_follow_up = FOLLOW_UP_RE.match(question) or FOLLOW_UP_INSTRUCTION_RE.match(
            question
        )
        if merged and is_follow_up:
            merged[-1] = f"{merged[-1]} {question}"
        else:
            merged.append(question)
    return merged


def _question_sentences(text: str) -> list[str] | None:
    """Return the questions a block is made of, or None if it says anything else."""
    sentences = split_sentences(text)
    if not sentences or not sentences[0].endswith("?"):
        return None
    for sentence in sentences:
        if not (
            sentence.endswith("?")
            or FOLLOW_UP_RE.match(sentence)
            or FOLLOW_UP_INSTRUCTION_RE.match(sentence)
        ):
            return None
    return sentences


def _split_sources_and_question(text: str) -> tuple[list[str], str]:
    """Split a "Sources : A, B" block from a question glued to its end."""
    listing = SOURCES_RE.match(text).group("sources")
    question = ""
    if listing.rstrip().endswith("?"):
        for match in re.finditer(r"(?<=[\w.)])(?=[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ])", listing):
            rest = listing[match.start() :]
            first_word = re.match(r"[\w]+", rest).group(0).lower()
            if first_word in QUESTION_OPENERS or re.match(
                r"\w+-(?:vous|tu|il|elle|ils|elles|on|nous)\b", rest
            ):
                listing, question = listing[: match.start()], rest
                break
    sources = [squash(part) for part in re.split(r"[,;]| et | and ", listing)]
    return [source for source in sources if source], squash(question)


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
    # A paragraph starting with "#", "-", "+", ">" or "1." would turn into
    # a heading, a list or a quote when rendered.
    return re.sub(r"^([#>+\-*]|\d+[.)])", r"\\\1", text)


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
    date: str | None = None
    match = DATE_HEADER_RE.match(text)
    if match:
        date = normalize_published(match.group("date"))
        text = text[match.end() :]

    found_source = ""
    author = ""
    translator = ""
    sources: list[str] = []
    blocks: list[_Block] = []
    for line_number, raw_line in enumerate(text.split("\n")):
        line = squash(raw_line)
        if not line:
            continue
        if line.casefold().rstrip(" .:!") in FURNITURE:
            continue
        if field_match := AUTHOR_FIELD_RE.match(line):
            author = author or squash(field_match.group("author"))
            continue
        if translator_match := TRANSLATOR_RE.match(line):
            translator = translator or squash(translator_match.group("name"))
            continue
        if not blocks and line_number < 5:
            if (byline := BYLINE_RE.match(line)) and PERSON_NAME_RE.match(
                byline.group("author").rstrip(".")
            ):
                author = author or byline.group("author").rstrip(".")
                continue
            if source_match := SOURCE_FIELD_RE.match(line):
                found_source = squash(source_match.group("source").rstrip("."))
                continue
            pair = SOURCE_AUTHOR_RE.match(line)
            if pair and PERSON_NAME_RE.match(squash(pair.group("author"))):
                found_source = squash(pair.group("source"))
                author = author or squash(pair.group("author"))
                continue
        pieces = split_glued(line)
        blocks.extend(_Block(piece, own_line=len(pieces) == 1) for piece in pieces)

    # Sources lines are metadata wherever they sit; a question glued to the
    # end of one goes back where it belongs.
    cleaned: list[_Block] = []
    for block in blocks:
        if SOURCES_RE.match(block.text):
            listed, question = _split_sources_and_question(block.text)
            sources.extend(listed)
            if question:
                cleaned.append(_Block(question, own_line=False))
            continue
        cleaned.append(block)
    blocks = _dedupe(cleaned)

    # Closing questions: the run of blocks at the very end made only of
    # questions. A question inside a paragraph of statements stays in the body.
    questions: list[str] = []
    while blocks:
        found = _question_sentences(blocks[-1].text)
        if found is None:
            break
        questions = found + questions
        blocks.pop()
    questions = _merge_follow_ups(questions)
    if questions and blocks:
        lead_in = blocks[-1].text
        if lead_in.endswith(":") and len(lead_in) <= 80:
            blocks.pop()

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

    if published is not None:
        date = normalize_published(published)
        if date is None:
            raise ValueError(f"Unsupported date: {published!r}")
    if published is None and date is not None and not PUBLISHED_RE.match(date):
        date = None

    return ParsedArticle(
        title=squash(title) if title else found_title,
        published=date,
        source=squash(source) if source is not None else found_source,
        author=author,
        translator=translator,
        sources=sources,
        language=detect_language(body + " " + " ".join(questions)),
        body=body,
        questions=questions,
    )


def general_question(language: str) -> str:
    """Return the title of the discussion thread for an article without questions."""
    return GENERAL_QUESTION.get(language, GENERAL_QUESTION["fr"])
