"""Page-sized reads for articles and postings."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.http import Http404

from articles.filters import DEFAULT_ORDERING, PostingFilter
from articles.models import Article, Citation, Posting
from forum.models import Thread
from forum.pagination import page_or_404


def _threads_prefetch(viewer) -> Prefetch:
    return Prefetch(
        "threads",
        queryset=Thread.objects.visible_to(viewer)
        .with_new_reply_count(viewer)
        .order_by("position", "pk"),
        to_attr="thread_list",
    )


def latest_articles(*, viewer, page=1):
    """A page of the latest articles a viewer may read, with their questions."""
    articles = (
        Article.objects.visible_to(viewer)
        .latest()
        .prefetch_related(_threads_prefetch(viewer))
    )
    return page_or_404(Paginator(articles, settings.FORUM_ARTICLES_PER_PAGE), page)


def article_page(*, slug: str, viewer) -> dict:
    """The article with its questions and the postings it cites."""
    try:
        article = (
            Article.objects.visible_to(viewer)
            .prefetch_related(
                _threads_prefetch(viewer),
                Prefetch(
                    "citations",
                    queryset=Citation.objects.select_related(
                        "posting__company"
                    ).order_by("position", "pk"),
                    to_attr="citation_list",
                ),
            )
            .get(slug=slug)
        )
    except Article.DoesNotExist as error:
        raise Http404("No such article.") from error
    return {
        "article": article,
        "threads": article.thread_list,
        "citations": article.citation_list,
        "postings": [citation.posting for citation in article.citation_list],
    }


POSTINGS_PER_PAGE = 25


def listed_postings(*, viewer) -> QuerySet:
    """Postings a viewer may see: those cited by an article they may read or
    linked to a thread they may open (whose page links to them)."""
    cited = Citation.objects.filter(
        posting=OuterRef("pk"),
        article__in=Article.objects.visible_to(viewer).order_by(),
    )
    discussed = Thread.postings.through.objects.filter(
        posting=OuterRef("pk"),
        thread__in=Thread.objects.visible_to(viewer).order_by(),
    )
    return Posting.objects.filter(Exists(cited) | Exists(discussed))


def posting_directory(*, viewer, params, page=1) -> dict:
    """A filtered, sorted page of the posting directory and its filter form."""
    filterset = PostingFilter(
        params or None,
        queryset=listed_postings(viewer=viewer).order_by(*DEFAULT_ORDERING),
        viewer=viewer,
    )
    postings = filterset.qs.select_related("company")
    current = page_or_404(Paginator(postings, POSTINGS_PER_PAGE), page)
    return {
        "filter": filterset,
        "page": current,
        "postings": list(current.object_list),
        "ordering": filterset.ordering_value,
    }


def posting_page(*, pk: int, viewer) -> dict:
    """A posting with the citations and threads a viewer may read."""
    citations = (
        Citation.objects.filter(article__in=Article.objects.visible_to(viewer))
        .select_related("article")
        .order_by(F("article__published").desc(nulls_last=True), "pk")
    )
    threads = (
        Thread.objects.visible_to(viewer)
        .select_related("article")
        .order_by("-last_activity_at", "-pk")
    )
    try:
        posting = (
            listed_postings(viewer=viewer)
            .select_related("company")
            .prefetch_related(
                Prefetch("citations", queryset=citations, to_attr="citation_list"),
                Prefetch("threads", queryset=threads, to_attr="thread_list"),
            )
            .get(pk=pk)
        )
    except Posting.DoesNotExist as error:
        raise Http404("No such posting.") from error
    return {
        "posting": posting,
        "citations": posting.citation_list,
        "threads": posting.thread_list,
    }


def company_page(*, slug: str, viewer) -> dict:
    """A company and the postings of it a viewer may see, the best paid first.

    A company is shown only once the viewer may see one of its postings.
    """
    postings = list(
        listed_postings(viewer=viewer)
        .filter(company__slug=slug)
        .select_related("company")
        .order_by(F("annual_max").desc(nulls_last=True), "title", "pk")
    )
    if not postings:
        raise Http404("No such company.")
    return {"company": postings[0].company, "postings": postings}
