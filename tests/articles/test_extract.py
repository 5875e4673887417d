from pathlib import Path

import pytest

from articles.importer.amounts import find_money
from articles.importer.extract import extract_postings
from articles.importer.parse import parse_article

DATA = Path(__file__).parent / "data"


def postings_in(name: str):
    parsed = parse_article((DATA / name).read_text(encoding="utf-8"))
    return extract_postings(parsed.body, language=parsed.language)


def summary(postings):
    return [
        (p.company, p.salary_min, p.salary_max, p.currency, p.period) for p in postings
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Il gagnera 900 000 dollars.", (900_000, 900_000, "USD", None)),
        ("Un salaire de 340 300 dollars par an.", (340_300, 340_300, "USD", "year")),
        (
            "Un salaire entre 168 000 et 252 000 dollars par an.",
            (168_000, 252_000, "USD", "year"),
        ),
        (
            "Il pourrait gagner jusqu'à 398 000 dollars par an.",
            (None, 398_000, "USD", "year"),
        ),
        ("Un taux de 28 dollars par heure.", (28, 28, "USD", "hour")),
        ("Payé 550 euros par jour.", (550, 550, "EUR", "day")),
        ("Un poste à 110 k€.", (110_000, 110_000, "EUR", None)),
        ("Jusqu'à 1,2 million de dollars.", (None, 1_200_000, "USD", None)),
        (
            "It pays $310,000 to $460,000 a year.",
            (310_000, 460_000, "USD", "year"),
        ),
        ("It pays €95,000.", (95_000, 95_000, "EUR", None)),
        ("It pays $85 an hour.", (85, 85, "USD", "hour")),
        ("Un salaire de 4 500 € brut par mois.", (4_500, 4_500, "EUR", "month")),
        ("De 85 k€ à 110 k€.", (85_000, 110_000, "EUR", None)),
        ("Up to $500K per year.", (None, 500_000, "USD", "year")),
        ("À partir de 150 000 dollars.", (150_000, None, "USD", None)),
        ("Environ 148 000 dollars par an.", (148_000, 148_000, "USD", "year")),
        ("Un salaire de 70 000 £.", (70_000, 70_000, "GBP", None)),
    ],
)
def test_money_is_read_in_every_written_form(sentence, expected):
    (money,) = find_money(sentence)

    assert (money.low, money.high, money.currency, money.period) == expected


def test_money_forms_become_postings_with_their_period():
    postings = postings_in("fr-money-forms.txt")

    assert summary(postings) == [
        ("Zephyra", 110_000, 110_000, "EUR", "year"),
        ("OpenAI", None, 1_200_000, "USD", "year"),
        ("Doctolib", 550, 550, "EUR", "day"),
        ("Accenture", 4_500, 4_500, "EUR", "month"),
    ]


def test_roles_are_read_next_to_the_company():
    postings = postings_in("fr-money-forms.txt")

    assert [p.title for p in postings] == [
        "ingénieure MLOps",
        "chercheur en alignement",
        "consultant freelance en IA",
        "architecte IA",
    ]


def test_french_article_gives_every_cited_posting():
    postings = postings_in("fr-glued.txt")

    assert summary(postings) == [
        ("Anthropic", None, 398_000, "USD", "year"),
        ("Dataiku", 95_000, 120_000, "EUR", "year"),
        ("Zephyra", 900_000, 900_000, "USD", "year"),
        ("Uber", None, 210_000, "USD", "year"),
        ("Lyft", None, 210_000, "USD", "year"),
        ("Stripe", None, 180_000, "USD", "year"),
        ("Stripe", None, 150_000, "USD", "year"),
        ("Stripe", None, 140_000, "USD", "year"),
        ("Accenture", None, 28, "USD", "hour"),
    ]


def test_respectivement_gives_each_role_its_figure():
    postings = [p for p in postings_in("fr-glued.txt") if p.company == "Stripe"]

    assert [(p.title, p.salary_max) for p in postings] == [
        ("développeur", 180_000),
        ("analyste", 150_000),
        ("juriste spécialisés en IA", 140_000),
    ]


def test_respectively_gives_each_company_its_figure():
    postings = postings_in("en-offers.txt")

    assert ("Airbnb", 240_000, 240_000, "USD", "year") in summary(postings)
    assert ("Pinterest", 225_000, 225_000, "USD", "year") in summary(postings)


def test_one_figure_shared_by_two_companies_gives_two_postings():
    postings = [p for p in postings_in("fr-glued.txt") if p.salary_max == 210_000]

    assert [p.company for p in postings] == ["Uber", "Lyft"]


def test_figure_in_the_next_sentence_belongs_to_the_posting_announced_before():
    (posting,) = [p for p in postings_in("fr-glued.txt") if p.company == "Zephyra"]

    assert posting.title == "chercheur en apprentissage par renforcement"
    assert posting.evidence.startswith("De son côté, la start-up Zephyra")
    assert posting.evidence.endswith("d'un salaire de 900 000 dollars.")


def test_figure_restated_per_year_is_not_a_second_posting():
    postings = [p for p in postings_in("fr-glued.txt") if p.company == "Accenture"]

    assert summary(postings) == [("Accenture", None, 28, "USD", "hour")]


def test_location_and_remote_are_read_from_the_posting_sentences():
    postings = {p.company: p for p in postings_in("en-offers.txt")}

    assert postings["Spotify"].location == "London"
    assert postings["Spotify"].remote is True
    assert postings["Anthropic"].remote is False


def test_posting_url_is_kept_with_its_company():
    postings = {p.company: p for p in postings_in("en-offers.txt")}

    assert postings["Anthropic"].url == (
        "https://www.anthropic.com/careers/research-engineer"
    )
    assert postings["Spotify"].url == ""


def test_english_article_gives_every_cited_posting():
    postings = postings_in("en-offers.txt")

    assert summary(postings) == [
        ("Spotify", 95_000, 95_000, "EUR", "year"),
        ("Anthropic", 310_000, 460_000, "USD", "year"),
        ("Scale AI", 85, 85, "USD", "hour"),
        ("Airbnb", 240_000, 240_000, "USD", "year"),
        ("Pinterest", 225_000, 225_000, "USD", "year"),
    ]


def test_evidence_is_the_sentence_that_cites_the_posting():
    (spotify, *_rest) = postings_in("en-offers.txt")

    assert spotify.evidence == (
        "Spotify is looking for a senior machine learning engineer in London, "
        "paying €95,000."
    )


def test_valuation_fund_raise_median_investment_course_bonus_stock_are_not_postings():
    assert postings_in("fr-sections.txt") == []


def test_bootcamp_price_is_not_a_posting():
    assert postings_in("fr-duplicated.txt") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "La start-up Kairo est valorisée 2 milliards de dollars.",
        "Kairo a levé 120 millions d'euros auprès de ses investisseurs.",
        "Selon une enquête, le salaire médian atteint 75 000 euros par an chez Kairo.",
        "En moyenne, un ingénieur IA chez Kairo gagne 90 000 euros par an.",
        "La formation de Kairo coûte 3 000 euros.",
        "Kairo a versé une prime de 40 000 euros à ses chercheurs.",
        "Kairo a accordé des actions d'une valeur de 300 000 euros à son directeur.",
        "Amazon a investi 4 milliards de dollars dans Anthropic.",
        "OpenAI generates $3.4 billion in annual revenue.",
        "Meta paid its top researchers bonuses of $1 million.",
        "A bootcamp at Deep Atlas costs $6,800 for two weeks.",
        "The median pay at Nvidia is $250,000 a year, according to a survey.",
        "Tesla's AI team is led by a director whose pay reached $2 million.",
        "Les salaires des data scientists chez Criteo varient de 55 000 à 90 000 "
        "euros.",
        "Un ingénieur gagne 80 000 euros par an.",
    ],
)
def test_money_that_is_not_a_job_offer_is_not_a_posting(sentence):
    assert extract_postings(sentence) == []


def test_each_company_in_one_sentence_gets_its_own_figure_and_role():
    sentence = (
        "Chez Kairo, un ingénieur en IA peut espérer gagner entre 70 000 et 90 000 "
        "euros par an, et Qonto recherche un analyste senior qui gagnera environ "
        "80 000 euros par an."
    )

    postings = extract_postings(sentence)

    assert [(p.company, p.title, p.salary_min, p.salary_max) for p in postings] == [
        ("Kairo", "ingénieur en IA", 70_000, 90_000),
        ("Qonto", "analyste senior", 80_000, 80_000),
    ]


def test_two_figures_for_two_companies_in_english_go_to_each():
    postings = extract_postings(
        "Uber offers $210,000 for a staff ML engineer, while Lyft pays $190,000 "
        "for the same role."
    )

    assert summary(postings) == [
        ("Uber", 210_000, 210_000, "USD", "year"),
        ("Lyft", 190_000, 190_000, "USD", "year"),
    ]


@pytest.mark.parametrize(
    ("sentence", "company", "role"),
    [
        (
            "In a job listing, Apple said the machine learning manager role pays "
            "between $170,700 and $300,200 a year.",
            "Apple",
            "machine learning manager",
        ),
        (
            "Le salaire proposé pour ce poste de data engineer chez BlaBlaCar oscille "
            "entre 55 000 et 65 000 euros bruts annuels.",
            "BlaBlaCar",
            "data engineer",
        ),
        (
            "Selon l'annonce, le poste de responsable IA de la Société Générale est "
            "rémunéré 90 000 euros.",
            "Société Générale",
            "responsable IA",
        ),
    ],
)
def test_role_is_read_without_the_company_name(sentence, company, role):
    (posting,) = extract_postings(sentence)

    assert (posting.company, posting.title) == (company, role)
