"""Names and other user text isolated from the text around them, and marked
with their language when it is not the page's.

A name containing a right-to-left override, or written in Arabic or Hebrew,
must not reorder the words around it: in HTML it goes in <bdi>, in plain
text (e-mails) between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from forum.language import guess_language

register = template.Library()

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


@register.filter
def isolate(value):
    """The value, escaped, in a <bdi> element."""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def isolate_text(value):
    """The value between Unicode isolate marks, for plain text."""
    return f"{FIRST_STRONG_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}"


@register.filter
def lang_attr(language):
    """lang="xx" when a block's language differs from the page's, else
    nothing: screen readers then read it with the right voice."""
    if not language or language == get_language():
        return ""
    return format_html(' lang="{}"', language)


@register.filter
def text_lang(text):
    """lang="xx" when a reader's text is clearly in another language than
    the page's, else nothing."""
    return lang_attr(guess_language(text or ""))
