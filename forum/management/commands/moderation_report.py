"""Print the transparency figures of a period as JSON or CSV."""

import csv
import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from forum.transparency import figures_as_rows, moderation_figures


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text!r}") from error


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Command(BaseCommand):
    help = (
        "Transparency figures for a period: reports received by reason, "
        "decisions by reason and by manual/automatic, median time to decision, "
        "appeals and reversal rate."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", required=True, help="First day included (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--until", help="Last day included (YYYY-MM-DD); today by default."
        )
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, since, until, format, **options):
        first = _day(since)
        last = _day(until) if until else timezone.localdate()
        if last < first:
            raise CommandError("--until must not come before --since.")
        figures = moderation_figures(
            since=_start_of(first),
            until=_start_of(last + datetime.timedelta(days=1)),
        )
        if format == "json":
            self.stdout.write(json.dumps(figures, indent=2))
            return
        writer = csv.writer(self.stdout)
        writer.writerow(["section", "measure", "value"])
        writer.writerows(figures_as_rows(figures))
