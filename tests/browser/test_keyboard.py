"""Using the site with the keyboard alone, and naming every control."""

import pytest
from playwright.sync_api import expect

from forum.models import Reply, Vote
from forum.services import post_reply
from tests.factories import ThreadFactory, UserFactory

UNNAMED_CONTROLS = """
() => [...document.querySelectorAll(
    'input:not([type=hidden]), textarea, select, button, a[href], summary'
  )].filter((el) => {
    const byId = (ids) => (ids || '').split(/\\s+/)
      .map((id) => document.getElementById(id)?.textContent || '').join('');
    const name = [
      el.getAttribute('aria-label'),
      byId(el.getAttribute('aria-labelledby')),
      [...(el.labels || [])].map((label) => label.textContent).join(''),
      ['BUTTON', 'A', 'SUMMARY'].includes(el.tagName) ? el.textContent : '',
      el.type === 'submit' ? el.value : '',
      el.getAttribute('title'),
    ].join('').trim();
    return name === '';
  }).map((el) => el.outerHTML.slice(0, 120))
"""

FOCUS_OUTLINE = """
() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName,
    visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    onScreen: (() => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0;
    })(),
  };
}
"""


def _thread_with_a_reply():
    thread = ThreadFactory(title="Faut-il publier les salaires ?")
    author = UserFactory(username="camille")
    reply = post_reply(thread=thread, author=author, body="Oui, toujours.")
    return thread, reply


def _tab_until(page, selector: str, limit: int = 80) -> list[dict]:
    """Press Tab until `selector` has the focus; the focus seen on the way."""
    seen = []
    for _press in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUS_OUTLINE))
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return seen
    raise AssertionError(f"{selector} never received the focus")


def test_keyboard_alone_reaches_every_step_with_a_visible_focus(web):
    thread, reply = _thread_with_a_reply()
    reader = UserFactory(username="dominique")
    web.sign_in(reader)
    page = web.page
    page.goto(thread.get_absolute_url())

    page.keyboard.press("Tab")
    skip = page.evaluate(FOCUS_OUTLINE)
    page.keyboard.press("Enter")
    seen = _tab_until(page, "#reply-form textarea")
    page.keyboard.type("Au clavier seulement.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator("li.reply-item", has_text="Au clavier seulement.").wait_for()
    seen += _tab_until(page, f"#reply-{reply.pk} button[data-vote='1']")
    page.keyboard.press("Space")
    expect(page.locator(f"#reply-{reply.pk} [data-score]").first).to_have_text("1")
    seen += _tab_until(page, f"#reply-{reply.pk} [data-reply-link]")
    page.keyboard.press("Enter")
    page.keyboard.type("Réponse imbriquée, au clavier.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator(f"#reply-{reply.pk} li.reply-item", has_text="imbriquée").wait_for()

    assert skip["onScreen"] and skip["visible"]
    assert [step for step in seen if not step["visible"]] == []
    assert Vote.objects.get(user=reader, reply=reply).value == 1
    assert list(
        Reply.objects.filter(author=reader)
        .order_by("pk")
        .values_list("parent", flat=True)
    ) == [None, reply.pk]


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("thread", id="thread"),
        pytest.param("/accounts/login/", id="login"),
        pytest.param("/accounts/signup/", id="signup"),
        pytest.param("/accounts/password/change/", id="password-change"),
        pytest.param("edit", id="reply-edit"),
        pytest.param("report", id="reply-report"),
        pytest.param("/account/profile/", id="profile-edit"),
    ],
)
def test_every_control_has_a_name(web, path):
    thread, reply = _thread_with_a_reply()
    reader = UserFactory(username="dominique")
    mine = post_reply(thread=thread, author=reader, body="Le mien.")
    urls = {
        "thread": thread.get_absolute_url(),
        "edit": f"/replies/{mine.pk}/edit/",
        "report": f"/replies/{reply.pk}/report/",
    }
    if path not in {"/accounts/login/", "/accounts/signup/"}:
        web.sign_in(reader)
    page = web.page

    page.goto(urls.get(path, path))
    if path == "thread":
        page.click(f"#reply-{reply.pk} [data-reply-link]")

    assert page.locator("main form").count() >= 1
    assert page.evaluate(UNNAMED_CONTROLS) == []
