"""Search over articles, questions (thread titles) and replies.

On PostgreSQL: full-text search with the "french_unaccent" configuration
(French stemming, accents ignored). Migration forum 0002 stores each row's
search document in a generated tsvector column with a GIN index, so matching
and ranking (ts_rank) read stored lexemes instead of parsing text. Only the
snippets of the rows shown are cut by ts_headline.

Elsewhere (SQLite): every word of the query must start a word of the text
("salaire" finds "salaires"), accents and case ignored, ranked by the fields
the words appear in, snippets cut in Python.

On both, when a common word matches more rows than CANDIDATES, only the most
recent matches are ranked, so that a common word costs no more than a rare one.

Snippets stay plain text until the very end: matches are wrapped in two
private-use characters, the text is escaped, and only then are the markers
turned into <mark> elements, so nothing a user wrote is ever read as HTML.
Each kind of result costs one query, whatever the number of rows.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import (
    Expression,
    F,
    FloatField,
    Func,
    QuerySet,
    Value,
)
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from forum.models import Reply, Thread

CONFIG = "french_unaccent"
# The generated tsvector column migration forum 0002 adds to each table.
DOCUMENT_COLUMN = "search_document"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_LIMIT = 50
# Matches ranked per kind of result: the most recent ones when more match.
CANDIDATES = 1000
SNIPPET_LENGTH = 220
# Private-use characters: they never occur in prose and survive escaping.
START, STOP = "\ue000", "\ue001"
MARKED = re.compile(f"{START}(.*?){STOP}", re.S)


@dataclass
class SearchHit:
    """One result: what matched, where it lives, and a highlighted excerpt."""

    kind: str
    id: int
    title: str
    title_html: SafeString
    snippet_html: SafeString
    url: str
    rank: float
    date: date | datetime | None = None
    context: str = ""
    author: str = ""


@dataclass
class SearchResults:
    query: str
    articles: list[SearchHit] = field(default_factory=list)
    threads: list[SearchHit] = field(default_factory=list)
    replies: list[SearchHit] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.articles) + len(self.threads) + len(self.replies)


def clean_query(query: str) -> str:
    """The query as searched: no control characters, spaces collapsed, at
    most 200 characters."""
    printable = "".join(c if c.isprintable() else " " for c in query or "")
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def search(*, query: str, viewer, limit: int = 20) -> SearchResults:
    """The best matches among the articles, questions and visible replies a
    viewer may read, at most `limit` of each kind, best first."""
    query = clean_query(query)
    limit = max(1, min(limit, MAX_LIMIT))
    results = SearchResults(query=query)
    if not re.search(r"\w", query):
        return results
    if connection.vendor == "postgresql":
        finder = _PostgresSearch(query)
    else:
        finder = _PortableSearch(query)
        if not finder.terms:
            return results
    results.articles = finder.articles(viewer, limit)
    results.threads = finder.threads(viewer, limit)
    results.replies = finder.replies(viewer, limit)
    return results


# What each kind of result reads: the rows a viewer may see, and the columns
# a result needs.


def _readable_articles(viewer) -> QuerySet:
    return Article.objects.visible_to(viewer).only(
        "id", "title", "slug", "published", "body"
    )


def _readable_threads(viewer) -> QuerySet:
    return (
        Thread.objects.visible_to(viewer)
        .select_related("article")
        .only("id", "title", "slug", "created_at", "article__title")
    )


def _readable_replies(viewer) -> QuerySet:
    return (
        Reply.objects.visible()
        .filter(thread__in=Thread.objects.visible_to(viewer).order_by())
        .select_related("thread", "author")
        .only(
            "id",
            "body",
            "created_at",
            "thread__id",
            "thread__title",
            "thread__slug",
            "author__username",
            "author__display_name",
        )
    )


def _marked_html(text: str) -> SafeString:
    """Escape a text whose matches are wrapped in START/STOP, then mark them."""
    escaped = MARKED.sub(r"<mark>\1</mark>", escape(text or ""))
    return mark_safe(escaped.replace(START, "").replace(STOP, ""))


def _hit(
    row, kind: str, *, title: str, title_marked: str, snippet_marked: str, date, **more
) -> SearchHit:
    """A result for a matching row, its marked title and snippet made HTML."""
    return SearchHit(
        kind=kind,
        id=row.pk,
        title=title,
        title_html=_marked_html(title_marked),
        snippet_html=_marked_html(snippet_marked),
        url=row.get_absolute_url(),
        rank=float(row.rank),
        date=date,
        **more,
    )


def _article_hit(article, title_marked: str, snippet_marked: str) -> SearchHit:
    return _hit(
        article,
        "article",
        title=article.title,
        title_marked=title_marked,
        snippet_marked=snippet_marked,
        date=article.published,
    )


def _thread_hit(thread, title_marked: str) -> SearchHit:
    return _hit(
        thread,
        "thread",
        title=thread.title,
        title_marked=title_marked,
        snippet_marked=title_marked,
        date=thread.created_at,
        context=thread.article.title if thread.article else "",
    )


def _reply_hit(reply, snippet_marked: str) -> SearchHit:
    return _hit(
        reply,
        "reply",
        title=reply.thread.title,
        title_marked=reply.thread.title,
        snippet_marked=snippet_marked,
        date=reply.created_at,
        context=reply.thread.title,
        author=reply.author.public_name,
    )


# PostgreSQL -------------------------------------------------------------------


class StoredDocument(Expression):
    """The search document column of the queried table.

    The column exists only on PostgreSQL (migration forum 0002) and is
    generated by the database, so it is no model field: this expression names
    it on whatever alias the table has in the query.
    """

    output_field = SearchVectorField()

    def __init__(self, alias: str | None = None):
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query=None, *args, **kwargs):
        return StoredDocument(alias=query.get_initial_alias())

    def relabeled_clone(self, change_map):
        return StoredDocument(alias=change_map.get(self.alias, self.alias))

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.alias)
        return f"{table}.{connection.ops.quote_name(DOCUMENT_COLUMN)}", []

    def get_group_by_cols(self):
        return [self]


class _PostgresSearch:
    def __init__(self, query: str):
        self.query = SearchQuery(query, config=CONFIG, search_type="websearch")

    def _headline(self, name: str, **options) -> SearchHeadline:
        # Markers a user typed into the text would pass for matches.
        text = Replace(Replace(F(name), Value(START)), Value(STOP))
        return SearchHeadline(
            text,
            self.query,
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            **options,
        )

    def _snippet(self, name: str) -> SearchHeadline:
        return self._headline(
            name,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )

    def _ranked(self, readable: QuerySet) -> QuerySet:
        """The CANDIDATES most recent matches, ranked by ts_rank."""
        matching = readable.annotate(document=StoredDocument()).filter(
            document=self.query
        )
        candidates = matching.order_by("-pk").values("pk")[:CANDIDATES]
        return (
            readable.filter(pk__in=candidates)
            .annotate(document=StoredDocument())
            .annotate(rank=SearchRank(F("document"), self.query))
        )

    def articles(self, viewer, limit: int) -> list[SearchHit]:
        rows = (
            self._ranked(_readable_articles(viewer))
            .defer("body")
            .annotate(
                title_marked=self._headline("title", highlight_all=True),
                snippet_marked=self._snippet("body"),
            )
            .order_by("-rank", "-pk")[:limit]
        )
        return [_article_hit(row, row.title_marked, row.snippet_marked) for row in rows]

    def threads(self, viewer, limit: int) -> list[SearchHit]:
        rows = (
            self._ranked(_readable_threads(viewer))
            .annotate(title_marked=self._headline("title", highlight_all=True))
            .order_by("-rank", "-last_activity_at", "-pk")[:limit]
        )
        return [_thread_hit(row, row.title_marked) for row in rows]

    def replies(self, viewer, limit: int) -> list[SearchHit]:
        rows = (
            self._ranked(_readable_replies(viewer))
            .defer("body")
            .annotate(snippet_marked=self._snippet("body"))
            .order_by("-rank", "-pk")[:limit]
        )
        return [_reply_hit(row, row.snippet_marked) for row in rows]


# Portable fallback ------------------------------------------------------------


# Marks that decompose out of accented Latin letters ("é" is "e" + U+0301).
COMBINING_MARKS = re.compile("[\u0300-\u036f]")
WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Text without accents and case: "Société" → "societe"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return COMBINING_MARKS.sub("", decomposed).casefold()


def words(text: str | None) -> str:
    """The folded words of a text, each preceded by a space, so that a word
    starting with "ia" is found as " ia": " l ia paie " for "L'IA paie"."""
    return " " + " ".join(WORD.findall(fold(text or ""))) + " "


def portable_rank(terms: str, weights: str, *texts: str | None) -> float:
    """The rank of a row: for each term (space-separated), the sum of the
    weights of the texts where a word starts with it; 0 when a term is in
    none of them. SQLite calls it once per row as forum_search_rank."""
    texts_words = [words(text) for text in texts]
    field_weights = [float(weight) for weight in weights.split()]
    rank = 0.0
    for term in terms.split():
        found = [
            weight
            for weight, text_words in zip(field_weights, texts_words, strict=True)
            if f" {term}" in text_words
        ]
        if not found:
            return 0.0
        rank += sum(found)
    return rank


class PortableRank(Func):
    """forum_search_rank(terms, weights, text, ...), registered on SQLite."""

    function = "forum_search_rank"
    output_field = FloatField()


def _register_portable_rank() -> None:
    connection.ensure_connection()
    connection.connection.create_function(
        "forum_search_rank", -1, portable_rank, deterministic=True
    )


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """fold(text) and, for each of its characters, the index it came from."""
    pieces, positions = [], []
    for index, char in enumerate(text):
        piece = fold(char)
        pieces.append(piece)
        positions.extend([index] * len(piece))
    positions.append(len(text))
    return "".join(pieces), positions


def _matches(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    folded, positions = _folded_with_positions(text)
    return [
        (positions[match.start()], positions[match.end() - 1] + 1)
        for match in pattern.finditer(folded)
    ]


def _mark_spans(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    marked, cursor = [], start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        marked += [text[cursor:span_start], START, text[span_start:span_end], STOP]
        cursor = span_end
    marked.append(text[cursor:end])
    return "".join(marked)


def _without_markers(text: str | None) -> str:
    # Markers a user typed into the text would pass for matches.
    return (text or "").replace(START, "").replace(STOP, "")


def highlight(text: str, pattern: re.Pattern) -> str:
    """The whole text with every match wrapped in START/STOP."""
    text = _without_markers(text)
    return _mark_spans(text, _matches(text, pattern), 0, len(text))


def excerpt(text: str, pattern: re.Pattern, length: int = SNIPPET_LENGTH) -> str:
    """About `length` characters around the first match, cut between words,
    matches wrapped in START/STOP."""
    text = " ".join(_without_markers(text).split())
    spans = _matches(text, pattern)
    if len(text) <= length:
        return _mark_spans(text, spans, 0, len(text))
    first = spans[0][0] if spans else 0
    start = max(0, first - length // 4)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    body = _mark_spans(text, spans, start, end)
    return ("… " if start else "") + body + (" …" if end < len(text) else "")


class _PortableSearch:
    def __init__(self, query: str):
        asked = list(dict.fromkeys(re.findall(r"\w+", fold(query))))
        # One-letter words ("l", "d") start nearly every text: leave them out
        # unless nothing else is asked.
        long_words = [word for word in asked if len(word) > 1]
        self.terms = (long_words or asked)[:MAX_TERMS]
        alternatives = "|".join(re.escape(term) for term in self.terms)
        # Whole words that start with a term, as the database matched them.
        self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})\w*")
        _register_portable_rank()

    def _ranked(self, readable: QuerySet, weights: dict[str, float]) -> QuerySet:
        """Rows where every term starts a word of one of the weighted fields,
        ranked by the weights of the fields holding each term; as on
        PostgreSQL, only the CANDIDATES most recent matches are ranked."""
        rank = PortableRank(
            Value(" ".join(self.terms)),
            Value(" ".join(str(weight) for weight in weights.values())),
            *[F(name) for name in weights],
        )
        matching = readable.alias(match=rank).filter(match__gt=0)
        candidates = matching.order_by("-pk").values("pk")[:CANDIDATES]
        return readable.filter(pk__in=candidates).annotate(rank=rank)

    def articles(self, viewer, limit: int) -> list[SearchHit]:
        rows = self._ranked(
            _readable_articles(viewer), {"title": 1.0, "body": 0.4}
        ).order_by("-rank", "-pk")[:limit]
        return [
            _article_hit(
                row, highlight(row.title, self.pattern), excerpt(row.body, self.pattern)
            )
            for row in rows
        ]

    def threads(self, viewer, limit: int) -> list[SearchHit]:
        rows = self._ranked(_readable_threads(viewer), {"title": 1.0}).order_by(
            "-rank", "-last_activity_at", "-pk"
        )[:limit]
        return [_thread_hit(row, highlight(row.title, self.pattern)) for row in rows]

    def replies(self, viewer, limit: int) -> list[SearchHit]:
        rows = self._ranked(_readable_replies(viewer), {"body": 1.0}).order_by(
            "-rank", "-pk"
        )[:limit]
        return [_reply_hit(row, excerpt(row.body, self.pattern)) for row in rows]
