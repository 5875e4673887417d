"""sitemap.xml: every public page a search engine should index.

Only what an anonymous visitor may open is listed: published articles, visible
threads, and the postings and companies that a published article cites.
Readers' profiles are public but not listed: they are marked noindex.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Company, Posting
from forum.models import Thread


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "articles:posting-list"]

    def location(self, name):
        return reverse(name)


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class ThreadSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Thread.objects.visible_to(None).only("slug", "updated_at").order_by("pk")

    def lastmod(self, thread):
        return thread.updated_at


def _cited_postings():
    return Posting.objects.filter(citations__article__status=Article.Status.PUBLISHED)


class PostingSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Posting.objects.filter(pk__in=_cited_postings().values("pk"))
            .only("updated_at")
            .order_by("pk")
        )

    def lastmod(self, posting):
        return posting.updated_at


class CompanySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Company.objects.filter(pk__in=_cited_postings().values("company_id"))
            .only("slug")
            .order_by("pk")
        )


SITEMAPS = {
    "pages": PagesSitemap,
    "articles": ArticleSitemap,
    "threads": ThreadSitemap,
    "postings": PostingSitemap,
    "companies": CompanySitemap,
}
