"""The replies of a thread page, each top-level reply with its answers
rendered once and kept (forum/pagecache/fragments.py)."""

from django import template
from django.utils.safestring import mark_safe

from forum.pagecache.fragments import render_replies

register = template.Library()


@register.simple_tag(takes_context=True)
def replies(context, nodes):
    """forum/_reply.html for each node, from the kept fragments when they
    still show the same thing."""
    html, kept = render_replies(nodes, context)
    request = context.get("request")
    if request is not None:
        request.reply_fragments = (kept, len(nodes))
    return mark_safe(html)  # noqa: S308 - rendered by the reply templates
