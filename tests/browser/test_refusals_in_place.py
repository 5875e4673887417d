"""What a reader sees when the server refuses a write made in place."""

from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from forum.models import Reply, Vote
from forum.services import lock_thread, post_reply
from tests.factories import ThreadFactory, UserFactory


def test_reply_to_a_thread_locked_meanwhile_shows_the_servers_reason(web, moderator):
    thread = ThreadFactory(title="Faut-il plafonner les salaires ?")
    reader = UserFactory(username="dominique")
    web.sign_in(reader)
    web.expect_console_error("status of 403")
    page = web.page
    page.goto(thread.get_absolute_url())
    lock_thread(thread=thread, by=moderator)

    page.fill("#reply-form textarea[name=body]", "Trop tard, sans doute.")
    with page.expect_navigation() as navigation:
        page.click("#reply-form button[type=submit]")

    assert navigation.value.status == 403
    expect(page.locator("main h1")).to_contain_text("403")
    with translation.override(page.locator("html").get_attribute("lang")):
        reason = gettext("This thread is locked: no new replies.")
    expect(page.locator("main")).to_contain_text(reason)
    assert not Reply.objects.filter(thread=thread).exists()


def test_a_vote_refused_for_going_too_fast_says_so_and_changes_nothing(web, settings):
    settings.FORUM_RATE_LIMITS = {"vote": "1/60"}
    thread = ThreadFactory()
    author = UserFactory(username="camille")
    first = post_reply(thread=thread, author=author, body="Premier avis.")
    second = post_reply(thread=thread, author=author, body="Second avis.")
    voter = UserFactory(username="sacha")
    web.sign_in(voter)
    web.expect_console_error("status of 429")
    page = web.page
    page.goto(thread.get_absolute_url())
    page.evaluate("window.stillTheSamePage = true")

    page.click(f"#reply-{first.pk} button[data-vote='1']")
    expect(page.locator(f"#reply-{first.pk} [data-score]").first).to_have_text("1")
    page.click(f"#reply-{second.pk} button[data-vote='1']")

    alert = page.locator(f"#reply-{second.pk} .inline-error[role=alert]")
    expect(alert).to_contain_text("60")
    expect(page.locator(f"#reply-{second.pk} [data-score]").first).to_have_text("0")
    assert page.evaluate("window.stillTheSamePage") is True
    assert list(Vote.objects.values_list("reply", flat=True)) == [first.pk]
