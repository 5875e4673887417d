"""RSS and Atom feeds: the latest articles, an article's questions, a thread's replies.

Feeds are public documents that readers fetch without a session, so they show
what an anonymous visitor sees: published articles, visible threads and
visible replies, whoever asks.

Every link in a feed is absolute, summaries included: a feed reader shows
them away from the site. Every entry names an author (Atom requires one).
Each feed carries an ETag and a Last-Modified date and answers
304 Not Modified to a reader that already has it.
"""

import re
from contextvars import ContextVar
from datetime import datetime, time

from django.contrib.syndication.views import Feed as DjangoFeed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.http import parse_http_date_safe
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from forum.models import Reply, Thread

FEED_LENGTH = 30
SUMMARY_WORDS = 80
TITLE_WORDS = 12


# The request a feed is being written for, to make its summaries' links
# absolute; one feed object serves every request, so it cannot hold it.
_request = ContextVar("feed_request", default=None)

# href="/..." and src="/..." in HTML: links relative to the site's root.
_ROOT_RELATIVE = re.compile(r'\b(href|src)="(/(?!/)[^"]*)"')


def absolute_links(html: str) -> str:
    """The HTML with its links relative to the site's root made absolute."""
    request = _request.get()
    if request is None:
        return html
    origin = request.build_absolute_uri("/").rstrip("/")
    return _ROOT_RELATIVE.sub(lambda match: f'{match[1]}="{origin}{match[2]}"', html)


def _start_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _site_name() -> str:
    return gettext("AI Salaries Forum")


class Feed(DjangoFeed):
    """A feed with absolute links in its summaries that answers 304 when
    the reader's copy is current."""

    def __call__(self, request, *args, **kwargs):
        token = _request.set(request)
        try:
            response = super().__call__(request, *args, **kwargs)
        finally:
            _request.reset(token)
        set_response_etag(response)
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )

    def item_description(self, item):
        return absolute_links(str(self.item_summary(item)))


class LatestArticlesFeed(Feed):
    title = _("AI Salaries Forum: the latest articles")
    description = _(
        "The latest press articles about the salaries offered to AI talent, "
        "with the questions they ask readers."
    )

    def link(self):
        return reverse("home")

    def items(self):
        questions = Prefetch(
            "threads",
            queryset=Thread.objects.visible_to(None).order_by("position", "pk"),
            to_attr="thread_list",
        )
        return (
            Article.objects.published()
            .latest()
            .prefetch_related(questions)[:FEED_LENGTH]
        )

    def item_title(self, article):
        return article.title

    def item_summary(self, article):
        summary = mark_safe(
            Truncator(article.body_html).words(SUMMARY_WORDS, html=True)
        )
        if not article.thread_list:
            return summary
        questions = format_html_join(
            "",
            '<li><a href="{}">{}</a></li>',
            (
                (thread.get_absolute_url(), thread.title)
                for thread in article.thread_list
            ),
        )
        return format_html(
            "{}<p>{}</p><ul>{}</ul>",
            summary,
            gettext("The questions it asks readers:"),
            questions,
        )

    def item_pubdate(self, article):
        if article.published:
            return _start_of_day(article.published)
        return article.created_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        return article.author or article.source or _site_name()


class ArticleThreadsFeed(Feed):
    """The questions of one published article, each a discussion thread."""

    def get_object(self, request, slug):
        return Article.objects.published().get(slug=slug)

    def title(self, article):
        return gettext("Questions of “%(title)s”") % {"title": article.title}

    def description(self, article):
        return gettext("The questions the article asks, each one a discussion.")

    def link(self, article):
        return article.get_absolute_url()

    def items(self, article):
        threads = list(
            Thread.objects.visible_to(None).for_article(article)[:FEED_LENGTH]
        )
        for thread in threads:
            # Authors are read from the article: reuse the one already loaded.
            thread.article = article
        return threads

    def item_title(self, thread):
        return thread.title

    def item_summary(self, thread):
        return ngettext(
            "%(count)s reply so far.", "%(count)s replies so far.", thread.reply_count
        ) % {"count": thread.reply_count}

    def item_pubdate(self, thread):
        return thread.created_at

    def item_updateddate(self, thread):
        return thread.last_activity_at

    def item_author_name(self, thread):
        # A question is the article's: its author speaks through it.
        article = thread.article
        if article is not None:
            return article.author or article.source or _site_name()
        return _site_name()


class ThreadRepliesFeed(Feed):
    """The newest visible replies of one visible thread."""

    def get_object(self, request, thread_id):
        return Thread.objects.visible_to(None).with_article().get(pk=thread_id)

    def title(self, thread):
        return gettext("Replies to “%(title)s”") % {"title": thread.title}

    def description(self, thread):
        return gettext("The newest replies in this discussion.")

    def link(self, thread):
        return thread.get_absolute_url()

    def items(self, thread):
        replies = list(
            Reply.objects.visible()
            .in_thread(thread)
            .with_author()
            .order_by("-created_at", "-id")[:FEED_LENGTH]
        )
        for reply in replies:
            # Links are built from the thread: reuse the one already loaded.
            reply.thread = thread
        return replies

    def item_title(self, reply):
        return gettext("%(name)s: %(excerpt)s") % {
            "name": reply.author.public_name,
            "excerpt": Truncator(" ".join(reply.body.split())).words(TITLE_WORDS),
        }

    def item_summary(self, reply):
        # body_html was sanitised by nh3 when the reply was written.
        return reply.body_html

    def item_pubdate(self, reply):
        return reply.created_at

    def item_updateddate(self, reply):
        return reply.edited_at or reply.created_at

    def item_author_name(self, reply):
        return reply.author.public_name


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class ArticleThreadsAtomFeed(ArticleThreadsFeed):
    feed_type = Atom1Feed

    def subtitle(self, article):
        return self.description(article)


class ThreadRepliesAtomFeed(ThreadRepliesFeed):
    feed_type = Atom1Feed

    def subtitle(self, thread):
        return self.description(thread)
