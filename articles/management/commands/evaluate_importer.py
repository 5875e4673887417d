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


class Command(BaseCommand):
    help = (
        "Run the importer on DIR/articles/*.txt without writing anything and "
        "score it against DIR/expected.json. See docs/importing.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
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
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="Print only one line per file and the summary.",
        )
        for name, label in THRESHOLDS.items():
            parser.add_argument(
                f"--min-{name}",
                type=float,
                default=0.0,
                metavar="FRACTION",
                help=f"Exit with status 1 when {label} fall below (0 to 1).",
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
