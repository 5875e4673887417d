"""With JavaScript off, every form still works through a POST and a redirect."""

from playwright.sync_api import expect

from forum.models import Reply, Vote
from forum.services import post_reply
from tests.factories import ThreadFactory, UserFactory


def test_without_javascript_a_reader_replies_and_answers_a_reply(web_no_js):
    thread = ThreadFactory(title="Les stock-options comptent-elles ?")
    first = post_reply(thread=thread, author=UserFactory(), body="Elles comptent.")
    reader = UserFactory(username="dominique")
    web_no_js.sign_in(reader)
    page = web_no_js.page
    page.goto(thread.get_absolute_url())

    page.fill("#reply-form textarea[name=body]", "Seulement à la sortie.")
    page.click("#reply-form button[type=submit]")
    page.wait_for_load_state()
    page.goto(thread.get_absolute_url())
    page.click(f"#reply-{first.pk} [data-reply-link]")
    page.fill("textarea[name=body]", "Et si la société ne sort jamais ?")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    top, answer = Reply.objects.filter(author=reader).order_by("pk")
    assert (top.parent_id, answer.parent_id) == (None, first.pk)
    expect(page.locator(f"#reply-{first.pk} #reply-{answer.pk}")).to_contain_text(
        "ne sort jamais"
    )
    page.goto(thread.get_absolute_url())
    expect(page.locator(f"#reply-{top.pk}")).to_contain_text("à la sortie")


def test_without_javascript_a_reader_votes_up_then_down(web_no_js):
    thread = ThreadFactory()
    reply = post_reply(thread=thread, author=UserFactory(), body="Un avis.")
    voter = UserFactory(username="sacha")
    web_no_js.sign_in(voter)
    page = web_no_js.page
    page.goto(thread.get_absolute_url())
    actions = page.locator(f"#reply-{reply.pk} > details > .reply-actions")

    actions.locator("button[data-vote='1']").click()
    page.wait_for_load_state()
    expect(actions.locator("[data-score]")).to_have_text("1")
    expect(actions.locator("button[data-vote='1']")).to_have_attribute(
        "aria-pressed", "true"
    )
    actions.locator("button[data-vote='-1']").click()
    page.wait_for_load_state()

    expect(actions.locator("[data-score]")).to_have_text("-1")
    assert Vote.objects.get(user=voter, reply=reply).value == -1
    reply.refresh_from_db()
    assert (reply.score, reply.upvotes, reply.downvotes) == (-1, 0, 1)
