"""Hostile inputs pushed through every way text enters the site.

Each payload would run `alert(1)` (or load a script, a frame or a style) if it
reached a page unsanitised. `assert_safe_html` states what the cleaned HTML
may contain: the Markdown allow-list, links to http, https and mailto only,
and no attribute beyond href, title and rel.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from forum.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES

PAYLOADS = [
    # Markdown links and images with script URLs.
    ("md-link-javascript", "[clic](javascript:alert(1))"),
    ("md-link-mixed-case", "[clic](JaVaScRiPt:alert(1))"),
    ("md-link-leading-space", "[clic](  javascript:alert(1))"),
    ("md-link-angle-brackets", "[clic](<javascript:alert(1)>)"),
    ("md-link-tab-in-scheme", "[clic](java\tscript:alert(1))"),
    ("md-link-newline-in-scheme", "[clic](java\nscript:alert(1))"),
    ("md-link-comment-newline", "[clic](javascript://%0aalert(1))"),
    ("md-link-template-literal", "[clic](javascript:alert`1`)"),
    ("md-link-with-title", "[clic](javascript:alert(1) 'titre')"),
    ("md-link-vbscript", "[clic](vbscript:msgbox(1))"),
    ("md-link-vbscript-mixed-case", "[clic](VbScRiPt:msgbox(1))"),
    (
        "md-link-data-base64",
        "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ),
    ("md-link-data-html", "[clic](data:text/html,<script>alert(1)</script>)"),
    ("md-link-data-mixed-case", "[clic](DaTa:text/html,alert(1))"),
    ("md-link-file", "[clic](file:///etc/passwd)"),
    (
        "md-link-title-breakout",
        '[clic](https://example.org "a\\" onmouseover=\\"alert(1)")',
    ),
    ("md-link-quote-breakout", '[clic](https://example.org"onmouseover="alert(1))'),
    ("md-link-html-in-text", "[<img src=x onerror=alert(1)>](https://example.org)"),
    ("md-image-javascript", "![photo](javascript:alert(1))"),
    ("md-image-onerror", '![photo](https://example.org/x.png" onerror="alert(1))'),
    (
        "md-image-svg-data",
        "![photo](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+)",
    ),
    ("md-image-in-link", "[![photo](javascript:alert(1))](javascript:alert(2))"),
    # Autolinks.
    ("autolink-javascript", "<javascript:alert(1)>"),
    ("autolink-mixed-case", "<JaVaScRiPt:alert(1)>"),
    ("autolink-vbscript", "<vbscript:msgbox(1)>"),
    ("autolink-data", "<data:text/html,alert(1)>"),
    ("autolink-entity-colon", "<javascript&#58;alert(1)>"),
    ("bare-url-javascript", "Voir javascript:alert(1) pour les détails."),
    # Reference links.
    ("reference-javascript", "[clic][1]\n\n[1]: javascript:alert(1)"),
    ("reference-angle-brackets", '[clic][r]\n\n[r]: <javascript:alert(1)> "t"'),
    ("reference-collapsed", "[clic][]\n\n[clic]: JAVASCRIPT:alert(1)"),
    ("reference-shortcut-data", "[clic]\n\n[clic]: data:text/html,alert(1)"),
    ("reference-image", "![photo][p]\n\n[p]: javascript:alert(1)"),
    # Entity-encoded schemes.
    ("entity-hex-letter", "[clic](jav&#x61;script:alert(1))"),
    ("entity-decimal-letter", "[clic](&#106;avascript:alert(1))"),
    ("entity-named-colon", "[clic](javascript&colon;alert(1))"),
    ("entity-decimal-colon", "[clic](javascript&#58;alert(1))"),
    ("entity-padded-colon", "[clic](javascript&#0000058alert(1))"),
    ("entity-tab", "[clic](jav&#x09;ascript:alert(1))"),
    (
        "entity-whole-scheme",
        "[clic](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;"
        "&#x3A;alert(1))",
    ),
    ("percent-encoded-scheme", "[clic](%6A%61%76%61script:alert(1))"),
    # NUL bytes and invisible characters.
    ("nul-in-scheme", "[clic](java\x00script:alert(1))"),
    ("nul-before-scheme", "[clic](\x00javascript:alert(1))"),
    ("nul-in-tag", "<scr\x00ipt>alert(1)</scr\x00ipt>"),
    ("zero-width-in-scheme", "[clic](java\u200bscript:alert(1))"),
    ("fullwidth-brackets", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    # Raw HTML: tags, blocks and comments.
    ("html-script", "<script>alert(1)</script>"),
    ("html-script-src", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
    ("html-nested-script", "<scr<script>ipt>alert(1)</script>"),
    ("html-split-script", "<<script>script>alert(1)<</script>/script>"),
    ("html-attribute-breakout", '"><script>alert(1)</script>'),
    ("html-block-div", "<div>\n<script>alert(1)</script>\n</div>"),
    ("html-block-table", "<table><tr><td onclick=alert(1)>x</td></tr></table>"),
    ("html-comment", "<!--<script>alert(1)</script>-->"),
    ("html-cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    ("html-template", "<template><script>alert(1)</script></template>"),
    ("html-textarea", "<textarea><script>alert(1)</script></textarea>"),
    (
        "html-noscript-breakout",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    ),
    ("html-anchor-javascript", '<a href="javascript:alert(1)">x</a>'),
    ("html-anchor-onclick", '<a href="https://example.org" onclick="alert(1)">x</a>'),
    ("html-anchor-style", '<a href="https://example.org" style="position:fixed">x</a>'),
    ("html-anchor-unquoted", "<a href=javascript:alert(1)>x"),
    (
        "html-meta-refresh",
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    ),
    ("html-base", '<base href="javascript:alert(1)//">'),
    ("html-form-action", "<form action=javascript:alert(1)><button>x</button></form>"),
    ("html-object", '<object data="javascript:alert(1)"></object>'),
    ("html-embed", "<embed src=javascript:alert(1)>"),
    ("html-link-stylesheet", "<link rel=stylesheet href=javascript:alert(1)>"),
    # Event handlers.
    ("handler-img-onerror", "<img src=x onerror=alert(1)>"),
    ("handler-body-onload", "<body onload=alert(1)>"),
    ("handler-input-autofocus", "<input autofocus onfocus=alert(1)>"),
    ("handler-details-ontoggle", "<details open ontoggle=alert(1)>"),
    ("handler-unknown-tag", "<x onclick=alert(1)>clic</x>"),
    ("handler-video-source", "<video><source onerror=alert(1)></video>"),
    ("handler-audio", "<audio src=x onerror=alert(1)>"),
    ("handler-marquee", "<marquee onstart=alert(1)>x</marquee>"),
    ("handler-single-quote-svg", "'><svg/onload=alert(1)>"),
    # SVG and MathML.
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    (
        "svg-xlink",
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    ),
    ("svg-animate", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    ("math-href", '<math href="javascript:alert(1)">x</math>'),
    (
        "math-mglyph-style",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    ),
    # Styles.
    ("style-block", "<style>body{background:url(javascript:alert(1))}</style>"),
    ("style-attribute", '<div style="background:url(javascript:alert(1))">x</div>'),
    ("style-expression", '<p style="width:expression(alert(1))">x</p>'),
    # Frames.
    ("iframe-javascript", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("iframe-data", '<iframe src="data:text/html,<script>alert(1)</script>">'),
    ("frameset", '<frameset><frame src="javascript:alert(1)"></frameset>'),
    # Markdown constructs wrapping HTML.
    ("code-span", "`<script>alert(1)</script>`"),
    ("fenced-code", "```html\n<script>alert(1)</script>\n```"),
    ("emphasis-wrapping-html", "**<script>**alert(1)**</script>**"),
    ("quote-wrapping-html", "> <img src=x onerror=alert(1)>"),
    ("list-wrapping-html", "- <svg onload=alert(1)>\n- [x](javascript:alert(1))"),
    ("heading-wrapping-html", "## <iframe src=javascript:alert(1)>"),
]

assert len(PAYLOADS) >= 60
assert len({name for name, _text in PAYLOADS}) == len(PAYLOADS)

# Payloads short enough for a display name (60 characters).
SHORT_PAYLOADS = [(name, text) for name, text in PAYLOADS if len(text) <= 60]

FORBIDDEN_URL_SCHEMES = ("javascript", "vbscript", "data", "file")


def params(payloads=PAYLOADS):
    return [pytest.param(text, id=name) for name, text in payloads]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))


def _scheme(url: str) -> str:
    # Browsers drop ASCII whitespace and control characters from URLs
    # before reading the scheme.
    compact = "".join(char for char in url if ord(char) > 32 and char != "\x7f")
    return urlsplit(compact).scheme.lower()


def assert_safe_html(html: str) -> None:
    """Fail unless the HTML holds only allow-listed tags, attributes and URLs."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    for tag, attrs in collector.elements:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> survived in {html!r}"
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}
        for name, value in attrs:
            assert name in allowed, f"attribute {name} on <{tag}> in {html!r}"
            if name == "href":
                scheme = _scheme(value or "")
                assert scheme in ALLOWED_URL_SCHEMES | {""}, (
                    f"href scheme {scheme!r} in {html!r}"
                )
    lowered = html.lower()
    for marker in ("<script", "<svg", "<iframe", "<style", "<img", "<object"):
        assert marker not in lowered, f"{marker} survived in {html!r}"


def assert_escaped_text(page: str, text: str) -> None:
    """Fail unless `text`, shown as plain text, appears only HTML-escaped."""
    if "<" in text:
        assert text not in page, f"{text!r} appears unescaped"
