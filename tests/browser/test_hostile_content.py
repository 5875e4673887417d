"""The hostile corpus, rendered in a real browser: no script runs.

The first test turns the Content-Security-Policy off, so that it proves the
sanitiser alone; the second keeps it on and expects not even an attempt
(a blocked attempt would log a console error).
"""

import pytest
from playwright.sync_api import expect

from forum.services import post_reply
from tests.factories import ThreadFactory, UserFactory
from tests.security.payloads import PAYLOADS, SHORT_PAYLOADS

WRITABLE = [text for _name, text in PAYLOADS if "\x00" not in text]
NAMES = [
    text
    for _name, text in SHORT_PAYLOADS
    if text.isprintable() and "\u200b" not in text
]

WHAT_RAN = """
() => {
  const bodies = [...document.querySelectorAll('.reply-body, .bio, h1, .author')];
  const inside = bodies.flatMap((body) => [...body.querySelectorAll('*')]);
  return {
    active: inside.filter((el) => [
      'SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'svg', 'MATH', 'math', 'IMG',
      'STYLE', 'FORM', 'INPUT', 'BASE', 'META', 'LINK', 'VIDEO', 'AUDIO',
    ].includes(el.tagName)).map((el) => el.tagName),
    handlers: [...document.querySelectorAll('*')].flatMap((el) =>
      [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
    styled: inside.filter((el) => el.hasAttribute('style')).length,
    schemes: [...new Set(
      bodies.flatMap((body) => [...body.querySelectorAll('a[href]')])
        .map((a) => a.protocol))],
    title: document.title,
  };
}
"""


def _hostile_thread():
    thread = ThreadFactory(title="Corpus hostile")
    authors = [
        UserFactory(username=f"hostile{number}", display_name=name, bio=name)
        for number, name in enumerate(NAMES)
    ]
    for number, text in enumerate(WRITABLE):
        post_reply(thread=thread, author=authors[number % len(authors)], body=text)
    return thread, authors


def _hover_everything(page) -> None:
    for element in page.locator("main .reply-body a, main .author").all():
        element.hover(timeout=2000, force=True)


@pytest.mark.parametrize("policy", ["off", "on"])
def test_no_payload_runs_in_the_thread_or_on_the_profiles(web, settings, policy):
    if policy == "off":
        settings.CONTENT_SECURITY_POLICY = ""
    thread, authors = _hostile_thread()
    page = web.page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    seen = []

    shown = 0
    pages = -(-len(WRITABLE) // settings.FORUM_TOP_LEVEL_PER_PAGE)
    for number in range(1, pages + 1):
        page.goto(f"{thread.get_absolute_url()}?sort=old&page={number}")
        shown += page.locator("li.reply-item").count()
        _hover_everything(page)
        seen.append(page.evaluate(WHAT_RAN))
    # Every profile when the policy is off; a few when it is on.
    visited = authors if policy == "off" else authors[:5]
    for author in visited:
        page.goto(author.get_absolute_url())
        seen.append(page.evaluate(WHAT_RAN))
    page.wait_for_timeout(300)

    assert dialogs == []
    for found in seen:
        assert found["active"] == []
        assert found["handlers"] == []
        assert found["styled"] == 0
        assert set(found["schemes"]) <= {"http:", "https:", "mailto:"}
    assert shown == len(WRITABLE)
    assert seen[0]["title"].startswith("Corpus hostile")
    expect(page.locator("h1")).to_contain_text(visited[-1].display_name)
