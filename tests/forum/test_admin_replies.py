import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from forum.models import Flag, Reply
from forum.services import edit_reply, flag_reply
from tests.factories import FlagFactory, ReplyFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:forum_reply_changelist")


def change_url(reply):
    return reverse("admin:forum_reply_change", args=[reply.pk])


def act_url(reply, action):
    return reverse("admin:forum_reply_act", args=[reply.pk, action])


def public_page(client, thread):
    """The thread page as an anonymous English reader sees it."""
    client.logout()
    return client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def moderator_client(client, moderator):
    # The admin speaks the browser's language; these tests read its English.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(moderator)
    return client


def test_moderator_lists_replies_with_thread_author_score_reports_and_state(
    moderator_client, reply
):
    flag_reply(reply=reply, reporter=UserFactory(), reason="spam")
    flag_reply(reply=reply, reporter=UserFactory(), reason="spam")
    flag_reply(reply=reply, reporter=UserFactory(), reason="abuse")

    response = moderator_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    page = response.content.decode()
    assert reply.thread.title in page
    assert "alice" in page
    assert "3 (Spam ×2, Abuse or harassment)" in page
    assert "Hidden by reports" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=removed", {"removed"}),
        ("state=pending", {"pending"}),
        ("state=published", {"published", "reported once"}),
        ("reports=open", {"reported once"}),
        ("reports=none", {"published", "removed", "pending"}),
    ],
)
def test_reply_list_filters_by_state_and_reports(moderator_client, query, expected):
    thread = ThreadFactory()
    replies = {
        "published": ReplyFactory(thread=thread, body="published"),
        "removed": ReplyFactory(
            thread=thread,
            body="removed",
            removed_at="2024-05-01T10:00:00Z",
            removal_reason="spam",
        ),
        "pending": ReplyFactory(
            thread=thread, body="pending", status=Reply.Status.PENDING
        ),
        "reported once": ReplyFactory(thread=thread, body="reported once"),
    }
    flag_reply(reply=replies["reported once"], reporter=UserFactory(), reason="spam")

    response = moderator_client.get(f"{CHANGELIST}?{query}")

    shown = {reply.body for reply in response.context["cl"].result_list}
    assert shown == expected


def test_reply_list_filters_by_thread_and_author_and_searches_bodies(
    moderator_client, user
):
    thread, other_thread = ThreadFactory(), ThreadFactory()
    mine = ReplyFactory(thread=thread, author=user, body="Les stock-options comptent")
    ReplyFactory(thread=thread, body="Un autre avis")
    ReplyFactory(thread=other_thread, author=user, body="Ailleurs")

    by_thread = moderator_client.get(f"{CHANGELIST}?thread={thread.pk}")
    by_author = moderator_client.get(f"{CHANGELIST}?author={user.pk}")
    by_search = moderator_client.get(f"{CHANGELIST}?q=stock-options")

    assert {r.body for r in by_thread.context["cl"].result_list} == {
        "Les stock-options comptent",
        "Un autre avis",
    }
    assert {r.body for r in by_author.context["cl"].result_list} == {
        "Les stock-options comptent",
        "Ailleurs",
    }
    assert list(by_search.context["cl"].result_list) == [mine]


def test_remove_action_first_asks_for_a_reason(moderator_client, reply):
    response = moderator_client.post(
        CHANGELIST,
        {"action": "remove_replies", "_selected_action": [reply.pk], "index": 0},
    )

    assert response.status_code == 200
    assert "admin/moderation/confirm.html" in [t.name for t in response.templates]
    assert reply.body in response.content.decode()
    reply.refresh_from_db()
    assert reply.removed_at is None


def test_remove_action_without_a_reason_shows_the_form_again(moderator_client, reply):
    response = moderator_client.post(
        CHANGELIST,
        {"action": "remove_replies", "_selected_action": [reply.pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    reply.refresh_from_db()
    assert reply.removed_at is None


def test_moderator_removes_a_reply_with_a_reason_and_a_note(
    moderator_client, moderator, reply
):
    flag = FlagFactory(reply=reply)
    Reply.objects.filter(pk=reply.pk).update(open_flag_count=1)

    response = moderator_client.post(
        CHANGELIST,
        {
            "action": "remove_replies",
            "_selected_action": [reply.pk],
            "post": "yes",
            "reason": "personal_data",
            "note": "Numéro de téléphone publié",
        },
    )

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.removed_by == moderator
    assert reply.removed_at is not None
    assert (reply.removal_reason, reply.removal_note) == (
        "personal_data",
        "Numéro de téléphone publié",
    )
    assert reply.body.startswith("Un avis argumenté")
    flag.refresh_from_db()
    assert (flag.status, flag.decided_by) == (Flag.Status.UPHELD, moderator)
    assert flag.decided_at is not None
    entry = LogEntry.objects.get(object_id=str(reply.pk))
    assert entry.user == moderator
    assert entry.is_change()
    assert "Personal data" in entry.get_change_message()
    assert "Numéro de téléphone publié" in entry.get_change_message()


def test_removed_reply_shows_the_placeholder_and_keeps_the_answers_under_it(
    moderator_client, reply
):
    answer = ReplyFactory(parent=reply, body="Une réponse qui reste lisible")
    moderator_client.post(
        CHANGELIST,
        {
            "action": "remove_replies",
            "_selected_action": [reply.pk],
            "post": "yes",
            "reason": "abuse",
            "note": "Message publicitaire",
        },
    )

    page = public_page(moderator_client, reply.thread).content.decode()

    assert "[message removed by the moderators]" in page
    assert "Un avis argumenté" not in page
    assert answer.body in page
    assert Reply.objects.filter(pk=reply.pk).exists()


def test_removed_reply_keeps_its_place_in_the_api_without_its_text(
    moderator_client, reply
):
    moderator_client.post(
        CHANGELIST,
        {
            "action": "remove_replies",
            "_selected_action": [reply.pk],
            "post": "yes",
            "reason": "spam",
            "note": "Message publicitaire",
        },
    )

    response = APIClient().get(f"/api/v1/threads/{reply.thread_id}/replies/")

    (shown,) = response.json()["results"]
    assert (shown["id"], shown["is_removed"], shown["body"], shown["author"]) == (
        reply.pk,
        True,
        None,
        None,
    )


def test_moderator_restores_a_removed_reply(moderator_client, moderator, reply):
    moderator_client.post(
        CHANGELIST,
        {
            "action": "remove_replies",
            "_selected_action": [reply.pk],
            "post": "yes",
            "reason": "spam",
            "note": "Message publicitaire",
        },
    )

    response = moderator_client.post(
        CHANGELIST,
        {"action": "restore_replies", "_selected_action": [reply.pk], "index": 0},
    )

    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.removed_at, reply.removed_by, reply.removal_reason) == (
        None,
        None,
        "",
    )
    assert reply.body in public_page(moderator_client, reply.thread).content.decode()
    assert LogEntry.objects.filter(
        object_id=str(reply.pk), change_message__startswith="Restored"
    ).exists()


def test_featured_reply_comes_first_with_a_badge(moderator_client, moderator):
    thread = ThreadFactory()
    popular = ReplyFactory(thread=thread, body="Très populaire", score=5, upvotes=5)
    pick = ReplyFactory(thread=thread, body="Choix de la rédaction")

    response = moderator_client.post(
        CHANGELIST,
        {"action": "feature_replies", "_selected_action": [pick.pk], "index": 0},
    )

    assert response.status_code == 302
    pick.refresh_from_db()
    assert (pick.is_featured, pick.featured_by) == (True, moderator)
    page = public_page(moderator_client, thread).content.decode()
    assert page.index(pick.body) < page.index(popular.body)
    assert "Editor's pick" in page


def test_featured_reply_comes_first_in_the_api(moderator_client):
    thread = ThreadFactory()
    ReplyFactory(thread=thread, body="Très populaire", score=5, upvotes=5)
    pick = ReplyFactory(thread=thread, body="Choix de la rédaction")

    moderator_client.post(
        CHANGELIST,
        {"action": "feature_replies", "_selected_action": [pick.pk], "index": 0},
    )
    response = APIClient().get(f"/api/v1/threads/{thread.pk}/replies/")

    first, second = response.json()["results"]
    assert (first["id"], first["is_featured"]) == (pick.pk, True)
    assert second["is_featured"] is False


def test_unfeaturing_takes_the_badge_away(moderator_client):
    pick = ReplyFactory(body="Choix retiré", is_featured=True)

    moderator_client.post(
        CHANGELIST,
        {"action": "unfeature_replies", "_selected_action": [pick.pk], "index": 0},
    )

    pick.refresh_from_db()
    assert (pick.is_featured, pick.featured_at) == (False, None)
    assert (
        "Editor's pick"
        not in public_page(moderator_client, pick.thread).content.decode()
    )


def test_remove_everything_by_an_author_removes_all_their_replies(
    moderator_client, moderator, user
):
    selected = ReplyFactory(author=user, body="Lien douteux")
    elsewhere = ReplyFactory(author=user, body="Encore un lien douteux")
    somebody_else = ReplyFactory(body="Un avis honnête")

    confirmation = moderator_client.post(
        CHANGELIST,
        {
            "action": "remove_everything_by_authors",
            "_selected_action": [selected.pk],
            "index": 0,
        },
    )
    response = moderator_client.post(
        CHANGELIST,
        {
            "action": "remove_everything_by_authors",
            "_selected_action": [selected.pk],
            "post": "yes",
            "reason": "spam",
            "note": "Message publicitaire",
        },
    )

    assert elsewhere.body in confirmation.content.decode()
    assert response.status_code == 302
    for reply in (selected, elsewhere):
        reply.refresh_from_db()
        assert (reply.removal_reason, reply.removed_by) == ("spam", moderator)
    somebody_else.refresh_from_db()
    assert somebody_else.removed_at is None
    assert LogEntry.objects.filter(user=moderator).count() == 2


def test_change_page_shows_every_revision_and_report(moderator_client, reply, user):
    edit_reply(reply=reply, editor=user, body="Deuxième version")
    edit_reply(reply=reply, editor=user, body="Troisième version")
    flag_reply(reply=reply, reporter=UserFactory(username="carol"), reason="abuse")

    response = moderator_client.get(change_url(reply), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Un avis argumenté" in page
    assert "Deuxième version" in page
    assert "Troisième version" in page
    assert "carol" in page
    assert "Abuse or harassment" in page


def test_nothing_a_user_wrote_can_be_edited_from_the_change_page(
    moderator_client, reply
):
    response = moderator_client.post(
        change_url(reply), {"body": "Réécrit par la modération"}
    )

    assert response.status_code == 403
    reply.refresh_from_db()
    assert reply.body.startswith("Un avis argumenté")


def test_even_a_superuser_cannot_edit_or_delete_a_reply(admin_client, reply):
    page = admin_client.get(change_url(reply)).content.decode()
    edited = admin_client.post(change_url(reply), {"body": "Réécrit"})
    deleted = admin_client.post(
        reverse("admin:forum_reply_delete", args=[reply.pk]), {"post": "yes"}
    )

    assert 'name="body"' not in page
    assert edited.status_code == 403
    assert deleted.status_code == 403
    reply.refresh_from_db()
    assert reply.body.startswith("Un avis argumenté")


def test_change_page_offers_the_actions_that_apply(moderator_client, reply):
    page = moderator_client.get(change_url(reply)).content.decode()

    assert act_url(reply, "remove_replies") in page
    assert act_url(reply, "feature_replies") in page
    assert act_url(reply, "restore_replies") not in page
    assert act_url(reply, "approve_replies") not in page


def test_removing_from_the_change_page_asks_a_reason_then_returns_there(
    moderator_client, moderator, reply
):
    form = moderator_client.post(act_url(reply, "remove_replies"))
    response = moderator_client.post(
        act_url(reply, "remove_replies"),
        {"post": "yes", "reason": "off_topic", "note": "Hors sujet"},
    )

    assert form.status_code == 200
    assert "reason" in form.context["form"].fields
    assert response.status_code == 302
    assert response["Location"] == change_url(reply)
    reply.refresh_from_db()
    assert (reply.removal_reason, reply.removed_by) == ("off_topic", moderator)


def test_change_page_actions_only_answer_posts(moderator_client, reply):
    response = moderator_client.get(act_url(reply, "feature_replies"))

    assert response.status_code == 405
    reply.refresh_from_db()
    assert not reply.is_featured


def test_an_unknown_action_on_the_change_page_is_refused(moderator_client, reply):
    response = moderator_client.post(act_url(reply, "delete_selected"))

    assert response.status_code == 403
    assert Reply.objects.filter(pk=reply.pk).exists()


def test_staff_outside_the_moderators_group_cannot_see_replies(client, reply):
    client.force_login(UserFactory(is_staff=True))

    listing = client.get(CHANGELIST)
    detail = client.get(change_url(reply))
    action = client.post(act_url(reply, "remove_replies"), {"post": "yes"})

    assert (listing.status_code, detail.status_code, action.status_code) == (
        403,
        403,
        403,
    )
    reply.refresh_from_db()
    assert reply.removed_at is None


def test_staff_with_only_view_permission_gets_no_moderation_action(client, reply):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_reply", content_type__app_label="forum")
    )
    client.force_login(viewer)

    listing = client.get(CHANGELIST)
    removal = client.post(
        CHANGELIST,
        {
            "action": "remove_replies",
            "_selected_action": [reply.pk],
            "post": "yes",
            "reason": "spam",
            "note": "Message publicitaire",
        },
    )

    assert listing.status_code == 200
    assert "remove_replies" not in listing.content.decode()
    assert removal.status_code == 200
    reply.refresh_from_db()
    assert reply.removed_at is None


def test_reader_is_sent_to_the_admin_log_in_page(auth_client, reply):
    listing = auth_client.get(CHANGELIST)
    action = auth_client.post(act_url(reply, "remove_replies"), {"post": "yes"})

    assert listing.status_code == 302
    assert listing["Location"].startswith(reverse("admin:login"))
    assert action.status_code == 302
    reply.refresh_from_db()
    assert reply.removed_at is None
