"""The development corpus in ../shared/corpus, scored at the importer's targets."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.support import require_service

# Beside the repository; CORPUS_DIR points elsewhere, e.g. from a worktree.
CORPUS = Path(
    os.environ.get("CORPUS_DIR") or Path(settings.BASE_DIR).parent / "shared" / "corpus"
)

# Postings F1, roles, locations, links, then every title, date and question.
TARGETS = {
    "--min-f1": "0.97",
    "--min-roles": "0.95",
    "--min-locations": "0.95",
    "--min-links": "1",
    "--min-titles": "1",
    "--min-dates": "1",
    "--min-questions": "1",
}


def test_importer_meets_its_targets_on_the_corpus():
    require_service(CORPUS.is_dir(), f"the corpus folder {CORPUS} does not exist")
    out = StringIO()
    arguments = [str(CORPUS), *[part for pair in TARGETS.items() for part in pair]]

    try:
        call_command("evaluate_importer", *arguments, stdout=out)
    except CommandError as error:
        summary = out.getvalue().rstrip().splitlines()[-1]
        raise AssertionError(f"{error}\n{summary}") from None


# Articles written apart from the rules, in other words than the corpus, and
# press pages scraped with their menus, banners and footers: the bar for text
# the importer was not written against.
HELD_OUT = Path(__file__).parent / "data"
HELD_OUT_TARGETS = {
    "--min-f1": "0.95",
    "--min-roles": "0.9",
    "--min-locations": "0.9",
    "--min-links": "0.9",
    "--min-titles": "1",
    "--min-dates": "1",
    "--min-questions": "1",
    "--min-sources": "1",
    "--min-authors": "1",
}


@pytest.mark.parametrize(
    "folder",
    ["heldout", "heldout-pages", "heldout-voices", "heldout-mixed", "heldout-plain"],
)
def test_importer_meets_the_held_out_bar_on_articles_worded_otherwise(folder):
    out = StringIO()
    arguments = [
        str(HELD_OUT / folder),
        *[part for pair in HELD_OUT_TARGETS.items() for part in pair],
    ]

    try:
        call_command("evaluate_importer", *arguments, stdout=out)
    except CommandError as error:
        summary = out.getvalue().rstrip().splitlines()[-1]
        raise AssertionError(f"{error}\n{summary}") from None
