import pytest
from django.urls import reverse

from forum.models import Revision, Thread

pytestmark = pytest.mark.django_db


def edit_url(reply):
    return reverse("forum:reply-edit", kwargs={"reply_id": reply.pk})


def test_author_edits_a_reply_and_the_earlier_text_is_kept(auth_client, reply, user):
    original = reply.body

    response = auth_client.post(edit_url(reply), {"body": "Version *corrigée*."})

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.body == "Version *corrigée*."
    assert reply.body_html == "<p>Version <em>corrigée</em>.</p>\n"
    assert reply.edited_at is not None
    revision = Revision.objects.get(reply=reply)
    assert (revision.body, revision.editor) == (original, user)


def test_every_edit_adds_a_revision(auth_client, reply):
    auth_client.post(edit_url(reply), {"body": "Deuxième version"})
    auth_client.post(edit_url(reply), {"body": "Troisième version"})

    bodies = list(Revision.objects.filter(reply=reply).values_list("body", flat=True))

    assert len(bodies) == 2
    assert "Deuxième version" in bodies


def test_edited_reply_is_marked_on_the_thread_page(auth_client, reply):
    auth_client.post(edit_url(reply), {"body": "Texte revu"})

    page = auth_client.get(reply.thread.get_absolute_url()).content.decode()

    assert 'class="edited"' in page
    assert "Texte revu" in page


def test_saving_the_same_text_adds_no_revision(auth_client, reply):
    auth_client.post(edit_url(reply), {"body": reply.body})

    reply.refresh_from_db()
    assert reply.edited_at is None
    assert not Revision.objects.exists()


def test_someone_else_cannot_edit_a_reply(client, reply, other_user):
    client.force_login(other_user)
    original = reply.body

    get = client.get(edit_url(reply))
    post = client.post(edit_url(reply), {"body": "Détourné"})

    assert get.status_code == 403
    assert post.status_code == 403
    reply.refresh_from_db()
    assert reply.body == original
    assert not Revision.objects.exists()


def test_empty_edit_is_a_form_error(auth_client, reply):
    original = reply.body

    response = auth_client.post(edit_url(reply), {"body": "   "})

    assert response.status_code == 400
    assert response.context["form"].errors
    reply.refresh_from_db()
    assert reply.body == original


def test_edit_in_a_locked_thread_is_refused(auth_client, reply):
    Thread.objects.filter(pk=reply.thread_id).update(is_locked=True)

    response = auth_client.post(edit_url(reply), {"body": "Trop tard"})

    assert response.status_code == 403
    assert not Revision.objects.exists()


def test_author_deletes_a_reply_softly_and_answers_stay(auth_client, reply, other_user):
    from tests.factories import ReplyFactory

    child = ReplyFactory(parent=reply, author=other_user)

    response = auth_client.post(
        reverse("forum:reply-delete", kwargs={"reply_id": reply.pk})
    )

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.is_removed and reply.removal_reason == "author"
    assert reply.body  # the text is kept
    page = auth_client.get(reply.thread.get_absolute_url()).content.decode()
    assert child.body in page
    assert reply.body not in page
