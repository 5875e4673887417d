import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.importer.load import (
    MAX_FILE_SIZE,
    TOO_LARGE,
    BadFile,
    decode_file,
    load_article,
    prepare_article,
)
from articles.importer.parse import normalize_published


class Command(BaseCommand):
    help = (
        "Import article text files: the article, one thread per closing question "
        "and the job postings it cites. See docs/importing.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be stored without writing anything.",
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="Output format (json prints the parsed articles).",
        )
        parser.add_argument("--title", help="Use this title instead of the text's.")
        parser.add_argument("--source", help="Use this source instead of the text's.")
        parser.add_argument(
            "--published",
            help="Use this date (YYYY, YYYY-MM or YYYY-MM-DD) instead of the text's.",
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Import as drafts instead of publishing.",
        )

    def handle(self, *args, **options):
        published = options["published"]
        if published is not None and normalize_published(published) is None:
            raise CommandError(
                f"--published {published!r}: expected YYYY, YYYY-MM or YYYY-MM-DD"
            )
        as_json = options["format"] == "json"
        dry_run = options["dry_run"]
        publish = not options["draft"]
        failures = 0
        articles = []
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        postings = {"created": 0, "updated": 0, "merged": 0}
        threads = {"created": 0, "updated": 0}

        for name in options["files"]:
            try:
                text = self._read(name)
                prepared = prepare_article(
                    text,
                    filename=name,
                    title=options["title"],
                    source=options["source"],
                    published=published,
                )
            except BadFile as error:
                failures += 1
                self.stderr.write(str(error))
                continue
            if dry_run:
                articles.append(prepared.as_dict())
                if not as_json:
                    self._describe(prepared)
                continue
            try:
                result = load_article(prepared, publish=publish)
            except ValidationError as error:
                failures += 1
                reasons = "; ".join(error.messages)
                self.stderr.write(f"{name}: could not be stored ({reasons})")
                continue
            counts[result.status] += 1
            postings["created"] += result.postings_created
            postings["updated"] += result.postings_updated
            postings["merged"] += result.postings_merged
            threads["created"] += result.threads_created
            threads["updated"] += result.threads_updated
            if not as_json:
                self.stdout.write(f"{name}: {result.status} — {result.article.title}")
            articles.append(prepared.as_dict())

        if as_json:
            self.stdout.write(
                json.dumps({"articles": articles}, ensure_ascii=False, indent=2)
            )
        if dry_run:
            summary = (
                f"Dry run: {len(articles)} article(s) read, "
                f"{sum(len(a['postings']) for a in articles)} posting(s) found, "
                f"{failures} file(s) refused; nothing was written."
            )
        else:
            summary = (
                f"Articles: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged; postings: {postings['created']} "
                f"created, {postings['updated']} updated, {postings['merged']} "
                f"merged into another article's; threads: "
                f"{threads['created']} created, {threads['updated']} updated; "
                f"{failures} file(s) refused."
            )
        # JSON output stays parseable: the summary goes to stderr then.
        (self.stderr if as_json else self.stdout).write(summary)
        if failures:
            raise CommandError(f"{failures} file(s) could not be imported.")

    def _read(self, name: str) -> str:
        path = Path(name)
        try:
            if path.stat().st_size > MAX_FILE_SIZE:
                raise BadFile(name, str(TOO_LARGE))
            data = path.read_bytes()
        except IsADirectoryError:
            raise BadFile(name, "is a directory, not a file") from None
        except OSError as error:
            raise BadFile(name, f"cannot be read ({error.strerror})") from None
        return decode_file(data, name=name)

    def _describe(self, prepared):
        parsed = prepared.parsed
        self.stdout.write(f"{prepared.file}: {parsed.title}")
        self.stdout.write(f"  published: {parsed.published or '-'}")
        for question in prepared.questions:
            self.stdout.write(f"  ? {question}")
        for posting in prepared.postings:
            low = posting.salary_min if posting.salary_min is not None else "…"
            high = posting.salary_max if posting.salary_max is not None else "…"
            self.stdout.write(
                f"  $ {posting.company} — {posting.title or '?'} — "
                f"{low}–{high} {posting.currency}/{posting.period}"
            )
