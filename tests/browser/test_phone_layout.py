"""On a phone (360×740 and 390×844) every public page fits the screen's width,
with the demo data and with 200-character unbroken addresses; on a thread the
first reply comes within a screen and a half. Screenshots of every page at
both sizes are kept under test-results/phone/."""

from pathlib import Path

import pytest

from tests.pages import LONG_URL, build_site

PHONES = [(360, 740), (390, 844)]
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "phone"

WIDTHS = """() => ({
  scroll: document.documentElement.scrollWidth,
  viewport: window.innerWidth,
})"""

FIRST_REPLY_TOP = """() => {
  const reply = document.querySelector('.reply-item');
  return reply ? reply.getBoundingClientRect().top + window.scrollY : null;
}"""


def _shoot(page, size, name) -> Path:
    folder = SHOTS / f"{size[0]}x{size[1]}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def _visit_all(web, size, pages, prefix) -> dict[str, dict]:
    measured = {}
    for name, url in pages.items():
        response = web.page.goto(url)
        assert response.status == 200, url
        measured[name] = web.page.evaluate(WIDTHS)
        assert _shoot(web.page, size, f"{prefix}-{name}").stat().st_size > 0
    return measured


@pytest.mark.parametrize("size", PHONES, ids=["360x740", "390x844"])
def test_no_page_scrolls_sideways_on_a_phone(web, db, size):
    site = build_site()
    web.page.set_viewport_size({"width": size[0], "height": size[1]})

    public = _visit_all(web, size, site.public, "public")
    web.sign_in(site.reader)
    signed_in = _visit_all(web, size, site.signed_in, "signed-in")

    too_wide = {
        name: widths
        for name, widths in {**public, **signed_in}.items()
        if widths["scroll"] > widths["viewport"]
    }
    assert too_wide == {}
    assert {widths["viewport"] for widths in public.values()} == {size[0]}


def test_long_addresses_wrap_inside_the_page(web, db):
    site = build_site()
    web.page.set_viewport_size({"width": 360, "height": 740})

    web.page.goto(site.public["thread-small"])
    link = web.page.locator(f'.reply-body a[href="{LONG_URL}"]')
    reply_box = link.bounding_box()
    text = web.page.locator(".reply-body p", has_text=f"{LONG_URL}/suite")
    text_box = text.bounding_box()
    web.page.goto(site.public["posting"])
    offer = web.page.locator(f'.posting-facts a[href="{LONG_URL}"]')
    offer_box = offer.bounding_box()

    assert reply_box["x"] + reply_box["width"] <= 360
    assert reply_box["height"] > 40  # wrapped over several lines
    assert text_box["x"] + text_box["width"] <= 360
    assert offer_box["x"] + offer_box["width"] <= 360
    assert offer_box["height"] > 40


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_the_first_reply_starts_within_a_screen_and_a_half(web, db, signed_in):
    site = build_site()
    web.page.set_viewport_size({"width": 390, "height": 844})
    if signed_in:
        web.sign_in(site.reader)
    tops = {}

    for thread in (site.small_thread, site.big_thread):
        web.page.goto(thread.get_absolute_url())
        tops[thread.pk] = web.page.evaluate(FIRST_REPLY_TOP)

    print(f"first reply at (px from the top, by thread id): {tops}")
    assert all(top is not None for top in tops.values())
    assert max(tops.values()) <= 1.5 * 844, tops


@pytest.mark.parametrize("size", PHONES, ids=["360x740", "390x844"])
def test_deep_replies_keep_most_of_the_width(web, db, size):
    site = build_site()
    web.page.set_viewport_size({"width": size[0], "height": size[1]})

    web.page.goto(site.big_thread.get_absolute_url())
    deepest = web.page.locator(".reply-body", has_text="Niveau 9 de la conversation")
    column = web.page.locator("section.discussion").bounding_box()["width"]
    widths = web.page.eval_on_selector_all(
        ".reply-body", "bodies => bodies.map(b => b.getBoundingClientRect().width)"
    )

    assert deepest.count() == 1
    assert deepest.bounding_box()["width"] >= 0.8 * column
    assert min(widths) >= 0.8 * column, (min(widths), column)


def test_tables_become_stacked_rows_on_a_phone(web, db):
    site = build_site()
    cell = "table.postings-table tbody td"

    web.page.goto(site.public["postings"])
    on_desktop = web.page.eval_on_selector(cell, "c => getComputedStyle(c).display")
    web.page.set_viewport_size({"width": 390, "height": 844})
    on_phone = web.page.eval_on_selector(cell, "c => getComputedStyle(c).display")
    label = web.page.eval_on_selector(
        cell, "c => getComputedStyle(c, '::before').content"
    )

    assert on_desktop == "table-cell"
    assert on_phone == "block"
    assert "Entreprise" in label


def test_a_threads_postings_open_from_a_short_summary(web, db):
    site = build_site()
    web.page.set_viewport_size({"width": 390, "height": 844})
    page = web.page
    page.goto(site.public["thread-big"])
    count = page.locator(".all-postings table.postings-table tbody tr").count()

    summary_items = page.locator(".postings-summary li").count()
    chart_hidden = not page.locator(".all-postings .salary-chart").is_visible()
    page.locator(".all-postings > summary").click()

    assert 1 <= summary_items <= 3
    assert count >= summary_items
    assert chart_hidden
    assert page.locator(".all-postings .salary-chart").first.is_visible()
    assert page.locator(".all-postings table.postings-table").is_visible()
