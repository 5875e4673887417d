import pytest

from articles.importer.merge import (
    RANGE_INSIDE,
    SAME_LINK,
    SAME_MAXIMUM,
    Offer,
    fold,
    merge_offers,
    same_offer_rule,
    similar_roles,
)


def offer(**fields):
    defaults = {
        "company": "Kairo",
        "title": "",
        "salary_min": None,
        "salary_max": 90_000,
        "currency": "EUR",
        "period": "year",
    }
    return Offer(**{**defaults, **fields})


def test_same_maximum_for_the_same_employer_is_one_offer():
    first = offer(salary_min=None, salary_max=90_000, evidence=["A."])
    second = offer(salary_min=70_000, salary_max=90_000, evidence=["B."])

    assert same_offer_rule(first, second) == SAME_MAXIMUM


def test_figure_inside_a_range_is_one_offer():
    first = offer(salary_min=60_000, salary_max=90_000, evidence=["A."])
    second = offer(salary_min=75_000, salary_max=75_000, evidence=["B."])

    assert same_offer_rule(first, second) == RANGE_INSIDE


def test_same_link_is_one_offer_whatever_the_pay():
    first = offer(
        salary_max=90_000, url="https://kairo.example/jobs/7", evidence=["A."]
    )
    second = offer(
        salary_max=40,
        period="hour",
        url="https://kairo.example/jobs/7/",
        evidence=["B."],
    )

    assert same_offer_rule(first, second) == SAME_LINK


def test_different_links_are_different_offers():
    first = offer(url="https://kairo.example/jobs/7", evidence=["A."])
    second = offer(url="https://kairo.example/jobs/8", evidence=["B."])

    assert same_offer_rule(first, second) is None


@pytest.mark.parametrize(
    "change",
    [
        {"company": "Brindle"},
        {"currency": "USD"},
        {"period": "month"},
        {"salary_max": 95_000},
        {"title": "juriste"},
    ],
)
def test_offers_that_differ_are_not_merged(change):
    first = offer(title="ingénieur IA", evidence=["A."])
    second = offer(**{"title": "ingénieure IA senior", "evidence": ["B."], **change})

    assert same_offer_rule(first, second) is None


def test_figures_of_one_sentence_are_different_offers():
    first = offer(evidence=["Kairo paie 90 000 euros deux fois."])
    second = offer(evidence=["Kairo paie 90 000 euros deux fois."])

    assert same_offer_rule(first, second) is None


def test_two_different_ceilings_are_not_one_range():
    first = offer(salary_min=None, salary_max=90_000, evidence=["A."])
    second = offer(salary_min=None, salary_max=80_000, evidence=["B."])

    assert same_offer_rule(first, second) is None


def test_company_names_are_compared_folded():
    first = offer(company="Société Kairo", evidence=["A."])
    second = offer(company="societe kairo", evidence=["B."])

    assert same_offer_rule(first, second) == SAME_MAXIMUM


def test_merged_offer_keeps_the_widest_range_and_every_part():
    first = offer(
        title="ingénieur",
        salary_min=None,
        salary_max=90_000,
        evidence=["A."],
        confidence=0.4,
    )
    second = offer(
        title="ingénieur en vision",
        salary_min=70_000,
        salary_max=90_000,
        location="Lyon",
        url="https://kairo.example/jobs/7",
        remote=True,
        evidence=["B."],
        confidence=0.8,
    )

    (merged,) = merge_offers([first, second])

    assert (merged.salary_min, merged.salary_max) == (70_000, 90_000)
    assert merged.title == "ingénieur en vision"
    assert (merged.location, merged.url, merged.remote) == (
        "Lyon",
        "https://kairo.example/jobs/7",
        True,
    )
    assert merged.evidence == ["A.", "B."]
    assert merged.confidence == 0.8
    assert merged.merged_by == [SAME_MAXIMUM]


def test_merge_leaves_the_pay_of_the_offers_it_is_given():
    first = offer(salary_max=90_000, evidence=["A."])
    second = offer(salary_min=70_000, salary_max=90_000, evidence=["B."])

    merge_offers([first, second])

    assert (first.salary_min, first.salary_max) == (None, 90_000)


def test_offers_of_other_employers_in_between_do_not_stop_a_merge():
    offers = [
        offer(company="Kairo", salary_max=90_000, evidence=["A."]),
        offer(company="Brindle", salary_max=90_000, evidence=["B."]),
        offer(company="Kairo", salary_min=80_000, salary_max=90_000, evidence=["C."]),
    ]

    merged = merge_offers(offers)

    assert [(o.company, o.evidence) for o in merged] == [
        ("Kairo", ["A.", "C."]),
        ("Brindle", ["B."]),
    ]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("ingénieur en IA", "ingénieur IA senior", True),
        ("data engineer", "senior data engineer", True),
        ("juriste", "développeur", False),
        ("research scientist", "product designer", False),
        ("", "juriste", True),
    ],
)
def test_similar_roles_share_half_their_words(first, second, expected):
    assert similar_roles(first, second) is expected


def test_fold_drops_case_accents_and_punctuation():
    assert fold("  Ingénieure—IA, Sénior! ") == "ingenieure ia senior"


def test_merge_leaves_the_sentences_of_the_offers_it_is_given():
    first = offer(salary_min=None, salary_max=400_000, evidence=["A."])
    second = offer(salary_min=300_000, salary_max=400_000, evidence=["B."])

    merge_offers([first, second])

    assert (first.evidence, second.evidence) == (["A."], ["B."])
    assert first.merged_by == [] and first.sources == second.sources
