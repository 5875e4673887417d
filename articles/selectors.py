"""Page-sized reads for articles and postings."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404

from articles.models import Article, Citation
from forum.models import Thread
from forum.pagination import page_or_404


def _threads_prefetch(viewer) -> Prefetch:
    return Prefetch(
        "threads",
        queryset=Thread.objects.visible_to(viewer).order_by("position", "pk"),
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
