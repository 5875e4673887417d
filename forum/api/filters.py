"""Query parameters of the API lists, each with an explicit list of orderings.

Unknown parameters are ignored; a known one with a bad value answers 400 with
a message under its name (DjangoFilterBackend raises the form's errors). A
typed parameter (a number, a moment, a choice, true or false) given empty is
a bad value too, as the schema says: only text parameters may be empty.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from articles.models import Citation, Posting
from forum.models import Reply, Thread

# Largest value a 64-bit integer column holds: larger ids cannot exist, and
# sending them to the database would fail instead of matching nothing.
BIGINT_MAX = 2**63 - 1

THREAD_ORDERINGS = {
    "-last_activity_at": ("-last_activity_at", "-id"),
    "-reply_count": ("-reply_count", "-id"),
    "-score": ("-score", "-id"),
    "created_at": ("created_at", "id"),
    "updated_at": ("updated_at", "id"),
}
THREAD_DEFAULT_ORDERING = THREAD_ORDERINGS["-last_activity_at"]

REPLY_ORDERINGS = ("best", "top", "new", "old", "updated")
REPLY_DEFAULT_ORDERING = "best"

POSTING_ORDERINGS = ("-annual_max", "annual_max", "-annual_min", "annual_min")
POSTING_DEFAULT_ORDERING = "-annual_max"


class StrictFilterForm(forms.Form):
    """A filter form that rejects empty values of typed parameters.

    Django forms read "" as "not given"; a client that sends `ordering=` or
    `updated_after=` has a bug, and the schema (an enum, a date-time) does
    not allow "" either.
    """

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            # Only text and slugs may be empty: a code or a number may not.
            if type(field) in (forms.CharField, SlugField) or name not in self.data:
                continue
            if self.data.get(name) == "":
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("Give a value, or leave this parameter out."),
                        code="empty",
                    ),
                )
        return cleaned


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet whose typed parameters may not be empty."""

    class Meta:
        form = StrictFilterForm


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error, not "no filter"."""

    default_error_messages = {"invalid": _("Give true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, turned to UTC so the database can compare it."""

    default_error_messages = {
        "invalid": _("Give a date and time in ISO 8601, e.g. 2025-01-31T08:00:00Z.")
    }

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except (OverflowError, ValueError) as error:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from error


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": BIGINT_MAX})
class IdFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 10**12})
class AmountFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 10**12)
        super().__init__(*args, **kwargs)


CURRENCY_PATTERN = r"^[A-Za-z]{3}$"


class CurrencyField(forms.RegexField):
    """Three letters, in any case: an ISO 4217 code."""

    default_error_messages = {
        "invalid": _("Give a currency as its three-letter ISO 4217 code, e.g. EUR.")
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("regex", CURRENCY_PATTERN)
        kwargs.setdefault("strip", False)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": CURRENCY_PATTERN})
class CurrencyFilter(django_filters.CharFilter):
    field_class = CurrencyField


# What a slug in a URL may hold (viewsets.SLUG_PATTERN); empty is no filter.
SLUG_FILTER_PATTERN = r"^[-a-zA-Z0-9_]*$"


class SlugField(forms.RegexField):
    default_error_messages = {
        "invalid": _("Give a slug: letters, digits, hyphens and underscores.")
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("regex", SLUG_FILTER_PATTERN)
        kwargs.setdefault("strip", False)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": SLUG_FILTER_PATTERN})
class SlugFilter(django_filters.CharFilter):
    """A slug, or empty for no filter."""

    field_class = SlugField


@extend_schema_field(OpenApiTypes.DATETIME)
class UpdatedAfterFilter(django_filters.Filter):
    field_class = UtcDateTimeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gt")
        kwargs.setdefault(
            "help_text",
            _("Only what changed after this moment, in ISO 8601."),
        )
        super().__init__(*args, **kwargs)


class ThreadFilter(StrictFilterSet):
    article = SlugFilter(field_name="article__slug", help_text=_("An article's slug."))
    company = SlugFilter(
        method="filter_company",
        help_text=_("A company's slug: threads linked to one of its postings."),
    )
    posting = IdFilter(
        method="filter_posting", help_text=_("A posting's id: threads linked to it.")
    )
    locked = StrictBooleanFilter(field_name="is_locked")
    updated_after = UpdatedAfterFilter()
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in THREAD_ORDERINGS],
        method="filter_ordering",
        help_text=_("The order of the list (default -last_activity_at)."),
    )

    class Meta(StrictFilterSet.Meta):
        model = Thread
        fields = []

    def filter_company(self, queryset, name, value):
        links = Thread.postings.through.objects.filter(
            thread_id=OuterRef("pk"), posting__company__slug=value
        )
        return queryset.filter(Exists(links))

    def filter_posting(self, queryset, name, value):
        links = Thread.postings.through.objects.filter(
            thread_id=OuterRef("pk"), posting_id=value
        )
        return queryset.filter(Exists(links))

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*THREAD_ORDERINGS[value])


class ReplyFilter(StrictFilterSet):
    updated_after = UpdatedAfterFilter()
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in REPLY_ORDERINGS],
        method="filter_ordering",
        help_text=_(
            "best, top, new or old as on the thread page (editor's picks first), "
            "or updated (least recently changed first) to synchronise."
        ),
    )

    class Meta(StrictFilterSet.Meta):
        model = Reply
        fields = []

    def filter_ordering(self, queryset, name, value):
        return sort_replies(queryset, value)


def sort_replies(queryset, ordering: str):
    """Replies in one of REPLY_ORDERINGS, each ending with the id."""
    if ordering == "updated":
        return queryset.order_by("updated_at", "id")
    return queryset.sorted_by(ordering)


class PostingFilter(StrictFilterSet):
    company = SlugFilter(field_name="company__slug", help_text=_("A company's slug."))
    currency = CurrencyFilter(
        field_name="currency",
        lookup_expr="iexact",
        help_text=_("An ISO 4217 code, e.g. EUR."),
    )
    period = django_filters.ChoiceFilter(choices=Posting.Period.choices)
    remote = StrictBooleanFilter(field_name="remote")
    article = SlugFilter(
        method="filter_article", help_text=_("An article's slug: postings it cites.")
    )
    min_annual = AmountFilter(
        method="filter_min_annual",
        help_text=_("Postings whose annualised range reaches this amount."),
    )
    max_annual = AmountFilter(
        method="filter_max_annual",
        help_text=_("Postings whose annualised range starts at or below it."),
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in POSTING_ORDERINGS],
        method="filter_ordering",
        help_text=_(
            "By annualised salary; unknown amounts last (default -annual_max)."
        ),
    )

    class Meta(StrictFilterSet.Meta):
        model = Posting
        fields = []

    def filter_article(self, queryset, name, value):
        citations = Citation.objects.filter(
            posting_id=OuterRef("pk"), article__slug=value
        )
        return queryset.filter(Exists(citations))

    def filter_min_annual(self, queryset, name, value):
        return queryset.alias(annual_top=Coalesce("annual_max", "annual_min")).filter(
            annual_top__gte=value
        )

    def filter_max_annual(self, queryset, name, value):
        return queryset.alias(
            annual_bottom=Coalesce("annual_min", "annual_max")
        ).filter(annual_bottom__lte=value)

    def filter_ordering(self, queryset, name, value):
        return sort_postings(queryset, value)


def sort_postings(queryset, ordering: str):
    """Postings by an annualised amount, unknown amounts last, the id breaking ties."""
    column = F(ordering.lstrip("-"))
    if ordering.startswith("-"):
        return queryset.order_by(column.desc(nulls_last=True), "-id")
    return queryset.order_by(column.asc(nulls_last=True), "id")
