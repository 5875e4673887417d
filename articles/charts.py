"""Salary charts drawn on the server: geometry for an inline SVG, no library.

Each currency gets its own chart, because amounts in different currencies do
not share an axis. Every posting is a row: its annualised minimum–maximum
range is a bar on the common axis. A posting that states only a maximum ("up
to") is drawn as a faded bar from zero ending on a marker, one that states only
a minimum ("from") as a marker followed by a faded bar to the end of the axis,
and one fixed amount as a single marker. Hourly and daily pay, annualised with
the factors in articles.models.ANNUAL_FACTORS, is hatched and marked as an
estimate. Coordinates are returned as strings so that templates never format
them with the reader's decimal separator.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from articles.models import Posting
from articles.money import format_money, format_money_short

WIDTH = 720
LABEL_WIDTH = 250
PLOT_LEFT = 262
PLOT_RIGHT = WIDTH - 28
ROW_HEIGHT = 42
BAR_HEIGHT = 14
TOP = 6
AXIS_HEIGHT = 26
# Characters of "company — role" that fit in the label column at 13 units.
LABEL_CHARACTERS = 36


class Kind:
    RANGE = "range"
    POINT = "point"
    UP_TO = "up_to"
    FROM = "from"
    UNKNOWN = "unknown"


@dataclass
class Tick:
    x: str
    label: str


@dataclass
class Row:
    """One posting: its bar's geometry and the words that describe it."""

    posting: Posting
    kind: str
    label: str
    short_label: str
    annual_min: int | None
    annual_max: int | None
    annual_min_text: str
    annual_max_text: str
    value_text: str
    is_estimate: bool
    label_y: str = ""
    value_y: str = ""
    bar_x: str = ""
    bar_y: str = ""
    bar_width: str = ""
    marker_x: str = ""
    marker_points: str = ""

    @property
    def is_drawn(self) -> bool:
        return self.kind != Kind.UNKNOWN


@dataclass
class SalaryChart:
    currency: str
    ident: str
    title: str
    description: str
    rows: list[Row]
    ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    plot_top: int = TOP
    axis_y: int = 0
    has_estimates: bool = False
    has_open_ranges: bool = False

    @property
    def drawn_rows(self) -> list[Row]:
        return [row for row in self.rows if row.is_drawn]


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def nice_step(largest: int, target_ticks: int = 5) -> int:
    """A round tick interval (1, 2, 2.5 or 5 times a power of ten) giving
    about `target_ticks` intervals up to `largest`."""
    raw = max(largest, 1) / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if step >= raw:
            return max(int(step), 1)
    return int(10 * magnitude)


def _kind(annual_min: int | None, annual_max: int | None) -> str:
    if annual_min and annual_max:
        return Kind.POINT if annual_min == annual_max else Kind.RANGE
    if annual_max:
        return Kind.UP_TO
    if annual_min:
        return Kind.FROM
    return Kind.UNKNOWN


def _value_text(kind: str, low: str, high: str, is_estimate: bool) -> str:
    if kind == Kind.RANGE:
        text = _("%(low)s to %(high)s a year") % {"low": low, "high": high}
    elif kind == Kind.POINT:
        text = _("%(amount)s a year") % {"amount": high}
    elif kind == Kind.UP_TO:
        text = _("up to %(amount)s a year") % {"amount": high}
    elif kind == Kind.FROM:
        text = _("from %(amount)s a year") % {"amount": low}
    else:
        return _("salary not stated")
    if is_estimate:
        text = _("%(text)s (estimate)") % {"text": text}
    return text


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def _row(posting: Posting, language: str | None) -> Row:
    annual_min, annual_max = posting.annual_min, posting.annual_max
    kind = _kind(annual_min, annual_max)
    label = f"{posting.company.name} — {posting.role}"

    def short(amount: int | None) -> str:
        return format_money_short(amount, posting.currency, language)

    return Row(
        posting=posting,
        kind=kind,
        label=label,
        short_label=_shorten(label, LABEL_CHARACTERS),
        annual_min=annual_min,
        annual_max=annual_max,
        annual_min_text=format_money(annual_min, posting.currency, language),
        annual_max_text=format_money(annual_max, posting.currency, language),
        value_text=_value_text(
            kind, short(annual_min), short(annual_max), posting.is_estimate
        ),
        is_estimate=posting.is_estimate and kind != Kind.UNKNOWN,
    )


def _top(row: Row) -> int:
    return row.annual_max or row.annual_min or 0


def _place(chart: SalaryChart, axis_max: int) -> None:
    span = chart.plot_right - chart.plot_left

    def x(amount: int) -> float:
        return chart.plot_left + span * amount / axis_max

    for index, row in enumerate(chart.drawn_rows):
        top = chart.plot_top + index * ROW_HEIGHT
        row.label_y = _number(top + 16)
        row.value_y = _number(top + 32)
        bar_top = top + (ROW_HEIGHT - BAR_HEIGHT) / 2
        row.bar_y = _number(bar_top)
        if row.kind == Kind.RANGE:
            start, end, marker = x(row.annual_min), x(row.annual_max), None
        elif row.kind == Kind.UP_TO:
            start, end = float(chart.plot_left), x(row.annual_max)
            marker = end
        elif row.kind == Kind.FROM:
            start, end = x(row.annual_min), float(chart.plot_right)
            marker = start
        else:
            start = end = marker = x(row.annual_max)
        row.bar_x = _number(start)
        row.bar_width = _number(max(end - start, 2))
        if marker is not None:
            middle = bar_top + BAR_HEIGHT / 2
            half = BAR_HEIGHT / 2 + 2
            row.marker_x = _number(marker)
            row.marker_points = " ".join(
                f"{_number(px)},{_number(py)}"
                for px, py in (
                    (marker, middle - half),
                    (marker + half, middle),
                    (marker, middle + half),
                    (marker - half, middle),
                )
            )


def _chart(currency: str, rows: list[Row], language: str | None) -> SalaryChart:
    rows.sort(key=lambda row: (-_top(row), row.label.casefold()))
    drawn = [row for row in rows if row.is_drawn]
    chart = SalaryChart(
        currency=currency,
        ident=f"salary-chart-{slugify(currency) or 'other'}",
        title=_("Annualised salaries in %(currency)s") % {"currency": currency},
        description="",
        rows=rows,
    )
    chart.axis_y = chart.plot_top + len(drawn) * ROW_HEIGHT
    chart.height = chart.axis_y + AXIS_HEIGHT
    chart.has_estimates = any(row.is_estimate for row in drawn)
    chart.has_open_ranges = any(row.kind in (Kind.UP_TO, Kind.FROM) for row in drawn)
    if not drawn:
        chart.description = _("No posting in %(currency)s states a salary.") % {
            "currency": currency
        }
        return chart
    largest = max(_top(row) for row in drawn)
    lowest = min(row.annual_min or row.annual_max for row in drawn)
    step = nice_step(largest)
    axis_max = step * math.ceil(largest / step)
    span = chart.plot_right - chart.plot_left
    chart.ticks = [
        Tick(
            x=_number(chart.plot_left + span * amount / axis_max),
            label=format_money_short(amount, currency, language),
        )
        for amount in range(0, axis_max + 1, step)
    ]
    _place(chart, axis_max)
    chart.description = ngettext(
        "%(count)s posting drawn as a bar from its annualised minimum to its maximum.",
        "%(count)s postings drawn as bars from their annualised minimum to "
        "their maximum.",
        len(drawn),
    ) % {"count": len(drawn)}
    chart.description += " " + _(
        "The lowest amount is %(low)s a year, the highest %(high)s."
    ) % {
        "low": format_money(lowest, currency, language),
        "high": format_money(largest, currency, language),
    }
    return chart


def salary_charts(
    postings: Iterable[Posting], *, language: str | None = None
) -> list[SalaryChart]:
    """One chart per currency for postings already loaded with their company,
    the currency with the most postings first, in `language` (by default the
    active one). Reads no row."""
    language = language or get_language()
    # Words and amounts in the same language: the labels are translated in
    # the language asked for, as the amounts are formatted in it.
    with translation.override(language):
        groups: dict[str, list[Row]] = {}
        for posting in postings:
            groups.setdefault(posting.currency, []).append(_row(posting, language))
        ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
        return [_chart(currency, rows, language) for currency, rows in ordered]
