"""Moments written for machines: a <time datetime> value in whole seconds."""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def iso_datetime(value):
    """An aware datetime as ISO 8601 in the current time zone, to the second
    (2026-05-04T09:30:00+02:00): HTML's <time datetime> takes at most three
    decimals, and readers need none."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
