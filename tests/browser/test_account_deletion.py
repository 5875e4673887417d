"""A reader deletes their account through the real pages."""

import re

from playwright.sync_api import expect

from accounts.models import User
from forum.models import Reply
from forum.services import post_reply
from tests.factories import ThreadFactory, UserFactory

PASSWORD = "Salaires-2024!"


def _log_in(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.account-form button[type=submit]")


def test_reader_deletes_their_account_keeping_the_text_of_their_replies(web):
    thread = ThreadFactory(title="Ces salaires sont-ils justifiés ?")
    camille = UserFactory(username="camille", display_name="Camille", password=PASSWORD)
    reply = post_reply(thread=thread, author=camille, body="Oui, vu la **rareté**.")
    page = web.page

    _log_in(page, "camille")
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/account/profile/")
    page.click("a[href='/account/delete/']")
    page.wait_for_url("**/account/delete/")
    page.check("input[name=replies][value=keep]")
    page.fill("#id_password", PASSWORD)
    page.click("form button.danger[type=submit]")
    page.wait_for_url(re.compile(r"/$"))

    page.goto(thread.get_absolute_url())
    head = page.locator(f"#reply-{reply.pk} .reply-head .author")
    expect(head).to_have_text("membre supprimé")
    expect(page.locator(f"#reply-{reply.pk} .reply-body strong")).to_have_text("rareté")
    expect(page.locator("body")).not_to_contain_text("Camille")
    assert not User.objects.filter(username="camille").exists()
    assert Reply.objects.get(pk=reply.pk).author.is_deleted_member

    _log_in(page, "camille")
    page.wait_for_load_state()
    assert page.url.endswith("/accounts/login/")
    expect(page.locator(".site-nav a[href='/u/camille/']")).to_have_count(0)
