"""The template tag writing the JSON-LD block of the thread page; the article
and posting pages' blocks are written by articles' article_tags."""

from django import template
from django.conf import settings

from forum.pagecache.fragments import described, tally_marker
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
    tree = tree if _anonymous(context) else None
    absolute = structured_data.absolute_for(context)
    if tree is None or not settings.FORUM_FRAGMENT_CACHE_TIMEOUT:
        return structured_data.script_tag(
            structured_data.discussion_forum_posting(
                thread=thread, tree=tree, absolute=absolute
            )
        )
    # Each top-level reply's Comments kept beside its rendered fragment:
    # only the replies that changed are described again.
    data = structured_data.discussion_forum_posting(
        thread=thread, tree=None, absolute=absolute
    )
    if data is None:
        return structured_data.script_tag(None)
    comments = described(
        tree.roots,
        context,
        # The thread's absolute address: the site's and the thread's, which
        # is all the description reads besides the replies.
        scope=data["url"],
        budget=structured_data.MAX_COMMENTS,
        describe=structured_data.comment_writer(thread, absolute, tally_marker),
        encode=structured_data.encode,
    )
    return structured_data.script_tag(data, comments)
