"""Filters and orderings of the posting directory."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Citation, Company, Posting

# Columns a reader may sort by, and the expression behind each.
ORDERINGS = {
    "company": "company__name",
    "title": "title",
    "location": "location",
    "currency": "currency",
    "period": "period",
    "annual_min": "annual_min",
    "annual_max": "annual_max",
}
DEFAULT_ORDERING = ("company__name", "title", "pk")
ORDERING_LABELS = {
    "company__name": _("Company"),
    "title": _("Role"),
    "location": _("Location"),
    "currency": _("Currency"),
    "period": _("Period"),
    "annual_min": _("Annual minimum"),
    "annual_max": _("Annual maximum"),
}


class PostingOrderingFilter(django_filters.OrderingFilter):
    """Sort by the allowed columns, unknown amounts last in either direction,
    the id breaking ties so that pages never overlap."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        expression = F(self.param_map[param.lstrip("-")])
        if descending:
            return expression.desc(nulls_last=True)
        return expression.asc(nulls_last=True)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.order_by(*[self.get_ordering_value(p) for p in value], "pk")


class PostingFilter(django_filters.FilterSet):
    company = django_filters.ModelChoiceFilter(
        field_name="company",
        to_field_name="slug",
        queryset=Company.objects.none(),
        label=_("Company"),
        empty_label=_("All companies"),
    )
    currency = django_filters.ChoiceFilter(
        choices=[], label=_("Currency"), empty_label=_("All currencies")
    )
    period = django_filters.ChoiceFilter(
        choices=Posting.Period.choices,
        label=_("Salary stated"),
        empty_label=_("Any period"),
    )
    remote = django_filters.BooleanFilter(
        label=_("Remote work"),
        widget=forms.Select(
            choices=[
                ("", _("Remote or not")),
                ("true", _("Remote possible")),
                ("false", _("On site only")),
            ]
        ),
    )
    min_annual = django_filters.NumberFilter(
        method="filter_min_annual",
        label=_("Annual salary of at least"),
        min_value=0,
        max_value=10**12,
        help_text=_("Postings whose annualised range reaches this amount."),
    )
    max_annual = django_filters.NumberFilter(
        method="filter_max_annual",
        label=_("Annual salary of at most"),
        min_value=0,
        max_value=10**12,
        help_text=_("Postings whose annualised range starts at or below it."),
    )
    article = django_filters.ModelChoiceFilter(
        field_name="citations__article",
        to_field_name="slug",
        queryset=Article.objects.none(),
        label=_("Cited by"),
        empty_label=_("All articles"),
    )
    ordering = PostingOrderingFilter(
        fields=[(column, name) for name, column in ORDERINGS.items()],
        field_labels=ORDERING_LABELS,
        label=_("Sort by"),
        empty_label=_("Company, then role"),
    )

    class Meta:
        model = Posting
        fields = []

    def __init__(self, data=None, queryset=None, *, viewer=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # The "(descending)" labels are formatted strings: built for each
        # request, in its language, not once at import in the first one's.
        ordering = self.filters["ordering"]
        ordering.extra["choices"] = ordering.build_choices(
            {column: name for name, column in ORDERINGS.items()}, ORDERING_LABELS
        )
        listed = self.queryset.order_by()
        self.filters["company"].queryset = Company.objects.filter(
            Exists(listed.filter(company=OuterRef("pk")))
        ).order_by("name")
        self.filters["currency"].extra["choices"] = [
            (code, code)
            for code in listed.order_by("currency")
            .values_list("currency", flat=True)
            .distinct()
        ]
        self.filters["article"].queryset = (
            Article.objects.visible_to(viewer)
            .filter(Exists(Citation.objects.filter(article=OuterRef("pk"))))
            .latest()
        )

    def filter_min_annual(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.alias(annual_top=Coalesce("annual_max", "annual_min")).filter(
            annual_top__gte=value
        )

    def filter_max_annual(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.alias(
            annual_bottom=Coalesce("annual_min", "annual_max")
        ).filter(annual_bottom__lte=value)

    @property
    def ordering_value(self) -> str:
        """The single column the list is sorted by, e.g. "-annual_max"."""
        if not self.is_bound or not self.form.is_valid():
            return ""
        value = self.form.cleaned_data.get("ordering") or []
        return value[0] if len(value) == 1 else ""
