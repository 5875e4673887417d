import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from accounts.services import create_api_token
from forum.models import Reply, Thread
from tests.factories import (
    ArticleFactory,
    PostingFactory,
    ReplyFactory,
    ThreadFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:forum_thread_changelist")


def change_url(thread):
    return reverse("admin:forum_thread_change", args=[thread.pk])


def reply_url(thread):
    return reverse("forum:reply-create", kwargs={"thread_id": thread.pk})


def change_form_data(thread, **changes):
    """What the thread's change form posts, with `changes` applied."""
    data = {
        "title": thread.title,
        "position": thread.position,
        "postings": [posting.pk for posting in thread.postings.all()],
        "replies-TOTAL_FORMS": 0,
        "replies-INITIAL_FORMS": 0,
        "replies-MIN_NUM_FORMS": 0,
        "replies-MAX_NUM_FORMS": 0,
    }
    for flag in ("is_locked", "is_pinned", "is_hidden"):
        if getattr(thread, flag):
            data[flag] = "on"
    for key, value in changes.items():
        if value is False:
            data.pop(key, None)
        else:
            data[key] = "on" if value is True else value
    return data


def api_as(user) -> APIClient:
    api = APIClient()
    token = create_api_token(user=user, name="test")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.secret}")
    return api


# What the lock action asks for: the statement of reasons.
LOCK_REASONS = {"post": "yes", "reason": "off_topic", "explanation": "Hors sujet"}


def run_action(client, action, threads):
    data = {"action": action, "_selected_action": [t.pk for t in threads], "index": 0}
    if action == "lock_threads":
        data.update(LOCK_REASONS)
    return client.post(CHANGELIST, data)


@pytest.fixture
def moderator_client(client, moderator):
    # The admin speaks the browser's language; these tests read its English.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(moderator)
    return client


def test_locked_thread_refuses_new_replies_on_its_page(
    moderator_client, moderator, thread, client, user
):
    response = run_action(moderator_client, "lock_threads", [thread])

    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.is_locked
    assert LogEntry.objects.get(object_id=str(thread.pk)).get_change_message() == (
        "Locked the thread: no new replies. Reason: Off-topic. Hors sujet"
    )
    client.force_login(user)
    page = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    refused = client.post(reply_url(thread), {"body": "Trop tard ?"})
    assert "This thread is locked: no new replies." in page.content.decode()
    assert refused.status_code == 403
    assert not Reply.objects.filter(thread=thread).exists()


def test_locked_thread_refuses_new_replies_through_the_api(
    moderator_client, user, thread
):
    api = api_as(user)
    url = f"/api/v1/threads/{thread.pk}/replies/"

    run_action(moderator_client, "lock_threads", [thread])
    refused = api.post(url, {"body": "Et par l'API ?"})
    run_action(moderator_client, "unlock_threads", [thread])
    accepted = api.post(url, {"body": "Et par l'API ?"})

    assert (refused.status_code, accepted.status_code) == (403, 201)
    assert Reply.objects.filter(thread=thread).count() == 1


def test_log_sentences_are_written_in_the_moderators_language(
    client, moderator, thread
):
    client.force_login(moderator)

    run_action(client, "lock_threads", [thread])

    with translation.override("fr"):
        expected = gettext(
            "Locked the thread: no new replies. Reason: %(reason)s. %(text)s"
        ) % {"reason": gettext("Off-topic"), "text": "Hors sujet"}
    message = LogEntry.objects.get(object_id=str(thread.pk)).get_change_message()
    assert message == expected
    assert not message.startswith("Locked the thread")


def test_unlocked_thread_takes_replies_again(moderator_client, client, user):
    thread = ThreadFactory(is_locked=True)

    run_action(moderator_client, "unlock_threads", [thread])

    thread.refresh_from_db()
    assert not thread.is_locked
    client.force_login(user)
    response = client.post(reply_url(thread), {"body": "De nouveau ouvert"})
    assert response.status_code == 302
    assert Reply.objects.filter(thread=thread, body="De nouveau ouvert").exists()


def test_pinning_and_unpinning_threads(moderator_client):
    thread = ThreadFactory()

    run_action(moderator_client, "pin_threads", [thread])
    thread.refresh_from_db()
    pinned = thread.is_pinned
    run_action(moderator_client, "unpin_threads", [thread])

    thread.refresh_from_db()
    assert (pinned, thread.is_pinned) == (True, False)
    assert list(
        LogEntry.objects.filter(object_id=str(thread.pk))
        .order_by("pk")
        .values_list("change_message", flat=True)
    ) == ["Pinned the thread to the top of the lists.", "Unpinned the thread."]


def test_hidden_thread_is_a_404_for_readers_but_not_for_moderators(
    moderator_client, client, thread
):
    run_action(moderator_client, "hide_threads", [thread])

    moderator_view = moderator_client.get(thread.get_absolute_url())
    client.logout()
    public_view = client.get(thread.get_absolute_url())

    thread.refresh_from_db()
    assert thread.is_hidden
    assert (moderator_view.status_code, public_view.status_code) == (200, 404)


def test_showing_a_hidden_thread_again(moderator_client, client):
    thread = ThreadFactory(is_hidden=True)

    run_action(moderator_client, "show_threads", [thread])

    thread.refresh_from_db()
    assert not thread.is_hidden
    client.logout()
    assert client.get(thread.get_absolute_url()).status_code == 200


def test_action_leaves_threads_already_in_that_state_alone(moderator_client):
    locked = ThreadFactory(is_locked=True)

    run_action(moderator_client, "lock_threads", [locked])

    assert not LogEntry.objects.exists()


def test_moderator_reorders_an_articles_questions_from_the_list(moderator_client):
    article = ArticleFactory()
    first = ThreadFactory(article=article, title="Première ?", position=0)
    second = ThreadFactory(article=article, title="Deuxième ?", position=1)
    url = f"{CHANGELIST}?article__id__exact={article.pk}"
    listed = moderator_client.get(url)

    response = moderator_client.post(
        url,
        {
            "form-TOTAL_FORMS": 2,
            "form-INITIAL_FORMS": 2,
            "form-0-id": first.pk,
            "form-0-position": 1,
            "form-1-id": second.pk,
            "form-1-position": 0,
            "_save": "Save",
        },
    )

    assert list(listed.context["cl"].result_list) == [first, second]
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (1, 0)
    article_page = moderator_client.get(article.get_absolute_url()).content.decode()
    assert article_page.index("Deuxième ?") < article_page.index("Première ?")
    assert LogEntry.objects.get(object_id=str(first.pk)).get_change_message() == (
        "Moved the question to position 1."
    )


def test_moderator_edits_the_linked_postings_and_the_question(
    moderator_client, moderator
):
    kept, dropped, added = PostingFactory(), PostingFactory(), PostingFactory()
    thread = ThreadFactory(title="Ancienne question ?")
    thread.postings.set([kept, dropped])

    response = moderator_client.post(
        change_url(thread),
        change_form_data(
            thread,
            title="Ces salaires sont-ils mérités ?",
            postings=[kept.pk, added.pk],
        ),
    )

    assert response.status_code == 302
    thread.refresh_from_db()
    assert set(thread.postings.all()) == {kept, added}
    assert thread.title == "Ces salaires sont-ils mérités ?"
    assert thread.slug == "ces-salaires-sont-ils-merites"
    message = LogEntry.objects.get(object_id=str(thread.pk)).get_change_message()
    assert "Changed the question to “Ces salaires sont-ils mérités ?”." in message
    assert f"Linked the thread to the postings: {kept}, {added}." in message


def test_locking_from_the_change_form_goes_through_the_rules(
    moderator_client, client, user, thread
):
    response = moderator_client.post(
        change_url(thread), change_form_data(thread, is_locked=True)
    )

    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.is_locked
    assert LogEntry.objects.get(object_id=str(thread.pk)).get_change_message() == (
        "Locked the thread: no new replies."
    )
    client.force_login(user)
    assert client.post(reply_url(thread), {"body": "Encore ?"}).status_code == 403


def test_change_page_lists_only_the_latest_replies_read_only(moderator_client):
    thread = ThreadFactory()
    replies = [ReplyFactory(thread=thread, body=f"Réponse {n:02d}") for n in range(25)]

    response = moderator_client.get(change_url(thread))

    page = response.content.decode()
    (inline,) = response.context["inline_admin_formsets"]
    assert [form.original for form in inline] == replies[:-21:-1]
    assert "Réponse 24" in page
    assert "Réponse 04" not in page
    assert 'name="replies-0-body"' not in page
    assert f"{reverse('admin:forum_reply_changelist')}?thread={thread.pk}" in page


def test_saving_a_thread_never_writes_its_replies(moderator_client):
    thread = ThreadFactory()
    reply = ReplyFactory(thread=thread, body="Texte original")
    data = change_form_data(thread, title="Nouvelle formulation ?")
    data.update(
        {
            "replies-TOTAL_FORMS": 1,
            "replies-INITIAL_FORMS": 1,
            "replies-0-id": reply.pk,
            "replies-0-thread": thread.pk,
            "replies-0-body": "Texte falsifié",
        }
    )

    response = moderator_client.post(change_url(thread), data)

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.body == "Texte original"


def test_posting_autocomplete_answers_moderators(moderator_client):
    wanted = PostingFactory(title="Chercheur en apprentissage profond")
    PostingFactory(title="Juriste spécialisé")

    response = moderator_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "forum",
            "model_name": "thread",
            "field_name": "postings",
            "term": "chercheur",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(wanted.pk), "text": str(wanted)}]


def test_superuser_opens_a_thread_on_an_article(admin_client, admin_user):
    article = ArticleFactory()
    posting = PostingFactory()

    response = admin_client.post(
        reverse("admin:forum_thread_add"),
        {
            "article": article.pk,
            "title": "Faut-il publier les salaires ?",
            "position": 3,
            "postings": [posting.pk],
            "is_pinned": "on",
            "replies-TOTAL_FORMS": 0,
            "replies-INITIAL_FORMS": 0,
            "replies-MIN_NUM_FORMS": 0,
            "replies-MAX_NUM_FORMS": 0,
        },
    )

    assert response.status_code == 302
    thread = Thread.objects.get(title="Faut-il publier les salaires ?")
    assert (thread.article, thread.position, thread.slug, thread.author) == (
        article,
        3,
        "faut-il-publier-les-salaires",
        admin_user,
    )
    assert thread.is_pinned
    assert list(thread.postings.all()) == [posting]


def test_moderators_cannot_open_or_delete_threads(moderator_client, thread):
    added = moderator_client.get(reverse("admin:forum_thread_add"))
    deleted = moderator_client.post(
        reverse("admin:forum_thread_delete", args=[thread.pk]), {"post": "yes"}
    )

    assert (added.status_code, deleted.status_code) == (403, 403)
    assert Thread.objects.filter(pk=thread.pk).exists()


def test_staff_outside_the_group_cannot_lock_threads(client, thread):
    client.force_login(UserFactory(is_staff=True))

    listing = client.get(CHANGELIST)
    action = run_action(client, "lock_threads", [thread])

    assert (listing.status_code, action.status_code) == (403, 403)
    thread.refresh_from_db()
    assert not thread.is_locked


def test_reader_cannot_reach_the_thread_admin(auth_client, thread):
    response = run_action(auth_client, "lock_threads", [thread])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    thread.refresh_from_db()
    assert not thread.is_locked
