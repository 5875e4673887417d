"""Markdown to safe HTML, done once when a text is written."""

import re
from functools import cache

import nh3
from django.conf import settings
from markdown_it import MarkdownIt
from markdown_it.token import Token

# "@name" as usernames are written (letters, digits and @ . + - _), not
# inside a word or an e-mail address; a trailing full stop ends the sentence.
MENTION = re.compile(r"(?<![\w@.+\-/])@([\w.+\-]+)")

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "hr", "li",
    "ol", "p", "pre", "strong", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


@cache
def _parser() -> MarkdownIt:
    # Raw HTML is off: "<script>" in a message is shown as text, never parsed.
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False})
    parser.disable("image")
    parser.core.ruler.push("mentions", _link_mentions)
    return parser


def _mentions_in(content: str):
    """(start, end, name) of each "@name" in a run of plain text."""
    for match in MENTION.finditer(content):
        name = match.group(1).rstrip(".")
        if name:
            yield match.start(), match.start() + 1 + len(name), name


def _plain_text(tokens):
    """The text tokens of inline content outside links (code is its own
    token type, so "@name" in code is never a mention)."""
    depth = 0
    for token in tokens:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
        elif token.type == "text" and depth == 0:
            yield token


def _link_mentions(state) -> None:
    """Turn "@name" into a link to the profile of each name in
    env["mentions"] (lowercased name -> URL)."""
    mentions = state.env.get("mentions") if isinstance(state.env, dict) else None
    if not mentions:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        plain = {id(token) for token in _plain_text(block.children)}
        children = []
        for token in block.children:
            if id(token) not in plain:
                children.append(token)
                continue
            children.extend(_split_mentions(token, mentions))
        block.children = children


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _split_mentions(token: Token, mentions: dict) -> list[Token]:
    content, position, out = token.content, 0, []
    for start, end, name in _mentions_in(content):
        url = mentions.get(name.lower())
        if url is None:
            continue
        if start > position:
            out.append(_text(content[position:start]))
        link = Token("link_open", "a", 1)
        link.attrSet("href", url)
        out.extend([link, _text(f"@{name}"), Token("link_close", "a", -1)])
        position = end
    if not out:
        return [token]
    if position < len(content):
        out.append(_text(content[position:]))
    return out


def mentioned_names(text: str) -> list[str]:
    """The names a text mentions ("@name" outside code and links), in order,
    each once, at most FORUM_MENTIONS_PER_REPLY of them."""
    names: list[str] = []
    limit = settings.FORUM_MENTIONS_PER_REPLY
    for block in _parser().parse(text.replace("\x00", "")):
        if block.type != "inline" or not block.children:
            continue
        for token in _plain_text(block.children):
            for _start, _end, name in _mentions_in(token.content):
                if name.lower() not in {known.lower() for known in names}:
                    names.append(name)
                if len(names) >= limit:
                    return names
    return names


def clean_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def render_markdown(text: str, mentions: dict[str, str] | None = None) -> str:
    """Render Markdown written by a user or an article into cleaned HTML;
    "@name" links to the URL `mentions` gives for its lowercased name."""
    text = text.replace("\x00", "")
    return clean_html(_parser().render(text, {"mentions": mentions or {}}))
