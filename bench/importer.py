"""Size benchmark: how long the importer takes to read a 300 KB article.

    python bench/importer.py [--size 300] [--runs 5] [--corpus ../shared/corpus]

Builds one article of about --size KB in memory from the bodies of the
corpus's articles (articles/demo/ when the corpus folder is missing), each
copy's paragraphs marked with its number so that the parser does not drop
them as repeats. Then times `prepare_article` (parse and extract, no
database) --runs times with time.perf_counter and prints the best and median
times against the 2 s target. Exits with status 1 when the median misses it.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

import django  # noqa: E402

django.setup()

from articles.importer.load import decode_file, prepare_article  # noqa: E402
from articles.importer.parse import parse_article  # noqa: E402

TARGET_SECONDS = 2.0
QUESTIONS = (
    "Ces salaires vous paraissent-ils justifiés ? Pourquoi ?"
    "Les entreprises européennes peuvent-elles suivre ?"
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=300, help="article size in KB")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=ROOT.parent / "shared" / "corpus",
        help="folder holding articles/*.txt",
    )
    return parser.parse_args()


def source_bodies(corpus: Path) -> tuple[list[str], str]:
    """Return the bodies' paragraphs of the articles the big one is made of."""
    folder = corpus / "articles"
    if not folder.is_dir():
        folder = ROOT / "articles" / "demo"
    paragraphs = []
    for path in sorted(folder.glob("*.txt")):
        text = decode_file(path.read_bytes(), name=path.name)
        body = parse_article(text, filename=path.name).body
        paragraphs.extend(p for p in body.split("\n\n") if not p.startswith("## "))
    return paragraphs, str(folder)


def big_article(paragraphs: list[str], size: int) -> str:
    """Return an article of at least `size` bytes made of numbered copies."""
    parts = [" date 2024-05", "Les salaires de l'IA, tout le dossier", ""]
    length, copy = 0, 0
    while length < size:
        copy += 1
        parts.append(f"Partie {copy}")
        for paragraph in paragraphs:
            numbered = f"{paragraph} (Partie {copy}.)"
            parts.append(numbered)
            length += len(numbered.encode()) + 1
            if length >= size:
                break
    parts.append(QUESTIONS)
    return "\n".join(parts)


def main() -> int:
    args = parse_args()
    paragraphs, folder = source_bodies(args.corpus)
    text = big_article(paragraphs, args.size * 1024)
    size = len(text.encode())
    print(
        f"Article of {size / 1024:.0f} KB ({len(paragraphs)} paragraphs from {folder})"
    )

    timings = []
    for _run in range(args.runs):
        started = time.perf_counter()
        prepared = prepare_article(text, filename="big-article.txt")
        timings.append(time.perf_counter() - started)
    best, median = min(timings), statistics.median(timings)
    print(
        f"prepare_article, {args.runs} runs: best {best:.3f} s, "
        f"median {median:.3f} s; {len(prepared.postings)} postings, "
        f"{len(prepared.parsed.body) / 1024:.0f} KB of body kept"
    )
    met = median < TARGET_SECONDS
    print(
        f"Target: under {TARGET_SECONDS:g} s — "
        f"{'met' if met else 'missed'} ({median / TARGET_SECONDS:.0%} of it)"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
