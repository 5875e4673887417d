"""Transparency figures (DSA Art. 15 and 24): what was reported, what was
decided and why, how fast, and how appeals went, for one period.

The admin's transparency page and `manage.py moderation_report` both read
moderation_figures(), so the two always give the same numbers.
"""

import datetime
from statistics import median

from django.db.models import Count

from forum.models import Appeal, Flag, IllegalContentNotice, ModerationDecision


def _by(queryset, field: str, labels) -> dict[str, int]:
    counts = dict.fromkeys(labels, 0)
    for row in queryset.values(field).annotate(count=Count("pk")).order_by(field):
        counts[row[field]] = row["count"]
    return counts


def moderation_figures(*, since: datetime.datetime, until: datetime.datetime) -> dict:
    """The figures of decisions and reports from `since` (included) to
    `until` (excluded), as plain data (JSON-ready)."""
    period = {"created_at__gte": since, "created_at__lt": until}
    flags = Flag.objects.filter(**period)
    notices = IllegalContentNotice.objects.filter(**period)
    decisions = ModerationDecision.objects.filter(**period)
    appeals = Appeal.objects.filter(**period)

    reports_by_reason = _by(flags, "reason", Flag.Reason.values)
    durations = [
        (decided - noticed).total_seconds()
        for decided, noticed in decisions.filter(noticed_at__isnull=False).values_list(
            "created_at", "noticed_at"
        )
    ]
    decided_appeals = appeals.exclude(status=Appeal.Status.OPEN)
    reversed_count = decided_appeals.filter(status=Appeal.Status.REVERSED).count()
    decided_count = decided_appeals.count()
    return {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "reports": {
            "total": flags.count(),
            "by_reason": reports_by_reason,
            "illegal_content_notices": notices.count(),
            "notices_without_account": notices.filter(reporter__isnull=True).count(),
        },
        "decisions": {
            "total": decisions.count(),
            "by_action": _by(decisions, "action", ModerationDecision.Action.values),
            "by_reason": _by(decisions, "reason", ModerationDecision.Reason.values),
            "manual": decisions.filter(is_automatic=False).count(),
            "automatic": decisions.filter(is_automatic=True).count(),
            "median_seconds_to_decision": (
                round(median(durations)) if durations else None
            ),
            "decided_after_a_report": len(durations),
        },
        "appeals": {
            "received": appeals.count(),
            "open": appeals.filter(status=Appeal.Status.OPEN).count(),
            "upheld": decided_appeals.filter(status=Appeal.Status.UPHELD).count(),
            "reversed": reversed_count,
            "reversal_rate": (
                round(reversed_count / decided_count, 4) if decided_count else None
            ),
        },
    }


def figures_as_rows(figures: dict) -> list[tuple[str, str, object]]:
    """The figures flattened to (section, measure, value) rows, for CSV and
    the admin's table."""
    rows = [
        ("period", "since", figures["since"]),
        ("period", "until", figures["until"]),
    ]
    for section in ("reports", "decisions", "appeals"):
        for measure, value in figures[section].items():
            if isinstance(value, dict):
                for key, count in value.items():
                    rows.append((section, f"{measure}.{key}", count))
            else:
                rows.append((section, measure, "" if value is None else value))
    return rows
