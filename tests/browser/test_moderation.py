"""A moderator's working day in the admin, checking the public side each time.

`web` is the moderator's browser; `web_no_js` is a reader's. The screenshots of
the admin illustrate docs/moderation.md: they are written to docs/images/ when
DOCS_SCREENSHOTS=1 (refreshing the guide), under test-results/ otherwise.
"""

import os
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from forum.models import Flag, Reply, WordRule
from forum.services import flag_reply
from tests.factories import ReplyFactory, ThreadFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
IMAGES = (
    ROOT / "docs" / "images"
    if os.environ.get("DOCS_SCREENSHOTS") == "1"
    else ROOT / "test-results" / "docs-images"
)


def illustrate(session, name: str) -> None:
    """Save what the moderator sees for the guide."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    session.page.screenshot(path=str(IMAGES / f"moderation-{name}.png"))


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def run_action(page, action: str, *pks) -> None:
    """Tick rows of a changelist, choose an action and press Go."""
    for pk in pks:
        page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", action)
    submit(page, "button[name=index]")


def reply_text(page, reply) -> str:
    return page.locator(f"#reply-{reply.pk} > details > .reply-body").inner_text()


def in_french(message: str) -> str:
    with translation.override("fr"):
        return gettext(message)


@pytest.fixture
def reader(web_no_js):
    return web_no_js


@pytest.fixture
def moderator_web(web, moderator):
    web.sign_in(moderator)
    return web


def test_moderator_clears_the_report_queue(moderator_web, reader, moderator):
    thread = ThreadFactory(title="Ces salaires sont-ils justifiés ?")
    spam = ReplyFactory(
        thread=thread,
        author=UserFactory(username="vendeur"),
        body="Gagnez 10 000 € par mois depuis chez vous, cliquez ici !",
    )
    answer = ReplyFactory(parent=spam, body="Cela ressemble fort à une arnaque.")
    honest = ReplyFactory(thread=thread, body="Les salaires suivent la rareté.")
    for _ in range(3):
        flag_reply(reply=spam, reporter=UserFactory(), reason="spam")
    unfounded = flag_reply(reply=honest, reporter=UserFactory(), reason="off_topic")
    reader.page.goto(thread.get_absolute_url())
    hidden_before = spam.body not in reply_text(reader.page, spam)
    page = moderator_web.page

    page.goto("/admin/")
    illustrate(moderator_web, "index")
    submit(page, "a[href$='/admin/forum/flag/?status=open']")
    illustrate(moderator_web, "queue")
    run_action(page, "dismiss_reports", unfounded.pk)
    spam_reports = list(spam.flags.values_list("pk", flat=True))
    run_action(page, "remove_reported_replies", *spam_reports)
    proposed = page.is_checked("input[name=reason][value=spam]")
    page.fill("textarea[name=note]", "Lien publicitaire")
    illustrate(moderator_web, "remove")
    submit(page, "input.default")
    reader.page.reload()

    assert hidden_before
    assert proposed
    unfounded.refresh_from_db()
    assert (unfounded.status, unfounded.decided_by) == (
        Flag.Status.DISMISSED,
        moderator,
    )
    spam.refresh_from_db()
    assert (spam.removal_reason, spam.removal_note) == ("spam", "Lien publicitaire")
    assert set(spam.flags.values_list("status", flat=True)) == {Flag.Status.UPHELD}
    assert not Flag.objects.filter(status=Flag.Status.OPEN).exists()
    assert reply_text(reader.page, spam) == in_french(
        "[message removed by the moderators]"
    )
    assert answer.body in reply_text(reader.page, answer)
    assert honest.body in reply_text(reader.page, honest)


def test_moderator_removes_a_reply_then_restores_it(moderator_web, reader, moderator):
    reply = ReplyFactory(body="Les stagiaires en IA gagnent plus que leurs chefs.")
    page = moderator_web.page

    page.goto(f"/admin/forum/reply/{reply.pk}/change/")
    illustrate(moderator_web, "reply")
    submit(page, "button[value=remove_replies]")
    page.check("input[name=reason][value=off_topic]")
    page.fill("textarea[name=note]", "Sans rapport avec la question.")
    submit(page, "input.default")
    reply.refresh_from_db()
    removed_by = reply.removed_by
    reader.page.goto(reply.thread.get_absolute_url())
    while_removed = reply_text(reader.page, reply)
    submit(page, "button[value=restore_replies]")
    reader.page.reload()
    page.goto(f"/admin/forum/reply/{reply.pk}/history/")
    illustrate(moderator_web, "history")

    assert removed_by == moderator
    assert while_removed == in_french("[message removed by the moderators]")
    reply.refresh_from_db()
    assert reply.removed_at is None
    assert reply.body in reply_text(reader.page, reply)
    history = page.locator("#change-history").inner_text()
    assert in_french("Restored the reply to public view.") in history


def test_moderator_features_a_reply_as_an_editors_pick(moderator_web, reader):
    thread = ThreadFactory()
    popular = ReplyFactory(thread=thread, body="Très populaire", score=9, upvotes=9)
    pick = ReplyFactory(thread=thread, body="Une analyse chiffrée et sourcée.")
    page = moderator_web.page

    page.goto(f"/admin/forum/reply/?thread={thread.pk}")
    run_action(page, "feature_replies", pick.pk)
    reader.page.goto(thread.get_absolute_url())

    pick.refresh_from_db()
    assert pick.is_featured
    first = reader.page.locator("#replies > li").first
    assert first.get_attribute("id") == f"reply-{pick.pk}"
    assert reader.page.locator(f"#reply-{pick.pk} .badge.pick").is_visible()
    assert reader.page.locator(f"#reply-{popular.pk} .badge.pick").count() == 0


def test_moderator_locks_a_thread_and_readers_can_no_longer_reply(
    moderator_web, reader, user
):
    thread = ThreadFactory(title="Faut-il publier les grilles de salaires ?")
    reader.sign_in(user)
    reader.page.goto(thread.get_absolute_url())
    form_before = reader.page.locator("#reply-form").count()
    page = moderator_web.page

    page.goto("/admin/forum/thread/")
    run_action(page, "lock_threads", thread.pk)
    page.check("input[name=reason][value=off_topic]")
    page.fill("textarea[name=explanation]", "La discussion a dérivé hors sujet.")
    illustrate(moderator_web, "threads")
    submit(page, "input.default")
    reader.page.reload()
    form_while_locked = reader.page.locator("#reply-form").count()
    run_action(page, "unlock_threads", thread.pk)
    reader.page.reload()

    assert (form_before, form_while_locked) == (1, 0)
    thread.refresh_from_db()
    assert not thread.is_locked
    assert reader.page.locator("#reply-form").count() == 1


def test_moderator_bans_a_user_who_can_still_read(
    moderator_web, reader, user, moderator
):
    reply = ReplyFactory(author=user, body="Un message de trop.")
    reader.sign_in(user)
    page = moderator_web.page

    page.goto(f"/admin/accounts/user/{user.pk}/change/")
    submit(page, "button[value=ban_users]")
    page.fill("textarea[name=reason]", "Insultes répétées envers d'autres lecteurs")
    page.fill("input[name=until]", "2031-01-15T12:00")
    illustrate(moderator_web, "ban")
    submit(page, "input.default")
    illustrate(moderator_web, "user")
    reader.page.goto(reply.thread.get_absolute_url())

    user.refresh_from_db()
    assert user.is_banned
    assert user.banned_by == moderator
    assert timezone.localtime(user.banned_until).strftime("%Y-%m-%d %H:%M") == (
        "2031-01-15 12:00"
    )
    assert reply.body in reply_text(reader.page, reply)
    assert reader.page.locator("#reply-form").count() == 0
    notice = reader.page.locator(".notice").inner_text()
    assert notice.startswith(
        in_french(
            "Your account is banned until %(until)s: you can read but not "
            "write. Reason: %(reason)s. You may appeal the ban."
        ).split("%(until)s")[0]
    )
    assert "Insultes répétées envers d'autres lecteurs" in notice
    assert "2031" in notice


def test_held_reply_is_published_once_approved(moderator_web, reader, user):
    WordRule.objects.create(word="crypto", kind=WordRule.Kind.SUSPECT)
    thread = ThreadFactory()
    reader.sign_in(user)
    reader.page.goto(thread.get_absolute_url())
    reader.page.fill("#id_body", "Et si on était payés en crypto ?")
    submit(reader.page, "#reply-form button[type=submit]")
    held = Reply.objects.get(thread=thread)
    marked = reader.page.locator(f"#reply-{held.pk} .badge.pending").is_visible()
    page = moderator_web.page

    page.goto("/admin/forum/reply/?state=pending")
    illustrate(moderator_web, "held")
    run_action(page, "approve_replies", held.pk)
    reader.context.clear_cookies()
    reader.page.goto(thread.get_absolute_url())

    assert marked
    held.refresh_from_db()
    assert held.status == Reply.Status.PUBLISHED
    assert held.body in reply_text(reader.page, held)
    assert reader.page.locator(f"#reply-{held.pk} .badge.pending").count() == 0
