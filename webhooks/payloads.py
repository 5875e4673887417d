"""The `data` of each event, read once the change is committed."""

from django.conf import settings

from articles.models import Article, Posting
from forum.models import Reply, Thread


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def reply_data(reply: Reply) -> dict:
    data = {
        "id": reply.pk,
        "thread": reply.thread_id,
        "parent": reply.parent_id,
        "author": reply.author.username,
        "created_at": reply.created_at,
        "edited_at": reply.edited_at,
        "url": _url(reply.get_absolute_url()),
        "removed": reply.is_removed,
    }
    if reply.is_removed:
        # A removed reply's text is not sent on: only why it was removed.
        data["removal_reason"] = reply.removal_reason
    else:
        data["body"] = reply.body
        data["body_html"] = reply.body_html
    return data


def thread_data(thread: Thread) -> dict:
    return {
        "id": thread.pk,
        "title": thread.title,
        "article": thread.article_id,
        "locked": thread.is_locked,
        "created_at": thread.created_at,
        "url": _url(thread.get_absolute_url()),
    }


def posting_data(posting: Posting) -> dict:
    return {
        "id": posting.pk,
        "company": posting.company.name,
        "title": posting.title,
        "salary_min": posting.salary_min,
        "salary_max": posting.salary_max,
        "currency": posting.currency,
        "period": posting.period,
        "url": posting.url,
        "page": _url(posting.get_absolute_url()),
    }


def article_data(article: Article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "slug": article.slug,
        "published": article.published_iso,
        "url": _url(article.get_absolute_url()),
    }


BUILDERS = {
    "forum.reply": (
        lambda pk: Reply.objects.select_related("author", "thread").get(pk=pk),
        reply_data,
    ),
    "forum.thread": (lambda pk: Thread.objects.get(pk=pk), thread_data),
    "articles.posting": (
        lambda pk: Posting.objects.select_related("company").get(pk=pk),
        posting_data,
    ),
    "articles.article": (lambda pk: Article.objects.get(pk=pk), article_data),
}


def build(model: str, pk: int) -> dict | None:
    load, describe = BUILDERS[model]
    try:
        return describe(load(pk))
    except Exception as error:
        if error.__class__.__name__ == "DoesNotExist":
            return None
        raise
