from articles.models import Posting
from tests.factories import CitationFactory, CompanyFactory, PostingFactory


def cite(article=None, **fields) -> Posting:
    extra = {"article": article} if article else {}
    return CitationFactory(posting=PostingFactory(**fields), **extra).posting


def right_edge(box) -> float:
    return box["x"] + box["width"]


def test_reader_compares_an_articles_postings_on_the_chart(web, db):
    first = CitationFactory(
        posting=PostingFactory(
            company=CompanyFactory(name="Mistral AI", slug="mistral-ai"),
            title="Ingénieure en inférence",
            salary_min=120_000,
            salary_max=180_000,
        )
    )
    article = first.article
    hourly = cite(
        article,
        title="Consultant",
        period=Posting.Period.HOUR,
        salary_min=100,
        salary_max=150,
    )
    up_to = cite(article, title="Chercheur", salary_min=None, salary_max=300_000)
    page = web.page

    page.goto(article.get_absolute_url())

    chart = page.locator("figure.salary-chart svg.chart")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 400
    assert page.locator("svg.chart g.row").count() == 3
    yearly_bar = page.locator(f'g.row[data-posting="{first.posting.pk}"] rect.bar')
    hourly_bar = page.locator(f'g.row[data-posting="{hourly.pk}"] rect.bar')
    up_to_bar = page.locator(f'g.row[data-posting="{up_to.pk}"] rect.bar')
    # 180,000 a year ends left of 312,000 (150 an hour), itself left of 300,000
    # rounded up the axis; "up to" starts at zero, left of every range.
    assert right_edge(yearly_bar.bounding_box()) < right_edge(hourly_bar.bounding_box())
    assert up_to_bar.bounding_box()["x"] < yearly_bar.bounding_box()["x"]
    assert hourly_bar.get_attribute("fill").startswith("url(#")
    assert page.locator(f'g.row[data-posting="{up_to.pk}"] polygon.marker').count()
    table = page.locator("table.chart-data")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 3
    assert "312" in table.inner_text()
    # The stylesheet reached the page: the chart and its table sit side by side.
    canvas_box = page.locator(".chart-canvas").bounding_box()
    table_box = table.bounding_box()
    assert table_box["x"] >= canvas_box["x"] + canvas_box["width"]
    web.screenshot("postings-article-chart")


def test_directory_filters_and_sorts_without_javascript(web_no_js, db):
    euros_low = cite(
        title="Analyste", currency="EUR", salary_min=None, salary_max=70_000
    )
    euros_high = cite(title="Directrice", currency="EUR", salary_max=250_000)
    cite(title="Poste en dollars", currency="USD")
    page = web_no_js.page

    page.goto("/postings/")
    page.select_option("#id_currency", "EUR")
    page.locator("form.posting-filters button[type=submit]").click()
    page.wait_for_url("**/postings/?*currency=EUR*")
    filtered = page.locator("table.postings-table tbody tr").all_inner_texts()
    page.locator("table.postings-table th[aria-sort] a").nth(2).click()
    page.wait_for_url("**ordering=-annual_max*")
    sorted_rows = page.locator("table.postings-table tbody tr").all_inner_texts()

    assert len(filtered) == 2
    assert all("dollars" not in row for row in filtered)
    assert euros_high.title in sorted_rows[0]
    assert euros_low.title in sorted_rows[1]
    assert page.locator("svg.chart").count() == 1
    assert page.locator("#salary-chart-eur").is_visible()
    header = page.locator("table.postings-table th[aria-sort=descending]")
    assert header.count() == 1
    web_no_js.screenshot("postings-directory-filtered")


def test_on_a_phone_the_chart_and_its_table_scroll_inside_the_page(web, db):
    first = CitationFactory(
        posting=PostingFactory(
            company=CompanyFactory(name="Un employeur au nom particulièrement long"),
            title="Responsable produit pour la plateforme d'apprentissage automatique",
            salary_min=300_000,
            salary_max=900_000,
        )
    )
    cite(
        first.article,
        title="Consultant",
        period=Posting.Period.HOUR,
        salary_min=20,
        salary_max=28,
    )
    page = web.page
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(first.article.get_absolute_url())

    page_width = page.evaluate("document.documentElement.scrollWidth")
    canvas = page.locator(".chart-canvas")
    assert page_width == 390
    assert page.evaluate("e => e.scrollWidth > e.clientWidth", canvas.element_handle())
    # A region that scrolls can be reached with the keyboard, by its chart's name.
    assert canvas.get_attribute("tabindex") == "0"
    assert canvas.get_attribute("role") == "region"
    assert page.locator(f"#{canvas.get_attribute('aria-labelledby')}").count() == 1
