import pytest

from articles.importer.extract import extract_postings


def summary(postings):
    return [
        (p.company, p.title, p.salary_min, p.salary_max, p.currency, p.period)
        for p in postings
    ]


def test_employer_named_before_is_the_group_that_pays():
    body = (
        "Kairo, éditeur lyonnais de logiciels, grandit vite. "
        "Le groupe recrute un ingénieur en vision payé 72 000 euros par an."
    )

    (posting,) = extract_postings(body)

    assert (posting.company, posting.title) == ("Kairo", "ingénieur en vision")
    assert posting.sources["company"].startswith("Kairo, éditeur")
    assert posting.sources["pay"].startswith("Le groupe recrute")


def test_english_employer_named_before_is_the_company_that_pays():
    body = (
        "Brindle builds tools for hospitals. "
        "The company is hiring a data engineer at $135,000 a year."
    )

    (posting,) = extract_postings(body, language="en")

    assert (posting.company, posting.salary_max) == ("Brindle", 135_000)


def test_role_named_before_the_pay_is_lent_to_it():
    body = (
        "Kairo recrute un responsable de la sécurité des modèles. "
        "Le poste est rémunéré 95 000 euros par an."
    )

    (posting,) = extract_postings(body)

    assert posting.title == "responsable de la sécurité des modèles"
    assert posting.sources["title"].startswith("Kairo recrute")


def test_place_given_after_the_pay_is_added():
    body = (
        "Brindle is hiring a research engineer for $180,000 a year. "
        "The role is based in Denver."
    )

    (posting,) = extract_postings(body, language="en")

    assert posting.location == "Denver"
    assert posting.sources["location"] == "The role is based in Denver."


def test_remote_given_after_the_pay_is_added():
    body = (
        "Kairo recrute un data engineer payé 64 000 euros par an. "
        "Le poste peut s'exercer en télétravail."
    )

    (posting,) = extract_postings(body)

    assert posting.remote is True


def test_link_given_after_the_pay_is_kept_with_its_employer():
    body = (
        "Brindle is hiring an ML engineer for $160,000 a year. "
        "The listing is at https://brindle.example/careers/ml-42."
    )

    (posting,) = extract_postings(body, language="en")

    assert posting.url == "https://brindle.example/careers/ml-42"


def test_links_given_together_go_to_each_offer_in_turn():
    body = (
        "Brindle is hiring a designer for $120,000 a year. "
        "Tessaly is hiring a data analyst for $110,000 a year. "
        "The first two listings are at https://jobs.example/a1 and "
        "https://jobs.example/b2."
    )

    postings = extract_postings(body, language="en")

    assert [(p.company, p.url) for p in postings] == [
        ("Brindle", "https://jobs.example/a1"),
        ("Tessaly", "https://jobs.example/b2"),
    ]


def test_figure_repeated_without_its_employer_is_not_a_new_offer():
    body = (
        "Brindle is looking for a chief scientist at $720,000 a year. "
        "Tessaly, a robotics firm, is hiring too. "
        "This $720,000 job was posted last week."
    )

    postings = extract_postings(body, language="en")

    assert summary(postings) == [
        ("Brindle", "chief scientist", 720_000, 720_000, "USD", "year")
    ]
    assert "This $720,000 job" in postings[0].evidence


def test_two_mentions_of_one_offer_are_merged():
    body = (
        "Kairo recrute un chercheur en robotique jusqu'à 110 000 euros par an. "
        "Chez Kairo, ce poste de chercheur en robotique offre entre 90 000 et "
        "110 000 euros par an."
    )

    (posting,) = extract_postings(body)

    assert (posting.salary_min, posting.salary_max) == (90_000, 110_000)
    assert posting.merged_by


def test_employer_too_far_back_is_not_lent():
    body = (
        "Kairo a ouvert un bureau à Lille. "
        "La ville attire des ingénieurs. "
        "Les loyers y restent modérés. "
        "Les transports sont bons. "
        "Les écoles forment beaucoup de profils. "
        "Le salaire proposé atteint 60 000 euros par an pour un poste d'analyste."
    )

    assert extract_postings(body) == []


def test_median_in_the_next_sentence_is_not_an_offer():
    body = (
        "Kairo recrute un ingénieur IA payé 80 000 euros par an. "
        "Le salaire médian du secteur est de 55 000 euros par an."
    )

    postings = extract_postings(body)

    assert [p.salary_max for p in postings] == [80_000]


def test_each_employer_keeps_its_own_offer_across_sentences():
    body = (
        "Kairo recrute un juriste à 70 000 euros par an. "
        "De son côté, Tessaly cherche un analyste à 65 000 euros par an."
    )

    postings = extract_postings(body)

    assert summary(postings) == [
        ("Kairo", "juriste", 70_000, 70_000, "EUR", "year"),
        ("Tessaly", "analyste", 65_000, 65_000, "EUR", "year"),
    ]


def test_confidence_stays_between_zero_and_one():
    body = "Kairo recrute un architecte cloud payé 85 000 euros par an."

    (posting,) = extract_postings(body)

    assert 0 < posting.confidence <= 1


def test_start_up_named_before_pays_the_role_named_before():
    body = (
        "Kairo cherche un juriste spécialisé. "
        "La start-up lui offre 68 000 euros par an."
    )

    (posting,) = extract_postings(body)

    assert (posting.company, posting.title, posting.salary_max) == (
        "Kairo",
        "juriste spécialisé",
        68_000,
    )


def test_both_roles_named_before_share_the_figure():
    body = (
        "Brindle posted two roles, for a designer and an analyst. "
        "Both roles pay $90,000 a year."
    )

    postings = extract_postings(body, language="en")

    assert [(p.title, p.salary_max) for p in postings] == [
        ("designer", 90_000),
        ("analyst", 90_000),
    ]


def test_repeated_figure_adds_only_its_own_sentence_to_the_evidence():
    body = (
        "Brindle is looking for a chief scientist at $720,000 a year. "
        "Tessaly, a robotics firm, builds warehouse arms. "
        "This $720,000 job was posted last week."
    )

    (posting,) = extract_postings(body, language="en")

    assert posting.company == "Brindle"
    assert posting.merged_by == ("repeated-figure",)
    assert "Tessaly" not in posting.evidence
    assert posting.evidence.endswith("This $720,000 job was posted last week.")


def test_floor_and_ceiling_given_in_two_sentences_are_one_range():
    body = (
        "Brindle wants a principal data engineer in Leeds. "
        "Its listing starts the band at £98,000. The ceiling is £120,000."
    )

    (posting,) = extract_postings(body, language="en")

    assert (posting.salary_min, posting.salary_max) == (98_000, 120_000)
    assert "floor-and-ceiling" in posting.merged_by


def test_each_employer_takes_the_job_and_town_of_its_own_clause():
    body = (
        "Kairo offre 90 000 £ pour un ingénieur de données à Glasgow, tandis que "
        "Vireo propose 82 000 £ pour un analyste senior à Édimbourg."
    )

    postings = extract_postings(body, language="fr")

    assert [(p.company, p.title, p.location) for p in postings] == [
        ("Kairo", "ingénieur de données", "Glasgow"),
        ("Vireo", "analyste senior", "Édimbourg"),
    ]


def test_job_named_in_a_cleft_sentence_is_lent_to_the_pay():
    body = (
        "Du côté de Vireo, c'est un responsable de la fraude qui est recherché. "
        "Selon l'annonce, le salaire est plafonné à 120 000 euros par an."
    )

    (posting,) = extract_postings(body, language="fr")

    assert (posting.company, posting.title) == ("Vireo", "responsable de la fraude")
    assert posting.salary_max == 120_000


def test_a_generic_job_word_does_not_replace_the_job_named_before():
    body = (
        "La start-up Kairo cherche un chef de projet IA. "
        "La rémunération démarre à 55 000 euros, pour un poste hybride à Nantes."
    )

    (posting,) = extract_postings(body, language="fr")

    assert (posting.title, posting.location) == ("chef de projet IA", "Nantes")


def test_a_bare_dollar_after_the_figure_is_canadian_in_a_canadian_text():
    body = (
        "Orvo offre 120 000 $ CA par année à une chercheuse à Québec. "
        "Lumen offre 32 $ de l'heure à des linguistes en télétravail."
    )

    postings = extract_postings(body, language="fr")

    assert [p.currency for p in postings] == ["CAD", "CAD"]


def test_a_bare_dollar_before_the_figure_stays_american():
    body = (
        "Orvo is hiring a researcher in Toronto at C$120,000. "
        "Tessaly is hiring an engineer in Austin at $150,000 a year."
    )

    postings = extract_postings(body, language="en")

    assert [p.currency for p in postings] == ["CAD", "USD"]


def test_a_conversion_in_brackets_is_no_second_offer():
    body = (
        "À Genève, Kairo cherche une ingénieure. Le salaire annoncé : 9 000 francs "
        "par mois (environ 9 600 euros au taux actuel)."
    )

    (posting,) = extract_postings(body, language="fr")

    assert (posting.salary_max, posting.currency) == (9_000, "CHF")


def test_a_title_and_a_place_given_after_the_pay_are_added():
    body = (
        "For $240,000 a year, Brindle wants someone to run its serving stack. "
        "The job is titled head of inference and is based in Denver."
    )

    (posting,) = extract_postings(body, language="en")

    assert (posting.title, posting.location) == ("head of inference", "Denver")


def test_a_place_given_between_the_job_and_the_pay_goes_to_that_job():
    body = (
        "Vireo cherche un responsable des modèles. Le poste est basé à Rennes. "
        "L'annonce affiche une rémunération à partir de 90 000 euros."
    )

    (posting,) = extract_postings(body, language="fr")

    assert (posting.company, posting.location) == ("Vireo", "Rennes")


@pytest.mark.parametrize(
    ("body", "location"),
    [
        (
            "L'Institut Vaudois recrute lui aussi. L'école lausannoise propose un "
            "poste de chercheur à 85 000 francs annuels.",
            "Lausanne",
        ),
        (
            "The University of Leeds is looking for a research engineer at £45,000.",
            "Leeds",
        ),
        (
            "Kairo cherche pour son technocentre de Saclay un architecte logiciel, "
            "pour une rémunération de 90 000 euros par an.",
            "Saclay",
        ),
    ],
)
def test_the_town_is_read_from_an_adjective_an_institution_or_a_facility(
    body, location
):
    (posting,) = extract_postings(body)

    assert posting.location == location


def test_an_employer_named_by_its_acronym_in_brackets_is_known_by_it():
    body = (
        "L'Office national des données (OND) propose à un data scientist un "
        "contrat de deux ans, à Paris, rémunéré 3 900 euros brut par mois."
    )

    (posting,) = extract_postings(body, language="fr")

    assert (posting.company, posting.title) == ("OND", "data scientist")


def test_an_employer_in_a_relative_clause_is_the_one_hiring():
    body = (
        "En ce moment, je travaille pour Tessaly, qui cherche un lead MLOps à Nantes. "
        "La fourchette est de 85 000 à 100 000 euros."
    )

    (posting,) = extract_postings(body, language="fr")

    assert (posting.company, posting.location) == ("Tessaly", "Nantes")


def test_the_writers_own_pay_is_no_offer():
    body = "Quand j'étais freelance, je facturais 550 € par jour."

    assert extract_postings(body, language="fr") == []


@pytest.mark.parametrize(
    ("body", "company"),
    [
        (
            "Un analyste en sécurité est recherché par Vireo : la banque affiche ce "
            "poste à partir de 58 000 euros par an.",
            "Vireo",
        ),
        (
            "Brindle has an applied scientist opening. The company, which has raised "
            "money from Amazon and Google, pays $150,000 a year for the role.",
            "Brindle",
        ),
        (
            "Two start-ups stand out: Kairo, the legal AI startup, and Tessaly, the "
            "search company, respectively offer $170,000 and $180,000 for a product "
            "engineer and a search engineer.",
            "Kairo",
        ),
        (
            "Le laboratoire européen, le CERN, complète le tableau. Il vise un "
            "ingénieur logiciel. La rémunération : 9 800 francs suisses par mois.",
            "CERN",
        ),
    ],
)
def test_the_employer_is_read_from_the_shape_that_names_it(body, company):
    postings = extract_postings(body)

    assert postings and postings[0].company == company


def test_the_person_a_job_goes_to_earning_a_rate_is_an_offer():
    body = (
        "At the top end, Kairo wants an AI red-teaming contractor in Denver. "
        "That contractor earns $65 hourly."
    )

    (posting,) = extract_postings(body, language="en")

    assert (posting.company, posting.salary_max, posting.period) == (
        "Kairo",
        65,
        "hour",
    )


def test_a_currency_code_after_a_dollar_sign_names_the_dollars():
    body = "A senior AI scientist will earn $145,000 CAD a year at Vireo in Toronto."

    (posting,) = extract_postings(body, language="en")

    assert posting.currency == "CAD"
