"""Without JavaScript, every action on a reply returns the reader to the page
and sort of the full thread they came from, anchored on the reply."""

import re

import pytest
from django.urls import reverse

from forum.models import Flag, Follow, Reply, Vote
from forum.services import cast_vote
from tests.factories import ReplyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(settings):
    settings.FORUM_TOP_LEVEL_PER_PAGE = 2


@pytest.fixture
def second_page(thread, reply, small_pages):
    """`reply` stands on page 2 of the thread in the oldest-first order."""
    for year in (2000, 2001):
        ReplyFactory(thread=thread, created_at=reply.created_at.replace(year=year))
    ReplyFactory(thread=thread)
    return f"{thread.get_absolute_url()}?sort=old&page=2"


def action(name, reply):
    return reverse(f"forum:{name}", kwargs={"reply_id": reply.pk})


def test_vote_returns_to_the_page_and_sort_it_came_from(
    client, other_user, reply, second_page
):
    client.force_login(other_user)

    response = client.post(
        action("reply-vote", reply), {"value": "1", "next": second_page}
    )

    assert response["Location"] == f"{second_page}#reply-{reply.pk}"
    assert Vote.objects.get(reply=reply, user=other_user).value == 1


def test_vote_form_on_the_page_carries_the_page_it_is_on(
    client, other_user, reply, second_page
):
    client.force_login(other_user)

    page = client.get(second_page).content.decode()

    assert f'name="next" value="{second_page.replace("&", "&amp;")}"' in page


def test_next_to_another_site_is_ignored(client, other_user, reply):
    client.force_login(other_user)

    response = client.post(
        action("reply-vote", reply),
        {"value": "1", "next": "https://evil.example/threads/"},
    )

    assert response["Location"] == (
        f"{reply.thread.get_absolute_url()}#reply-{reply.pk}"
    )
    assert Vote.objects.filter(reply=reply, user=other_user).exists()


def test_next_to_another_thread_is_ignored(client, other_user, reply):
    other = ReplyFactory()
    client.force_login(other_user)

    response = client.post(
        action("reply-vote", reply),
        {"value": "1", "next": other.thread.get_absolute_url() + "?sort=new"},
    )

    assert response["Location"] == (
        f"{reply.thread.get_absolute_url()}#reply-{reply.pk}"
    )


def test_invalid_vote_still_returns_to_the_page(client, other_user, reply, second_page):
    client.force_login(other_user)

    response = client.post(
        action("reply-vote", reply), {"value": "5", "next": second_page}
    )

    assert response["Location"] == f"{second_page}#reply-{reply.pk}"
    assert not Vote.objects.filter(reply=reply).exists()


def test_new_answer_lands_on_the_page_that_shows_it_in_the_same_sort(
    client, other_user, reply, second_page
):
    client.force_login(other_user)

    response = client.post(
        reverse("forum:reply-create", kwargs={"thread_id": reply.thread_id}),
        {
            "body": "Je réponds sans JavaScript.",
            "parent": reply.pk,
            "next": second_page,
        },
    )

    answer = Reply.objects.get(body="Je réponds sans JavaScript.")
    assert response["Location"] == f"{second_page}#reply-{answer.pk}"
    page = client.get(response["Location"]).content.decode()
    assert f'id="reply-{answer.pk}"' in page


def test_answer_form_reached_from_the_page_carries_it(
    client, other_user, reply, second_page
):
    client.force_login(other_user)
    page = client.get(second_page).content.decode()
    link = re.search(rf'href="(/replies/{reply.pk}/reply/\?next=[^"]+)"', page)

    form = client.get(link.group(1).replace("&amp;", "&")).content.decode()

    assert f'name="next" value="{second_page.replace("&", "&amp;")}"' in form


def test_edit_returns_to_the_page(client, user, reply, second_page):
    client.force_login(user)
    assert (
        second_page.replace("&", "&amp;")
        in client.get(
            action("reply-edit", reply) + "?next=" + second_page.replace("&", "%26")
        ).content.decode()
    )

    response = client.post(
        action("reply-edit", reply), {"body": "Corrigé.", "next": second_page}
    )

    assert response["Location"] == f"{second_page}#reply-{reply.pk}"
    reply.refresh_from_db()
    assert reply.body == "Corrigé."


def test_report_returns_to_the_page(client, other_user, reply, second_page):
    client.force_login(other_user)

    response = client.post(
        action("reply-flag", reply), {"reason": "spam", "next": second_page}
    )

    assert response["Location"] == f"{second_page}#reply-{reply.pk}"
    assert Flag.objects.filter(reply=reply, reporter=other_user).exists()


def test_delete_returns_to_the_page_where_its_notice_stands(
    client, user, reply, second_page
):
    client.force_login(user)

    response = client.post(action("reply-delete", reply), {"next": second_page})

    assert response["Location"] == f"{second_page}#reply-{reply.pk}"
    reply.refresh_from_db()
    assert reply.is_removed


def test_follow_returns_to_the_page(client, other_user, reply, second_page):
    client.force_login(other_user)

    response = client.post(
        reverse("forum:thread-follow", kwargs={"thread_id": reply.thread_id}),
        {"action": "follow", "next": second_page},
    )

    assert response["Location"] == second_page
    assert Follow.objects.filter(thread=reply.thread, user=other_user).exists()


def test_shared_page_puts_each_readers_own_page_in_their_actions(
    client, other_user, reply, second_page
):
    """A reader's own actions are remembered for every page of the thread;
    where they return to is still the page they are on."""
    cast_vote(reply=reply, voter=other_user, value=1)
    client.force_login(other_user)
    first = f"{reply.thread.get_absolute_url()}?sort=old"
    client.get(second_page)

    page = client.get(first.replace("old", "old&page=2")).content.decode()
    assert f'name="next" value="{second_page.replace("&", "&amp;")}"' in page
    edit_free = client.get(f"{second_page}&x=1").content.decode()

    assert 'value="/threads/' in edit_free
    assert "__HERE" not in page + edit_free
    assert (
        f'name="next" value="{second_page.replace("&", "&amp;")}&amp;x=1"' in edit_free
    )


def test_quote_link_opens_the_answer_form_with_the_quote(client, other_user, reply):
    reply.body = "Première ligne.\nSeconde ligne."
    reply.save()
    client.force_login(other_user)

    page = client.get(action("reply-respond", reply) + "?quote=1").content.decode()

    assert f"&gt; @alice [a écrit](http://testserver/r/{reply.pk}/) :" in page
    assert "&gt; Première ligne.\n&gt; Seconde ligne." in page


def test_refused_reply_keeps_the_page_to_return_to(
    client, other_user, reply, second_page
):
    client.force_login(other_user)

    response = client.post(
        reverse("forum:reply-create", kwargs={"thread_id": reply.thread_id}),
        {"body": "   ", "next": second_page},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert f'name="next" value="{second_page.replace("&", "&amp;")}"' in page
    assert not Reply.objects.filter(author=other_user).exists()
