import pytest

from articles.importer.extract import extract_postings
from articles.importer.listings import read_listings


def read(body):
    return [
        (
            listing.company,
            listing.title,
            listing.location,
            listing.remote,
            listing.low,
            listing.high,
            listing.currency,
            listing.period,
        )
        for listing in read_listings(body)[0]
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "• Kairo — ingénieure ML (Lyon) — 70–85 k€",
            ("Kairo", "ingénieure ML", "Lyon", False, 70_000, 85_000, "EUR", None),
        ),
        (
            "- Vireo: data engineer, streaming (remote): $120,000–$140,000",
            (
                "Vireo",
                "data engineer, streaming",
                "",
                True,
                120_000,
                140_000,
                "USD",
                None,
            ),
        ),
        (
            "1. Brindle — analyste quantitatif (Paris ou télétravail) — dès 90 k€",
            (
                "Brindle",
                "analyste quantitatif",
                "Paris",
                True,
                90_000,
                None,
                "EUR",
                None,
            ),
        ),
        (
            "Tessaly | Research engineer | £80,000 | Leeds",
            (
                "Tessaly",
                "Research engineer",
                "Leeds",
                False,
                80_000,
                80_000,
                "GBP",
                None,
            ),
        ),
        (
            "## Orvo | Chercheuse en vision | 110 000 $ CA | Québec",
            (
                "Orvo",
                "Chercheuse en vision",
                "Québec",
                False,
                110_000,
                110_000,
                "CAD",
                None,
            ),
        ),
    ],
)
def test_list_items_and_table_rows_give_one_offer_each(line, expected):
    assert read(line) == [expected]


def test_an_item_without_a_name_takes_its_employer_from_the_link():
    line = (
        "- Contract annotation, remote: $70/hour, apply at https://jobs.lumenta.io/x-12"
    )

    (listing,) = read_listings(line)[0]

    assert (listing.company, listing.title, listing.remote) == (
        "Lumenta",
        "Contract annotation",
        True,
    )


@pytest.mark.parametrize(
    "line",
    [
        "• Salaire médian — 52 k€",
        "Employeur | Poste | Salaire | Ville",
        "- Which of these offers would you take?",
        "• Kairo a levé 40 millions d'euros",
    ],
)
def test_medians_headers_questions_and_funding_are_not_listings(line):
    assert read(line) == []


def test_listed_lines_leave_the_body_and_the_rest_stays():
    body = "Voici la sélection :\n\n• Kairo — ingénieur ML (Lyon) — 70 k€\n\nFin."

    _listings, rest = read_listings(body)

    assert "Kairo" not in rest
    assert "Voici la sélection" in rest and "Fin." in rest


def test_an_offer_listed_and_told_again_in_a_sentence_is_one_posting():
    body = (
        "• Kairo — ingénieur ML (Lyon) — 70 000 €\n\n"
        "Kairo recrute un ingénieur ML à Lyon pour 70 000 euros par an."
    )

    (posting,) = extract_postings(body, language="fr")

    assert (posting.company, posting.salary_max) == ("Kairo", 70_000)
