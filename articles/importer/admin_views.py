"""The admin's "Import articles" page: upload, review and correct, confirm.

The uploaded texts travel from the review page to the confirmation inside a
signed, compressed hidden field (at most MAX_REVIEW_SIZE of text), so no file
is written to the server's disk and any app server can take the second
request. The review is an editor's workbench: each extracted posting is a row
of a formset that can be corrected, dropped or merged with a stored posting,
and empty rows add the postings the importer missed. What the editor changed
is stored as ImportCorrection rows, which every later import of the file
applies again.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articles.importer.load import (
    MAX_FILE_SIZE,
    TOO_LARGE,
    BadFile,
    decode_file,
    load_article,
    prepare_article,
)
from articles.importer.parse import normalize_published
from articles.importer.review import (
    EDITABLE_FIELDS,
    ReviewItem,
    corrections_for,
    differences,
    review_items,
)
from articles.models import Article, Posting
from articles.services import suggest_postings
from articles.templatetags.article_tags import salary

PAYLOAD_SALT = "articles.importer.admin"
REVIEW_FULL = _("the other files fill this review; upload this one separately")
# The review page stays valid this long before the texts must be sent again.
PAYLOAD_MAX_AGE = 60 * 60
# The texts one review carries in its signed field, all files together.
MAX_REVIEW_SIZE = 10 * 1024 * 1024
# Empty rows under each article's postings, to add the ones the importer missed.
EXTRA_ROWS = 2


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        clean_one = super().clean
        if isinstance(data, list | tuple):
            return [clean_one(item, initial) for item in data]
        return [clean_one(data, initial)]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Article files (.txt)"),
        help_text=_("UTF-8 text, 5 MB at most per file."),
        widget=MultipleFileInput(attrs={"accept": ".txt,text/plain"}),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=300,
        help_text=_("Replaces the title read from each text."),
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=200)
    published = forms.CharField(
        label=_("Publication date"),
        required=False,
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD; replaces the date in the text."),
    )
    draft = forms.BooleanField(
        label=_("Import as drafts"),
        required=False,
        help_text=_("Drafts are not shown to readers until published."),
    )

    def clean_published(self):
        value = self.cleaned_data["published"].strip()
        if value and normalize_published(value) is None:
            raise forms.ValidationError(
                _("Write the date as YYYY, YYYY-MM or YYYY-MM-DD.")
            )
        return value


class ReviewPostingForm(forms.Form):
    """One posting of the review: what was read, as the editor confirms it."""

    key = forms.CharField(widget=forms.HiddenInput, required=False)
    company = forms.CharField(label=_("Employer"), required=False, max_length=200)
    title = forms.CharField(label=_("Role"), required=False, max_length=300)
    salary_min = forms.IntegerField(label=_("Minimum"), required=False, min_value=1)
    salary_max = forms.IntegerField(label=_("Maximum"), required=False, min_value=1)
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial="USD", required=False
    )
    period = forms.ChoiceField(
        label=_("Period"), choices=Posting.Period.choices, initial="year"
    )
    location = forms.CharField(label=_("Location"), required=False, max_length=200)
    remote = forms.BooleanField(label=_("Remote"), required=False)
    url = forms.URLField(
        label=_("Link"), required=False, max_length=500, assume_scheme="https"
    )
    drop = forms.BooleanField(label=_("Drop"), required=False)
    merge_into = forms.TypedChoiceField(
        label=_("Merge with"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=(),
    )

    def __init__(self, *args, merge_choices=(), item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["merge_into"].choices = [
            ("", _("Automatic: the import rules decide")),
            *merge_choices,
        ]
        # The table's headings name the columns; each input names itself too.
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)
        for name in ("salary_min", "salary_max"):
            self.fields[name].widget.attrs["size"] = 9
        self.fields["currency"].widget.attrs["size"] = 3

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper() or "USD"
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise forms.ValidationError(_("Three letters, such as EUR or USD."))
        return currency

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("drop"):
            return cleaned
        if not (cleaned.get("company") or "").strip() and "company" not in self.errors:
            self.add_error("company", _("A posting needs its employer."))
        low, high = cleaned.get("salary_min"), cleaned.get("salary_max")
        if low is None and high is None and not self.errors:
            self.add_error("salary_max", _("Give a minimum, a maximum or both."))
        if low is not None and high is not None and low > high:
            self.add_error("salary_min", _("The minimum is above the maximum."))
        return cleaned


class BaseReviewFormSet(forms.BaseFormSet):
    def __init__(self, *args, items: list[ReviewItem], choices: list, **kwargs):
        self.items = items
        self.choices = choices
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.items):
            kwargs["item"] = self.items[index]
            kwargs["merge_choices"] = self.choices[index]
        return kwargs

    def clean(self):
        for form, item in zip(self.forms, self.items, strict=False):
            if form.cleaned_data.get("key", item.key) != item.key:
                raise forms.ValidationError(
                    _("The file's postings changed since the review: upload it again.")
                )


ReviewFormSet = forms.formset_factory(
    ReviewPostingForm, formset=BaseReviewFormSet, extra=EXTRA_ROWS
)


def _initial(item: ReviewItem) -> dict:
    return {
        "key": item.key,
        **{name: item.values.get(name) for name in EDITABLE_FIELDS},
        "drop": item.dropped,
        "merge_into": item.merge_into,
    }


def _merge_choices(item: ReviewItem) -> list[tuple[int, str]]:
    """The stored postings the item may be, likeliest first, with the rule."""
    values = item.values
    if not values.get("company"):
        return []
    matches = suggest_postings(
        company_name=values["company"],
        title=values.get("title") or "",
        salary_min=values.get("salary_min"),
        salary_max=values.get("salary_max"),
        currency=values.get("currency") or "USD",
        period=values.get("period") or "year",
        url=values.get("url") or "",
    )
    choices = [
        (
            match.posting.pk,
            _("#%(id)s %(posting)s, %(salary)s (%(rule)s)")
            % {
                "id": match.posting.pk,
                "posting": match.posting,
                "salary": salary(match.posting) or "—",
                "rule": match.rule,
            },
        )
        for match in matches
    ]
    if item.merge_into and item.merge_into not in {pk for pk, _label in choices}:
        chosen = Posting.objects.filter(pk=item.merge_into).first()
        if chosen is not None:
            choices.append((chosen.pk, f"#{chosen.pk} {chosen}"))
    return choices


def _review(prepared, index: int, data=None) -> dict:
    """One article of the review: what was read and its postings' formset.

    A confirmation that sends no rows for an article takes it as it was read.
    """
    items = review_items(prepared.postings, corrections_for(prepared.import_key))
    prefix = f"article-{index}"
    if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
        data = None
    formset = ReviewFormSet(
        data,
        prefix=prefix,
        initial=[_initial(item) for item in items],
        items=items,
        choices=[_merge_choices(item) for item in items],
    )
    rows = [
        (form, items[number] if number < len(items) else None)
        for number, form in enumerate(formset.forms)
    ]
    return {
        "prepared": prepared,
        "parsed": prepared.parsed,
        "questions": prepared.questions,
        "file": prepared.file,
        "postings": items,
        "formset": formset,
        "rows": rows,
    }


def _corrections(review: dict) -> list:
    """The corrections an article's valid formset makes, unsaved."""
    rows = []
    if not review["formset"].is_bound:
        return rows
    for form, item in review["rows"]:
        if item is None and not form.has_changed():
            continue
        cleaned = form.cleaned_data
        if item is None:
            changed = {name: cleaned.get(name) for name in EDITABLE_FIELDS}
        else:
            changed = {
                name: cleaned.get(name)
                for name in form.changed_data
                if name in EDITABLE_FIELDS
            }
        rows.extend(
            differences(
                shown=item,
                changed=changed,
                dropped=bool(cleaned.get("drop")),
                merge_into=cleaned.get("merge_into"),
            )
        )
    return rows


def _check_permission(request) -> None:
    if not request.user.has_perm("articles.add_article"):
        raise PermissionDenied


def _context(request, **extra) -> dict:
    return {
        **admin.site.each_context(request),
        "opts": Article._meta,
        "title": _("Import articles"),
        **extra,
    }


def _overrides(options: dict) -> dict:
    return {
        "title": options.get("title") or None,
        "source": options.get("source") or None,
        "published": options.get("published") or None,
    }


def upload(request):
    """Show the upload form, then the parsed articles for review."""
    _check_permission(request)
    if request.method != "POST":
        return render(
            request,
            "admin/articles/import_upload.html",
            _context(request, form=ImportForm()),
        )
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request, "admin/articles/import_upload.html", _context(request, form=form)
        )
    options = {key: form.cleaned_data[key] for key in ("title", "source", "published")}
    texts, articles, errors = [], [], []
    carried = 0
    for upload_file in form.cleaned_data["files"]:
        try:
            if upload_file.size > MAX_FILE_SIZE:
                raise BadFile(upload_file.name, str(TOO_LARGE))
            if carried + upload_file.size > MAX_REVIEW_SIZE:
                raise BadFile(upload_file.name, str(REVIEW_FULL))
            text = decode_file(upload_file.read(), name=upload_file.name)
        except BadFile as error:
            errors.append(str(error))
            continue
        carried += upload_file.size
        texts.append({"name": upload_file.name, "text": text})
        prepared = prepare_article(
            text, filename=upload_file.name, **_overrides(options)
        )
        articles.append(_review(prepared, len(articles)))
    payload = signing.dumps(
        {
            "files": texts,
            "options": options,
            "publish": not form.cleaned_data["draft"],
        },
        salt=PAYLOAD_SALT,
        compress=True,
    )
    return render(
        request,
        "admin/articles/import_review.html",
        _context(
            request,
            articles=articles,
            errors=errors,
            payload=payload,
            publish=not form.cleaned_data["draft"],
        ),
    )


@require_POST
def confirm(request):
    """Store the articles shown on the review page, with the editor's corrections.

    When any posting's row is invalid, the review is shown again with the
    errors and nothing is stored.
    """
    _check_permission(request)
    payload = request.POST.get("payload", "")
    try:
        data = signing.loads(payload, salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.BadSignature:
        return HttpResponseBadRequest(
            _("The review expired or was altered. Upload the files again.")
        )
    reviews = [
        _review(
            prepare_article(
                item["text"], filename=item["name"], **_overrides(data["options"])
            ),
            index,
            request.POST,
        )
        for index, item in enumerate(data["files"])
    ]
    bound = [review for review in reviews if review["formset"].is_bound]
    if not all(review["formset"].is_valid() for review in bound):
        return render(
            request,
            "admin/articles/import_review.html",
            _context(
                request,
                articles=reviews,
                errors=[],
                payload=payload,
                publish=data["publish"],
            ),
        )
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for review in reviews:
        prepared = review["prepared"]
        corrections = _corrections(review)
        try:
            result = load_article(
                prepared,
                publish=data["publish"],
                corrections=corrections,
                editor=request.user,
            )
        except ValidationError as error:
            messages.error(
                request,
                _("%(file)s could not be stored: %(reasons)s")
                % {"file": prepared.file, "reasons": "; ".join(error.messages)},
            )
            continue
        counts[result.status] += 1
        if result.status != "unchanged" or corrections:
            message = _("Imported from %(file)s") % {"file": prepared.file}
            if corrections:
                message = _(
                    "Imported from %(file)s with %(count)s corrections to the "
                    "extracted postings"
                ) % {"file": prepared.file, "count": len(corrections)}
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=[result.article],
                action_flag=ADDITION if result.status == "created" else CHANGE,
                change_message=str(message),
                single_object=True,
            )
    messages.success(
        request,
        _(
            "Articles imported: %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged."
        )
        % counts,
    )
    try:
        return redirect(reverse("admin:articles_article_changelist"))
    except NoReverseMatch:
        return redirect(reverse("admin:index"))


urlpatterns = [
    path("", admin.site.admin_view(upload), name="import-upload"),
    path("confirm/", admin.site.admin_view(confirm), name="import-confirm"),
]
