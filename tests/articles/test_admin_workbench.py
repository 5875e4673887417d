from pathlib import Path

import pytest
from django import forms
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from articles.importer.load import prepare_article
from articles.models import Article, Citation, ImportCorrection, Posting
from tests.factories import CompanyFactory, PostingFactory

DATA = Path(__file__).parent / "data"
UPLOAD = reverse("articles:import-upload")
CONFIRM = reverse("articles:import-confirm")


def upload(client, *names):
    files = [
        SimpleUploadedFile(name, (DATA / name).read_bytes(), content_type="text/plain")
        for name in names
    ]
    return client.post(UPLOAD, {"files": files})


def review_data(review) -> dict:
    """What the review page posts when the editor changes nothing."""
    data = {"payload": review.context["payload"]}
    for article in review.context["articles"]:
        formset = article["formset"]
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial[name]
        for form in formset.forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if isinstance(field, forms.BooleanField):
                    if value:
                        data[form.add_prefix(name)] = "on"
                elif value is not None:
                    data[form.add_prefix(name)] = value
    return data


def row_of(review, company: str, article: int = 0) -> str:
    """The prefix of the row showing a company's posting."""
    formset = review.context["articles"][article]["formset"]
    for form in formset.forms:
        if form.initial.get("company") == company:
            return form.prefix
    raise AssertionError(f"no row for {company}")


def extra_row(review, article: int = 0) -> str:
    formset = review.context["articles"][article]["formset"]
    return formset.forms[len(formset.initial)].prefix


@pytest.fixture
def editor_client(client, editor):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(editor)
    return client


def test_review_shows_each_posting_as_an_editable_row_with_its_evidence(
    editor_client,
):
    (extracted,) = prepare_article(
        (DATA / "netflix-range.txt").read_text(encoding="utf-8"),
        filename="netflix-range.txt",
    ).postings

    review = upload(editor_client, "netflix-range.txt")

    page = review.content.decode()
    prefix = row_of(review, "Netflix")
    assert f'name="{prefix}-salary_max" value="900000"' in page
    assert f'name="{prefix}-drop"' in page
    assert "300 000 à 900 000 dollars par an" in page
    assert f"{round(extracted.confidence * 100)} %" in page
    for part in ("company", "title", "pay", "url"):
        assert escape(extracted.sources[part]) in page


def test_editor_corrects_a_field_and_the_correction_is_recorded(editor_client, editor):
    review = upload(editor_client, "netflix-range.txt")
    prefix = row_of(review, "Netflix")
    data = {**review_data(review), f"{prefix}-salary_max": 950_000}

    response = editor_client.post(CONFIRM, data)

    assert response.status_code == 302
    posting = Posting.objects.get()
    assert (posting.salary_min, posting.salary_max) == (300_000, 950_000)
    correction = ImportCorrection.objects.get()
    assert correction.kind == "changed salary_max"
    assert (correction.extracted_value, correction.corrected_value) == (
        900_000,
        950_000,
    )
    assert correction.editor == editor
    assert correction.article == Article.objects.get()


def test_editor_drops_a_false_posting(editor_client):
    review = upload(editor_client, "fr-money-forms.txt")
    prefix = row_of(review, "Accenture")

    editor_client.post(CONFIRM, {**review_data(review), f"{prefix}-drop": "on"})

    assert not Posting.objects.filter(company__name="Accenture").exists()
    assert Posting.objects.count() == 3
    assert ImportCorrection.objects.get().kind == "dropped"


def test_editor_adds_a_missed_posting(editor_client):
    review = upload(editor_client, "netflix-up-to.txt")
    prefix = extra_row(review)
    data = {
        **review_data(review),
        f"{prefix}-company": "Pixelune",
        f"{prefix}-title": "Scénariste IA",
        f"{prefix}-salary_min": 60_000,
        f"{prefix}-salary_max": 80_000,
        f"{prefix}-currency": "eur",
        f"{prefix}-period": "year",
    }

    editor_client.post(CONFIRM, data)

    added = Posting.objects.get(company__name="Pixelune")
    assert (added.salary_min, added.salary_max, added.currency) == (
        60_000,
        80_000,
        "EUR",
    )
    assert Citation.objects.get(posting=added).confidence is None
    assert ImportCorrection.objects.get().kind == "added"


def test_editor_merges_a_posting_with_a_suggested_stored_one(editor_client):
    netflix = CompanyFactory(name="Netflix", normalized_name="netflix")
    stored = PostingFactory(
        company=netflix, title="Product manager", salary_min=None, salary_max=900_000
    )
    other = PostingFactory(
        company=netflix, title="Juriste", salary_min=None, salary_max=50_000
    )
    review = upload(editor_client, "netflix-range.txt")
    prefix = row_of(review, "Netflix")
    form = review.context["articles"][0]["formset"].forms[0]
    offered = [value for value, _label in form.fields["merge_into"].choices]

    editor_client.post(
        CONFIRM, {**review_data(review), f"{prefix}-merge_into": stored.pk}
    )

    assert stored.pk in offered and other.pk not in offered
    stored.refresh_from_db()
    assert (stored.salary_min, stored.salary_max) == (300_000, 900_000)
    assert stored.merges.get().rule == "editor"
    correction = ImportCorrection.objects.get()
    assert (correction.kind, correction.corrected_value) == ("merged", stored.pk)


def test_invalid_rows_show_their_errors_and_change_nothing(editor_client):
    review = upload(editor_client, "netflix-range.txt")
    prefix = row_of(review, "Netflix")
    data = {
        **review_data(review),
        f"{prefix}-salary_min": 990_000,
        f"{prefix}-currency": "U5D",
    }

    response = editor_client.post(CONFIRM, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The minimum is above the maximum." in page
    assert "Three letters, such as EUR or USD." in page
    assert 'value="990000"' in page
    assert (Article.objects.count(), ImportCorrection.objects.count()) == (0, 0)


def test_confirming_unchanged_rows_records_no_correction(editor_client):
    review = upload(editor_client, "fr-money-forms.txt")

    editor_client.post(CONFIRM, review_data(review))

    assert Posting.objects.count() == 4
    assert not ImportCorrection.objects.exists()


def test_reimporting_with_the_command_keeps_the_editors_corrections(
    editor_client, tmp_path
):
    review = upload(editor_client, "fr-money-forms.txt")
    data = review_data(review)
    data[f"{row_of(review, 'Accenture')}-drop"] = "on"
    data[f"{row_of(review, 'Zephyra')}-title"] = "ingénieure MLOps senior"
    editor_client.post(CONFIRM, data)
    copy = tmp_path / "fr-money-forms.txt"
    copy.write_bytes((DATA / "fr-money-forms.txt").read_bytes())

    call_command("import_articles", str(copy), stdout=None)

    article = Article.objects.get()
    assert not Posting.objects.filter(company__name="Accenture").exists()
    zephyra = Posting.objects.get(company__name="Zephyra")
    assert zephyra.title == "ingénieure MLOps senior"
    assert article.citations.count() == 3
    assert ImportCorrection.objects.count() == 2


def test_reimporting_an_edited_file_keeps_the_corrections(editor_client, tmp_path):
    review = upload(editor_client, "fr-money-forms.txt")
    data = review_data(review)
    data[f"{row_of(review, 'Accenture')}-drop"] = "on"
    editor_client.post(CONFIRM, data)
    edited = (DATA / "fr-money-forms.txt").read_text(encoding="utf-8")
    copy = tmp_path / "fr-money-forms.txt"
    copy.write_text(edited.replace("Trois offres", "Trois offres d'emploi"))

    call_command("import_articles", str(copy), stdout=None)

    article = Article.objects.get()
    assert "Trois offres d'emploi" in article.title
    assert not article.citations.filter(posting__company__name="Accenture").exists()


def test_a_second_review_shows_the_earlier_corrections(editor_client):
    review = upload(editor_client, "netflix-range.txt")
    prefix = row_of(review, "Netflix")
    editor_client.post(
        CONFIRM, {**review_data(review), f"{prefix}-salary_max": 950_000}
    )

    again = upload(editor_client, "netflix-range.txt")

    form = again.context["articles"][0]["formset"].forms[0]
    assert form.initial["salary_max"] == 950_000
    assert "Corrected earlier" in again.content.decode()


def test_article_list_counts_and_filters_corrected_articles(
    editor_client, admin_client
):
    review = upload(editor_client, "fr-money-forms.txt")
    data = review_data(review)
    data[f"{row_of(review, 'Accenture')}-drop"] = "on"
    editor_client.post(CONFIRM, data)
    upload_plain = upload(editor_client, "netflix-range.txt")
    editor_client.post(CONFIRM, review_data(upload_plain))
    articles = reverse("admin:articles_article_changelist")

    listed = admin_client.get(articles)
    corrected = admin_client.get(articles, {"corrected": "yes"})
    corrections = admin_client.get(
        reverse("admin:articles_importcorrection_changelist"),
        {"action__exact": "dropped"},
    )

    assert "correction_count" in listed.context["cl"].list_display
    assert [a.import_key for a in corrected.context["cl"].result_list] == [
        "fr-money-forms"
    ]
    assert corrections.context["cl"].result_count == 1


def test_editors_read_the_corrections_list(editor_client, editor):
    editor.user_permissions.add(
        Permission.objects.get(
            codename="view_article", content_type__app_label="articles"
        )
    )

    response = editor_client.get(reverse("admin:articles_importcorrection_changelist"))

    assert response.status_code == 200


def test_review_lists_the_other_figures_and_why_they_are_not_offers(editor_client):
    review = upload(editor_client, "fr-sections.txt")

    page = review.content.decode()
    assert "68 000 euros" in page
    assert escape(gettext("a statistic")) in page
    assert Posting.objects.count() == 0
