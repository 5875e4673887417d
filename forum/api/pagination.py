"""Pagination: keyset cursors for threads and replies, page numbers elsewhere.

A keyset cursor holds the ordering values of the last row shown, so the next
page starts right after it whatever was written meanwhile: rows that arrive
or move before the cursor never shift the pages that follow.
"""

import base64
import binascii
import datetime
import json
import math
from collections import OrderedDict

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def page_size_from(request, default: int = DEFAULT_PAGE_SIZE) -> int:
    """The page_size parameter, capped at MAX_PAGE_SIZE; 400 when not a number."""
    raw = request.query_params.get("page_size")
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise ValidationError(
            {
                "page_size": [
                    _("Give a whole number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}
                ]
            }
        )
    return min(int(raw), MAX_PAGE_SIZE)


def _invalid_cursor():
    # As DRF's own CursorPagination: a cursor that leads to no page is a
    # page that does not exist (404), like a page number past the last one.
    # Cursors are opaque, so the schema cannot tell a readable one apart.
    return NotFound(_("This cursor is not valid."))


# Bounds of a 64-bit integer column: larger values would fail in the database.
INTEGER_RANGE = range(-(2**63), 2**63)


def _position_value(field, raw):
    """One ordering value of a cursor, checked so the database can compare it."""
    if not isinstance(raw, str):
        raise TypeError("cursor values are text")
    value = field.to_python(raw)
    if value is None:
        raise ValueError("cursor values are never null")
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            raise ValueError("cursor times carry their offset")
        # Raises OverflowError at the edges of the calendar, before the query.
        value = value.astimezone(datetime.UTC)
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError("cursor numbers are finite")
    elif (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value not in INTEGER_RANGE
    ):
        raise OverflowError("cursor number out of range")
    return value


class KeysetCursorPagination(BasePagination):
    """Cursor pagination over any ordering that ends with the primary key.

    The ordering is read from the queryset (set by the filters), so every
    ordering a list allows pages the same way.
    """

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = page_size_from(request)
        self.ordering = [str(term) for term in queryset.query.order_by]
        if not self.ordering or self.ordering[-1].lstrip("-") not in ("id", "pk"):
            raise ValueError("Keyset pagination needs an ordering that ends with id.")
        self.fields = [
            self._field(queryset.model, term.lstrip("-")) for term in self.ordering
        ]
        position, backwards = self._decode(
            request.query_params.get(self.cursor_query_param)
        )
        if position is not None:
            queryset = queryset.filter(self._beyond(position, backwards))
        if backwards:
            queryset = queryset.order_by(
                *[self._invert(term) for term in self.ordering]
            )
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, position is not None
        self.rows = rows
        return rows

    @staticmethod
    def _field(model, name):
        try:
            return model._meta.get_field("id" if name == "pk" else name)
        except FieldDoesNotExist as error:
            raise ValueError(f"Keyset pagination cannot order by {name}.") from error

    @staticmethod
    def _invert(term: str) -> str:
        return term[1:] if term.startswith("-") else f"-{term}"

    def _beyond(self, position: list, backwards: bool) -> Q:
        """Rows after `position` in the ordering (before it when backwards)."""
        condition = Q()
        for index, term in enumerate(self.ordering):
            name = term.lstrip("-")
            descending = term.startswith("-") != backwards
            step = Q(**{f"{name}__{'lt' if descending else 'gt'}": position[index]})
            for previous in range(index):
                step &= Q(**{self.ordering[previous].lstrip("-"): position[previous]})
            condition |= step
        return condition

    def _encode(self, row, backwards: bool) -> str:
        values = [field.value_to_string(row) for field in self.fields]
        payload = json.dumps({"o": self.ordering, "p": values, "b": backwards})
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    def _decode(self, raw: str | None):
        if raw is None or raw == "":
            return None, False
        try:
            padded = raw + "=" * (-len(raw) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if not isinstance(payload, dict) or payload.get("o") != self.ordering:
                raise _invalid_cursor()
            values = payload["p"]
            if not isinstance(values, list) or len(values) != len(self.fields):
                raise _invalid_cursor()
            position = [
                _position_value(field, value)
                for field, value in zip(self.fields, values, strict=True)
            ]
        except (
            ValueError,
            TypeError,
            KeyError,
            UnicodeError,
            OverflowError,
            binascii.Error,
            DjangoValidationError,
        ) as error:
            raise _invalid_cursor() from error
        return position, payload.get("b") is True

    def _link(self, cursor: str) -> str:
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    def get_next_link(self):
        if not self.has_next or not self.rows:
            return None
        return self._link(self._encode(self.rows[-1], backwards=False))

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.rows:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(self._encode(self.rows[0], backwards=True))

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _(
                        "The cursor from a previous page's next or previous "
                        "link; 404 when it leads to no page."
                    )
                ),
                "schema": {"type": "string"},
            },
            _page_size_parameter(),
        ]


def _page_size_parameter() -> dict:
    return {
        "name": "page_size",
        "required": False,
        "in": "query",
        "description": str(
            _("Results per page, at most %(max)s.") % {"max": MAX_PAGE_SIZE}
        ),
        "schema": {"type": "integer", "minimum": 1},
    }


class NumberedPagination(PageNumberPagination):
    """Page numbers with a total count, for short lists (articles, postings)."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return page_size_from(request, self.page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise ValidationError({"page": [_("Give a page number from 1.")]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number, from 1.",
                "schema": {"type": "integer", "minimum": 1},
            },
            _page_size_parameter(),
        ]
