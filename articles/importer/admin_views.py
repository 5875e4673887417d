"""The admin's "Import articles" page: upload, review, confirm.

The uploaded texts travel from the review page to the confirmation inside a
signed hidden field, so no file is written to the server's disk and any app
server can take the second request.
"""

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
from articles.models import Article

PAYLOAD_SALT = "articles.importer.admin"
# The review page stays valid this long before the texts must be sent again.
PAYLOAD_MAX_AGE = 60 * 60


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
    for upload_file in form.cleaned_data["files"]:
        try:
            if upload_file.size > MAX_FILE_SIZE:
                raise BadFile(upload_file.name, str(TOO_LARGE))
            text = decode_file(upload_file.read(), name=upload_file.name)
        except BadFile as error:
            errors.append(str(error))
            continue
        texts.append({"name": upload_file.name, "text": text})
        articles.append(
            prepare_article(text, filename=upload_file.name, **_overrides(options))
        )
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
    """Store the articles shown on the review page."""
    _check_permission(request)
    try:
        data = signing.loads(
            request.POST.get("payload", ""),
            salt=PAYLOAD_SALT,
            max_age=PAYLOAD_MAX_AGE,
        )
    except signing.BadSignature:
        return HttpResponseBadRequest(
            _("The review expired or was altered. Upload the files again.")
        )
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for item in data["files"]:
        prepared = prepare_article(
            item["text"], filename=item["name"], **_overrides(data["options"])
        )
        try:
            result = load_article(prepared, publish=data["publish"])
        except ValidationError as error:
            messages.error(
                request,
                _("%(file)s could not be stored: %(reasons)s")
                % {"file": item["name"], "reasons": "; ".join(error.messages)},
            )
            continue
        counts[result.status] += 1
        if result.status != "unchanged":
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=[result.article],
                action_flag=ADDITION if result.status == "created" else CHANGE,
                change_message=str(
                    _("Imported from %(file)s") % {"file": item["name"]}
                ),
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
