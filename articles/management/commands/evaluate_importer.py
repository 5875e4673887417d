import argparse
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importer.evaluate import (
    THRESHOLDS,
    EvaluationError,
    evaluate,
    report_as_dict,
    report_lines,
)


def fraction(value: str) -> float:
    """Return a threshold given on the command line, from 0 to 1."""
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a fraction from 0 to 1")
    return number


class Command(BaseCommand):
    help = (
        "Run the importer on DIR/articles/*.txt without writing anything and "
        "score it against DIR/expected.json. See docs/importing.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            metavar="DIR",
            help="A folder holding articles/*.txt and expected.json.",
        )
        parser.add_argument(
            "patterns",
            nargs="*",
            metavar="GLOB",
            help="Evaluate only the files whose name matches (e.g. 'c0*').",
        )
        parser.add_argument(
            "--file",
            action="append",
            default=[],
            metavar="GLOB",
            help="Evaluate only the files whose name matches; may be repeated.",
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="Output format (json gives every score and the summary).",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="Print only one line per file and the summary.",
        )
        for name, label in THRESHOLDS.items():
            measure = label if name == "f1" else f"share of right {label}"
            parser.add_argument(
                f"--min-{name}",
                type=fraction,
                default=0.0,
                metavar="FRACTION",
                help=f"Exit with status 1 below this {measure} (0 to 1).",
            )

    def handle(self, *args, **options):
        patterns = [*options["patterns"], *options["file"]]
        try:
            report = evaluate(Path(options["directory"]), patterns=patterns)
        except EvaluationError as error:
            raise CommandError(str(error)) from None

        if options["format"] == "json":
            self.stdout.write(
                json.dumps(report_as_dict(report), ensure_ascii=False, indent=2)
            )
        else:
            for line in report_lines(report, quiet=options["quiet"]):
                self.stdout.write(line)

        minimums = {name: options[f"min_{name}"] for name in THRESHOLDS}
        missed = report.missed_thresholds(minimums)
        if missed:
            raise CommandError("below threshold: " + "; ".join(missed))
