"""Earlier versions of a reply, open to every reader unless a moderator hid
them."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from forum.models import Reply, Revision
from forum.services import edit_reply, hide_revision, remove_reply

pytestmark = pytest.mark.django_db


def versions_url(reply):
    return reverse("forum:reply-revisions", kwargs={"reply_id": reply.pk})


@pytest.fixture
def edited(reply, user):
    reply.body = "Premier jet, avec une **faute**."
    reply.save()
    edit_reply(reply=reply, editor=user, body="Second jet.")
    edit_reply(reply=reply, editor=user, body="Version finale.")
    return reply


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def test_edited_reply_links_its_earlier_versions_on_the_thread_page(client, edited):
    page = client.get(edited.thread.get_absolute_url()).content.decode()

    # "edited" itself opens them, as on Discourse
    assert f'<a class="edited" href="{versions_url(edited)}"' in page


def test_reply_never_edited_offers_no_earlier_versions(client, reply):
    page = client.get(reply.thread.get_absolute_url()).content.decode()

    assert versions_url(reply) not in page


def test_anyone_reads_every_earlier_version_rendered_safely(client, edited):
    response = client.get(versions_url(edited))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<p>Version finale.</p>" in page
    assert "<p>Second jet.</p>" in page
    assert "<strong>faute</strong>" in page
    assert page.index("Second jet.") < page.index("Premier jet")


def test_earlier_version_is_sanitised_like_a_reply(client, reply, user):
    reply.body = "<script>alert(1)</script> [x](javascript:alert(1))"
    reply.save()
    edit_reply(reply=reply, editor=user, body="Propre.")

    page = client.get(versions_url(reply)).content.decode()

    assert "<script>alert(1)" not in page
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_version_a_moderator_hid_is_not_shown_to_readers(client, edited, moderator):
    first = edited.revisions.get(body__startswith="Premier")

    hide_revision(revision=first, by=moderator)

    page = client.get(versions_url(edited)).content.decode()
    assert "Premier jet" not in page
    assert "Second jet." in page
    first.refresh_from_db()
    assert first.is_hidden and first.body.startswith("Premier")


def test_moderators_still_read_a_hidden_version_marked_as_such(
    moderator_client, edited, moderator
):
    first = edited.revisions.get(body__startswith="Premier")
    hide_revision(revision=first, by=moderator)

    page = moderator_client.get(versions_url(edited)).content.decode()

    assert "Premier jet" in page
    assert "hidden-revision" in page


def test_only_moderators_hide_a_version(edited, user):
    first = edited.revisions.first()

    with pytest.raises(PermissionDenied):
        hide_revision(revision=first, by=user)

    first.refresh_from_db()
    assert not first.is_hidden


def test_moderator_hides_and_shows_versions_from_the_admin(moderator_client, edited):
    first = edited.revisions.get(body__startswith="Premier")
    url = reverse("admin:forum_revision_changelist")

    response = moderator_client.post(
        url, {"action": "hide_revisions", "_selected_action": [first.pk], "index": 0}
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.is_hidden
    assert LogEntry.objects.filter(object_id=str(first.pk)).exists()
    moderator_client.post(
        url, {"action": "show_revisions", "_selected_action": [first.pk], "index": 0}
    )
    first.refresh_from_db()
    assert not first.is_hidden


def test_reader_cannot_use_the_admin_action(client, other_user, edited):
    other_user.is_staff = True
    other_user.save()
    client.force_login(other_user)
    first = edited.revisions.first()

    client.post(
        reverse("admin:forum_revision_changelist"),
        {"action": "hide_revisions", "_selected_action": [first.pk], "index": 0},
    )

    first.refresh_from_db()
    assert not first.is_hidden


def test_versions_of_a_removed_reply_are_not_found(client, edited, moderator):
    remove_reply(reply=edited, by=moderator, reason=Reply.RemovalReason.ABUSE)

    assert client.get(versions_url(edited)).status_code == 404
    assert Revision.objects.filter(reply=edited).count() == 2
