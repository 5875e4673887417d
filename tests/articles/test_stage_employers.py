import pytest

from articles.importer.employers import find_companies, is_person


def names(sentence, common=frozenset()):
    return [m.name for m in find_companies(sentence, common=common)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Selon le journal, Kairo recrute un ingénieur.",
        "Depuis mars, Kairo cherche activement un chercheur.",
        "Last week Kairo is hiring a data engineer.",
        "In Boston, Kairo is looking for an analyst.",
        "Pendant ce temps, Kairo propose un poste de juriste.",
    ],
)
def test_subject_of_a_hiring_verb_is_the_employer(sentence):
    (mention,) = [m for m in find_companies(sentence) if m.name == "Kairo"]

    assert mention.strength == 3


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Un poste de data engineer est ouvert chez Brindle.", "Brindle"),
        ("Le poste est ouvert chez Vantor Labs à Lyon.", "Vantor Labs"),
        ("A research role is open at Brindle this spring.", "Brindle"),
        ("Selon l'annonce de la start-up Tessaly, le poste est ouvert.", "Tessaly"),
        ("The startup Quillon wants a designer.", "Quillon"),
    ],
)
def test_employer_named_by_its_place_in_the_sentence(sentence, name):
    assert name in names(sentence)


def test_careers_page_names_its_owner():
    sentence = "A new role appeared on Brindle's careers page this week."

    (mention,) = find_companies(sentence)

    assert (mention.name, mention.strength) == ("Brindle", 3)


def test_mention_positions_point_at_the_name():
    sentence = "Le poste est ouvert chez Brindle depuis lundi."

    (mention,) = find_companies(sentence)

    assert sentence[mention.start : mention.end] == "Brindle"


def test_name_opening_a_sentence_is_a_weak_mention():
    (mention,) = find_companies("Tessaly vient de fêter ses cinq ans.")

    assert (mention.name, mention.strength) == ("Tessaly", 1)


@pytest.mark.parametrize(
    "sentence",
    [
        "Pay starts at $120,000 for the role.",
        "Salaries are rising fast in the sector.",
        "Recruteurs et candidats se croisent sur les salons.",
    ],
)
def test_common_word_opening_a_sentence_is_not_a_company(sentence):
    common = frozenset({"pay", "salaries", "recruteurs"})

    assert names(sentence, common) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Le poste est basé à Lyon chez un éditeur.",
        "Lyon recrute des ingénieurs pour sa mairie.",
        "The job is at Seattle headquarters.",
        "Paris attire de nombreux chercheurs.",
    ],
)
def test_city_is_not_a_company(sentence):
    assert not {"Lyon", "Seattle", "Paris"} & set(names(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "Mark Zuckerberg recrute lui-même des chercheurs.",
        "Sam Altman is hiring researchers himself.",
        "Le poste est chez Julie Martin, consultante indépendante.",
    ],
)
def test_person_is_not_a_company(sentence):
    assert not any(
        " " in name and name.split()[0] in {"Mark", "Sam", "Julie"}
        for name in names(sentence)
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Les Français recrutent moins que les Allemands.",
        "Americans are hiring fewer engineers this year.",
    ],
)
def test_nationality_is_not_a_company(sentence):
    assert names(sentence, frozenset()) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mark Zuckerberg", True),
        ("Julie Martin", True),
        ("Mistral AI", False),
        ("Kairo", False),
    ],
)
def test_a_person_is_a_first_name_then_a_surname(name, expected):
    assert is_person(name) is expected


def test_two_companies_in_one_sentence_are_both_found_in_order():
    sentence = "Kairo recrute un analyste, et Brindle cherche un juriste."

    assert names(sentence) == ["Kairo", "Brindle"]
