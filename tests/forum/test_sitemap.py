import datetime
from xml.etree import ElementTree

from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    CompanyFactory,
    PostingFactory,
    ThreadFactory,
)

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _entries(response) -> dict[str, str | None]:
    """Each listed address with its lastmod."""
    root = ElementTree.fromstring(response.content)
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }


def _address(obj) -> str:
    return f"http://testserver{obj.get_absolute_url()}"


def test_sitemap_lists_published_articles_and_visible_threads(client, db):
    article = ArticleFactory()
    thread = ThreadFactory(article=article)
    standalone = ThreadFactory(article=None)
    draft = ArticleFactory(status=Article.Status.DRAFT)
    draft_thread = ThreadFactory(article=draft)
    hidden = ThreadFactory(article=article, is_hidden=True)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    listed = _entries(response)
    assert _address(article) in listed
    assert _address(thread) in listed
    assert _address(standalone) in listed
    assert _address(draft) not in listed
    assert _address(draft_thread) not in listed
    assert _address(hidden) not in listed


def test_sitemap_lists_the_home_page_and_the_posting_directory(client, db):
    response = client.get("/sitemap.xml")

    listed = _entries(response)
    assert "http://testserver/" in listed
    assert "http://testserver/postings/" in listed


def test_sitemap_lists_postings_and_companies_cited_by_published_articles(client, db):
    cited = CitationFactory().posting
    only_in_draft = CitationFactory(
        article=ArticleFactory(status=Article.Status.DRAFT),
        posting=PostingFactory(company=CompanyFactory(name="Brouillon SA")),
    ).posting

    response = client.get("/sitemap.xml")

    listed = _entries(response)
    assert _address(cited) in listed
    assert _address(cited.company) in listed
    assert _address(only_in_draft) not in listed
    assert _address(only_in_draft.company) not in listed


def test_sitemap_lists_a_posting_cited_twice_once(client, db):
    posting = PostingFactory()
    CitationFactory(posting=posting)
    CitationFactory(posting=posting)

    response = client.get("/sitemap.xml")

    locations = [
        url.findtext(f"{SITEMAP}loc")
        for url in ElementTree.fromstring(response.content).iter(f"{SITEMAP}url")
    ]
    assert locations.count(_address(posting)) == 1
    assert locations.count(_address(posting.company)) == 1


def test_sitemap_gives_a_threads_last_change_as_lastmod(client, db):
    changed_at = timezone.make_aware(datetime.datetime(2025, 4, 3, 12, 30))
    thread = ThreadFactory(updated_at=changed_at)

    response = client.get("/sitemap.xml")

    assert _entries(response)[_address(thread)] == "2025-04-03"


def test_sitemap_costs_the_same_queries_whatever_the_number_of_threads(
    client, db, django_assert_num_queries
):
    ThreadFactory()
    CitationFactory()
    with django_assert_num_queries(8):
        client.get("/sitemap.xml")
    for _number in range(20):
        ThreadFactory()
        CitationFactory()

    # a count for the paginator, then the rows, of each of the articles,
    # threads, postings and companies
    with django_assert_num_queries(8):
        response = client.get("/sitemap.xml")

    assert len(_entries(response)) == 2 + 21 * 2 + 21 + 21 + 21


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_profiles_are_marked_noindex_and_left_out_of_the_sitemap(client, reply):
    profile = client.get(reply.author.get_absolute_url())
    sitemap = client.get("/sitemap.xml")

    assert profile.status_code == 200
    assert '<meta name="robots" content="noindex">' in profile.content.decode()
    assert _address(reply.thread) in _entries(sitemap)
    assert not [url for url in _entries(sitemap) if "/u/" in url]


def test_other_public_pages_may_be_indexed(client, reply):
    pages = [reply.thread.get_absolute_url(), reply.thread.article.get_absolute_url()]

    for page in pages:
        assert 'name="robots"' not in client.get(page).content.decode(), page
