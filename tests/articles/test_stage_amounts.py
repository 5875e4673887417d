import pytest

from articles.importer.amounts import find_money


def read(sentence):
    return [(m.low, m.high, m.currency, m.period) for m in find_money(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Le poste est payé entre 62 000 et 78 000 euros par an.",
            (62_000, 78_000, "EUR", "year"),
        ),
        (
            "The band runs from $140,000 to $175,000 a year.",
            (140_000, 175_000, "USD", "year"),
        ),
        ("Comptez de 45 k€ à 60 k€.", (45_000, 60_000, "EUR", None)),
        ("It pays between £50,000 and £65,000.", (50_000, 65_000, "GBP", None)),
    ],
)
def test_range_is_one_sum_with_both_bounds(sentence, expected):
    assert read(sentence) == [expected]


def test_floor_and_ceiling_said_apart_are_joined_into_one_range():
    sentence = "Pay starts at $120,000 and goes up to $150,000 a year."

    assert read(sentence) == [(120_000, 150_000, "USD", "year")]


def test_french_floor_and_ceiling_said_apart_are_joined_into_one_range():
    sentence = (
        "La rémunération démarre à 50 000 euros et peut aller jusqu'à 70 000 euros."
    )

    assert read(sentence) == [(50_000, 70_000, "EUR", None)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kairo offre jusqu'à 85 000 euros.", (None, 85_000, "EUR", None)),
        ("The job pays up to $90,000.", (None, 90_000, "USD", None)),
        ("Le salaire commence à partir de 40 000 euros.", (40_000, None, "EUR", None)),
        ("Salaries start from $75,000.", (75_000, None, "USD", None)),
        ("It pays as much as $310,000.", (None, 310_000, "USD", None)),
    ],
)
def test_qualifiers_leave_one_bound_open(sentence, expected):
    assert read(sentence) == [expected]


@pytest.mark.parametrize(
    ("sentence", "currency"),
    [
        ("Un poste à 7 000 francs suisses par mois.", "CHF"),
        ("Un salaire de 130 000 CHF.", "CHF"),
        ("Le poste offre 95 000 $ CA par an.", "CAD"),
        ("The role pays C$110,000.", "CAD"),
        ("The role pays £48,000.", "GBP"),
        ("Le poste est payé 52 000 €.", "EUR"),
        ("Il gagnera 60 000 livres sterling.", "GBP"),
        ("The role pays $72,000.", "USD"),
    ],
)
def test_currency_is_read_from_its_sign_or_its_name(sentence, currency):
    (money,) = find_money(sentence)

    assert money.currency == currency


@pytest.mark.parametrize(
    ("sentence", "amount"),
    [
        ("Une offre à 95k€.", 95_000),
        ("A $250K package.", 250_000),
        ("Jusqu'à 2 millions de dollars.", 2_000_000),
        ("Up to $1.2 million.", 1_200_000),
        ("Un chèque de 1,5 million d'euros.", 1_500_000),
    ],
)
def test_multipliers_scale_the_number(sentence, amount):
    (money,) = find_money(sentence)

    assert money.high == amount


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("Payé 68 000 euros par an.", "year"),
        ("It pays $150,000 a year.", "year"),
        ("Un TJM de 700 euros par jour.", "day"),
        ("It pays $35 an hour.", "hour"),
        ("Un salaire de 3 200 euros par mois.", "month"),
        ("It pays $900 per day.", "day"),
        ("Un salaire annuel de 58 000 euros.", "year"),
    ],
)
def test_period_is_read_after_or_before_the_figure(sentence, period):
    (money,) = find_money(sentence)

    assert money.period == period


def test_figure_with_no_period_word_has_no_period():
    (money,) = find_money("Kairo propose 80 000 euros.")

    assert money.period is None


def test_respectivement_list_gives_one_sum_per_item():
    sentence = (
        "Le développeur et l'analyste gagneront respectivement 90 000 et 75 000 euros."
    )

    assert [(m.low, m.high) for m in find_money(sentence)] == [
        (90_000, 90_000),
        (75_000, 75_000),
    ]


def test_respectively_list_of_three_keeps_each_figure():
    sentence = "They offer respectively $100,000, $120,000 and $140,000."

    assert [m.high for m in find_money(sentence)] == [100_000, 120_000, 140_000]


def test_two_separate_sums_stay_separate():
    sentence = "Kairo paie 70 000 euros, et Brindle paie 90 000 euros."

    assert read(sentence) == [
        (70_000, 70_000, "EUR", None),
        (90_000, 90_000, "EUR", None),
    ]


def test_number_without_currency_is_not_money():
    assert find_money("L'équipe compte 45 000 salariés en 2024.") == []


def test_span_covers_the_whole_range():
    sentence = "Kairo offre entre 40 000 et 50 000 euros."

    (money,) = find_money(sentence)

    assert sentence[money.start : money.end] == "entre 40 000 et 50 000 euros"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Le poste paie CHF 150'000 par an.", (150_000, 150_000, "CHF", "year")),
        ("The range is CHF 160,000–210,000 a year.", (160_000, 210_000, "CHF", "year")),
        ("The posting quotes CAD 135,000 a year.", (135_000, 135_000, "CAD", "year")),
        ("Elle propose 98 000 $ CA par année.", (98_000, 98_000, "CAD", "year")),
        ("Brindle sets €130,000 as the starting point.", (130_000, None, "EUR", None)),
        ("The ceiling is $270,000.", (None, 270_000, "USD", None)),
    ],
)
def test_swiss_thousands_bare_range_ends_codes_and_bounds_named_apart(
    sentence, expected
):
    assert read(sentence) == [expected]


def test_last_year_is_no_period_of_pay():
    (money,) = find_money("La prime a atteint 3 200 euros l'an dernier.")

    assert money.period is None
