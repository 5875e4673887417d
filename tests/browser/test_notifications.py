import re

from forum.models import Follow, Notification
from forum.services import post_reply
from tests.factories import ReplyFactory, ThreadFactory, UserFactory

NBSP = "\u00a0"


def test_a_reader_reads_an_answer_from_the_inbox(web, user, other_user):
    mine = ReplyFactory(author=user, body="Ces salaires sont justifiés.")
    answer = post_reply(
        thread=mine.thread,
        author=other_user,
        body="Pas pour tous les postes.",
        parent=mine,
    )
    web.sign_in(user)
    page = web.page

    page.goto("/")
    badge = page.locator(".site-nav .badge.unread").inner_text()
    page.get_by_role("link", name=re.compile("^Notifications")).click()
    page.wait_for_url("**/notifications/")
    entry = page.locator(f"#notification-{answer.notifications.get().pk}")
    entry_text = entry.inner_text()
    entry.get_by_role("button", name="Marquer comme lu").click()
    page.wait_for_url("**/notifications/")
    badges_after = page.locator(".site-nav .badge.unread").count()
    page.get_by_role("link", name=re.compile("^bob vous a répondu")).click()
    # On the page of the full thread that shows the answer.
    page.wait_for_url(re.compile(rf".*/threads/.*/#reply-{answer.pk}$"))

    assert badge == "1"
    assert f"bob vous a répondu dans «{NBSP}{mine.thread.title}{NBSP}»" in entry_text
    assert "Pas pour tous les postes." in entry_text
    assert badges_after == 0
    assert page.locator(f"#reply-{answer.pk}").is_visible()
    assert Notification.objects.get(recipient=user).read_at is not None


def test_opening_a_notification_marks_it_read(web, user, other_user):
    mine = ReplyFactory(author=user, body="Mon avis.")
    answer = post_reply(
        thread=mine.thread, author=other_user, body="Réponse.", parent=mine
    )
    web.sign_in(user)
    page = web.page
    page.goto("/notifications/")

    page.get_by_role("link", name=re.compile("^bob vous a répondu")).click()
    page.wait_for_url(re.compile(rf".*#reply-{answer.pk}$"))

    assert page.locator(".site-nav .badge.unread").count() == 0
    assert Notification.objects.get(recipient=user).read_at is not None


def test_a_reader_follows_a_thread_and_is_told_of_new_replies(web, user):
    thread = ThreadFactory(title="Faut-il publier les salaires ?")
    web.sign_in(user)
    page = web.page
    page.goto(thread.get_absolute_url())

    page.get_by_role("button", name="Suivre cette discussion").click()
    page.wait_for_url(f"**{thread.get_absolute_url()}")
    unfollow_offered = page.get_by_role(
        "button", name="Ne plus suivre cette discussion"
    ).is_visible()
    post_reply(
        thread=thread, author=UserFactory(username="carla"), body="Oui, toujours."
    )
    page.goto("/notifications/")

    assert unfollow_offered
    assert Follow.objects.filter(thread=thread, user=user).exists()
    assert page.get_by_text(
        f"carla a répondu dans «{NBSP}Faut-il publier les salaires ?{NBSP}», "
        "une discussion que vous suivez"
    ).is_visible()
    assert page.locator(".site-nav .badge.unread").inner_text() == "1"


def test_a_reader_without_javascript_marks_everything_read(web_no_js, user):
    thread = ThreadFactory()
    for number in range(3):
        mine = ReplyFactory(thread=thread, author=user)
        post_reply(
            thread=thread,
            author=UserFactory(),
            body=f"Réponse numéro {number}.",
            parent=mine,
        )
    web_no_js.sign_in(user)
    page = web_no_js.page
    page.goto("/notifications/")
    unread_before = page.locator(".notification.unread").count()

    page.get_by_role("button", name="Tout marquer comme lu").click()
    page.wait_for_url("**/notifications/")

    assert unread_before == 3
    assert page.locator(".notification.unread").count() == 0
    assert page.locator(".notification").count() == 3
    assert page.locator(".site-nav .badge.unread").count() == 0
    assert not Notification.objects.filter(recipient=user, read_at=None).exists()
