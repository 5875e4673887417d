from pathlib import Path

import pytest

from articles.importer.parse import (
    detect_language,
    general_question,
    normalize_published,
    parse_article,
    shorten_title,
)

DATA = Path(__file__).parent / "data"


def parse_fixture(name: str, **overrides):
    return parse_article((DATA / name).read_text(encoding="utf-8"), **overrides)


def test_date_header_keeps_a_day_precision():
    parsed = parse_fixture("fr-glued.txt")

    assert parsed.published == "2024-05-14"


def test_date_header_keeps_a_month_precision():
    parsed = parse_fixture("fr-sections.txt")

    assert parsed.published == "2024-03"


def test_date_header_keeps_a_year_precision():
    parsed = parse_fixture("fr-money-forms.txt")

    assert parsed.published == "2024"


def test_text_without_date_header_has_no_date():
    parsed = parse_fixture("fr-duplicated.txt")

    assert parsed.published is None


def test_title_comes_from_a_short_first_line_without_full_stop():
    parsed = parse_fixture("en-offers.txt")

    assert parsed.title == "AI hiring heats up in Europe"
    assert not parsed.body.startswith("AI hiring")


def test_title_comes_from_the_first_sentence_when_there_is_no_title_line():
    parsed = parse_fixture("fr-glued.txt")

    assert parsed.title == (
        "Les laboratoires d'IA se disputent une poignée d'experts capables "
        "d'entraîner de grands modèles"
    )


def test_long_first_sentence_is_shortened_at_a_word_boundary():
    sentence = (
        "Alors que les géants du numérique multiplient les annonces, les salaires "
        "proposés aux spécialistes de l'apprentissage automatique atteignent des "
        "niveaux que personne n'avait anticipés il y a seulement deux ans."
    )

    title = shorten_title(sentence)

    assert len(title) <= 120
    assert title.endswith("…")
    assert sentence.startswith(title.rstrip("…"))
    assert sentence[len(title.rstrip("…"))] in " ,"


def test_title_source_and_date_options_override_the_text():
    parsed = parse_fixture(
        "fr-glued.txt",
        title="Mon titre",
        source="La Gazette",
        published="2024-06",
    )

    assert (parsed.title, parsed.source, parsed.published) == (
        "Mon titre",
        "La Gazette",
        "2024-06",
    )


def test_published_option_refuses_an_unreadable_date():
    with pytest.raises(ValueError):
        parse_article("Un texte.", published="hier")


def test_source_and_author_line_becomes_metadata():
    parsed = parse_fixture("fr-duplicated.txt")

    assert (parsed.source, parsed.author) == ("Le Courrier du Code", "Camille Martin")
    assert "Courrier du Code" not in parsed.body


def test_empty_author_field_and_trailing_comment_label_are_dropped():
    parsed = parse_fixture("fr-duplicated.txt")

    assert "Auteur" not in parsed.body
    assert "Commentaire" not in parsed.body


def test_translator_credit_is_metadata_not_body():
    parsed = parse_fixture("fr-duplicated.txt")

    assert parsed.translator == "Julien Moreau"
    assert "Traduit" not in parsed.body


def test_article_scraped_twice_is_kept_once():
    parsed = parse_fixture("fr-duplicated.txt")

    assert parsed.body.count("bootcamp de trois semaines") == 1
    assert len(parsed.body.split("\n\n")) == 5


def test_repeated_paragraph_is_kept_once():
    text = "Premier paragraphe.\n\nSecond paragraphe.\n\nPremier paragraphe.\n"

    parsed = parse_article(text)

    assert parsed.body.count("Premier paragraphe.") == 1


def test_section_headings_become_markdown_headings():
    parsed = parse_fixture("fr-sections.txt")

    assert "## Des montants vertigineux" in parsed.body
    assert "## Et les start-up ?" in parsed.body


def test_paragraphs_glued_by_the_scraper_are_separated():
    parsed = parse_fixture("fr-glued.txt")

    paragraphs = parsed.body.split("\n\n")
    assert paragraphs[1].startswith("Cette semaine, Anthropic")


def test_closing_questions_glued_together_are_split_in_order():
    parsed = parse_fixture("fr-glued.txt")

    assert parsed.questions == [
        "Que pensez-vous de ces écarts de salaires ?",
        "Selon vous, les start-up françaises peuvent-elles suivre ? Pourquoi ?",
        "Faut-il encadrer ces rémunérations ?",
    ]


def test_closing_questions_leave_the_body():
    parsed = parse_fixture("fr-glued.txt")

    assert "Que pensez-vous" not in parsed.body
    assert parsed.body.endswith("Ces montants font rêver les jeunes diplômés.")


def test_question_inside_the_body_is_not_a_closing_question():
    parsed = parse_fixture("fr-glued.txt")

    assert "Faut-il s'en étonner ?" in parsed.body
    assert all("étonner" not in question for question in parsed.questions)


def test_sources_line_glued_to_a_question_is_metadata():
    parsed = parse_fixture("fr-sections.txt")

    assert parsed.sources == ["Talent.io", "Levels.fyi", "Dealroom"]
    assert parsed.questions[0].startswith("Faut-il plafonner")
    assert "Sources" not in parsed.body


def test_why_or_why_not_follow_up_stays_with_its_question():
    parsed = parse_fixture("fr-sections.txt")

    assert parsed.questions == [
        "Faut-il plafonner les rémunérations des experts en IA ? "
        "Pourquoi ou pourquoi pas ?",
        "Comment les PME peuvent-elles attirer ces profils ?",
        "Les écoles françaises forment-elles assez d'ingénieurs en IA ?",
    ]


def test_english_follow_up_stays_with_its_question():
    parsed = parse_fixture("en-offers.txt")

    assert parsed.questions == [
        "Should European companies match these salaries? Why or why not?",
        "What skills will matter most in five years?",
    ]


def test_rhetorical_question_in_a_paragraph_is_not_a_closing_question():
    parsed = parse_fixture("fr-sections.txt")

    assert "Qui peut rivaliser avec de tels chiffres ?" in parsed.body


def test_article_without_closing_question_has_no_questions():
    parsed = parse_fixture("fr-duplicated.txt")

    assert parsed.questions == []


def test_general_question_follows_the_language():
    assert general_question("fr") == "Qu'en pensez-vous ?"
    assert general_question("en") == "What do you think?"


def test_language_is_detected_from_frequent_words():
    assert parse_fixture("en-offers.txt").language == "en"
    assert parse_fixture("fr-glued.txt").language == "fr"
    assert detect_language("The role is open to anyone with the skills.") == "en"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2024", "2024"),
        ("2024-3", "2024-03"),
        ("2024-03-05", "2024-03-05"),
        ("05/03/2024", "2024-03-05"),
        ("mars 2024", "2024-03"),
        ("5 mars 2024", "2024-03-05"),
        ("March 5, 2024", "2024-03-05"),
        ("1er avril 2024", "2024-04-01"),
        ("3 avr. 2024", "2024-04-03"),
        ("Tuesday, June 4, 2024", "2024-06-04"),
        ("4 June 2024", "2024-06-04"),
        ("03/04/24", "2024-04-03"),
        ("12/31/2024", "2024-12-31"),
        ("2024-13", None),
        ("2024-02-30", None),
        ("bientôt", None),
    ],
)
def test_published_dates_are_normalised_with_their_precision(written, expected):
    assert normalize_published(written) == expected


def test_impossible_date_header_is_dropped():
    parsed = parse_article(" date 2024-02-30 Un titre\n\nLe corps.\n")

    assert (parsed.published, parsed.title) == (None, "Un titre")


# By-lines, dates and sources


def test_by_line_with_a_publication_after_a_comma_gives_author_and_source():
    parsed = parse_article(
        "Les data scientists changent d'employeur\n"
        "Par Hugo Lambert, La Revue du Code.\n"
        "Les offres se multiplient depuis janvier.\n"
    )

    assert (parsed.author, parsed.source) == ("Hugo Lambert", "La Revue du Code")
    assert parsed.title == "Les data scientists changent d'employeur"
    assert "Hugo Lambert" not in parsed.body


def test_by_line_with_a_bar_gives_author_and_source():
    parsed = parse_article(
        "By Nina Patel | Cloud Ledger\n\nHiring managers are busy again this spring.\n"
    )

    assert (parsed.author, parsed.source) == ("Nina Patel", "Cloud Ledger")
    assert not parsed.title.startswith("By")


def test_by_line_of_a_name_alone_gives_the_author():
    parsed = parse_article(" date 2024-08\nPar Lucie Perrin\n\nLe marché se tend.\n")

    assert (parsed.author, parsed.source, parsed.published) == (
        "Lucie Perrin",
        "",
        "2024-08",
    )
    assert "Lucie Perrin" not in parsed.body


@pytest.mark.parametrize(
    ("line", "author", "source"),
    [
        ("Texte : Lucie Perrin", "Lucie Perrin", ""),
        ("Propos recueillis par Lucie Perrin", "Lucie Perrin", ""),
        ("Par Lucie Perrin et Marc Diallo", "Lucie Perrin et Marc Diallo", ""),
        (
            "Par Lucie Perrin (Le Veilleur Numérique)",
            "Lucie Perrin",
            "Le Veilleur Numérique",
        ),
        (
            "Par Lucie Perrin, journaliste au Veilleur Numérique",
            "Lucie Perrin",
            "Veilleur Numérique",
        ),
        ("Written by Sam Ortega for Data Weekly", "Sam Ortega", "Data Weekly"),
        ("By Sam Ortega, Staff Writer, Data Weekly", "Sam Ortega", "Data Weekly"),
        ("Data Weekly (Sam Ortega).", "Sam Ortega", "Data Weekly"),
        ("Sam Ortega | Data Weekly | 4 June 2024", "Sam Ortega", "Data Weekly"),
        ("Auteur : Lucie Perrin", "Lucie Perrin", ""),
        ("Par notre envoyée spéciale Lucie Perrin", "Lucie Perrin", ""),
        ("Par notre correspondant à Genève, Marc Diallo", "Marc Diallo", ""),
        ("Par notre rédaction", "", ""),
        ("By Sam Ortega in Leeds | Data Weekly", "Sam Ortega", "Data Weekly"),
        ("Par Lucie M. Perrin, Le Veilleur, à Lyon.", "Lucie M. Perrin", "Le Veilleur"),
    ],
)
def test_by_line_forms_give_author_and_source(line, author, source):
    parsed = parse_article(f"Un titre court\n{line}\n\nLe corps de l'article.\n")

    assert (parsed.author, parsed.source) == (author, source)
    assert parsed.title == "Un titre court"
    assert parsed.body == "Le corps de l'article."


def test_source_line_gives_the_source():
    parsed = parse_article(
        " date 2024-04-18\nSource : Le Veilleur Numérique.\n\nTexte.\n"
    )

    assert parsed.source == "Le Veilleur Numérique"
    assert parsed.body == "Texte."


@pytest.mark.parametrize(
    "line",
    [
        "Par ailleurs, les écoles ouvrent des cursus.",
        "By 2030, the market will have doubled.",
        "Par Google et Meta, les offres sont jugées trop basses.",
        "Le 3 avril 2024, Google a publié une offre.",
        "Publié le 3 avril 2024, le rapport fait date.",
        "Traduit en chiffres, cela donne : 3 000 euros.",
    ],
)
def test_sentences_that_open_like_metadata_stay_in_the_body(line):
    parsed = parse_article(f"Un titre court\n\nPremier paragraphe.\n\n{line}\n")

    assert line in parsed.body
    assert (parsed.author, parsed.source, parsed.translator) == ("", "", "")
    assert parsed.published is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Publié le 3 avril 2024", "2024-04-03"),
        ("Published June 7, 2024", "2024-06-07"),
        ("Publié le mardi 5 mars 2024 à 08h30", "2024-03-05"),
        ("Published Tue, Jun 4, 2024 at 10:32 a.m. ET", "2024-06-04"),
        ("Publié le 3 avr. 2024 à 7:00Mis à jour le 4 avr. 2024 à 9:15", "2024-04-03"),
        ("Updated on 12 March 2024", "2024-03-12"),
        ("Mis à jour le 12/03/24", "2024-03-12"),
        ("Le 1er juillet 2024", "2024-07-01"),
        ("Juin 2024", "2024-06"),
        ("4 June 2024 • 5 min read", "2024-06-04"),
    ],
)
def test_dated_lines_give_the_publication_date(line, expected):
    parsed = parse_article(f"Un titre court\n{line}\n\nLe corps de l'article.\n")

    assert parsed.published == expected
    assert parsed.body == "Le corps de l'article."


@pytest.mark.parametrize(
    ("line", "author", "date"),
    [
        ("Le 14 février 2024 à 10:12, par Lucie Perrin", "Lucie Perrin", "2024-02-14"),
        ("Posted on March 12, 2024 by Sam Ortega", "Sam Ortega", "2024-03-12"),
        ("Lucie Perrin, publié le 12 mars 2024", "Lucie Perrin", "2024-03-12"),
        (
            "Par Lucie Perrin - Publié le 03.04.2024 à 06h00",
            "Lucie Perrin",
            "2024-04-03",
        ),
        ("Data Weekly (Sam Ortega), June 7, 2024.", "Sam Ortega", "2024-06-07"),
    ],
)
def test_by_lines_with_a_date_give_author_and_date(line, author, date):
    parsed = parse_article(f"Un titre court\n{line}\n\nLe corps de l'article.\n")

    assert (parsed.author, parsed.published) == (author, date)
    assert parsed.body == "Le corps de l'article."


def test_title_line_naming_a_month_is_not_a_by_line():
    parsed = parse_article("Les salaires de mars 2024\n\nLe corps de l'article.\n")

    assert parsed.title == "Les salaires de mars 2024"
    assert (parsed.author, parsed.source, parsed.published) == ("", "", None)


def test_role_under_the_by_line_and_section_label_above_the_title_are_dropped():
    parsed = parse_article(
        "EMPLOI ET DONNÉES\nUn titre court\nPar Lucie Perrin\nRédactrice en chef\n"
        "\nLe corps de l'article.\n"
    )

    assert (parsed.title, parsed.author) == ("Un titre court", "Lucie Perrin")
    assert parsed.body == "Le corps de l'article."


def test_source_line_with_a_date_gives_the_source_and_the_date():
    parsed = parse_article(
        "Un titre court\nSource : Le Veilleur, 3 avril 2024.\n\nTexte.\n"
    )

    assert (parsed.source, parsed.sources, parsed.published) == (
        "Le Veilleur",
        [],
        "2024-04-03",
    )


def test_source_line_describing_a_document_goes_to_the_sources():
    parsed = parse_article("Un titre court\n\nLe corps.\n\nSource : offre d'emploi\n")

    assert (parsed.source, parsed.sources) == ("", ["offre d'emploi"])


def test_publication_date_wins_over_an_update_date_whatever_the_order():
    parsed = parse_article(
        "Un titre court\nMis à jour le 9 avril 2024\nPublié le 2 avril 2024\n\nTexte.\n"
    )

    assert parsed.published == "2024-04-02"


def test_date_header_wins_over_a_dated_line():
    parsed = parse_article(" date 2024-05\nPublié le 2 avril 2024\n\nTexte.\n")

    assert parsed.published == "2024-05"


def test_by_line_with_a_date_gives_author_and_date():
    parsed = parse_article(
        "Un titre court\nPar Lucie Perrin, publié le 4 juin 2024\n\nTexte.\n"
    )

    assert (parsed.author, parsed.published) == ("Lucie Perrin", "2024-06-04")


# Page furniture


def test_page_furniture_lines_are_dropped():
    parsed = parse_article(
        "Accueil > Emploi > Données\n"
        "Un titre court\n"
        "Temps de lecture : 3 min\n"
        "Partager sur LinkedIn\n"
        "Le corps de l'article.\n"
        "Lire aussi : Les salaires des juristes en hausse\n"
        "Suite du corps.\n"
        "Commentaires (4)\n"
        "Cet article est réservé aux abonnés.\n"
        "Cet article vous a plu ?\n"
    )

    assert parsed.title == "Un titre court"
    assert parsed.body == "Le corps de l'article.\n\nSuite du corps."
    assert parsed.questions == []


@pytest.mark.parametrize(
    "line",
    [
        "Menu",
        "Se connecter",
        "Sign in",
        "Se connecter | S'abonner",
        "Tweet | Email | Share",
        "Culture | Sport | Opinions",
        "Accueil › Régions › Emploi",
        "Nous utilisons des cookies pour mesurer l'audience. Accepter | Refuser",
        "This site uses cookies to improve your visit. Got it",
        "Gérer mes cookies",
        "Il vous reste 2 articles gratuits ce mois-ci. Abonnez-vous pour la suite.",
        "Newsletter: sign up",
        "Infolettre",
        "(Photo : Une salle de serveurs à Rennes. DR)",
        "(Illustration : courbe des embauches, source interne)",
        "Illustration: A robot arm in a warehouse. (Stock image)",
        "Read more: Are data labellers paid enough?",
        "À lire aussi : Les robots vont-ils remplacer les caristes ?",
        "Réagir (5)",
        "Comments (12)",
        "Related topics: Robotics, Logistics",
        "© 2025 Le Veilleur Numérique – Tous droits réservés",
        "Copyright 2025 Harbour Wire Ltd",
        "Mentions légales | Politique de confidentialité",
        "Cookie Settings | Privacy Policy | Terms of Use",
        "Envoyer par courriel",
    ],
)
def test_web_page_furniture_between_paragraphs_is_dropped(line):
    parsed = parse_article(
        f"Un titre court\n\nPremier paragraphe.\n\n{line}\n\nSecond paragraphe.\n"
    )

    assert parsed.body == "Premier paragraphe.\n\nSecond paragraphe."


def test_bar_of_short_items_is_still_read_as_a_by_line():
    parsed = parse_article(
        "Un titre court\nLucie Perrin | Le Veilleur Numérique | 3 avril 2025\n"
        "Le corps.\n"
    )

    assert (parsed.author, parsed.source, parsed.published) == (
        "Lucie Perrin",
        "Le Veilleur Numérique",
        "2025-04-03",
    )


@pytest.mark.parametrize(
    "lead_in",
    ["À vous de juger :", "Have your say", "Join the conversation", "Tell us:"],
)
def test_closing_questions_are_read_before_share_buttons_tags_and_footer(lead_in):
    parsed = parse_article(
        f"Un titre court\n\nLe corps.\n\n{lead_in}\n"
        "Les robots feront-ils baisser les salaires ?\n"
        "Changeriez-vous de métier pour 60 000 euros ?\n\n"
        "Partager sur X\nFacebook\nX\nCopier le lien\nTags : Robotique, Emploi\n"
        "9 commentaires\n© 2025 Le Veilleur Numérique\nMentions légales\n"
    )

    assert parsed.questions == [
        "Les robots feront-ils baisser les salaires ?",
        "Changeriez-vous de métier pour 60 000 euros ?",
    ]
    assert parsed.body == "Le corps."


def test_list_of_related_articles_at_the_end_is_dropped():
    parsed = parse_article(
        "Un titre court\n\nLe corps.\n\nFaut-il s'inquiéter ?\n\nVoir aussi :\n\n"
        "Les salaires des juristes en hausse\nPourquoi les banques recrutent-elles ?\n"
    )

    assert parsed.body == "Le corps."
    assert parsed.questions == ["Faut-il s'inquiéter ?"]


def test_job_link_line_keeps_its_address_in_the_body_where_it_was():
    parsed = parse_article(
        "Un titre court\n\nOrbis recrute une analyste à 50 000 euros.\n"
        "Voir l'offre : https://orbis.example/offres/7\n"
        "Le reste du texte.\n"
    )

    assert parsed.body.split("\n\n") == [
        "Orbis recrute une analyste à 50 000 euros.",
        "https://orbis.example/offres/7",
        "Le reste du texte.",
    ]


def test_label_of_a_link_line_is_dropped_in_english_too():
    parsed = parse_article(
        "A short title\n\nOrbis is hiring an analyst for £50,000.\n"
        "Apply here: https://orbis.example/jobs/7\n"
        "The rest of the text.\n"
    )

    assert "Apply" not in parsed.body
    assert "\n\nhttps://orbis.example/jobs/7\n\n" in parsed.body


def test_link_line_with_two_addresses_keeps_both():
    parsed = parse_article(
        "Un titre court\n\nOrbis et Nexa recrutent.\n"
        "Les deux offres : https://orbis.example/7 et https://nexa.example/8\n"
    )

    assert parsed.body.endswith("https://orbis.example/7 et https://nexa.example/8")


def test_job_link_after_the_questions_stays_in_the_body():
    parsed = parse_article(
        "Un titre court\n\nOrbis recrute une analyste à 50 000 euros.\n\n"
        "Ce salaire est-il juste ?\n"
        "Voir l'offre : https://orbis.example/offres/7?source=presse\n"
    )

    assert parsed.questions == ["Ce salaire est-il juste ?"]
    assert parsed.body.endswith("\n\nhttps://orbis.example/offres/7?source=presse")


def test_link_line_is_not_a_heading():
    parsed = parse_article(
        "Un titre court\n\nLe corps.\n\nVoir l'offre : https://orbis.example/7\n\n"
        "La suite.\n"
    )

    assert "## Voir" not in parsed.body


# Closing questions


def test_closing_questions_one_per_line_are_found():
    parsed = parse_article(
        "Un titre court\n\nLe corps de l'article.\n"
        "Les PME peuvent-elles suivre ?\n"
        "Qui paiera la formation ?\n"
    )

    assert parsed.questions == [
        "Les PME peuvent-elles suivre ?",
        "Qui paiera la formation ?",
    ]
    assert parsed.body == "Le corps de l'article."


def test_closing_questions_between_blank_lines_are_found():
    parsed = parse_article(
        "A short title\n\nThe body.\n\nIs the gap closing?\n\nWho will pay for it?\n"
    )

    assert parsed.questions == ["Is the gap closing?", "Who will pay for it?"]


@pytest.mark.parametrize("marker", ["1.", "2)", "-", "•", "Question 1 :"])
def test_numbered_or_bulleted_closing_questions_lose_their_marker(marker):
    parsed = parse_article(
        f"Un titre court\n\nLe corps.\n\n{marker} Les PME peuvent-elles suivre ?\n"
        f"{marker} Qui paiera la formation ?\n"
    )

    assert parsed.questions == [
        "Les PME peuvent-elles suivre ?",
        "Qui paiera la formation ?",
    ]


@pytest.mark.parametrize(
    "lead_in", ["À vous :", "Et vous ?", "Questions pour le débat :", "Your turn:"]
)
def test_lead_in_before_the_closing_questions_is_dropped(lead_in):
    parsed = parse_article(
        f"Un titre court\n\nLe corps.\n\n{lead_in}\n\nLes PME peuvent-elles suivre ?\n"
    )

    assert parsed.questions == ["Les PME peuvent-elles suivre ?"]
    assert parsed.body == "Le corps."


def test_lead_in_inside_the_last_paragraph_starts_the_closing_questions():
    parsed = parse_article(
        "Un titre court\n\nLe corps. À vous : ces salaires sont-ils mérités ?\n"
        "Qui paiera la formation ?\n"
    )

    assert parsed.questions == [
        "Ces salaires sont-ils mérités ?",
        "Qui paiera la formation ?",
    ]
    assert parsed.body == "Le corps."


def test_invitation_to_comment_is_not_a_question_and_leaves_the_body():
    parsed = parse_article(
        "A short title\n\nThe body.\n\nIs the gap closing?\n"
        "Let us know in the comments.\n"
    )

    assert parsed.questions == ["Is the gap closing?"]
    assert parsed.body == "The body."


@pytest.mark.parametrize(
    "follow_up",
    [
        "Pourquoi ?",
        "Pourquoi ou pourquoi pas ?",
        "Justifiez votre réponse.",
        "Lesquels ?",
        "Et si oui, lesquels ?",
        "Why or why not?",
    ],
)
def test_follow_up_on_its_own_line_stays_with_its_question(follow_up):
    parsed = parse_article(
        "Un titre court\n\nLe corps.\n\nFaut-il changer de métier ?\n"
        f"{follow_up}\nQui paiera la formation ?\n"
    )

    assert parsed.questions == [
        f"Faut-il changer de métier ? {follow_up}",
        "Qui paiera la formation ?",
    ]


@pytest.mark.parametrize(
    "glue",
    [
        "Source : Le Veilleur NumériqueLes PME peuvent-elles suivre ?",
        "Source : Le Veilleur Numérique.Les PME peuvent-elles suivre ?",
        "Source : Le Veilleur Numérique. Les PME peuvent-elles suivre ?",
        "Source : Le Veilleur Numérique Les PME peuvent-elles suivre ?",
        "Source : Le Veilleur Numérique\nLes PME peuvent-elles suivre ?",
    ],
)
def test_source_glued_to_the_first_question_is_metadata(glue):
    parsed = parse_article(
        f"Un titre court\n\nLe corps.{glue}Qui paiera la formation ?\n"
    )

    assert parsed.source == "Le Veilleur Numérique"
    assert parsed.questions == [
        "Les PME peuvent-elles suivre ?",
        "Qui paiera la formation ?",
    ]
    assert parsed.body == "Le corps."


def test_english_source_glued_to_a_question_is_metadata():
    parsed = parse_article(
        "A short title\n\nThe body.\nSource: Data Weekly Should firms publish pay?\n"
    )

    assert parsed.source == "Data Weekly"
    assert parsed.questions == ["Should firms publish pay?"]


def test_narrow_spaces_before_punctuation_are_ordinary_spaces():
    parsed = parse_article(
        "Missions IA\u202f: un titre\n\nLe corps.\u00a0Vraiment.\n"
        "Les PME peuvent-elles suivre\u202f?Qui paiera\u00a0?\n"
    )

    assert parsed.title == "Missions IA : un titre"
    assert parsed.questions == ["Les PME peuvent-elles suivre ?", "Qui paiera ?"]


def test_heading_ending_in_a_question_mark_stays_a_heading():
    parsed = parse_article(
        "Un titre court\n\nLe corps.\n\nEt les PME ?\n\nElles suivent.\n\n"
        "Qui paiera la formation ?\n"
    )

    assert "## Et les PME ?" in parsed.body
    assert parsed.questions == ["Qui paiera la formation ?"]


def test_one_rhetorical_question_ending_the_text_stays_in_the_body():
    parsed = parse_article(
        "Un titre court\n\nLe corps. Les salaires baisseront-ils un jour ?\n"
    )

    assert parsed.questions == []
    assert parsed.body.endswith("baisseront-ils un jour ?")


def test_questions_to_the_reader_ending_the_last_paragraph_are_closing_questions():
    parsed = parse_article(
        "Un titre court\n\nLe corps. Et vous, accepteriez-vous ce poste ? Pourquoi ?\n"
    )

    assert parsed.questions == ["Et vous, accepteriez-vous ce poste ? Pourquoi ?"]
    assert parsed.body == "Le corps."


def test_quote_closing_the_last_sentence_stays_in_the_body():
    parsed = parse_article(
        'A short title\n\nShe said: "It pays." Would you take the job? '
        "Why or why not?\n"
    )

    assert parsed.questions == ["Would you take the job? Why or why not?"]
    assert parsed.body == 'She said: "It pays."'


# Articles written for these tests, in shapes the corpus does not use


def test_interview_fixture_reads_its_by_line_update_date_and_numbered_questions():
    parsed = parse_fixture("fr-interview.txt")

    assert parsed.title == (
        "Trois recruteurs racontent la course aux ingénieurs en robotique"
    )
    assert (parsed.author, parsed.source, parsed.published) == (
        "Aurélie Vasseur",
        "",
        "2024-03-12",
    )
    assert parsed.questions == [
        "Les ingénieurs en robotique sont-ils assez payés ?",
        "Faut-il se spécialiser tôt dans la perception ? Justifiez votre réponse.",
    ]
    assert "## Qu'est-ce qui a changé en un an ?" in parsed.body
    assert parsed.body.endswith(
        "\n\nhttps://robolya.example/emplois/ingenieur-perception"
    )
    assert "À vous" not in parsed.body


def test_updated_fixture_reads_words_by_and_bulleted_questions():
    parsed = parse_fixture("en-updated.txt")

    assert (parsed.title, parsed.published) == (
        "Dublin's data teams get a raise",
        "2024-03-12",
    )
    assert (parsed.author, parsed.source) == ("Ciara Nolan", "Harbour Tech Notes")
    assert parsed.questions == [
        "Would you take a pay cut to stay in your home country?",
        "Are hybrid roles worth less than fully remote ones? Why or why not?",
    ]
    assert parsed.body.endswith(
        "Is that enough to keep graduates at home? Recruiters think so."
    )
    assert "comments" not in parsed.body
    assert parsed.language == "en"


def test_web_page_fixture_drops_its_furniture_and_keeps_its_questions():
    parsed = parse_fixture("fr-page.txt")

    assert parsed.title == "Les studios d’animation recrutent des spécialistes de l’IA"
    assert (parsed.author, parsed.source, parsed.published) == (
        "Bastien Morel",
        "Le Fil Animation",
        "2024-03-05",
    )
    assert parsed.questions == [
        "Les studios doivent-ils former eux-mêmes leurs ingénieurs ?",
        "Accepteriez-vous un salaire plus bas pour travailler dans l’animation ? "
        "Pourquoi ?",
    ]
    assert parsed.body.split("\n\n") == [
        "Les studios d’animation français ont longtemps sous-traité leurs effets "
        "spéciaux. Ils recrutent désormais leurs propres équipes d’apprentissage "
        "automatique.",
        "## Un métier qui se cherche ?",
        "Le studio Pixelune propose 52 000 euros par an à un ingénieur chargé de la "
        "génération d’arrière-plans.",
    ]


def test_glued_fixture_splits_its_source_from_its_questions_and_keeps_its_link():
    parsed = parse_fixture("fr-glued-source.txt")

    assert parsed.published == "2024-09-18"
    assert parsed.source == "Traduire Aujourd’hui"
    assert parsed.questions == [
        "Les traducteurs doivent-ils se former à l’IA ?",
        "Quels métiers de la traduction vont disparaître ?",
        "La post-édition est-elle un vrai métier ? Pourquoi ?",
    ]
    assert "https://linguanova.example/jobs/42?ref=site" in parsed.body
    assert parsed.body.endswith("Les traducteurs, eux, voient leurs tarifs baisser.")


def test_bare_date_heading_inside_the_text_stays_a_heading():
    parsed = parse_article(
        "Un titre court\n\nLe corps.\n\nMars 2024\n\nLes offres reprennent.\n"
    )

    assert parsed.published is None
    assert "## Mars 2024" in parsed.body


def test_labelled_date_at_the_end_of_the_text_is_read():
    parsed = parse_article("Un titre court\n\nLe corps.\n\nPublié le 2 mai 2024\n")

    assert parsed.published == "2024-05-02"
    assert parsed.body == "Le corps."


def test_related_article_announced_inside_the_text_is_dropped_alone():
    parsed = parse_article(
        "Un titre court\n\nLe début du corps.\n\nÀ lire aussi :\n"
        "Les salaires des juristes en hausse\n\n"
        "La suite du corps, qui est un vrai paragraphe et bien plus long que les "
        "titres des articles liés. Il continue encore un peu pour le montrer, "
        "avec une deuxième phrase.\n"
    )

    assert parsed.body.startswith("Le début du corps.\n\nLa suite du corps")
    assert "juristes" not in parsed.body


def test_closing_questions_after_a_list_of_related_articles_are_kept():
    parsed = parse_article(
        "Un titre court\n\nLe corps.\n\nSur le même sujet\n"
        "Les salaires des juristes en hausse\n\nEt vous ?\n"
        "Qui paiera la formation ?\n"
    )

    assert parsed.questions == ["Qui paiera la formation ?"]
    assert parsed.body == "Le corps."


def test_headline_opening_with_a_quotation_is_a_title():
    parsed = parse_article(
        "« Nous suivons le marché » : une start-up défend ses salaires\n\n"
        "Le corps de l'article.\n"
    )

    assert parsed.title == (
        "« Nous suivons le marché » : une start-up défend ses salaires"
    )
    assert parsed.body == "Le corps de l'article."


def test_quotation_alone_on_the_first_line_is_not_a_title():
    parsed = parse_article("« Nous suivons le marché »\n\nLe corps de l'article.\n")

    assert parsed.body.startswith("« Nous suivons le marché »")


# Pages scraped whole from press sites, with their menus and footers


def test_french_web_page_gives_the_headline_under_its_masthead_and_menus():
    parsed = parse_fixture("fr-web-page.txt")

    assert parsed.title == "Les entrepôts automatisés s'arrachent les roboticiens"
    assert (parsed.author, parsed.source, parsed.published) == (
        "Lucie Perrin",
        "Le Veilleur Numérique",
        "2025-03-04",
    )


def test_french_web_page_keeps_its_standfirst_and_text_only():
    parsed = parse_fixture("fr-web-page.txt")

    paragraphs = parsed.body.split("\n\n")
    assert paragraphs[0].startswith("Préparation de commandes, tri des colis")
    assert paragraphs[-1] == "Les écoles d'ingénieurs peinent à suivre la demande."
    for furniture in ("Menu", "cookies", "gratuits", "(Photo", "Lire aussi", "©"):
        assert furniture not in parsed.body
    assert "\n\nhttps://convoya.example/emplois/vision-42\n\n" in parsed.body
    assert "Voir l'annonce" not in parsed.body


def test_french_web_page_reads_the_questions_above_its_share_buttons():
    parsed = parse_fixture("fr-web-page.txt")

    assert parsed.questions == [
        "Ces salaires suffiront-ils à attirer des ingénieurs dans les entrepôts ?",
        "Accepteriez-vous de travailler de nuit pour 10 % de plus ?",
    ]
    assert "À vous de juger" not in parsed.body


def test_english_web_page_drops_a_masthead_in_capitals():
    parsed = parse_fixture("en-web-page.txt")

    assert parsed.title == "Port operators bid for data scientists"
    assert (parsed.author, parsed.source, parsed.published) == (
        "Tom Reed",
        "Harbour Wire",
        "2025-04-09",
    )
    assert "HARBOUR WIRE" not in parsed.body


def test_english_web_page_reads_numbered_questions_above_its_footer():
    parsed = parse_fixture("en-web-page.txt")

    assert parsed.questions == [
        "Should ports pay data scientists more than crane operators?",
        "Would you move to a port town for an AI job?",
    ]
    for furniture in ("News | Jobs", "Sign in", "min read", "Image:", "Read more"):
        assert furniture not in parsed.body
    assert parsed.body.endswith("Smaller operators say they cannot match that figure.")


def test_web_story_reads_a_by_line_with_date_and_reading_time():
    parsed = parse_fixture("fr-web-story.txt")

    assert parsed.title == (
        "Les transporteurs routiers misent sur l'IA pour planifier leurs tournées"
    )
    assert (parsed.author, parsed.source, parsed.published) == (
        "Hugo Marchal",
        "Le Courrier du Fret",
        "2025-05-12",
    )
    assert parsed.questions == [
        "Ces profils resteront-ils dans le transport ?",
        "Les grands groupes vont-ils les débaucher ?",
    ]
    assert parsed.body.split("\n\n") == [
        "Les transporteurs routiers cherchent des spécialistes capables "
        "d'optimiser les tournées.",
        "La PME Routelia propose 4 200 euros brut par mois à un data analyst "
        "basé à Lyon.",
    ]


def test_first_paragraph_is_not_taken_for_a_standfirst_without_a_by_line():
    parsed = parse_article(
        "Un titre court\n\nLe corps.\n\nMars 2024\n\nLes offres reprennent.\n"
    )

    assert parsed.published is None
    assert "## Mars 2024" in parsed.body


def test_unmarked_by_line_under_a_standfirst_is_read():
    parsed = parse_article(
        "Un titre court\nUn chapeau qui résume l'article.\n"
        "Lucie Perrin | Le Veilleur Numérique\nLe corps.\n"
    )

    assert (parsed.title, parsed.author, parsed.source) == (
        "Un titre court",
        "Lucie Perrin",
        "Le Veilleur Numérique",
    )
    assert parsed.body == "Un chapeau qui résume l'article.\n\nLe corps."


def test_masthead_named_in_the_copyright_line_is_not_the_title():
    parsed = parse_article(
        "Dockside Daily\nMenu\nCrane drivers learn to work with forecasts\n"
        "By Ana Ruiz\nThe body.\n© 2025 Dockside Daily Media Inc.\n"
    )

    assert parsed.title == "Crane drivers learn to work with forecasts"
    assert parsed.body == "The body."


def test_source_line_with_an_address_is_not_a_link_line():
    parsed = parse_article(
        "Un titre court\n\nLe corps.\n\nSource : https://example.org/rapport\n"
    )

    assert parsed.sources == ["https://example.org/rapport"]
    assert parsed.body == "Le corps."


def test_bullets_and_table_rows_stay_plain_lines_of_the_body():
    parsed = parse_article(
        "Un titre court\n\nLes annonces de la semaine :\n"
        "• Orbite — ingénieur vision (Nantes) — 60–72 k€\n"
        "- Calame : responsable des données (Rennes) : 80 k€\n"
        "Brasserie Numérique | Data analyst | 48 000 € | Tours\n"
        "Le reste ne donnait aucun chiffre.\n"
    )

    assert parsed.body.split("\n\n") == [
        "Les annonces de la semaine :",
        "• Orbite — ingénieur vision (Nantes) — 60–72 k€",
        "- Calame : responsable des données (Rennes) : 80 k€",
        "Brasserie Numérique | Data analyst | 48 000 € | Tours",
        "Le reste ne donnait aucun chiffre.",
    ]


def test_table_header_without_figures_is_not_kept_as_a_heading():
    parsed = parse_article(
        "A short title\n\nSome listings:\nEmployer | Role | Salary | City\n"
        "Maersk | Route scientist | £80,000 | London\nThat is all.\n"
    )

    assert "## " not in parsed.body
    assert "Maersk | Route scientist | £80,000 | London" in parsed.body


def test_newsletter_page_keeps_its_letter_and_drops_menus_and_sign_off():
    parsed = parse_fixture("fr-newsletter.txt")

    assert parsed.title == (
        "La Lettre de Léa n° 12 : trois annonces d'ingénieurs IA qui disent leur prix"
    )
    assert (parsed.author, parsed.source, parsed.published) == (
        "Léa Fontaine",
        "La Lettre de Léa",
        "2025-04-08",
    )
    assert parsed.questions == [
        "Un salaire affiché vous fait-il postuler plus vite ?",
        "Quelle annonce vous paraît la mieux payée ?",
    ]
    assert parsed.body.startswith("Bonjour à toutes et à tous,")
    assert parsed.body.endswith(
        "Le reste des annonces parlait de « rémunération attractive »."
    )
    for furniture in (
        "Menu",
        "Partager",
        "Bonne semaine",
        "Faites-la",
        "Se désinscrire",
    ):
        assert furniture not in parsed.body


def test_newsletter_footer_names_the_newsletter_over_the_headline():
    parsed = parse_fixture("en-newsletter.txt")

    assert (parsed.title, parsed.source) == (
        "Four data jobs worth a look this week",
        "The Byte Sheet",
    )
    assert parsed.questions == [
        "Which of these would you pick?",
        "Do you trust a range wider than £20,000?",
    ]
    assert "- Monzo: ML engineer, fraud (remote): £90,000" in parsed.body
    for furniture in ("Subscribe", "Hit reply", "See you next week", "Unsubscribe"):
        assert furniture not in parsed.body


def test_wire_dispatch_gives_date_source_and_author_from_its_own_marks():
    parsed = parse_fixture("en-wire.txt")

    assert (parsed.title, parsed.published, parsed.source, parsed.author) == (
        "Shipping firms bid up data scientists as routes go digital",
        "2025-06-03",
        "Harbour Wire",
        "Tom Reid",
    )
    assert parsed.questions == [
        "Are shipping firms late to the AI hiring race?",
        "Will port cities keep their data talent?",
    ]
    assert parsed.body.startswith("Container lines are hiring")
    assert "Editing" not in parsed.body


def test_french_dateline_gives_the_agency_and_leaves_the_sentence():
    parsed = parse_article(
        "Un titre court\n\nLYON, 12 mai (Dépêches Rhône) — Les salaires montent."
        " Les recruteurs suivent.\n"
    )

    assert parsed.source == "Dépêches Rhône"
    assert parsed.body == "Les salaires montent. Les recruteurs suivent."


def test_publication_line_under_the_by_line_gives_source_and_date():
    parsed = parse_article(
        "Un titre court\nPar Anne Roy\nLe Journal des Données, 9 avril 2025\n"
        "Le corps.\n"
    )

    assert (parsed.author, parsed.source, parsed.published) == (
        "Anne Roy",
        "Le Journal des Données",
        "2025-04-09",
    )
    assert parsed.body == "Le corps."


def test_publication_and_publishing_date_on_one_line_under_the_by_line():
    parsed = parse_article(
        "Un titre court\nPar Anne Roy\nLa Gazette du code — Publié le 2 mai 2025"
        " à 7 h 30\nLe corps.\n"
    )

    assert (parsed.source, parsed.published) == ("La Gazette du code", "2025-05-02")


def test_publication_alone_under_the_by_line_gives_the_source():
    parsed = parse_article(
        "A short title\nBy Ian Bell, Staff Writer\nThe Harbour Post\nThe body.\n"
    )

    assert (parsed.author, parsed.source) == ("Ian Bell", "The Harbour Post")
    assert parsed.body == "The body."


def test_magazine_issue_gives_the_source_and_no_date():
    parsed = parse_article(
        "A short title\nWords by Ian Bell\nNorthern Business Review, Autumn 2024"
        " issue\nThe body.\n"
    )

    assert (parsed.source, parsed.published) == ("Northern Business Review", None)
    assert parsed.body == "The body."


def test_source_field_glued_to_the_text_after_the_date_header():
    parsed = parse_article(
        " date 2025-06-03 Source : Liège Numérique. Les salaires des ingénieurs"
        " montent dans toute la Wallonie cette année.Les recruteurs suivent.\n"
    )

    assert (parsed.source, parsed.published) == ("Liège Numérique", "2025-06-03")
    assert parsed.body.startswith("Les salaires des ingénieurs montent")


def test_newsletter_forwarding_line_goes_but_a_sentence_opening_alike_stays():
    parsed = parse_article(
        "A short title\n\nForward-looking firms publish their pay ranges.\n"
        "The body goes on.\nForward this to a friend who is hiring.\n"
    )

    assert parsed.body == (
        "Forward-looking firms publish their pay ranges.\n\nThe body goes on."
    )


def test_a_note_on_the_writer_after_the_questions_leaves_them_closing():
    text = (
        "Les salaires montent.\n\n"
        "Deux questions pour finir :\n"
        "Faut-il plafonner les salaires ?\n"
        "Qui paiera la facture ?\n\n"
        "Claire Dumas est économiste à l'université de Nantes."
    )

    parsed = parse_article(text)

    assert parsed.questions == [
        "Faut-il plafonner les salaires ?",
        "Qui paiera la facture ?",
    ]
    assert "Claire Dumas est économiste" in parsed.body


def test_an_interview_credit_at_the_end_of_the_standfirst_gives_the_author():
    text = (
        "« Les profils data se font rares »\n\n"
        "Entretien. Une recruteuse lilloise raconte son marché. "
        "Propos recueillis par Paul Girard.\n\n"
        "Q : Quels profils manquent ? R : Les ingénieurs MLOps."
    )

    parsed = parse_article(text)

    assert parsed.author == "Paul Girard"
