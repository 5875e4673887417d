"""Articles, postings and companies in the admin.

An article shows its questions and the postings it cites; duplicate postings
or companies are merged through the services, which keep every citation and
thread link.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.importer.companies import normalize_company_name
from articles.models import Article, Citation, Company, Posting
from articles.services import (
    get_or_create_company,
    merge_companies,
    merge_postings,
    publish_article,
    save_article,
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


class ArticleCitationInline(ReadOnlyInline):
    model = Citation
    fields = ("position", "posting", "evidence")
    readonly_fields = fields
    ordering = ("position", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("posting__company")


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
    )
    list_filter = ("status", "language", "published")
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
            {"fields": ("import_key", "fingerprint", "created_at", "updated_at")},
        ),
    )
    readonly_fields = ("import_key", "fingerprint", "created_at", "updated_at")
    inlines = (ArticleThreadInline, ArticleCitationInline)
    actions = ("publish_articles", "unpublish_articles")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                thread_total=Count("threads", distinct=True),
                citation_total=Count("citations", distinct=True),
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


class PostingCitationInline(ReadOnlyInline):
    model = Citation
    fields = ("article", "evidence")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Cited by")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


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
    inlines = (PostingCitationInline, PostingThreadInline)
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
