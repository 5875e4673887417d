"""The template tag writing the JSON-LD block of the thread page; the article
and posting pages' blocks are written by articles' article_tags."""

from django import template

from forum.publishing import structured_data

register = template.Library()


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
            absolute=structured_data.absolute_for(context),
        )
    )
