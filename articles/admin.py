"""Articles, postings and companies in the admin.

An article shows its questions and the postings it cites; duplicate postings
or companies are merged through the services, which keep every citation and
thread link.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.importer.companies import normalize_company_name
from articles.importer.review import SOURCE_LABELS
from articles.models import (
    Article,
    Citation,
    Company,
    ImportCorrection,
    Posting,
    PostingMerge,
)
from articles.services import (
    edit_posting,
    get_or_create_company,
    merge_companies,
    merge_postings,
    publish_article,
    save_article,
    undo_posting_merge,
)
from articles.templatetags.article_tags import salary
from forum.adminbase import ModerationAdmin, ReadOnlyInline, changelist_url
from forum.models import Thread
from forum.services import update_thread


class ArticleThreadInline(admin.TabularInline):
    """The article's questions, in their order; the position can be changed."""

    model = Thread
    template = "admin/moderation/tabular.html"
    fields = ("title", "position", "reply_count", "is_locked", "is_pinned", "is_hidden")
    readonly_fields = (
        "title",
        "reply_count",
        "is_locked",
        "is_pinned",
        "is_hidden",
    )
    ordering = ("position", "pk")
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = gettext_lazy("Questions (threads)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and request.user.has_perm(
            "articles.change_article"
        )

    def has_delete_permission(self, request, obj=None):
        return False


def sources_list(sources: dict) -> str:
    """Render the sentence each part of a posting was read from."""
    rows = [(label, sources[key]) for key, label in SOURCE_LABELS if sources.get(key)]
    if not rows:
        return "—"
    return format_html(
        '<dl class="import-sources">{}</dl>',
        format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
    )


def confidence_text(value) -> str:
    return "—" if value is None else f"{value:.0%}"


class CitationEvidenceMixin:
    @admin.display(description=gettext_lazy("sentence of each part"))
    def sources_display(self, obj):
        return sources_list(obj.sources or {})

    @admin.display(description=gettext_lazy("confidence"))
    def confidence_display(self, obj):
        return confidence_text(obj.confidence)


class ArticleCitationInline(CitationEvidenceMixin, ReadOnlyInline):
    model = Citation
    fields = (
        "position",
        "posting",
        "evidence",
        "sources_display",
        "confidence_display",
    )
    readonly_fields = fields
    ordering = ("position", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("posting__company")


class CorrectedFilter(admin.SimpleListFilter):
    title = gettext_lazy("corrected on import")
    parameter_name = "corrected"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(correction_total__gt=0)
        if self.value() == "no":
            return queryset.filter(correction_total=0)
        return queryset


@admin.register(Article)
class ArticleAdmin(ModerationAdmin):
    list_display = (
        "title",
        "status",
        "published",
        "source",
        "language",
        "thread_count",
        "citation_count",
        "correction_count",
    )
    list_filter = ("status", "language", "published", CorrectedFilter)
    search_fields = ("title", "slug", "source", "author")
    prepopulated_fields = {"slug": ("title",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("title", "slug", "status", "language")}),
        (
            gettext_lazy("Source"),
            {
                "fields": (
                    "source",
                    "author",
                    "translator",
                    "sources",
                    "source_url",
                    "published",
                    "published_precision",
                )
            },
        ),
        (gettext_lazy("Text"), {"fields": ("body",)}),
        (
            gettext_lazy("Import"),
            {
                "fields": (
                    "import_key",
                    "fingerprint",
                    "correction_count",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )
    readonly_fields = (
        "import_key",
        "fingerprint",
        "correction_count",
        "created_at",
        "updated_at",
    )
    inlines = (ArticleThreadInline, ArticleCitationInline)
    actions = ("publish_articles", "unpublish_articles")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                thread_total=Count("threads", distinct=True),
                citation_total=Count("citations", distinct=True),
                # A subquery, so that a third join does not multiply the rows
                # the two counts above go through.
                correction_total=Coalesce(
                    Subquery(
                        ImportCorrection.objects.filter(article=OuterRef("pk"))
                        .order_by()
                        .values("article")
                        .annotate(total=Count("pk"))
                        .values("total"),
                        output_field=IntegerField(),
                    ),
                    0,
                ),
            )
            # Counting groups rows, and grouped queries drop Meta.ordering.
            .order_by(*Article._meta.ordering, "pk")
        )

    @admin.display(description=gettext_lazy("questions"), ordering="thread_total")
    def thread_count(self, obj):
        return obj.thread_total

    @admin.display(description=gettext_lazy("postings"), ordering="citation_total")
    def citation_count(self, obj):
        return obj.citation_total

    @admin.display(description=gettext_lazy("corrections"), ordering="correction_total")
    def correction_count(self, obj):
        if not getattr(obj, "correction_total", 0):
            return 0
        return format_html(
            '<a href="{}">{}</a>',
            changelist_url(ImportCorrection, article__id__exact=obj.pk),
            obj.correction_total,
        )

    def save_model(self, request, obj, form, change):
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        save_article(article=obj, **changed)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Thread:
            return super().save_formset(request, form, formset, change)
        # Questions move through the forum's service; nothing else is saved.
        formset.new_objects, formset.deleted_objects = [], []
        formset.changed_objects = []
        for thread_form in formset.initial_forms:
            if "position" not in thread_form.changed_data:
                continue
            thread = Thread.objects.get(pk=thread_form.instance.pk)
            update_thread(thread=thread, position=thread_form.cleaned_data["position"])
            formset.changed_objects.append((thread, ["position"]))
        return None

    def _publish(self, request, queryset, published: bool):
        done = 0
        for article in queryset.exclude(
            status=Article.Status.PUBLISHED if published else Article.Status.DRAFT
        ):
            publish_article(article=article, published=published)
            self.log_change(
                request,
                article,
                _("Published the article.")
                if published
                else _("Took the article back to draft."),
            )
            done += 1
        self.announce(
            request,
            done,
            ngettext("%(count)s article changed.", "%(count)s articles changed.", done)
            % {"count": done},
            _("No article needed this change."),
        )

    @admin.action(
        description=gettext_lazy("Publish the selected articles"),
        permissions=["change"],
    )
    def publish_articles(self, request, queryset):
        self._publish(request, queryset, True)

    @admin.action(
        description=gettext_lazy("Take the selected articles back to draft"),
        permissions=["change"],
    )
    def unpublish_articles(self, request, queryset):
        self._publish(request, queryset, False)


# Merging duplicates ---------------------------------------------------------


class KeepChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, describe, **kwargs):
        self.describe = describe
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return self.describe(obj)


class MergeForm(forms.Form):
    def __init__(self, *args, queryset, describe, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"] = KeepChoiceField(
            queryset=queryset,
            describe=describe,
            label=_("Keep"),
            empty_label=None,
            widget=forms.RadioSelect(attrs={"class": "radiolist"}),
            help_text=_(
                "The others are merged into it: their citations and thread links "
                "move to it, then they are deleted."
            ),
        )


class MergeAdmin(ModerationAdmin):
    # The service that merges a duplicate into the one kept.
    merge_service = None

    def describe(self, obj) -> str:
        return str(obj)

    def merge_selected(self, request, queryset):
        objects = list(queryset)
        if len(objects) < 2:
            self.message_user(
                request, _("Select at least two to merge."), level="warning"
            )
            return None
        largest = max(objects, key=lambda obj: (obj.citation_total, -obj.pk))
        form = MergeForm(
            request.POST if "post" in request.POST else None,
            queryset=queryset,
            describe=self.describe,
            initial={"keep": largest.pk},
        )
        response = self.confirm(
            request,
            queryset,
            form=form,
            title=_("Merge duplicates"),
            intro=_(
                "Choose the one to keep. Every citation and thread link of the "
                "others moves to it; details it lacks are taken from them."
            ),
            items=[],
            submit=_("Merge"),
        )
        if response is not None:
            return response
        keep = form.cleaned_data["keep"]
        done = 0
        for duplicate in objects:
            if duplicate.pk == keep.pk:
                continue
            described = f"“{duplicate}” (#{duplicate.pk})"
            try:
                keep = self.merge_service(keep=keep, duplicate=duplicate)
            except ValidationError as error:
                self.refuse(request, duplicate, error)
                continue
            self.log_change(
                request,
                keep,
                _(
                    "Merged the duplicate %(duplicate)s into this one, with its "
                    "citations and thread links."
                )
                % {"duplicate": described},
            )
            done += 1
        self.announce(
            request,
            done,
            ngettext(
                "%(count)s duplicate merged into “%(keep)s”.",
                "%(count)s duplicates merged into “%(keep)s”.",
                done,
            )
            % {"count": done, "keep": keep},
            _("Nothing was merged."),
        )
        return None


class PostingCitationInline(CitationEvidenceMixin, ReadOnlyInline):
    model = Citation
    fields = ("article", "evidence", "sources_display", "confidence_display")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Cited by")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


class PostingMergeInline(ReadOnlyInline):
    """The articles whose posting was merged into this one; each can be undone."""

    model = PostingMerge
    fk_name = "posting"
    fields = ("article", "rule", "created_at", "undone_at", "split_posting")
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = gettext_lazy("Merged from other articles")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_posting")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "split_posting")


class PostingThreadInline(ReadOnlyInline):
    model = Thread.postings.through
    fields = ("thread",)
    readonly_fields = fields
    verbose_name = gettext_lazy("linked thread")
    verbose_name_plural = gettext_lazy("Linked threads")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("thread")


@admin.register(Posting)
class PostingAdmin(MergeAdmin):
    list_display = (
        "title",
        "company",
        "pay",
        "annual_max",
        "location",
        "remote",
        "citation_count",
        "thread_count",
    )
    list_filter = (
        "currency",
        "period",
        "remote",
        ("company", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "company__name", "location", "url")
    list_select_related = ("company",)
    autocomplete_fields = ("company",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("company", "title", "location", "remote", "url")}),
        (
            gettext_lazy("Salary"),
            {
                "fields": (
                    "salary_min",
                    "salary_max",
                    "currency",
                    "period",
                    "annual_min",
                    "annual_max",
                )
            },
        ),
        (gettext_lazy("Dates"), {"fields": ("created_at", "updated_at")}),
    )
    readonly_fields = ("annual_min", "annual_max", "created_at", "updated_at")
    inlines = (PostingCitationInline, PostingMergeInline, PostingThreadInline)
    actions = ("merge_selected_postings",)
    merge_service = staticmethod(merge_postings)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                citation_total=Count("citations", distinct=True),
                thread_total=Count("threads", distinct=True),
            )
            # Counting groups rows, and grouped queries drop Meta.ordering.
            .order_by(*Posting._meta.ordering, "pk")
        )

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # Through the service, which marks the fields as edited by hand so
        # that later imports leave them alone.
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        edit_posting(posting=obj, by=request.user, **changed)
        return None

    def describe(self, obj):
        return _(
            "#%(id)s %(posting)s, %(salary)s: %(citations)s citations, "
            "%(threads)s threads"
        ) % {
            "id": obj.pk,
            "posting": obj,
            "salary": salary(obj) or _("no salary"),
            "citations": obj.citation_total,
            "threads": obj.thread_total,
        }

    @admin.display(description=gettext_lazy("salary"))
    def pay(self, obj):
        return salary(obj)

    @admin.display(description=gettext_lazy("citations"), ordering="citation_total")
    def citation_count(self, obj):
        return obj.citation_total

    @admin.display(description=gettext_lazy("threads"), ordering="thread_total")
    def thread_count(self, obj):
        return obj.thread_total

    @admin.action(
        description=gettext_lazy("Merge the selected duplicate postings…"),
        permissions=["change"],
    )
    def merge_selected_postings(self, request, queryset):
        return self.merge_selected(request, queryset)


class CompanyPostingInline(ReadOnlyInline):
    model = Posting
    fields = ("title", "pay", "location")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("title", "pk")

    @admin.display(description=gettext_lazy("salary"))
    def pay(self, obj):
        return salary(obj)


class CompanyForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = ("name", "domain")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        key = normalize_company_name(name)
        if self.instance.pk and key != self.instance.normalized_name:
            raise ValidationError(
                _(
                    "This is another company's name, not a new spelling of this "
                    "one. To join two companies, merge them from the list."
                )
            )
        if (
            not self.instance.pk
            and Company.objects.filter(normalized_name=key).exists()
        ):
            raise ValidationError(_("This company already exists."))
        return name


@admin.register(Company)
class CompanyAdmin(MergeAdmin):
    form = CompanyForm
    list_display = ("name", "domain", "posting_count", "postings_link")
    search_fields = ("name", "normalized_name", "domain")
    fields = ("name", "domain", "normalized_name", "slug", "created_at")
    readonly_fields = ("normalized_name", "slug", "created_at")
    inlines = (CompanyPostingInline,)
    actions = ("merge_selected_companies",)
    merge_service = staticmethod(merge_companies)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                posting_total=Count("postings", distinct=True),
                citation_total=Count("postings__citations", distinct=True),
            )
            # Counting groups rows, and grouped queries drop Meta.ordering.
            .order_by(*Company._meta.ordering, "pk")
        )

    def describe(self, obj):
        return _("#%(id)s %(company)s: %(postings)s postings") % {
            "id": obj.pk,
            "company": obj,
            "postings": obj.posting_total,
        }

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        company, _created = get_or_create_company(
            name=form.cleaned_data["name"], domain=form.cleaned_data["domain"]
        )
        # The admin goes on with the form's object: make it the saved one.
        for field in Company._meta.concrete_fields:
            setattr(obj, field.attname, getattr(company, field.attname))
        obj._state.adding = False
        return None

    @admin.display(description=gettext_lazy("postings"), ordering="posting_total")
    def posting_count(self, obj):
        return obj.posting_total

    @admin.display(description="")
    def postings_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            changelist_url(Posting, company__id__exact=obj.pk),
            _("See its postings"),
        )

    @admin.action(
        description=gettext_lazy("Merge the selected duplicate companies…"),
        permissions=["change"],
    )
    def merge_selected_companies(self, request, queryset):
        return self.merge_selected(request, queryset)


# Merges across articles and corrections in the import review -----------------


class MergeStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("In force")), ("undone", _("Undone"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(undone_at__isnull=True)
        if self.value() == "undone":
            return queryset.filter(undone_at__isnull=False)
        return queryset


@admin.register(PostingMerge)
class PostingMergeAdmin(ModerationAdmin):
    """Every posting an import stored as an existing one, with the rule that did."""

    list_display = (
        "posting",
        "article",
        "rule",
        "created_at",
        "undone_at",
        "undone_by",
    )
    list_filter = ("rule", MergeStateFilter)
    search_fields = ("posting__title", "posting__company__name", "article__title")
    list_select_related = ("posting__company", "article", "undone_by")
    fields = (
        "posting",
        "article",
        "rule",
        "created_at",
        "extracted_values",
        "before_values",
        "undone_at",
        "undone_by",
        "split_posting",
    )
    readonly_fields = fields
    actions = ("undo_merges",)
    object_actions = ("undo_merges",)
    object_action_labels = {"undo_merges": gettext_lazy("Undo this merge")}

    # Reading and undoing merges goes with reading and correcting postings.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_posting")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_posting")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def object_action_applies(self, obj, name):
        return obj.undone_at is None

    def _values(self, values: dict):
        return (
            format_html_join("", "<div><b>{}</b>: {}</div>", sorted(values.items()))
            or "—"
        )

    @admin.display(description=gettext_lazy("values read from the article"))
    def extracted_values(self, obj):
        return self._values(obj.extracted)

    @admin.display(description=gettext_lazy("posting before the merge"))
    def before_values(self, obj):
        return self._values(obj.before)

    @admin.action(
        description=gettext_lazy("Undo the selected merges"), permissions=["change"]
    )
    def undo_merges(self, request, queryset):
        done = 0
        for merge in queryset.filter(undone_at__isnull=True).select_related(
            "posting", "article"
        ):
            try:
                split = undo_posting_merge(merge=merge, by=request.user)
            except ValidationError as error:
                self.refuse(request, merge, error)
                continue
            message = _(
                "Undid the merge of “%(article)s”'s posting: it is #%(split)s again."
            ) % {"article": merge.article, "split": split.pk}
            self.log_change(request, merge, message)
            self.log_change(request, merge.posting, message)
            done += 1
        self.announce(
            request,
            done,
            ngettext("%(count)s merge undone.", "%(count)s merges undone.", done)
            % {"count": done},
            _("No merge was undone."),
        )


@admin.register(ImportCorrection)
class ImportCorrectionAdmin(admin.ModelAdmin):
    """What editors changed in the import review: extraction quality, read."""

    list_display = (
        "created_at",
        "article",
        "import_key",
        "kind",
        "extracted_value",
        "corrected_value",
        "editor",
    )
    list_filter = ("action", "field", ("editor", admin.RelatedOnlyFieldListFilter))
    search_fields = ("import_key", "article__title")
    list_select_related = ("article", "editor")
    date_hierarchy = "created_at"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article") or request.user.has_perm(
            "articles.add_article"
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("correction"), ordering="action")
    def kind(self, obj):
        return obj.kind
