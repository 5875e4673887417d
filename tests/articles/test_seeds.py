"""The sample articles in ../shared/seeds and what their README expects."""

import os
from pathlib import Path

import pytest

from articles.importer.load import load_article, prepare_article
from articles.models import Posting, PostingMerge

# Beside the repository; SEEDS_DIR points elsewhere, e.g. from a worktree.
SEEDS = Path(
    os.environ.get("SEEDS_DIR")
    or Path(__file__).resolve().parents[2] / "../shared/seeds"
)

SALARY_POSTINGS = [
    ("Netflix", None, 900_000, "year"),
    ("Amazon", 340_300, 340_300, "year"),
    ("Hinge", None, 398_000, "year"),
    ("Capital One", None, 325_700, "year"),
    ("Walmart", 168_000, 252_000, "year"),
    ("Meta", None, 137_000, "year"),
    ("Nvidia", 156_000, 247_250, "year"),
    ("Crossover", 800_000, 800_000, "year"),
    ("Crossover", 800_000, 800_000, "year"),
    ("Google", 351_000, 351_000, "year"),
    ("Goldman Sachs", None, 250_000, "year"),
    ("Goldman Sachs", None, 240_000, "year"),
    ("Goldman Sachs", None, 190_000, "year"),
    ("JPMorgan Chase", None, 195_000, "year"),
    ("Ernst & Young", None, 195_000, "year"),
    ("Upwork", None, 437_000, "year"),
    ("Deloitte", None, 28, "hour"),
    ("Procter & Gamble", 110_000, 132_000, "year"),
    ("Nike", 148_000, 148_000, "year"),
]


def seed(name: str, **overrides):
    path = SEEDS / name
    if not SEEDS.is_dir():
        pytest.skip(f"the sample articles folder {SEEDS} does not exist")
    return prepare_article(
        path.read_text(encoding="utf-8"), filename=path.name, **overrides
    )


def test_salary_article_gives_its_nineteen_postings():
    prepared = seed("2023-08-ai-salaries-postings.txt")

    found = [
        (p.company, p.salary_min, p.salary_max, p.period) for p in prepared.postings
    ]
    assert found == SALARY_POSTINGS
    assert {p.currency for p in prepared.postings} == {"USD"}


def test_salary_article_postings_carry_roles_and_places():
    prepared = seed("2023-08-ai-salaries-postings.txt")

    netflix = prepared.postings[0]
    assert "chef de produit" in netflix.title
    assert netflix.location == "Los Gatos, Californie"
    assert netflix.remote is True
    crossover_roles = [p.title for p in prepared.postings if p.company == "Crossover"]
    assert crossover_roles == ["directeur principal", "chef de produit"]
    goldman_roles = [p.title for p in prepared.postings if p.company == "Goldman Sachs"]
    assert goldman_roles == [
        "vice-président de l'IA appliquée",
        "ingénieur senior en IA",
        "scientifique de données en IA conversationnelle",
    ]


def test_salary_article_keeps_its_month_and_its_four_questions():
    prepared = seed("2023-08-ai-salaries-postings.txt")

    assert prepared.parsed.published == "2023-08"
    assert prepared.parsed.questions == [
        "Quel est votre avis sur le sujet ?",
        "Que pensez-vous des salaires mirobolants proposés aux talents en IA ?",
        "Selon vous, pourquoi les entreprises sont-elles prêtes à payer autant "
        "les talents en IA ?",
        "Selon vous, les entreprises européennes et françaises en particulier "
        "sont-elles prêtes à faire de même ? Pourquoi ?",
    ]


def test_salary_article_title_is_its_first_sentence_shortened():
    prepared = seed("2023-08-ai-salaries-postings.txt")

    title = prepared.parsed.title
    assert title.startswith("Alors que les entreprises")
    assert len(title) <= 120
    assert prepared.parsed.body.startswith(title.rstrip("…"))


def test_title_option_overrides_the_first_sentence():
    prepared = seed("2023-08-ai-salaries-postings.txt", title="Les salaires de l'IA")

    assert prepared.parsed.title == "Les salaires de l'IA"


def test_talent_war_article_has_no_postings():
    prepared = seed("2024-03-ai-talent-war.txt")

    assert prepared.postings == []


def test_talent_war_article_keeps_sources_out_of_its_five_questions():
    prepared = seed("2024-03-ai-talent-war.txt")

    assert prepared.parsed.published == "2024-03"
    assert prepared.parsed.sources == ["Levels.fyi", "Databricks", "Faro Health"]
    assert prepared.parsed.questions == [
        "Pensez-vous que les entreprises devraient investir davantage dans la "
        "formation des talents en IA plutôt que de simplement débaucher des experts ?",
        "Quelles compétences spécifiques pensez-vous que les ingénieurs en IA "
        "devraient posséder pour réussir dans ce domaine ?",
        "Comment les startups peuvent-elles rivaliser avec les géants "
        "technologiques pour attirer les meilleurs talents en IA ?",
        "Croyez-vous que les packages de rémunération d’un million de dollars par "
        "an sont justifiés pour les experts en IA ? Pourquoi ou pourquoi pas ?",
        "Quels sont les avantages et les inconvénients de la concentration des "
        "talents en IA dans la Silicon Valley ?",
    ]


def test_talent_war_article_keeps_its_section_headings():
    prepared = seed("2024-03-ai-talent-war.txt")

    headings = [
        line for line in prepared.parsed.body.split("\n\n") if line.startswith("## ")
    ]
    assert headings == [
        "## Les commerciaux spécialisés dans l'IA sont également très demandés et "
        "difficiles à trouver",
        "## Des salaires qui s'envolent",
        "## L’entreprenariat, la voie royale ?",
        "## Des équipes déjà formées pour être opérationnelles immédiatement",
    ]


def test_wsj_article_has_its_source_author_and_translator():
    prepared = seed("wsj-two-job-markets.txt")

    parsed = prepared.parsed
    assert (parsed.source, parsed.author) == (
        "The Wall Street Journal",
        "Katherine Bindley",
    )
    assert parsed.translator == "Marion Issard"
    assert parsed.published is None


def test_wsj_article_is_kept_once_without_page_furniture():
    prepared = seed("wsj-two-job-markets.txt")

    body = prepared.parsed.body
    assert body.count("Dans le second, il y a tous les autres") == 1
    assert body.count("Prochaine étape") == 1
    assert "Commentaire" not in body
    assert "Traduit" not in body
    assert "Wall Street Journal" not in body


def test_wsj_article_has_no_postings_and_one_general_thread():
    prepared = seed("wsj-two-job-markets.txt")

    assert prepared.postings == []
    assert prepared.parsed.questions == []
    assert prepared.questions == ["Qu'en pensez-vous ?"]


def test_netflix_offer_cited_by_the_seed_and_another_article_is_one_posting(db):
    other = Path(__file__).parent / "data" / "netflix-range.txt"
    load_article(seed("2023-08-ai-salaries-postings.txt"))

    load_article(
        prepare_article(other.read_text(encoding="utf-8"), filename=other.name)
    )

    (netflix,) = Posting.objects.filter(company__name="Netflix")
    assert (netflix.salary_min, netflix.salary_max) == (300_000, 900_000)
    assert netflix.url == "https://jobs.netflix.com/jobs/exemple-plateforme-ml"
    assert netflix.citations.count() == 2
    assert PostingMerge.objects.get(posting=netflix).rule
