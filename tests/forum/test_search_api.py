import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from tests.factories import ArticleFactory, ReplyFactory, ThreadFactory

URL = "/api/v1/search/"


@pytest.fixture
def api_client():
    return APIClient()


def test_search_answers_articles_questions_and_replies_as_json(api_client, db):
    article = ArticleFactory(title="Les salaires de l'IA s'envolent")
    thread = ThreadFactory(article=article, title="Ces salaires sont-ils justifiés ?")
    reply = ReplyFactory(thread=thread, body="Des salaires <b>démesurés</b>.")

    response = api_client.get(URL, {"q": "salaires"})

    data = response.json()
    assert response.status_code == 200
    assert data["query"] == "salaires"
    assert data["total"] == 3
    assert [hit["id"] for hit in data["articles"]] == [article.pk]
    assert [hit["id"] for hit in data["threads"]] == [thread.pk]
    (hit,) = data["replies"]
    assert hit["id"] == reply.pk
    assert hit["kind"] == "reply"
    assert hit["title"] == thread.title
    assert hit["url"] == f"http://testserver{reply.get_absolute_url()}"
    assert "<mark>salaires</mark>" in hit["snippet_html"].lower()
    assert "<b>" not in hit["snippet_html"]
    assert hit["author"] == reply.author.public_name
    assert hit["date"].startswith(str(reply.created_at.year))
    assert isinstance(hit["rank"], float)


def test_search_ignores_accents_over_the_api(api_client, db):
    reply = ReplyFactory(body="La société paie ses chercheurs en actions.")

    response = api_client.get(URL, {"q": "SOCIETE"})

    assert [hit["id"] for hit in response.json()["replies"]] == [reply.pk]


def test_search_limit_caps_each_kind_of_result(api_client, db):
    thread = ThreadFactory(title="Question sans rapport")
    for _index in range(4):
        ReplyFactory(thread=thread, body="Une prime de bienvenue.")

    response = api_client.get(URL, {"q": "prime", "limit": "2"})

    assert response.status_code == 200
    assert len(response.json()["replies"]) == 2


def test_search_hides_what_the_viewer_cannot_read(api_client, db, moderator):
    hidden = ThreadFactory(
        title="Primes de rétention : question masquée", is_hidden=True
    )
    reply = ReplyFactory(thread=hidden, body="Des primes de rétention cachées.")

    anonymous = api_client.get(URL, {"q": "rétention"})
    api_client.force_authenticate(moderator)
    for_moderator = api_client.get(URL, {"q": "rétention"})

    assert anonymous.json()["total"] == 0
    assert [hit["id"] for hit in for_moderator.json()["threads"]] == [hidden.pk]
    assert [hit["id"] for hit in for_moderator.json()["replies"]] == [reply.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "?!…"}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "salaires", "limit": "0"}, "limit"),
        ({"q": "salaires", "limit": "51"}, "limit"),
        ({"q": "salaires", "limit": "beaucoup"}, "limit"),
    ],
)
def test_bad_search_parameters_are_refused_with_a_message(
    api_client, db, params, field
):
    response = api_client.get(URL, params)

    assert response.status_code == 400
    assert field in str(response.json())


def test_search_endpoint_costs_the_same_queries_for_few_and_many_matches(
    api_client, db, django_assert_num_queries
):
    ReplyFactory(body="Une prime de rétention.")
    # articles, questions, replies with their threads and authors
    with django_assert_num_queries(3):
        api_client.get(URL, {"q": "prime"})
    for _index in range(12):
        ReplyFactory(body="Une prime de rétention.")

    with django_assert_num_queries(3):
        response = api_client.get(URL, {"q": "prime"})

    assert len(response.json()["replies"]) == 13


def test_search_endpoint_is_routed_under_the_api():
    assert reverse("api:search") == URL


def test_search_endpoint_is_described_in_the_schema(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)

    validate_schema(schema)
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert operation["operationId"] == "search"
    parameters = {item["name"]: item for item in operation["parameters"]}
    assert parameters["q"]["required"] is True
    assert parameters["limit"]["schema"]["maximum"] == 50
    assert set(operation["responses"]) == {"200", "400", "401", "429"}
    assert operation["responses"]["429"]["headers"]["Retry-After"]["required"]
    assert "security" not in operation
    results = schema["components"]["schemas"]["SearchResults"]
    assert set(results["required"]) >= {"articles", "threads", "replies", "total"}
