"""What counts as the same word for the word lists, in French and English."""

import pytest
from django.urls import reverse

from forum.models import Reply, WordRule
from forum.wordrules import matching_word, word_matches

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("arnaque", "Ces offres sont des arnaques."),
        ("arnaque", "UNE ARNAQUE"),
        ("arnaque", "Je me suis fait arnaqué."),
        ("arnaque", "ARNAQUÉS par ce cabinet"),
        ("arnaque", "C'est l'arnaque du siècle."),
        ("arnaque", "Un parfum d’arnaque."),
        ("arnaque", "Qu'arnaque !"),
        ("bijou", "Des bijoux de salaires"),
        ("coeur", "Le cœur du problème"),
        ("anti vax", "un discours anti-vax"),
        ("anti-vax", "un discours antivax"),
        ("anti-vax", "un discours anti vax"),
        ("scam", "These offers are SCAMS."),
        ("scam", "What a scam!"),
        ("box", "tick the boxes"),
        ("con", "Quel con."),
        ("con", "Des cons."),
    ],
)
def test_a_rule_matches_its_variants(rule, text):
    assert word_matches(rule, text)


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("con", "Le contrat est signé."),
        ("con", "Un second entretien."),
        ("con", "Installé à Mâcon."),
        ("con", "Des cônes de signalisation."),
        ("con", "Une bonne connexion."),
        ("arnaque", "Ils arnaquent les candidats."),
        ("ass", "A class of engineers."),
        ("ass", "A passage in the article."),
        ("ass", "The assassin's creed."),
        ("scam", "Scampi for lunch."),
        ("hell", "Hello, shell!"),
    ],
)
def test_a_rule_does_not_match_other_words_holding_it(rule, text):
    assert not word_matches(rule, text)


def test_matching_word_names_the_rule_as_the_moderator_wrote_it():
    WordRule.objects.create(word="Arnaque", kind=WordRule.Kind.BANNED)
    WordRule.objects.create(word="crypto", kind=WordRule.Kind.SUSPECT)

    banned = matching_word("Des ARNAQUES partout", WordRule.Kind.BANNED)
    suspect = matching_word("Des ARNAQUES partout", WordRule.Kind.SUSPECT)

    assert (banned, suspect) == ("Arnaque", None)


def test_a_plural_of_a_banned_word_is_refused_on_the_page(auth_client, thread):
    WordRule.objects.create(word="arnaque", kind=WordRule.Kind.BANNED)

    response = auth_client.post(
        reverse("forum:reply-create", kwargs={"thread_id": thread.pk}),
        {"body": "Ce sont des ARNAQUES."},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "not allowed here (arnaque)" in response.content.decode()
    assert not Reply.objects.filter(thread=thread).exists()
