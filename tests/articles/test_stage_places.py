import pytest

from articles.importer.places import REMOTE_RE, find_location, find_places


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("The role is based in Dublin.", "Dublin"),
        ("Le poste est basé à Nantes.", "Nantes"),
        ("The job sits at its Munich campus.", "Munich"),
        ("Le poste rejoint son campus de Palaiseau.", "Palaiseau"),
        ("Kairo recrute un chercheur à Grenoble.", "Grenoble"),
        ("A Berlin-based maker needs a designer.", "Berlin"),
        ("Le poste est situé à Rennes, près de la gare.", "Rennes"),
        ("Brindle hires at its Toronto office.", "Toronto"),
        ("The role is based out of Redwood City.", "Redwood City"),
        ("Kairo recrute à Aix-en-Provence.", "Aix-en-Provence"),
    ],
)
def test_place_is_read_from_the_shape_of_the_sentence(text, place):
    assert find_location(text) == place


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("The job is based in Denver, Colorado.", "Denver, Colorado"),
        ("Brindle hires in Chicago, Illinois.", "Chicago, Illinois"),
        ("The job is in Austin, Texas.", "Austin, Texas"),
    ],
)
def test_region_after_a_town_is_kept(text, place):
    assert find_location(text) == place


def test_town_after_a_district_is_preferred():
    text = "Kairo recrute dans ses bureaux de La Défense, à Paris."

    assert find_location(text) == "Paris"


def test_town_is_preferred_to_a_country():
    text = "Le poste est basé en France, à Toulouse."

    assert find_location(text) == "Toulouse"


def test_country_is_kept_when_no_town_is_named():
    assert find_location("Le poste est basé en Irlande.") == "Irlande"


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Le poste est ouvert chez Vantor Labs.", "Vantor Labs"),
        ("A new role at Brindle pays well.", "Brindle"),
    ],
)
def test_company_is_not_a_place(text, company):
    assert find_places(text, exclude={company}) == []


def test_places_are_given_in_reading_order():
    text = "Kairo recrute à Lyon et à Marseille."

    assert find_places(text) == ["Lyon", "Marseille"]


@pytest.mark.parametrize(
    "text",
    [
        "Le poste est ouvert depuis Janvier.",
        "Il est publié à La fin du mois.",
        "The role was posted on LinkedIn.",
    ],
)
def test_capitalised_words_that_are_not_places_are_not_read(text):
    assert find_location(text) == ""


@pytest.mark.parametrize(
    "text",
    [
        "Le poste est ouvert en télétravail.",
        "The role is fully remote.",
        "Il peut travailler à distance.",
        "You can work from home three days a week.",
    ],
)
def test_remote_work_is_recognised(text):
    assert REMOTE_RE.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kairo runs a remote jobs board.",
        "Le site liste des emplois à distance.",
        "Le poste est sur site à Lyon.",
    ],
)
def test_remote_job_boards_and_onsite_jobs_are_not_remote(text):
    assert not REMOTE_RE.search(text)


def test_au_before_a_town_introduces_it():
    assert find_location("Le poste est au Mans.") == "Mans"
