from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles.importer.load import import_text
from articles.models import Posting, PostingMerge
from tests.factories import CitationFactory, PostingFactory

DATA = Path(__file__).parent / "data"
MERGES = reverse("admin:articles_postingmerge_changelist")

pytestmark = pytest.mark.django_db


def import_file(name: str):
    return import_text((DATA / name).read_text(encoding="utf-8"), filename=name)


@pytest.fixture
def moderator_client(client, moderator):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(moderator)
    return client


@pytest.fixture
def netflix_merge():
    import_file("netflix-up-to.txt")
    import_file("netflix-range.txt")
    return PostingMerge.objects.get()


def test_merge_list_names_the_rule_of_each_merge(moderator_client, netflix_merge):
    response = moderator_client.get(MERGES, {"rule__exact": "same_pay_and_role"})

    assert list(response.context["cl"].result_list) == [netflix_merge]
    assert "same employer, pay and role" in response.content.decode()


def test_moderator_undoes_a_merge_from_the_list(
    moderator_client, moderator, netflix_merge
):
    response = moderator_client.post(
        MERGES,
        {"action": "undo_merges", "_selected_action": [netflix_merge.pk]},
    )

    assert response.status_code == 302
    netflix_merge.refresh_from_db()
    assert netflix_merge.undone_by == moderator
    assert Posting.objects.count() == 2
    assert LogEntry.objects.filter(
        object_id=str(netflix_merge.posting_id), user=moderator
    ).exists()


def test_moderator_undoes_a_merge_with_the_button_on_its_page(
    moderator_client, netflix_merge
):
    page = reverse("admin:articles_postingmerge_change", args=[netflix_merge.pk])
    shown = moderator_client.get(page)

    moderator_client.post(
        reverse(
            "admin:articles_postingmerge_act", args=[netflix_merge.pk, "undo_merges"]
        )
    )

    assert "Undo this merge" in shown.content.decode()
    netflix_merge.refresh_from_db()
    assert netflix_merge.undone_at is not None
    after = moderator_client.get(page)
    assert "Undo this merge" not in after.content.decode()


def test_posting_page_shows_each_parts_sentence_confidence_and_merges(
    moderator_client, netflix_merge
):
    citation = netflix_merge.posting.citations.first()
    citation.sources = {"pay": "Une phrase qui donne le salaire."}
    citation.confidence = 0.75
    citation.save()

    response = moderator_client.get(
        reverse("admin:articles_posting_change", args=[netflix_merge.posting_id])
    )

    page = response.content.decode()
    assert "Une phrase qui donne le salaire." in page
    assert "75%" in page
    assert "Merged from other articles" in page


def test_a_field_corrected_in_the_admin_survives_a_later_import(moderator_client):
    import_file("netflix-up-to.txt")
    posting = Posting.objects.get()
    url = reverse("admin:articles_posting_change", args=[posting.pk])
    page = moderator_client.get(url)
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    moderator_client.post(
        url,
        {
            **data,
            "company": posting.company_id,
            "title": posting.title,
            "location": "Los Angeles",
            "salary_max": 900_000,
            "currency": "USD",
            "period": "year",
            "url": "",
        },
    )

    import_file("netflix-range.txt")

    posting.refresh_from_db()
    assert posting.location == "Los Angeles"
    assert "location" in posting.edited_fields
    assert posting.salary_min == 300_000


def test_readers_of_postings_without_change_rights_cannot_undo(client, db):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(
            codename="view_posting", content_type__app_label="articles"
        )
    )
    client.force_login(viewer)
    posting = PostingFactory()
    citation = CitationFactory(posting=posting)
    merge = PostingMerge.objects.create(
        posting=posting, article=citation.article, rule=PostingMerge.Rule.SAME_URL
    )

    response = client.post(
        MERGES, {"action": "undo_merges", "_selected_action": [merge.pk]}
    )

    merge.refresh_from_db()
    assert response.status_code == 200
    assert merge.undone_at is None
