import pytest

from articles.importer.sentences import split_sentences


def test_two_plain_sentences_are_split():
    paragraph = "Qonto recrute un data engineer. Le poste est basé à Paris."

    sentences = split_sentences(paragraph)

    assert sentences == [
        "Qonto recrute un data engineer.",
        "Le poste est basé à Paris.",
    ]


@pytest.mark.parametrize(
    ("paragraph", "first"),
    [
        (
            "M. Durand dirige Kairo. Il recrute.",
            "M. Durand dirige Kairo.",
        ),
        (
            "Selon Mme Petit, la start-up recrute. Elle paie bien.",
            "Selon Mme Petit, la start-up recrute.",
        ),
        (
            "The U.S. Army hires engineers. It pays well.",
            "The U.S. Army hires engineers.",
        ),
    ],
)
def test_abbreviations_do_not_end_a_sentence(paragraph, first):
    sentences = split_sentences(paragraph)

    assert sentences[0] == first
    assert len(sentences) == 2


def test_initial_of_a_name_is_kept_with_the_name():
    paragraph = "John K. Ferris runs the team. He hires in Austin."

    sentences = split_sentences(paragraph)

    assert sentences == ["John K. Ferris runs the team.", "He hires in Austin."]


def test_title_abbreviation_keeps_the_sentence_whole():
    paragraph = "M. Martin recrute deux chercheurs. Ils seront payés 70 000 euros."

    sentences = split_sentences(paragraph)

    assert sentences == [
        "M. Martin recrute deux chercheurs.",
        "Ils seront payés 70 000 euros.",
    ]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "The job pays $40 an hour.Interns get less.",
            ["The job pays $40 an hour.", "Interns get less."],
        ),
        (
            "Le poste est payé 3 000 euros par mois.Les stagiaires touchent moins.",
            [
                "Le poste est payé 3 000 euros par mois.",
                "Les stagiaires touchent moins.",
            ],
        ),
    ],
)
def test_glued_sentences_are_split(paragraph, expected):
    sentences = split_sentences(paragraph)

    assert sentences == expected


def test_decimal_point_does_not_split_a_sentence():
    paragraph = "Kairo offers up to $1.5 million for a research lead."

    sentences = split_sentences(paragraph)

    assert sentences == [paragraph]


def test_domain_name_does_not_split_a_sentence():
    paragraph = "Salaries listed on Levels.fyi are higher than expected."

    sentences = split_sentences(paragraph)

    assert sentences == [paragraph]


def test_sentence_starting_with_a_figure_is_split_off():
    paragraph = "Le poste est ouvert. 120 000 euros sont proposés."

    sentences = split_sentences(paragraph)

    assert sentences == ["Le poste est ouvert.", "120 000 euros sont proposés."]


def test_sentence_starting_with_a_currency_sign_is_split_off():
    paragraph = "The offer is generous. $300,000 is the top of the band."

    sentences = split_sentences(paragraph)

    assert sentences == ["The offer is generous.", "$300,000 is the top of the band."]


def test_question_and_exclamation_end_sentences():
    paragraph = "Who earns that much? Nobody! Except researchers."

    sentences = split_sentences(paragraph)

    assert sentences == ["Who earns that much?", "Nobody!", "Except researchers."]


def test_lowercase_word_after_a_full_stop_does_not_open_a_sentence():
    paragraph = "The pay is 5 p.m. sharp on Fridays."

    sentences = split_sentences(paragraph)

    assert sentences == [paragraph]


def test_empty_paragraph_has_no_sentence():
    assert split_sentences("   ") == []


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "Dr. Okafor leads the lab. She hires.",
            ["Dr. Okafor leads the lab.", "She hires."],
        ),
        (
            "Le rapport de Mr. Jones est paru. Il compte dix pages.",
            ["Le rapport de Mr. Jones est paru.", "Il compte dix pages."],
        ),
    ],
)
def test_abbreviation_before_a_name_is_not_a_glued_sentence(paragraph, expected):
    assert split_sentences(paragraph) == expected


def test_french_quote_closed_after_its_full_stop_ends_the_sentence():
    sentences = split_sentences("« Nous recrutons vite. » Le directeur le répète.")

    assert sentences == ["« Nous recrutons vite. »", "Le directeur le répète."]


def test_glued_sentence_opening_with_a_quote_is_split():
    sentences = split_sentences('Both roles are in Leeds."This job is rare," he said.')

    assert sentences == ["Both roles are in Leeds.", '"This job is rare," he said.']
