from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.charts import salary_charts as build_salary_charts
from articles.money import format_money

register = template.Library()


@register.simple_tag
def salary_charts(postings):
    """One salary chart per currency for postings the view already loaded."""
    return build_salary_charts(postings or [])


@register.simple_tag(takes_context=True)
def sort_state(context, field: str) -> str:
    """How the posting list is sorted by `field`: "ascending", "descending"
    or "none", as aria-sort spells it."""
    current = context.get("ordering") or ""
    if current == field:
        return "ascending"
    if current == f"-{field}":
        return "descending"
    return "none"


@register.simple_tag(takes_context=True)
def next_ordering(context, field: str, first: str = "asc") -> str:
    """The ordering a column header links to: the reverse of the current one
    when the list is already sorted by this column."""
    current = context.get("ordering") or ""
    if current == field:
        return f"-{field}"
    if current == f"-{field}":
        return field
    return f"-{field}" if first == "desc" else field


@register.simple_tag
def annual_salary(posting) -> str:
    """A posting's annualised range, e.g. "249 600 $ to 374 400 $"."""
    language = get_language()
    low = format_money(posting.annual_min, posting.currency, language)
    high = format_money(posting.annual_max, posting.currency, language)
    if low and high and low != high:
        return _("%(low)s to %(high)s") % {"low": low, "high": high}
    if low and high:
        return high
    if high:
        return _("up to %(amount)s") % {"amount": high}
    if low:
        return _("from %(amount)s") % {"amount": low}
    return "—"
