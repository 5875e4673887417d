"""The replies of a thread page, each top-level reply with its answers
rendered once and kept (forum/pagecache/fragments.py)."""

from django import template
from django.utils.safestring import mark_safe

from forum.pagecache.fragments import TALLIES_LATER, render_replies, tally_marker

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


@register.simple_tag(takes_context=True)
def tally(context, reply, name):
    """The reply's vote counter `name`; in kept HTML, the marker where each
    render puts it in."""
    if context.get(TALLIES_LATER):
        return mark_safe(tally_marker(reply, name))  # noqa: S308 - digits and a name
    return getattr(reply, name)
