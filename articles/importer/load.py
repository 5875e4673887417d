"""Store a parsed article: the article, its threads, companies, postings, citations.

One transaction per article. Threads are written through forum's services,
postings and companies through articles' services.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from articles import services
from articles.importer.extract import ExtractedPosting, SetAside, read_figures
from articles.importer.parse import ParsedArticle, general_question, parse_article
from articles.importer.review import ReviewItem, corrections_for, review_items
from articles.models import Article, Citation, ImportCorrection, Posting
from forum import services as forum_services
from forum.models import Thread

MAX_FILE_SIZE = 5 * 1024 * 1024
# Bumped when the importer's rules change, so that re-importing an unchanged
# file under new rules refreshes what was stored.
RULES_VERSION = "3"

DEFAULT_ROLE = services.UNSPECIFIED_ROLES


class BadFile(ValueError):
    """A file the importer refuses, with the reason in one line."""

    def __init__(self, name: str, reason: str):
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")


TOO_LARGE = _("file is larger than 5 MB")
EMPTY = _("file is empty")
BINARY = _("binary file, not text")


@dataclass(frozen=True)
class PreparedArticle:
    """An article read from text, ready to be shown or stored."""

    file: str
    import_key: str
    parsed: ParsedArticle
    postings: list[ExtractedPosting] = field(default_factory=list)
    # The other sums of money in the text, each with why it is no posting.
    set_aside: list[SetAside] = field(default_factory=list)

    @property
    def questions(self) -> list[str]:
        """Return the thread titles: the closing questions or a general one."""
        questions = self.parsed.questions or [general_question(self.parsed.language)]
        return [question[:300] for question in questions]

    def as_dict(self) -> dict:
        """Return the article in the shape of `import_articles --format json`."""
        parsed = self.parsed
        return {
            "file": self.file,
            "title": parsed.title,
            "published": parsed.published,
            "source": parsed.source,
            "author": parsed.author,
            "body": parsed.body,
            "questions": list(parsed.questions),
            "postings": [
                {
                    "company": posting.company,
                    "title": posting.title,
                    "salary_min": posting.salary_min,
                    "salary_max": posting.salary_max,
                    "currency": posting.currency,
                    "period": posting.period,
                    "location": posting.location,
                    "remote": posting.remote,
                    "url": posting.url,
                    "evidence": posting.evidence,
                    "sources": dict(posting.sources),
                    "confidence": posting.confidence,
                    "merged_by": list(posting.merged_by),
                }
                for posting in self.postings
            ],
        }


@dataclass
class LoadResult:
    article: Article
    # "created", "updated" or "unchanged".
    status: str
    postings_created: int = 0
    postings_updated: int = 0
    postings_merged: int = 0
    threads_created: int = 0
    threads_updated: int = 0


def decode_file(data: bytes, *, name: str) -> str:
    """Return a file's text, or raise BadFile saying why it cannot be read."""
    if len(data) > MAX_FILE_SIZE:
        raise BadFile(name, str(TOO_LARGE))
    if not data.strip():
        raise BadFile(name, str(EMPTY))
    if b"\x00" in data[:8192]:
        raise BadFile(name, str(BINARY))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadFile(
            name,
            _("not UTF-8 text (invalid byte at position %(position)s)")
            % {"position": error.start},
        ) from None
    controls = sum(
        1 for char in text[:8192] if ord(char) < 32 and char not in "\n\r\t\f"
    )
    if controls > max(8, len(text[:8192]) // 100):
        raise BadFile(name, str(BINARY))
    if not text.strip():
        raise BadFile(name, str(EMPTY))
    return text


def import_key_for(filename: str) -> str:
    """Return the key that finds an article again when its file is re-imported."""
    stem = Path(filename).stem if filename else ""
    return re.sub(r"\s+", "-", stem.strip())[:200]


def prepare_article(
    text: str,
    *,
    filename: str = "",
    title: str | None = None,
    source: str | None = None,
    published: str | None = None,
) -> PreparedArticle:
    """Parse a text and extract its postings, without touching the database."""
    parsed = parse_article(
        text, filename=filename, title=title, source=source, published=published
    )
    postings, set_aside = read_figures(parsed.body, language=parsed.language)
    return PreparedArticle(
        file=filename,
        import_key=import_key_for(filename),
        parsed=parsed,
        postings=postings,
        set_aside=set_aside,
    )


def fingerprint(
    prepared: PreparedArticle,
    *,
    publish: bool,
    items: list[ReviewItem] | None = None,
) -> str:
    """Return a digest of everything an import would store for an article.

    `items` are the postings with an editor's corrections applied.
    """
    if items is None:
        postings = [asdict(posting) for posting in prepared.postings]
    else:
        postings = [
            {**asdict(item.as_posting()), "into": item.merge_into}
            for item in items
            if not item.dropped
        ]
    payload = {
        "rules": RULES_VERSION,
        "parsed": asdict(prepared.parsed),
        "postings": postings,
        "publish": publish,
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def published_date(value: str | None) -> tuple[datetime.date | None, str]:
    """Return the date to store and how precise the text was about it."""
    if not value:
        return None, Article.Precision.DAY
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 1:
        return datetime.date(parts[0], 1, 1), Article.Precision.YEAR
    if len(parts) == 2:
        return datetime.date(parts[0], parts[1], 1), Article.Precision.MONTH
    return datetime.date(*parts), Article.Precision.DAY


def _article_fields(prepared: PreparedArticle, *, publish: bool) -> dict:
    parsed = prepared.parsed
    date, precision = published_date(parsed.published)
    return {
        "title": parsed.title[:300] or prepared.import_key or "Article",
        "source": parsed.source[:200],
        "author": parsed.author[:200],
        "translator": parsed.translator[:200],
        "sources": ", ".join(parsed.sources)[:500],
        "published": date,
        "published_precision": precision,
        "language": parsed.language,
        "body": parsed.body,
        "status": Article.Status.PUBLISHED if publish else Article.Status.DRAFT,
        "import_key": prepared.import_key,
    }


def _store_postings(
    article: Article, items: list[ReviewItem], language: str, result: LoadResult
) -> list[Posting]:
    cited: list[Posting] = []
    role_fallback = DEFAULT_ROLE.get(language, DEFAULT_ROLE["fr"])
    for item in items:
        if item.dropped:
            continue
        extracted = item.as_posting()
        company, _created = services.get_or_create_company(name=extracted.company)
        url = extracted.url or ""
        try:
            URLValidator()(url)
        except ValidationError:
            # An address the text mangled is left out rather than stored broken.
            url = ""
        into = None
        if item.merge_into:
            into = Posting.objects.filter(pk=item.merge_into).first()
        posting, status, merge = services.store_posting(
            company=company,
            title=extracted.title or role_fallback,
            salary_min=extracted.salary_min,
            salary_max=extracted.salary_max,
            currency=extracted.currency,
            period=extracted.period,
            location=extracted.location or "",
            remote=bool(extracted.remote),
            url=url,
            article=article,
            into=into,
        )
        if status == "created":
            result.postings_created += 1
        elif status == "updated":
            result.postings_updated += 1
        if merge is not None:
            result.postings_merged += 1
        if posting.pk in {p.pk for p in cited}:
            continue
        services.cite_posting(
            article=article,
            posting=posting,
            evidence=extracted.evidence,
            position=len(cited),
            sources=extracted.sources,
            # A posting an editor added was not extracted: no confidence.
            confidence=None if item.is_added else extracted.confidence,
        )
        cited.append(posting)
    # Citations the edited text no longer makes go away; the postings stay.
    Citation.objects.filter(article=article).exclude(
        posting__in=[p.pk for p in cited]
    ).delete()
    return cited


def _key(title: str) -> str:
    return re.sub(r"\W+", " ", title.casefold()).strip()


def _store_threads(
    article: Article, questions: list[str], postings: list[Posting], result: LoadResult
) -> None:
    existing = list(Thread.objects.filter(article=article).order_by("position", "pk"))
    matched: dict[int, Thread] = {}
    # Same question first, wherever it moved; then the same place in the list,
    # which keeps a reworded question's replies under its new wording.
    by_title = {}
    for thread in existing:
        by_title.setdefault(_key(thread.title), thread)
    for position, question in enumerate(questions):
        thread = by_title.get(_key(question))
        if thread is not None and thread not in matched.values():
            matched[position] = thread
    free = [thread for thread in existing if thread not in matched.values()]
    for position, _question in enumerate(questions):
        if position in matched:
            continue
        same_place = next((t for t in free if t.position == position), None)
        if same_place is not None:
            matched[position] = same_place
            free.remove(same_place)

    for position, question in enumerate(questions):
        thread = matched.get(position)
        if thread is None:
            forum_services.create_thread(
                title=question, article=article, position=position, postings=postings
            )
            result.threads_created += 1
            continue
        if thread.title != question or thread.position != position:
            forum_services.update_thread(
                thread=thread, title=question, position=position
            )
            result.threads_updated += 1
        if {p.pk for p in thread.postings.all()} != {p.pk for p in postings}:
            forum_services.set_thread_postings(thread=thread, postings=postings)
    # Threads whose question left the text are kept, with their replies,
    # after the current questions: nothing readers wrote is lost.
    for offset, thread in enumerate(free, start=len(questions)):
        if thread.position != offset:
            forum_services.update_thread(thread=thread, position=offset)


def load_article(
    prepared: PreparedArticle,
    *,
    publish: bool = True,
    corrections: list[ImportCorrection] = (),
    editor=None,
) -> LoadResult:
    """Store an article and everything it cites, or leave it as it is if unchanged.

    The corrections editors made to earlier imports of the same file are
    applied on top of the extraction; new `corrections` (unsaved, from the
    review) are stored with it, in the same transaction.
    """
    with transaction.atomic():
        article = None
        if prepared.import_key:
            article = (
                Article.objects.select_for_update()
                .filter(import_key=prepared.import_key)
                .order_by("pk")
                .first()
            )
        for correction in corrections:
            correction.import_key = prepared.import_key
            correction.article = article
            correction.editor = editor
            correction.save()
        items = review_items(prepared.postings, corrections_for(prepared.import_key))
        digest = fingerprint(prepared, publish=publish, items=items)
        if article is not None and article.fingerprint == digest:
            return LoadResult(article=article, status="unchanged")
        status = "created" if article is None else "updated"
        fields = _article_fields(prepared, publish=publish)
        fields["fingerprint"] = digest
        # An updated article keeps its slug, so links to it keep working
        # after a corrected title.
        article = services.save_article(article=article or Article(), **fields)
        if prepared.import_key:
            ImportCorrection.objects.filter(
                import_key=prepared.import_key, article__isnull=True
            ).update(article=article)
        result = LoadResult(article=article, status=status)
        postings = _store_postings(article, items, prepared.parsed.language, result)
        _store_threads(article, prepared.questions, postings, result)
    return result


def import_text(
    text: str,
    *,
    filename: str = "",
    title: str | None = None,
    source: str | None = None,
    published: str | None = None,
    publish: bool = True,
) -> LoadResult:
    """Parse, extract and store one article's text."""
    prepared = prepare_article(
        text, filename=filename, title=title, source=source, published=published
    )
    return load_article(prepared, publish=publish)
