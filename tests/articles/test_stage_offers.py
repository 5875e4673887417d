import pytest

from articles.importer.amounts import find_money
from articles.importer.offers import Verdict, judge


def verdict(sentence, context=""):
    (money,) = find_money(sentence)
    return judge(sentence, money, context)


@pytest.mark.parametrize(
    "sentence",
    [
        "Kairo recrute un ingénieur IA payé 75 000 euros par an.",
        "Brindle is hiring a data scientist at $140,000 a year.",
        "La start-up Kairo propose 90 000 euros pour un poste de chercheur.",
        "The listing offers $62 an hour for a contract annotator.",
    ],
)
def test_pay_of_a_job_on_offer_is_an_offer(sentence):
    result = verdict(sentence)

    assert result.is_offer
    assert result.reason == "pay of a job on offer"


@pytest.mark.parametrize(
    "sentence",
    [
        "Le salaire médian d'un ingénieur IA atteint 70 000 euros par an.",
        "On average, an ML engineer makes $160,000 a year.",
        "Data scientists typically earn $130,000 a year.",
        "By comparison, a software developer gets $110,000 a year.",
        "En moyenne, un chercheur touche 65 000 euros par an.",
    ],
)
def test_statistic_is_not_an_offer(sentence):
    result = verdict(sentence)

    assert not result.is_offer
    assert result.reason == "a statistic"


@pytest.mark.parametrize(
    "sentence",
    [
        "Sur Glassdoor, les ingénieurs IA de Kairo déclarent 95 000 euros par an.",
        "Levels.fyi shows Brindle engineers at $210,000 a year.",
    ],
)
def test_salary_site_figure_is_not_an_offer(sentence):
    result = verdict(sentence)

    assert not result.is_offer
    assert result.reason == "a salary site's figure"


@pytest.mark.parametrize(
    "sentence",
    [
        "Selon des anciens salariés, un ingénieur de Kairo vaut 88 000 euros par an.",
        "According to insiders, a Brindle researcher is worth $400,000 a year.",
    ],
)
def test_figure_someone_reports_is_not_an_offer(sentence):
    result = verdict(sentence)

    assert not result.is_offer
    assert result.reason == "figures someone reports"


@pytest.mark.parametrize(
    "sentence",
    [
        "Stunt doubles earn about $300 a day on set.",
        "Un traducteur gagne environ 2 500 euros par mois.",
    ],
)
def test_pay_someone_already_earns_is_not_an_offer(sentence):
    result = verdict(sentence)

    assert not result.is_offer
    assert result.reason == "pay someone already earns"


@pytest.mark.parametrize(
    "sentence",
    [
        "Kairo a levé 30 millions d'euros pour recruter.",
        "Brindle raised $45 million to hire more engineers.",
        "Kairo est valorisée 800 millions d'euros.",
        "Brindle's revenue reached $12 million last year.",
        "La formation de Kairo coûte 4 000 euros.",
        "The course costs $2,500 for six weeks.",
        "Kairo verse une prime de 20 000 euros à ses chercheurs.",
    ],
)
def test_other_kinds_of_money_are_not_offers(sentence):
    assert not verdict(sentence).is_offer


def test_figure_above_five_million_is_too_large_for_a_salary():
    result = verdict("Kairo recrute un directeur payé 6 millions d'euros par an.")

    assert result == Verdict(False, "too large for a salary")


def test_figure_of_exactly_five_million_can_still_be_an_offer():
    assert verdict("Brindle is hiring a chief scientist at $5 million a year.")


def test_bonus_left_aside_does_not_spoil_the_base_pay():
    sentence = "Kairo recrute un architecte payé 95 000 euros par an, hors primes."

    assert verdict(sentence).is_offer


def test_pay_with_no_job_named_is_not_an_offer():
    result = verdict("Le salaire atteint 60 000 euros par an.")

    assert not result.is_offer
    assert result.reason == "no job named"


def test_previous_sentence_can_name_the_job():
    sentence = "Le salaire atteint 60 000 euros par an."

    result = verdict(sentence, context="Kairo recrute un ingénieur en vision.")

    assert result.is_offer


def test_verdict_is_false_when_not_an_offer():
    result = verdict("Kairo a levé 30 millions d'euros.")

    assert bool(result) is False


@pytest.mark.parametrize(
    "sentence",
    [
        "Son président a touché une rémunération de 4,1 millions de dollars.",
        "The chief executive received $9.5 million last year.",
    ],
)
def test_an_executives_pay_is_not_an_offer(sentence):
    assert not verdict(sentence)


def test_a_bonus_named_before_its_own_figure_is_not_pay():
    sentence = (
        "Le poste est payé 4 500 euros par mois, hors prime, "
        "qui a atteint 3 200 euros l'an dernier."
    )
    first, second = find_money(sentence)

    assert judge(sentence, first)
    assert not judge(sentence, second)


def test_stock_beside_a_figure_outweighs_its_period():
    sentence = "New hires can also expect stock units worth around $60,000 a year."

    assert not verdict(sentence)


def test_stock_included_in_the_pay_keeps_it_an_offer():
    assert verdict(
        "Kairo is offering up to $900,000 a year, stock included, for a CTO."
    )
