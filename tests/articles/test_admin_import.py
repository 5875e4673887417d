import re
from pathlib import Path

from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Posting
from forum.models import Thread
from tests.factories import UserFactory

DATA = Path(__file__).parent / "data"


def upload_file(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    if content is None:
        content = (DATA / name).read_bytes()
    return SimpleUploadedFile(name, content, content_type="text/plain")


def payload_of(response) -> str:
    match = re.search(r'name="payload" value="([^"]+)"', response.content.decode())
    assert match, "the review page carries the payload"
    return match.group(1)


def test_upload_page_shows_the_form(editor_client):
    response = editor_client.get(reverse("articles:import-upload"))

    assert response.status_code == 200
    assert b'type="file"' in response.content


def test_upload_shows_the_parsed_article_for_review_without_storing_it(editor_client):
    response = editor_client.post(
        reverse("articles:import-upload"),
        {"files": [upload_file("fr-money-forms.txt")]},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Trois offres repérées cette semaine" in page
    assert "2024" in page
    assert "Et vous, postuleriez-vous ?" in page
    assert "Zephyra" in page and "ingénieure MLOps" in page
    assert Article.objects.count() == 0


def test_upload_then_confirm_imports_the_articles(editor_client, editor):
    review = editor_client.post(
        reverse("articles:import-upload"),
        {"files": [upload_file("fr-glued.txt"), upload_file("en-offers.txt")]},
    )

    response = editor_client.post(
        reverse("articles:import-confirm"), {"payload": payload_of(review)}
    )

    assert response.status_code == 302
    assert sorted(Article.objects.values_list("import_key", flat=True)) == [
        "en-offers",
        "fr-glued",
    ]
    assert Thread.objects.count() == 5
    assert Posting.objects.count() == 14
    assert LogEntry.objects.filter(user=editor).count() == 2


def test_confirm_twice_leaves_the_articles_unchanged(editor_client):
    review = editor_client.post(
        reverse("articles:import-upload"), {"files": [upload_file("fr-glued.txt")]}
    )
    editor_client.post(
        reverse("articles:import-confirm"), {"payload": payload_of(review)}
    )

    editor_client.post(
        reverse("articles:import-confirm"), {"payload": payload_of(review)}
    )

    assert (Article.objects.count(), Thread.objects.count()) == (1, 3)


def test_draft_option_imports_unpublished(editor_client):
    review = editor_client.post(
        reverse("articles:import-upload"),
        {"files": [upload_file("fr-glued.txt")], "draft": "on"},
    )

    editor_client.post(
        reverse("articles:import-confirm"), {"payload": payload_of(review)}
    )

    assert Article.objects.get().status == Article.Status.DRAFT


def test_title_option_replaces_the_title_of_the_text(editor_client):
    review = editor_client.post(
        reverse("articles:import-upload"),
        {"files": [upload_file("fr-glued.txt")], "title": "Un titre choisi"},
    )

    editor_client.post(
        reverse("articles:import-confirm"), {"payload": payload_of(review)}
    )

    assert Article.objects.get().title == "Un titre choisi"


def test_bad_file_is_listed_and_the_good_ones_still_reviewed(editor_client):
    response = editor_client.post(
        reverse("articles:import-upload"),
        {
            "files": [
                upload_file("latin.txt", "Café".encode("latin-1")),
                upload_file("fr-money-forms.txt"),
            ]
        },
    )

    page = response.content.decode()
    assert "latin.txt: pas du texte UTF-8" in page
    assert "Trois offres repérées cette semaine" in page


def test_altered_payload_is_refused(editor_client):
    review = editor_client.post(
        reverse("articles:import-upload"), {"files": [upload_file("fr-glued.txt")]}
    )

    response = editor_client.post(
        reverse("articles:import-confirm"), {"payload": payload_of(review) + "x"}
    )

    assert response.status_code == 400
    assert Article.objects.count() == 0


def test_staff_without_add_permission_is_refused(client, db):
    client.force_login(UserFactory(username="helper", is_staff=True))

    response = client.get(reverse("articles:import-upload"))

    assert response.status_code == 403


def test_readers_are_sent_to_the_admin_login(client, user):
    client.force_login(user)

    response = client.get(reverse("articles:import-upload"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_article_changelist_links_to_the_import_page(admin_client):
    response = admin_client.get(reverse("admin:articles_article_changelist"))

    assert reverse("articles:import-upload").encode() in response.content
