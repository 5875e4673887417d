"""JSON-LD for search engines: DiscussionForumPosting, NewsArticle, JobPosting.

Each builder returns a plain dict from objects the page has already loaded, so
no query is made; `script_tag` turns it into a <script type="application/ld+json">
block that no text in the data can break out of. Only what an anonymous
visitor may read is described: published articles, visible threads and
visible replies.
"""

import functools
import json
from collections.abc import Callable, Iterable
from html import escape, unescape

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from accounts.models import profile_paths

# Most comments described for one thread page: search engines read a sample
# of the conversation, and a page of a large thread can hold thousands.
MAX_COMMENTS = 50
DESCRIPTION_WORDS = 50

# "<", ">" and "&" written as JSON escapes cannot close the <script> element
# or start an HTML comment, and parse back to the same characters.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}

Absolute = Callable[[str], str]


def absolute_for(context) -> Absolute:
    """Absolute URLs for a template's context: from its request, or the site."""
    request = context.get("request")
    if request is None:
        return lambda path: settings.SITE_URL + path
    # The request's scheme and host, read once for the many paths of a page;
    # anything but a path from the site's root goes through Django.
    origin = request.build_absolute_uri("/")[:-1]

    def absolute(path: str) -> str:
        if path.startswith("/") and not path.startswith("//"):
            return origin + path
        return request.build_absolute_uri(path)

    return absolute


def encode(data) -> str:
    """JSON of the data, as script_tag writes it (before its escapes)."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


def script_tag(data: dict | None, comments: str = "") -> SafeString:
    """The data as a <script type="application/ld+json"> block, or nothing.

    `comments` is the JSON of comments written beforehand (see
    `comment_writer`), comma-separated: the data's "comment", last.
    """
    if not data:
        return mark_safe("")
    payload = encode(data)
    if comments:
        payload = f'{payload[:-1]}, "comment": [{comments}]}}'
    # One replacement per character: str.translate with a mapping reads
    # every character of the text through a dictionary.
    for character, escaped in _SCRIPT_ESCAPES.items():
        payload = payload.replace(chr(character), escaped)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(payload)
    )


def _plain_text(html: str, words: int) -> str:
    return Truncator(unescape(strip_tags(html)).strip()).words(words)


def _site() -> dict:
    return {"@type": "Organization", "name": gettext("AI Salaries Forum")}


def _article_author(article) -> dict:
    if article.author:
        return {"@type": "Person", "name": article.author}
    if article.source:
        return {"@type": "Organization", "name": article.source}
    return _site()


def _is_public_article(article) -> bool:
    return article is not None and article.is_published


def _is_public_thread(thread) -> bool:
    return not thread.is_hidden and (
        thread.article is None or _is_public_article(thread.article)
    )


def news_article(*, article, threads: Iterable, absolute: Absolute) -> dict | None:
    """A published article as a NewsArticle, with its discussions' addresses."""
    if not _is_public_article(article):
        return None
    url = absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.title,
        # An article without a date was published when it was stored.
        "datePublished": article.published_iso or article.created_at,
        "dateModified": article.updated_at,
        "author": _article_author(article),
        "inLanguage": article.language,
        "description": _plain_text(article.body_html, DESCRIPTION_WORDS),
        "discussionUrl": [
            absolute(thread.get_absolute_url())
            for thread in threads
            if not thread.is_hidden
        ],
    }
    if article.source:
        data["publisher"] = {"@type": "Organization", "name": article.source}
    if article.translator:
        data["translator"] = {"@type": "Person", "name": article.translator}
    if article.source_url:
        data["isBasedOn"] = article.source_url
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _counter(action: str, count: int) -> dict:
    return {
        "@type": "InteractionCounter",
        "interactionType": f"https://schema.org/{action}",
        "userInteractionCount": count,
    }


def _comments(
    nodes, budget: list[int], absolute: Absolute, thread_url: str, profiles, counted
) -> list[dict]:
    """Public replies as nested Comments, in display order, within the budget.

    A reply that is not public (removed, hidden by reports, held for review)
    is left out and its public answers move up to its place.
    """
    comments = []
    for node in nodes:
        if budget[0] <= 0:
            break
        reply = node.reply
        if not reply.is_public:
            comments.extend(
                _comments(
                    node.children, budget, absolute, thread_url, profiles, counted
                )
            )
            continue
        budget[0] -= 1
        comment = {
            "@type": "Comment",
            "url": absolute(reply.url_under(thread_url)),
            "text": reply.body,
            "datePublished": reply.created_at,
            "author": _author(reply.author, absolute, profiles),
            "interactionStatistic": [
                _counter("LikeAction", counted(reply, "upvotes")),
                _counter("DislikeAction", counted(reply, "downvotes")),
            ],
        }
        if reply.edited_at:
            comment["dateModified"] = reply.edited_at
        answers = _comments(
            node.children, budget, absolute, thread_url, profiles, counted
        )
        if answers:
            comment["comment"] = answers
        comments.append(comment)
    return comments


def discussion_forum_posting(*, thread, tree, absolute: Absolute) -> dict | None:
    """A visible thread as a DiscussionForumPosting with the page's replies."""
    if not _is_public_thread(thread):
        return None
    url = absolute(thread.get_absolute_url())
    article = thread.article
    data = {
        "@context": "https://schema.org",
        "@type": "DiscussionForumPosting",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": thread.title,
        "text": thread.title,
        "datePublished": thread.created_at,
        "dateModified": thread.updated_at,
        "author": _article_author(article) if article else _site(),
        "inLanguage": article.language if article else None,
        "interactionStatistic": [_counter("CommentAction", thread.reply_count)],
    }
    if article:
        article_url = absolute(article.get_absolute_url())
        data["isPartOf"] = {
            "@type": "NewsArticle",
            "@id": article_url,
            "url": article_url,
            "headline": article.title,
        }
    if tree is not None:
        comments = comment_writer(thread, absolute)(tree.roots, [MAX_COMMENTS])
        if comments:
            data["comment"] = comments
    return {key: value for key, value in data.items() if value is not None}


def comment_writer(thread, absolute: Absolute, counted=getattr):
    """What describes a thread page's reply nodes as Comments: called with
    nodes and the budget left (a one-item list it lowers), it returns their
    Comments as discussion_forum_posting nests them. A vote counter is
    written as `counted(reply, name)` gives it.

    The thread's and the profiles' addresses are reversed on the first call:
    a page whose Comments were all kept (fragments.described) asks none."""

    @functools.cache
    def paths() -> tuple[str, Callable[[str], str]]:
        return thread.get_absolute_url(), profile_paths()

    def write(nodes, budget: list[int]) -> list[dict]:
        thread_url, profiles = paths()
        return _comments(nodes, budget, absolute, thread_url, profiles, counted)

    return write


# Currencies that belong to one country: a posting that names no place is
# taken to be in the country that pays in its currency.
CURRENCY_COUNTRIES = {
    "AUD": "AU",
    "CAD": "CA",
    "CHF": "CH",
    "CNY": "CN",
    "GBP": "GB",
    "INR": "IN",
    "JPY": "JP",
    "SGD": "SG",
    "USD": "US",
}

# Places the articles name, in French and English, and their country.
PLACE_COUNTRIES = {
    "allemagne": "DE",
    "germany": "DE",
    "berlin": "DE",
    "munich": "DE",
    "france": "FR",
    "paris": "FR",
    "lyon": "FR",
    "royaume-uni": "GB",
    "united kingdom": "GB",
    "londres": "GB",
    "london": "GB",
    "canada": "CA",
    "toronto": "CA",
    "montréal": "CA",
    "montreal": "CA",
    "suisse": "CH",
    "switzerland": "CH",
    "zurich": "CH",
    "états-unis": "US",
    "etats-unis": "US",
    "united states": "US",
    "usa": "US",
    "californie": "US",
    "california": "US",
    "san francisco": "US",
    "new york": "US",
    "seattle": "US",
    "hollywood": "US",
    "los angeles": "US",
    "boston": "US",
    "austin": "US",
}


def posting_country(posting) -> str | None:
    """The ISO 3166 code of a posting's country: from its place, else from a
    currency only one country uses; None when neither says."""
    words = " ".join(posting.location.lower().replace(",", " ").split())
    for place, country in PLACE_COUNTRIES.items():
        if f" {place} " in f" {words} ":
            return country
    return CURRENCY_COUNTRIES.get(posting.currency)


def _date_posted(posting):
    """The publication date of the first published article citing the posting,
    else the day the posting was stored."""
    dates = [
        citation.article.published
        for citation in getattr(posting, "citation_list", ())
        if citation.article.is_published and citation.article.published
    ]
    return min(dates) if dates else posting.created_at.date()


def job_posting(*, posting, absolute: Absolute) -> dict:
    """A cited job posting as a JobPosting, with its salary range if known."""
    # The salary in words, as the posting pages write it; imported here
    # because those pages' template tags build on this module.
    from articles.templatetags.article_tags import salary

    url = absolute(posting.get_absolute_url())
    company = posting.company
    organization = {"@type": "Organization", "name": company.name}
    if company.domain:
        organization["sameAs"] = f"https://{company.domain}"
    # HTML, as search engines read it, escaped once: "&", "<" and ">" only,
    # so an apostrophe stays an apostrophe for readers that show it as text.
    paragraphs = (
        gettext("%(title)s at %(company)s.")
        % {"title": posting.role, "company": company.name},
        gettext("Salary: %(salary)s") % {"salary": unescape(str(salary(posting)))},
    )
    description = "".join(f"<p>{escape(text, quote=False)}</p>" for text in paragraphs)
    data = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "@id": url,
        "url": url,
        "title": posting.role,
        "description": description,
        "datePosted": _date_posted(posting),
        "hiringOrganization": organization,
    }
    if posting.url:
        data["sameAs"] = posting.url
    country = posting_country(posting)
    address = {"@type": "PostalAddress"}
    if posting.location:
        address["addressLocality"] = posting.location
    if country:
        address["addressCountry"] = country
    if posting.location or (country and not posting.remote):
        data["jobLocation"] = {"@type": "Place", "address": address}
    if posting.remote:
        data["jobLocationType"] = "TELECOMMUTE"
        if country:
            data["applicantLocationRequirements"] = {
                "@type": "Country",
                "name": country,
            }
    amounts = [amount for amount in (posting.salary_min, posting.salary_max) if amount]
    if amounts:
        value = {"@type": "QuantitativeValue", "unitText": posting.period.upper()}
        if len(amounts) == 2:
            value.update(minValue=amounts[0], maxValue=amounts[1])
        else:
            value["value"] = amounts[0]
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": posting.currency,
            "value": value,
        }
    return data


def _author(user, absolute, profiles) -> dict:
    # "Deleted member" has no profile page to link to.
    if user.is_deleted_member:
        return {"@type": "Person", "name": str(user.public_name)}
    return {
        "@type": "Person",
        "name": user.public_name,
        "url": absolute(profiles(user.username)),
    }
