"""The main journeys of a reader and a commenter, in a real browser.

Elements are found by their ids, names and data attributes, so the tests hold
in French and in English.
"""

import re

from playwright.sync_api import expect

from accounts.models import User
from forum.models import Flag, Reply, Revision, Vote
from forum.services import post_reply
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    PostingFactory,
    ThreadFactory,
    UserFactory,
)

PASSWORD = "Salaires-2024!"


def _discussion():
    article = ArticleFactory(title="Ce que gagnent les chercheurs en IA")
    posting = PostingFactory(title="Chercheuse en apprentissage profond")
    CitationFactory(article=article, posting=posting)
    thread = ThreadFactory(article=article, title="Ces salaires sont-ils justifiés ?")
    thread.postings.set([posting])
    author = UserFactory(username="camille", display_name="Camille")
    first = post_reply(thread=thread, author=author, body="Oui, vu la **rareté**.")
    return article, thread, first


def test_reader_goes_from_home_to_an_article_then_to_a_thread(web):
    article, thread, first = _discussion()
    page = web.page

    page.goto("/")
    page.click(f"a[href='{article.get_absolute_url()}']")
    page.wait_for_url(f"**{article.get_absolute_url()}")
    page.click(f".questions a[href='{thread.get_absolute_url()}']")

    page.wait_for_url(f"**{thread.get_absolute_url()}")
    assert page.locator("h1").inner_text() == thread.title
    expect(page.locator(".postings")).to_contain_text("apprentissage profond")
    assert page.locator(f"#reply-{first.pk} .reply-body strong").inner_text() == (
        "rareté"
    )


def test_newcomer_signs_up_then_logs_in_through_the_real_forms(web):
    page = web.page

    page.goto("/accounts/signup/")
    page.fill("#id_username", "nouvelle")
    page.fill("#id_email", "nouvelle@example.org")
    page.fill("#id_display_name", "Nouvelle venue")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_accept_terms")
    page.click("form.account-form button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_load_state()
    page.goto("/accounts/login/")
    page.fill("#id_login", "nouvelle")
    page.fill("#id_password", PASSWORD)
    page.click("form.account-form button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))

    assert page.locator(".site-nav a[href='/u/nouvelle/']").inner_text() == (
        "Nouvelle venue"
    )
    assert User.objects.get(username="nouvelle").display_name == "Nouvelle venue"


def test_signed_in_reader_replies_then_answers_a_reply_in_place(web):
    _article, thread, first = _discussion()
    reader = UserFactory(username="dominique")
    web.sign_in(reader)
    page = web.page
    page.goto(thread.get_absolute_url())
    page.evaluate("window.stillTheSamePage = true")

    page.fill("#reply-form textarea[name=body]", "Non, c'est une **bulle**.")
    page.click("#reply-form button[type=submit]")
    mine = page.locator("li.reply-item", has_text="c'est une bulle")
    mine.wait_for()
    page.click(f"#reply-{first.pk} [data-reply-link]")
    inline = page.locator(f"#reply-{first.pk} form[data-inline-reply]")
    inline.locator("textarea").fill("Quelle rareté, au juste ?")
    inline.locator("button[type=submit]:not([name])").click()
    page.locator(f"#reply-{first.pk} li.reply-item", has_text="au juste").wait_for()

    assert page.evaluate("window.stillTheSamePage") is True
    top, answer = Reply.objects.filter(author=reader).order_by("pk")
    assert (top.parent_id, answer.parent_id) == (None, first.pk)
    assert top.body_html == "<p>Non, c'est une <strong>bulle</strong>.</p>\n"
    page.reload()
    assert page.locator(f"#reply-{first.pk} #reply-{answer.pk}").count() == 1


def test_votes_change_the_counts_in_place_and_survive_a_reload(web):
    _article, thread, first = _discussion()
    voter = UserFactory(username="sacha")
    web.sign_in(voter)
    page = web.page
    page.goto(thread.get_absolute_url())
    page.evaluate("window.stillTheSamePage = true")
    votes = page.locator(f"#reply-{first.pk} > details > .reply-actions")
    up = votes.locator("button[data-vote='1']")
    down = votes.locator("button[data-vote='-1']")

    up.click()
    expect(votes.locator("[data-score]")).to_have_text("1")
    expect(up).to_have_attribute("aria-pressed", "true")
    down.click()
    expect(votes.locator("[data-score]")).to_have_text("-1")

    assert page.evaluate("window.stillTheSamePage") is True
    assert Vote.objects.get(user=voter, reply=first).value == -1
    page.reload()
    expect(votes.locator("[data-score]")).to_have_text("-1")
    expect(votes.locator("[data-downvotes]")).to_have_text("1")
    expect(down).to_have_attribute("aria-pressed", "true")
    down.click()
    expect(votes.locator("[data-score]")).to_have_text("0")
    expect(down).to_have_attribute("aria-pressed", "false")
    assert not Vote.objects.filter(user=voter, reply=first).exists()


def test_author_edits_a_reply_and_reports_another(web):
    _article, thread, first = _discussion()
    author = UserFactory(username="lou")
    mine = post_reply(thread=thread, author=author, body="Premier jet.")
    web.sign_in(author)
    page = web.page
    page.goto(thread.get_absolute_url())

    page.click(f"#reply-{mine.pk} a[href*='/replies/{mine.pk}/edit/']")
    page.fill("textarea[name=body]", "Corrigé, avec un [lien](https://example.org).")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(rf"#reply-{mine.pk}$"))
    link = page.locator(f"#reply-{mine.pk} .reply-body a")
    expect(link).to_have_attribute("href", "https://example.org")
    expect(link).to_have_attribute("rel", re.compile("ugc"))
    page.goto(thread.get_absolute_url())
    page.click(f"#reply-{first.pk} a[href*='/replies/{first.pk}/report/']")
    page.check("input[name=reason][value=off_topic]")
    page.fill("textarea[name=note]", "Hors sujet selon moi.")
    page.click("form.flag-form button[type=submit]")
    page.wait_for_url(re.compile(rf"#reply-{first.pk}$"))

    mine.refresh_from_db()
    assert mine.body.startswith("Corrigé")
    assert Revision.objects.get(reply=mine).body == "Premier jet."
    flag = Flag.objects.get(reply=first)
    assert (flag.reporter, flag.reason, flag.note) == (
        author,
        "off_topic",
        "Hors sujet selon moi.",
    )
    expect(page.locator(f"#reply-{first.pk} a[href*='/report/']")).to_have_count(0)
