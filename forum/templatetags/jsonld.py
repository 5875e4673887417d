"""Template tags writing the JSON-LD blocks of the thread, article and posting pages."""

from django import template
from django.conf import settings

from forum import structured_data

register = template.Library()


def _absolute(context):
    request = context.get("request")
    if request is not None:
        return request.build_absolute_uri
    return lambda path: settings.SITE_URL + path


def _anonymous(context) -> bool:
    user = getattr(context.get("request"), "user", None)
    return user is None or not user.is_authenticated


@register.simple_tag(takes_context=True)
def thread_jsonld(context, thread, tree=None):
    # Replies are described to anonymous readers only, as search engines
    # are: a signed-in reader's page may share a rendered reply list whose
    # tree is not loaded, and reading it here would load it again.
    return structured_data.script_tag(
        structured_data.discussion_forum_posting(
            thread=thread,
            tree=tree if _anonymous(context) else None,
            absolute=_absolute(context),
        )
    )


@register.simple_tag(takes_context=True)
def article_jsonld(context, article, threads=()):
    return structured_data.script_tag(
        structured_data.news_article(
            article=article, threads=threads, absolute=_absolute(context)
        )
    )


@register.simple_tag(takes_context=True)
def posting_jsonld(context, posting):
    return structured_data.script_tag(
        structured_data.job_posting(posting=posting, absolute=_absolute(context))
    )
