"""What a reader is told of moderation decisions about them."""

from django import template

from forum.permissions import ban_refusal

register = template.Library()


@register.simple_tag
def ban_notice(user) -> str:
    """Why and until when a banned reader cannot write."""
    return str(ban_refusal(user))
