"""Structured data as a search engine reads it from a page, and the fields
Google requires of each type it shows as a rich result."""

import json
from html.parser import HTMLParser

# For each type, the fields that must be present and not empty. A tuple lists
# alternatives: one of them is enough. Dotted names reach into nested objects.
REQUIRED = {
    "JobPosting": [
        "title",
        "description",
        "datePosted",
        "hiringOrganization.name",
        (
            "jobLocation.address.addressCountry",
            "applicantLocationRequirements.name",
        ),
    ],
    "DiscussionForumPosting": [
        "author.name",
        "datePublished",
        "text",
        "url",
        "headline",
    ],
    "Comment": ["author.name", "datePublished", "text"],
    "NewsArticle": ["headline", "author.name", "datePublished", "dateModified"],
}


class _JsonLdParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._inside = True
            self.blocks.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks[-1] += data


def extract_jsonld(html: str) -> list[dict]:
    """Every JSON-LD block of an HTML page, parsed."""
    parser = _JsonLdParser()
    parser.feed(html)
    return [json.loads(block) for block in parser.blocks]


def _value(data: dict, dotted: str):
    for key in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _with_comments(data: dict):
    yield data
    for comment in data.get("comment", []):
        yield from _with_comments(comment)


def missing_fields(data: dict) -> list[str]:
    """The required fields absent from an item and from the items it nests
    (its comments), each named "Type.field". A reference to another item
    (a thread's article) is not checked: that item's own page describes it."""
    missing = []
    for item in _with_comments(data):
        for field in REQUIRED.get(item.get("@type"), []):
            alternatives = field if isinstance(field, tuple) else (field,)
            if not any(
                _value(item, name) not in (None, "", []) for name in alternatives
            ):
                missing.append(f"{item['@type']}.{' or '.join(alternatives)}")
    return missing
