"""Held edits, statements of reasons and appeals, as an author and a
moderator go through them in a real browser.

`web_no_js` is the author's browser; `web` is a moderator's.
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from accounts.services import make_moderator
from forum.models import Appeal, Reply, WordRule
from forum.services import remove_reply
from tests.factories import ReplyFactory, ThreadFactory, UserFactory


def in_french(message: str) -> str:
    with translation.override("fr"):
        return gettext(message)


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.fixture
def author(web_no_js, user):
    web_no_js.sign_in(user)
    return web_no_js


@pytest.fixture
def other_moderator(db):
    return make_moderator(user=UserFactory(username="claire"))


def test_an_edit_with_a_suspect_word_is_held_and_the_reply_keeps_its_text(
    author, user, web
):
    WordRule.objects.create(word="crypto", kind=WordRule.Kind.SUSPECT)
    thread = ThreadFactory()
    reply = ReplyFactory(thread=thread, author=user, body="Payé en euros.")
    page = author.page

    page.goto(f"/replies/{reply.pk}/edit/")
    page.fill("textarea[name=body]", "Payé en cryptos, finalement.")
    submit(page, "form.reply-form button[type=submit]")
    web.page.goto(thread.get_absolute_url())

    own = page.locator(f"#reply-{reply.pk}")
    assert "Payé en euros." in own.locator(".reply-body").inner_text()
    assert own.locator(".badge.pending").is_visible()
    assert own.locator(".statement").is_visible()
    told = in_french(
        "Your edit waits for a moderator's review (%(reason)s). "
        "Until then your reply shows its previous text."
    ).split("(")[0]
    assert told in page.locator("ul.messages").inner_text()
    public = web.page.locator(f"#reply-{reply.pk}")
    assert "Payé en euros." in public.locator(".reply-body").inner_text()
    assert "crypto" not in public.inner_text()
    reply.refresh_from_db()
    assert (reply.body, reply.pending_body) == (
        "Payé en euros.",
        "Payé en cryptos, finalement.",
    )


def test_the_author_of_a_removed_reply_sees_why_and_others_see_the_placeholder(
    author, user, moderator, web
):
    thread = ThreadFactory()
    reply = ReplyFactory(thread=thread, author=user, body="Appelez le 06 12 34 56 78.")
    web.sign_in(moderator)
    admin = web.page

    admin.goto(f"/admin/forum/reply/{reply.pk}/change/")
    submit(admin, "button[value=remove_replies]")
    admin.check("input[name=reason][value=personal_data]")
    admin.fill("textarea[name=note]", "Un numéro de téléphone ne se publie pas.")
    submit(admin, "input.default")
    author.page.goto(thread.get_absolute_url())
    statement = author.page.locator(f"#reply-{reply.pk} .statement")

    assert statement.is_visible()
    assert in_french("Personal data") in statement.inner_text()
    assert "Un numéro de téléphone ne se publie pas." in statement.inner_text()
    assert (
        "06 12 34 56 78" not in author.page.locator(f"#reply-{reply.pk}").inner_text()
    )
    reader = web.context.browser.new_context(base_url=web.base_url, locale="fr-FR")
    try:
        public = reader.new_page()
        public.goto(thread.get_absolute_url())
        shown = public.locator(f"#reply-{reply.pk}").inner_text()
    finally:
        reader.close()
    assert in_french("[message removed by the moderators]") in shown
    assert "Un numéro de téléphone" not in shown


def test_an_appeal_reversed_in_the_admin_brings_the_reply_back(
    author, user, moderator, other_moderator, web
):
    thread = ThreadFactory()
    reply = ReplyFactory(thread=thread, author=user, body="Un avis tout à fait licite.")
    remove_reply(
        reply=reply,
        by=moderator,
        reason=Reply.RemovalReason.SPAM,
        note="Pris pour une publicité.",
    )
    page = author.page

    page.goto(thread.get_absolute_url())
    submit(page, f"#reply-{reply.pk} .statement a")
    page.fill("textarea[name=text]", "Ce n'est pas une publicité, relisez-le.")
    submit(page, ".appeal-form button[type=submit]")
    web.sign_in(other_moderator)
    admin = web.page
    admin.goto("/admin/forum/appeal/?status__exact=open")
    appeal = Appeal.objects.get()
    admin.check(f"input[name=_selected_action][value='{appeal.pk}']")
    admin.select_option("select[name=action]", "reverse_decisions")
    submit(admin, "button[name=index]")
    page.goto(thread.get_absolute_url())

    appeal.refresh_from_db()
    assert (appeal.status, appeal.handled_by) == ("reversed", other_moderator)
    assert "Un avis tout à fait licite." in (
        page.locator(f"#reply-{reply.pk} .reply-body").inner_text()
    )
    assert page.locator(f"#reply-{reply.pk} .statement").count() == 0
