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
