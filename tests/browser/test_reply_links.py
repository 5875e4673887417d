"""Pointing at replies, quoting, previewing and drafts, with and without
JavaScript."""

import pytest
from playwright.sync_api import expect

from forum.models import Reply, Vote
from forum.services import post_reply
from tests.factories import ReplyFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def small_pages(settings):
    settings.FORUM_TOP_LEVEL_PER_PAGE = 2


def test_without_javascript_a_vote_on_page_two_returns_there(web_no_js, small_pages):
    thread = ThreadFactory()
    author = UserFactory()
    replies = [
        post_reply(thread=thread, author=author, body=f"Avis {n}.") for n in range(3)
    ]
    target = replies[2]
    voter = UserFactory(username="camille")
    web_no_js.sign_in(voter)
    page = web_no_js.page
    page.goto(f"{thread.get_absolute_url()}?sort=old&page=2")

    page.locator(f"#reply-{target.pk} button[data-vote='1']").click()
    page.wait_for_load_state()

    assert page.url.endswith(
        f"{thread.get_absolute_url()}?sort=old&page=2#reply-{target.pk}"
    )
    expect(page.locator(f"#reply-{target.pk} [data-score]").first).to_have_text("1")
    assert Vote.objects.get(user=voter, reply=target).value == 1


def test_without_javascript_the_permalink_opens_the_replys_page(web_no_js, small_pages):
    thread = ThreadFactory()
    author = UserFactory()
    replies = [
        post_reply(thread=thread, author=author, body=f"Avis {n}.") for n in range(3)
    ]
    page = web_no_js.page

    page.goto(f"/r/{replies[0].pk}/")

    assert page.url.endswith(f"?page=2#reply-{replies[0].pk}")
    expect(page.locator(f"#reply-{replies[0].pk}")).to_contain_text("Avis 0.")


def test_without_javascript_quote_and_preview_then_publish(web_no_js):
    thread = ThreadFactory()
    quoted = post_reply(thread=thread, author=UserFactory(username="noa"), body="Bof.")
    reader = UserFactory(username="lou")
    web_no_js.sign_in(reader)
    page = web_no_js.page
    page.goto(f"{thread.get_absolute_url()}?sort=new")

    page.locator(f"#reply-{quoted.pk} a[data-quote]").click()
    area = page.locator("main textarea[name=body]")
    expect(area).to_have_value(
        f"> @noa [a écrit]({web_no_js.base_url}/r/{quoted.pk}/) :\n>\n> Bof.\n\n"
    )
    area.press("End")
    area.type("**Pourtant** si.")
    page.locator("main button[name=preview]").click()
    page.wait_for_load_state()
    expect(page.locator(".preview strong")).to_have_text("Pourtant")
    assert not Reply.objects.filter(author=reader).exists()
    page.locator("main form button[type=submit]:not([name])").click()
    page.wait_for_load_state()

    answer = Reply.objects.get(author=reader)
    assert answer.parent_id == quoted.pk
    assert page.url.endswith(f"?sort=new#reply-{answer.pk}")
    expect(page.locator(f"#reply-{answer.pk} blockquote")).to_contain_text("Bof.")


def test_preview_appears_in_place_with_javascript(web):
    thread = ThreadFactory()
    UserFactory(username="mael")
    web.sign_in(UserFactory(username="ines"))
    page = web.page
    page.goto(thread.get_absolute_url())
    url = page.url

    page.fill("#reply-form textarea[name=body]", "*Vraiment* ? @mael")
    page.click("#reply-form button[name=preview]")

    box = page.locator("#reply-form [data-preview-box]")
    expect(box.locator("em")).to_have_text("Vraiment")
    expect(box.locator("a[href='/u/mael/']")).to_have_text("@mael")
    assert page.url == url
    assert not Reply.objects.exists()


def test_quote_goes_into_the_reply_form_with_javascript(web):
    thread = ThreadFactory()
    quoted = ReplyFactory(
        thread=thread, author=UserFactory(username="noe"), body="Une ligne."
    )
    web.sign_in(UserFactory())
    page = web.page
    page.goto(thread.get_absolute_url())

    page.locator(f"#reply-{quoted.pk} a[data-quote]").click()

    expect(page.locator("#reply-form textarea[name=body]")).to_have_value(
        f"> @noe [a écrit]({web.base_url}/r/{quoted.pk}/) :\n>\n> Une ligne.\n\n"
    )
    assert page.url.endswith(thread.get_absolute_url())


def test_share_copies_the_permalink_where_there_is_no_share_sheet(web):
    reply = ReplyFactory()
    web.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = web.page
    page.goto(reply.thread.get_absolute_url())
    page.evaluate("delete Navigator.prototype.share")

    button = page.locator(f"#reply-{reply.pk} button.share")
    expect(button).to_have_text("Partager")
    button.click()

    expect(button).to_have_text("Lien copié")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{web.base_url}/r/{reply.pk}/"


def test_draft_survives_a_reload_and_is_gone_once_posted(web):
    thread = ThreadFactory()
    web.sign_in(UserFactory())
    page = web.page
    page.goto(thread.get_absolute_url())
    area = page.locator("#reply-form textarea[name=body]")

    area.type("Un brouillon important.")
    page.reload()
    expect(area).to_have_value("Un brouillon important.")
    page.click("#reply-form button[type=submit]:not([name])")
    expect(page.locator("#replies")).to_contain_text("Un brouillon important.")
    page.reload()

    expect(area).to_have_value("")
    assert Reply.objects.get().body == "Un brouillon important."


def test_without_javascript_edit_report_and_follow_return_to_the_page(
    web_no_js, small_pages
):
    thread = ThreadFactory()
    reader = UserFactory(username="sam")
    other = UserFactory()
    older = [
        post_reply(thread=thread, author=other, body=f"Vieux {n}.") for n in (0, 1)
    ]
    mine = post_reply(thread=thread, author=reader, body="Le mien.")
    theirs = post_reply(thread=thread, author=other, body="Le leur.")
    web_no_js.sign_in(reader)
    page = web_no_js.page
    where = f"{thread.get_absolute_url()}?sort=old&page=2"
    page.goto(where)

    page.locator(f"#reply-{mine.pk} a[href*='/edit/']").click()
    page.fill("textarea[name=body]", "Le mien, corrigé.")
    page.locator("main form button[type=submit]:not([name])").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"{where}#reply-{mine.pk}")
    expect(page.locator(f"#reply-{mine.pk}")).to_contain_text("corrigé")

    page.locator(f"#reply-{theirs.pk} a[href*='/report/']").click()
    page.locator("input[value=spam]").check()
    page.locator("form.flag-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"{where}#reply-{theirs.pk}")

    page.locator("form[action$='/actions/follow/'] button").click()
    page.wait_for_load_state()
    assert page.url.endswith(where)
    assert older[0].pk < mine.pk


def test_new_replies_are_marked_with_a_link_to_the_first(web):
    thread = ThreadFactory()
    reader = UserFactory(username="yan")
    post_reply(thread=thread, author=UserFactory(), body="Déjà lu.")
    web.sign_in(reader)
    page = web.page
    page.goto(thread.get_absolute_url())
    expect(page.locator("[data-new]")).to_have_count(0)
    fresh = post_reply(thread=thread, author=UserFactory(), body="Tout neuf.")

    page.goto(thread.get_absolute_url())

    expect(page.locator(f"#reply-{fresh.pk} [data-new]")).to_have_text("nouveau")
    page.get_by_role("link", name="Aller à la première nouvelle réponse").click()
    assert page.url.endswith(f"#reply-{fresh.pk}")


def test_edit_draft_is_kept_until_saved(web):
    reader = UserFactory(username="lea")
    reply = post_reply(thread=ThreadFactory(), author=reader, body="Premier jet.")
    web.sign_in(reader)
    page = web.page
    edit = f"/replies/{reply.pk}/edit/"
    page.goto(edit)
    area = page.locator("textarea[name=body]")

    area.fill("")
    area.type("Second jet, pas fini")
    page.goto(edit)
    expect(area).to_have_value("Second jet, pas fini")
    area.press("End")
    area.type(".")
    page.locator("main form button[type=submit]:not([name])").click()
    page.wait_for_load_state()
    page.goto(edit)

    expect(area).to_have_value("Second jet, pas fini.")
    assert page.evaluate("Object.keys(localStorage)") == []
    reply.refresh_from_db()
    assert reply.body == "Second jet, pas fini."
