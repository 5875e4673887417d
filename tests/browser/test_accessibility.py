"""axe-core, injected from the npm package, finds no critical or serious
violation on any kind of page: at desktop and phone widths, signed out and
signed in, in light and dark mode. The focus ring stands out from the page."""

import json

import pytest

from tests.checkers import axe_script
from tests.pages import build_site

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

RUN_AXE = """async () => {
  const results = await axe.run(document, { resultTypes: ['violations'] });
  return results.violations
    .filter(v => v.impact === 'critical' || v.impact === 'serious')
    .map(v => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
    }));
}"""


def _violations(web, pages: dict[str, str], script: str) -> dict[str, list]:
    found = {}
    for name, url in pages.items():
        response = web.page.goto(url)
        assert response.status == 200, url
        web.page.add_script_tag(path=script)
        violations = web.page.evaluate(RUN_AXE)
        if violations:
            found[name] = violations
    return found


@pytest.mark.parametrize(
    ("viewport", "scheme", "signed_in"),
    [
        (DESKTOP, "light", False),
        (DESKTOP, "light", True),
        (PHONE, "light", False),
        (PHONE, "light", True),
        (DESKTOP, "dark", False),
        (PHONE, "dark", True),
    ],
    ids=[
        "desktop-light-signed-out",
        "desktop-light-signed-in",
        "phone-light-signed-out",
        "phone-light-signed-in",
        "desktop-dark-signed-out",
        "phone-dark-signed-in",
    ],
)
def test_no_page_has_a_serious_accessibility_violation(
    web_checked, db, viewport, scheme, signed_in
):
    script = str(axe_script())
    site = build_site()
    web_checked.page.set_viewport_size(viewport)
    web_checked.page.emulate_media(color_scheme=scheme)
    pages = site.public
    if signed_in:
        web_checked.sign_in(site.reader)
        pages = site.signed_in

    found = _violations(web_checked, pages, script)

    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


def test_axe_sees_a_link_nested_in_a_summary(web_checked, db):
    """The check itself works: the markup the thread pages used to have is
    reported."""
    script = str(axe_script())
    web_checked.page.goto("/")
    web_checked.page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<details open><summary>Alice <a href="/u/alice/">Alice</a></summary>'
        + '<p>Texte</p></details>')"""
    )
    web_checked.page.add_script_tag(path=script)

    violations = web_checked.page.evaluate(RUN_AXE)

    assert "nested-interactive" in [violation["id"] for violation in violations]


CONTRAST = """([a, b]) => {
  const channels = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const luminance = c => {
    const [r, g, b] = channels(c);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_contrasts_at_least_three_to_one(web, db, scheme):
    build_site()
    page = web.page
    page.emulate_media(color_scheme=scheme)
    page.goto("/")

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    ring = page.evaluate(
        """() => {
          const style = getComputedStyle(document.activeElement);
          return {
            tag: document.activeElement.tagName,
            color: style.outlineColor,
            width: parseFloat(style.outlineWidth),
            outline: style.outlineStyle,
            page: getComputedStyle(document.body).backgroundColor,
            header: getComputedStyle(
              document.querySelector('.site-header')).backgroundColor,
          };
        }"""
    )

    assert ring["tag"] == "A"
    assert ring["outline"] == "solid" and ring["width"] >= 2
    assert page.evaluate(CONTRAST, [ring["color"], ring["page"]]) >= 3
    assert page.evaluate(CONTRAST, [ring["color"], ring["header"]]) >= 3
