import pytest

from articles.importer.roles import find_roles


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("Kairo recrute un ingénieur en vision.", "ingénieur en vision"),
        ("Kairo recrute à Genève un responsable conformité.", "responsable conformité"),
        (
            "Kairo cherche, pour son bureau de Lille, une data scientist.",
            "data scientist",
        ),
        ("Brindle lists a research scientist.", "research scientist"),
        ("Kairo a besoin d'un architecte cloud.", "architecte cloud"),
        (
            "Brindle is looking for a product manager who speaks German.",
            "product manager",
        ),
        ("Kairo propose un poste de chef de projet IA.", "chef de projet IA"),
    ],
)
def test_role_follows_a_hiring_verb(sentence, role):
    assert find_roles(sentence) == [role]


def test_bare_plural_after_recruiting_is_a_role():
    assert find_roles("Brindle is recruiting remote AI trainers.") == ["AI trainers"]


def test_list_of_roles_gives_each_role():
    sentence = "Kairo recrute un développeur, un analyste et un juriste."

    assert find_roles(sentence) == ["développeur", "analyste", "juriste"]


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("Kairo recrute un ingénieur IA payé 80 000 euros.", "ingénieur IA"),
        ("Kairo recrute un analyste à 90 000 euros.", "analyste"),
        ("Kairo recrute un chercheur basé à Paris.", "chercheur"),
        ("Brindle is looking for a lawyer, paying $150,000.", "lawyer"),
    ],
)
def test_role_stops_before_pay_and_place(sentence, role):
    assert find_roles(sentence) == [role]


def test_role_named_as_a_position_noun():
    sentence = "Brindle said the computer vision lead role pays well."

    assert find_roles(sentence) == ["computer vision lead"]


def test_role_inside_a_poste_de():
    sentence = "Le poste de responsable IA est ouvert depuis mars."

    assert find_roles(sentence) == ["responsable IA"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Kairo recrute beaucoup cette année.",
        "Brindle is hiring fast.",
        "Le marché de l'IA attire des investisseurs.",
    ],
)
def test_sentence_without_a_job_names_no_role(sentence):
    assert find_roles(sentence) == []


def test_remote_is_not_part_of_the_role():
    assert find_roles("Kairo recrute un data engineer en télétravail.") == [
        "data engineer"
    ]


@pytest.mark.parametrize(
    ("sentence", "roles"),
    [
        (
            "Brindle is hiring a staff machine learning engineer.",
            ["staff machine learning engineer"],
        ),
        ("Brindle seeks a lawyer, paying $150,000.", ["lawyer"]),
        ("Brindle needs a lawyer for its Oslo office.", ["lawyer"]),
        (
            "Brindle is hiring a designer and a data engineer.",
            ["designer", "data engineer"],
        ),
        (
            "Brindle lists a senior research scientist on its site.",
            ["senior research scientist"],
        ),
    ],
)
def test_english_hiring_verbs_leave_the_determiner_out(sentence, roles):
    assert find_roles(sentence) == roles


def test_job_after_une_offre_de_is_read_without_a_determiner():
    roles = find_roles(
        "Vireo a mis en ligne une offre de responsable des données cliniques à Lille."
    )

    assert roles == ["responsable des données cliniques"]


@pytest.mark.parametrize(
    "sentence",
    ["The careers page shows that these analysts earn well.", "Ce poste est rare."],
)
def test_job_named_again_with_a_demonstrative_is_not_a_new_role(sentence):
    assert find_roles(sentence) == []
