from articles.models import Article, Posting
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    CompanyFactory,
    PostingFactory,
    ThreadFactory,
    UserFactory,
)


def test_posting_page_shows_its_details_evidence_and_citing_articles(client, db):
    posting = PostingFactory(
        title="Ingénieure LLM",
        location="Paris",
        remote=True,
        url="https://jobs.example.org/llm",
    )
    first = CitationFactory(
        posting=posting,
        article=ArticleFactory(title="Les grilles de salaires dévoilées"),
        evidence="Le poste est payé jusqu'à 180 000 dollars par an.",
    )
    second = CitationFactory(
        posting=posting,
        article=ArticleFactory(title="Recruter en 2025"),
        evidence="Une fourchette jugée trop large par les candidats.",
    )

    response = client.get(posting.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert "Ingénieure LLM" in body
    assert posting.company.get_absolute_url() in body
    assert "https://jobs.example.org/llm" in body
    for citation in (first, second):
        assert citation.article.get_absolute_url() in body
        assert citation.evidence.replace("'", "&#x27;") in body


def test_posting_page_lists_the_threads_that_discuss_it(client, db):
    posting = CitationFactory().posting
    discussed = ThreadFactory(title="Ce salaire est-il mérité ?")
    discussed.postings.add(posting)
    hidden = ThreadFactory(title="Fil masqué par la modération", is_hidden=True)
    hidden.postings.add(posting)

    response = client.get(posting.get_absolute_url())

    body = response.content.decode()
    assert [thread.pk for thread in response.context["threads"]] == [discussed.pk]
    assert discussed.get_absolute_url() in body
    assert "Fil masqué par la modération" not in body


def test_posting_page_leaves_out_citations_in_draft_articles(client, db):
    posting = CitationFactory(article=ArticleFactory(title="Publié")).posting
    CitationFactory(
        posting=posting,
        article=ArticleFactory(title="Brouillon secret", status=Article.Status.DRAFT),
        evidence="Une phrase encore confidentielle.",
    )

    response = client.get(posting.get_absolute_url())

    body = response.content.decode()
    assert "Publié" in body
    assert "Brouillon secret" not in body
    assert "encore confidentielle" not in body


def test_posting_cited_by_no_published_article_is_not_found(client, db):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    in_draft = CitationFactory(article=draft).posting
    uncited = PostingFactory()

    responses = [client.get(p.get_absolute_url()) for p in (in_draft, uncited)]

    assert [response.status_code for response in responses] == [404, 404]


def test_staff_can_open_a_posting_cited_only_by_a_draft(client, db):
    draft = ArticleFactory(status=Article.Status.DRAFT, title="Brouillon")
    posting = CitationFactory(article=draft).posting
    client.force_login(UserFactory(username="editor", is_staff=True))

    response = client.get(posting.get_absolute_url())

    assert response.status_code == 200
    assert "Brouillon" in response.content.decode()


def test_hourly_posting_page_shows_the_annualised_estimate(client, db):
    posting = CitationFactory(
        posting=PostingFactory(
            period=Posting.Period.HOUR, salary_min=100, salary_max=150
        )
    ).posting

    response = client.get(posting.get_absolute_url())

    body = response.content.decode()
    assert "208\xa0000\xa0$" in body
    assert "312\xa0000\xa0$" in body
    assert 'class="badge estimate"' in body


def test_posting_page_costs_the_same_queries_for_few_and_many_citations(
    client, db, django_assert_num_queries
):
    posting = CitationFactory().posting
    # posting with its company, citations with articles, threads with articles
    with django_assert_num_queries(3):
        client.get(posting.get_absolute_url())
    for _index in range(10):
        CitationFactory(posting=posting)
        ThreadFactory().postings.add(posting)

    with django_assert_num_queries(3):
        response = client.get(posting.get_absolute_url())

    assert len(response.context["citations"]) == 11
    assert len(response.context["threads"]) == 10


def test_company_page_lists_its_cited_postings_best_paid_first(client, db):
    company = CompanyFactory(name="Anthropic", slug="anthropic")
    modest = CitationFactory(
        posting=PostingFactory(company=company, title="Analyste", salary_max=150_000)
    ).posting
    generous = CitationFactory(
        posting=PostingFactory(company=company, title="Chercheur", salary_max=600_000)
    ).posting
    other = CitationFactory(posting=PostingFactory(title="Ailleurs")).posting

    response = client.get("/companies/anthropic/")

    body = response.content.decode()
    assert response.status_code == 200
    assert [p.pk for p in response.context["postings"]] == [generous.pk, modest.pk]
    assert other.get_absolute_url() not in body
    assert 'role="img"' in body
    assert "/postings/?company=anthropic" in body


def test_company_page_leaves_out_postings_cited_only_by_drafts(client, db):
    company = CompanyFactory(name="OpenAI", slug="openai")
    shown = CitationFactory(posting=PostingFactory(company=company)).posting
    draft = ArticleFactory(status=Article.Status.DRAFT)
    CitationFactory(
        article=draft, posting=PostingFactory(company=company, title="Poste secret")
    )

    response = client.get(company.get_absolute_url())

    assert [p.pk for p in response.context["postings"]] == [shown.pk]
    assert "Poste secret" not in response.content.decode()


def test_company_known_only_from_drafts_or_unknown_is_not_found(client, db):
    company = CompanyFactory(name="Confidentielle", slug="confidentielle")
    draft = ArticleFactory(status=Article.Status.DRAFT)
    CitationFactory(article=draft, posting=PostingFactory(company=company))

    hidden = client.get(company.get_absolute_url())
    unknown = client.get("/companies/nulle-part/")

    assert (hidden.status_code, unknown.status_code) == (404, 404)


def test_company_page_costs_one_query_whatever_its_postings(
    client, db, django_assert_num_queries
):
    company = CompanyFactory(name="DeepMind", slug="deepmind")
    CitationFactory(posting=PostingFactory(company=company))
    # postings with their company
    with django_assert_num_queries(1):
        client.get(company.get_absolute_url())
    for _index in range(15):
        CitationFactory(posting=PostingFactory(company=company))

    with django_assert_num_queries(1):
        response = client.get(company.get_absolute_url())

    assert len(response.context["postings"]) == 16


def test_a_posting_linked_only_to_an_open_thread_has_its_page(client, db):
    thread = ThreadFactory(title="Et ce poste-là ?")
    linked = PostingFactory(title="Poste ajouté par la modération")
    thread.postings.add(linked)
    hidden = ThreadFactory(is_hidden=True)
    behind_hidden = PostingFactory(title="Poste d'un fil masqué")
    hidden.postings.add(behind_hidden)

    thread_page = client.get(thread.get_absolute_url())
    posting_page = client.get(linked.get_absolute_url())
    hidden_page = client.get(behind_hidden.get_absolute_url())
    directory = client.get("/postings/")

    assert linked.get_absolute_url() in thread_page.content.decode()
    assert posting_page.status_code == 200
    assert thread.get_absolute_url() in posting_page.content.decode()
    assert hidden_page.status_code == 404
    assert [p.pk for p in directory.context["postings"]] == [linked.pk]
