import datetime
import re

from articles.models import Article
from tests.factories import ArticleFactory, CitationFactory, PostingFactory

NBSP = "\u00a0"


def _article(title="Les salaires de l'IA s'envolent"):
    article = ArticleFactory(
        title=title,
        published=datetime.date(2025, 11, 22),
        published_precision=Article.Precision.DAY,
    )
    CitationFactory(
        article=article,
        posting=PostingFactory(salary_min=600_000, salary_max=900_000),
    )
    return article


def test_a_reader_switches_an_article_to_english_and_back(web, transactional_db):
    article = _article()
    page = web.page

    page.goto(article.get_absolute_url())
    french_heading = page.locator("#questions-title").inner_text()
    french_date = page.locator(".article .meta").first.inner_text()
    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    english_heading = page.locator("#questions-title").inner_text()
    english_date = page.locator(".article .meta").first.inner_text()
    english_lang = page.locator("html").get_attribute("lang")
    english_body = page.locator("main").inner_text()
    page.get_by_role("button", name="français").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")

    assert french_heading == "Les questions qu'il pose"
    assert "22 novembre 2025" in french_date
    assert english_lang == "en"
    assert english_heading == "The questions it asks"
    assert "Nov. 22, 2025" in english_date
    assert "$900,000" in english_body
    assert page.locator("html").get_attribute("lang") == "fr"
    assert re.search(
        rf"900[{NBSP}\u202f]000{NBSP}\$", page.locator("main").inner_text()
    )
    assert page.get_by_role("link", name="Offres d'emploi").count() == 1


def test_the_language_choice_follows_the_reader_from_page_to_page(
    web, transactional_db
):
    article = _article()
    page = web.page
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/")

    page.get_by_role("link", name=article.title).click()
    page.wait_for_url(f"**{article.get_absolute_url()}")

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="The questions it asks").is_visible()
    cookies = {cookie["name"]: cookie["value"] for cookie in web.context.cookies()}
    assert cookies["django_language"] == "en"


def test_the_language_switch_works_without_javascript(web_no_js, transactional_db):
    page = web_no_js.page
    page.goto("/")

    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/")

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Log in").is_visible()
