"""Template tags of article and posting pages: dates, money, salaries and
JSON-LD blocks."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.money import format_money
from forum.publishing import structured_data

register = template.Library()


@register.simple_tag
def article_meta(article) -> str:
    """Source, author and date of an article, the date only as precise as known."""
    parts = [article.source, article.author, article.published_label]
    return " · ".join(part for part in parts if part)


@register.simple_tag
def money(amount, currency) -> str:
    return format_money(amount, currency, get_language())


@register.simple_tag
def salary(posting) -> str:
    """A posting's salary range with its currency and period, in words."""
    language = get_language()
    low = format_money(posting.salary_min, posting.currency, language)
    high = format_money(posting.salary_max, posting.currency, language)
    period = posting.get_period_display()
    if posting.salary_min and posting.salary_max:
        if posting.salary_min == posting.salary_max:
            text = _("%(amount)s %(period)s") % {"amount": high, "period": period}
        else:
            text = _("%(low)s to %(high)s %(period)s") % {
                "low": low,
                "high": high,
                "period": period,
            }
    elif posting.salary_max:
        text = _("up to %(amount)s %(period)s") % {"amount": high, "period": period}
    elif posting.salary_min:
        text = _("from %(amount)s %(period)s") % {"amount": low, "period": period}
    else:
        return _("not stated")
    return format_html("{}", text)


@register.simple_tag(takes_context=True)
def article_jsonld(context, article, threads=()):
    return structured_data.script_tag(
        structured_data.news_article(
            article=article,
            threads=threads,
            absolute=structured_data.absolute_for(context),
        )
    )


@register.simple_tag(takes_context=True)
def posting_jsonld(context, posting):
    return structured_data.script_tag(
        structured_data.job_posting(
            posting=posting, absolute=structured_data.absolute_for(context)
        )
    )
