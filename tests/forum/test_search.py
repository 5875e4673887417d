import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

import forum.search.engine
from accounts.models import User
from articles.models import Article
from forum.models import Reply
from forum.search.engine import search
from tests.factories import (
    ArticleFactory,
    ReplyFactory,
    ThreadFactory,
    UserFactory,
)

only_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="French stemming and ts_rank exist only on PostgreSQL",
)
ANONYMOUS = AnonymousUser()


def reply_ids(results) -> list[int]:
    return [hit.id for hit in results.replies]


def test_search_page_finds_articles_questions_and_replies(client, db):
    article = ArticleFactory(title="Les salaires de l'IA s'envolent")
    thread = ThreadFactory(article=article, title="Ces salaires sont-ils justifiés ?")
    reply = ReplyFactory(
        thread=thread, body="Des salaires pareils attirent tout le monde."
    )
    ReplyFactory(thread=thread, body="Rien à voir avec la question.")

    response = client.get("/search/", {"q": "salaires"})

    body = response.content.decode()
    results = response.context["results"]
    assert response.status_code == 200
    assert [hit.id for hit in results.articles] == [article.pk]
    assert [hit.id for hit in results.threads] == [thread.pk]
    assert reply_ids(results) == [reply.pk]
    assert article.get_absolute_url() in body
    assert reply.get_absolute_url().replace("&", "&amp;") in body
    assert "<mark>salaires</mark>" in body


def test_the_two_search_forms_of_the_search_page_have_their_own_names(client, db):
    response = client.get("/search/", {"q": "netflix"})

    page = response.content.decode()
    forms = re.findall(r"<form[^>]*role=\"search\"[^>]*>", page)
    names = [re.search(r'aria-label(?:ledby)?="([^"]+)"', form)[1] for form in forms]
    assert response.status_code == 200
    assert len(forms) == 2
    assert len(set(names)) == 2
    assert 'id="search-title"' in page


def test_search_ignores_accents_and_capitals(db):
    reply = ReplyFactory(body="La Société Générale paie très bien ses ingénieurs.")

    plain = search(query="societe generale", viewer=ANONYMOUS)
    shouted = search(query="SOCIÉTÉ", viewer=ANONYMOUS)

    assert reply_ids(plain) == [reply.pk]
    assert reply_ids(shouted) == [reply.pk]
    assert "<mark>Société</mark>" in plain.replies[0].snippet_html


def test_a_word_is_found_where_it_stands_not_inside_another(db):
    about_ai = ReplyFactory(body="L'IA paie mieux que la finance.")
    ReplyFactory(body="Un plan social dans la finance.")

    results = search(query="IA", viewer=ANONYMOUS)

    assert reply_ids(results) == [about_ai.pk]
    assert "<mark>IA</mark>" in results.replies[0].snippet_html


def test_every_word_of_the_query_must_match(db):
    both = ReplyFactory(body="Un salaire élevé à Paris.")
    ReplyFactory(body="Un salaire modeste à Lyon.")

    results = search(query="salaire Paris", viewer=ANONYMOUS)

    assert reply_ids(results) == [both.pk]


def test_snippets_never_let_user_html_through(client, db):
    ReplyFactory(
        body='<script>alert("x")</script> Les salaires <img src=x onerror=alert(1)> '
        "sont <b>fous</b> & injustes."
    )

    response = client.get("/search/", {"q": "salaires"})

    body = response.content.decode()
    snippet = response.context["results"].replies[0].snippet_html
    assert "<mark>salaires</mark>" in snippet.lower()
    assert "<script" not in snippet and "<img" not in snippet and "<b>" not in snippet
    assert "<script>alert" not in body
    assert "<img src=x" not in body


def test_markers_typed_into_a_reply_do_not_highlight_anything(db):
    ReplyFactory(body="Les salaires \ue000piégés\ue001 du secteur.")

    results = search(query="salaires", viewer=ANONYMOUS)

    snippet = results.replies[0].snippet_html
    assert snippet.count("<mark>") == 1
    assert "\ue000" not in snippet and "\ue001" not in snippet


def test_the_query_is_shown_escaped_on_the_page(client, db):
    response = client.get("/search/", {"q": "<b>salaires</b>"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "<b>salaires</b>" not in body
    assert "&lt;b&gt;salaires&lt;/b&gt;" in body


def test_removed_held_and_flag_hidden_replies_are_not_found(db, moderator):
    visible = ReplyFactory(body="Une prime de rétention généreuse.")
    ReplyFactory(
        body="Une prime retirée.",
        removed_at=timezone.now(),
        removed_by=moderator,
        removal_reason=Reply.RemovalReason.SPAM,
    )
    ReplyFactory(body="Une prime en attente.", status=Reply.Status.PENDING)
    ReplyFactory(body="Une prime signalée.", open_flag_count=3, open_flag_weight=300)

    anonymous = search(query="prime", viewer=ANONYMOUS)
    for_moderator = search(query="prime", viewer=moderator)

    assert reply_ids(anonymous) == [visible.pk]
    assert reply_ids(for_moderator) == [visible.pk]


def test_replies_in_threads_the_viewer_cannot_open_are_not_found(db, moderator):
    shown = ReplyFactory(body="Une rémunération variable.")
    hidden_thread = ThreadFactory(is_hidden=True)
    in_hidden = ReplyFactory(thread=hidden_thread, body="Une rémunération cachée.")
    draft = ArticleFactory(status=Article.Status.DRAFT)
    ReplyFactory(
        thread=ThreadFactory(article=draft), body="Une rémunération brouillon."
    )

    anonymous = search(query="rémunération", viewer=ANONYMOUS)
    for_moderator = search(query="rémunération", viewer=moderator)

    assert reply_ids(anonymous) == [shown.pk]
    assert in_hidden.pk in reply_ids(for_moderator)


def test_drafts_and_hidden_questions_are_found_only_by_staff(db, moderator):
    draft = ArticleFactory(title="Grille des salaires, brouillon", status="draft")
    hidden = ThreadFactory(title="Les salaires, question masquée", is_hidden=True)
    public = ThreadFactory(title="Les salaires, question publique")

    anonymous = search(query="salaires", viewer=ANONYMOUS)
    staff = search(query="salaires", viewer=moderator)

    assert [hit.id for hit in anonymous.threads] == [public.pk]
    assert draft.pk not in [hit.id for hit in anonymous.articles]
    assert {hit.id for hit in staff.threads} == {hidden.pk, public.pk}
    assert draft.pk in [hit.id for hit in staff.articles]


def test_a_title_match_ranks_above_a_body_match(db):
    in_body = ArticleFactory(
        title="Le marché du travail", body="On y parle surtout de stock-options."
    )
    in_title = ArticleFactory(
        title="Les stock-options des chercheurs", body="Un article sur le partage."
    )

    results = search(query="stock-options", viewer=ANONYMOUS)

    assert [hit.id for hit in results.articles] == [in_title.pk, in_body.pk]
    assert results.articles[0].rank > results.articles[1].rank


def test_each_kind_of_result_is_limited(db):
    thread = ThreadFactory(title="Question sans rapport")
    for _index in range(6):
        ReplyFactory(thread=thread, body="Un bonus annuel confortable.")

    results = search(query="bonus", viewer=ANONYMOUS, limit=4)

    assert len(results.replies) == 4
    assert results.total == 4


def test_only_the_most_recent_matches_are_ranked_when_too_many_match(db, monkeypatch):
    monkeypatch.setattr(forum.search.engine, "CANDIDATES", 2)
    thread = ThreadFactory(title="Question sans rapport")
    oldest = ReplyFactory(thread=thread, body="Télétravail, télétravail, télétravail.")
    middle = ReplyFactory(thread=thread, body="Le télétravail compte.")
    newest = ReplyFactory(thread=thread, body="Du télétravail, parfois.")

    results = search(query="télétravail", viewer=ANONYMOUS)

    assert oldest.pk not in reply_ids(results)
    assert set(reply_ids(results)) == {middle.pk, newest.pk}


def test_a_query_without_a_word_costs_no_query(db, django_assert_num_queries):
    ReplyFactory(body="?!")

    with django_assert_num_queries(0):
        results = search(query=" ?! … ", viewer=ANONYMOUS)

    assert results.total == 0


def test_a_long_query_is_cut_and_control_characters_dropped(db):
    results = search(query="salaires\x00 " + "x" * 500, viewer=ANONYMOUS)

    assert len(results.query) == 200
    assert "\x00" not in results.query
    assert results.query.startswith("salaires x")


def test_search_costs_the_same_queries_whatever_the_number_of_matches(
    db, django_assert_num_queries
):
    searcher = UserFactory(username="searcher")
    ArticleFactory(title="Les primes des chercheurs")
    ReplyFactory(thread=ThreadFactory(title="Des primes ?"), body="Des primes !")
    viewer = User.objects.get(pk=searcher.pk)
    # articles, the viewer's own and group permissions (asked once by
    # visible_to), questions, replies with their threads and authors
    with django_assert_num_queries(5):
        search(query="primes", viewer=viewer)
    for index in range(15):
        ArticleFactory(title=f"Encore des primes ({index})")
        ReplyFactory(thread=ThreadFactory(title="Des primes ?"), body="Des primes !")
    viewer = User.objects.get(pk=searcher.pk)

    with django_assert_num_queries(5):
        results = search(query="primes", viewer=viewer)

    assert (len(results.articles), len(results.threads), len(results.replies)) == (
        16,
        16,
        16,
    )


def test_search_page_without_a_query_shows_only_the_form(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/search/")

    assert response.status_code == 200
    assert response.context["results"] is None
    assert 'name="q"' in response.content.decode()


def test_search_page_says_when_nothing_matches(client, db):
    ReplyFactory(body="Un avis sur les salaires.")

    response = client.get("/search/", {"q": "licorne"})

    assert response.context["results"].total == 0
    assert 'class="notice"' in response.content.decode()


@only_on_postgresql
def test_french_stemming_finds_other_forms_of_a_word(db):
    reply = ReplyFactory(body="Un salaire élevé pour un poste débutant.")

    results = search(query="élevés", viewer=ANONYMOUS)

    assert reply_ids(results) == [reply.pk]
    assert "<mark>élevé</mark>" in results.replies[0].snippet_html


@only_on_postgresql
def test_french_stop_words_alone_find_nothing(db):
    ReplyFactory(body="Le salaire et la prime.")

    results = search(query="le la et", viewer=ANONYMOUS)

    assert results.total == 0


@only_on_postgresql
def test_more_occurrences_rank_higher(db):
    thread = ThreadFactory(title="Question sans rapport")
    once = ReplyFactory(
        thread=thread, body="Le télétravail, une fois, puis autre chose."
    )
    often = ReplyFactory(
        thread=thread, body="Télétravail total : le télétravail, encore le télétravail."
    )

    results = search(query="télétravail", viewer=ANONYMOUS)

    assert reply_ids(results) == [often.pk, once.pk]
    assert results.replies[0].rank > results.replies[1].rank


@only_on_postgresql
def test_a_quoted_phrase_finds_the_words_in_that_order(db):
    phrase = ReplyFactory(body="Ce poste est très bien payé, vraiment.")
    ReplyFactory(body="Bien payé ? Pas très, non.")

    results = search(query='"très bien payé"', viewer=ANONYMOUS)

    assert reply_ids(results) == [phrase.pk]


@only_on_postgresql
def test_the_database_keeps_each_search_document_up_to_date(db):
    reply = ReplyFactory(body="Premier jet sur les primes.")
    Reply.objects.filter(pk=reply.pk).update(body="Version révisée sur les équipes.")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_document::text FROM forum_reply WHERE id = %s", [reply.pk]
        )
        (document,) = cursor.fetchone()

    assert "'equip'" in document
    assert "prim" not in document
    assert reply_ids(search(query="équipes", viewer=ANONYMOUS)) == [reply.pk]
