import re

import pytest
from django.utils import translation

from articles.charts import Kind, nice_step, salary_charts
from articles.models import Posting
from tests.factories import CitationFactory, CompanyFactory, PostingFactory


def loaded(*postings: Posting) -> list[Posting]:
    """The postings as pages read them: annualised amounts and companies."""
    ids = [posting.pk for posting in postings]
    by_id = Posting.objects.select_related("company").in_bulk(ids)
    return [by_id[pk] for pk in ids]


def rows_by_title(chart) -> dict:
    return {row.posting.title: row for row in chart.rows}


@pytest.mark.parametrize(
    ("largest", "step"),
    [(312_000, 100_000), (180_000, 50_000), (90_000, 20_000), (9, 2), (1, 1)],
)
def test_axis_steps_are_round_numbers(largest, step):
    assert nice_step(largest) == step


def test_one_chart_per_currency_the_most_common_first(db):
    postings = loaded(
        PostingFactory(currency="EUR"),
        PostingFactory(currency="USD"),
        PostingFactory(currency="USD"),
    )

    charts = salary_charts(postings, language="fr")

    assert [chart.currency for chart in charts] == ["USD", "EUR"]
    assert [len(chart.rows) for chart in charts] == [2, 1]
    assert charts[0].ident != charts[1].ident


def test_bars_share_one_axis_within_a_currency(db):
    postings = loaded(
        PostingFactory(title="Bas", salary_min=50_000, salary_max=100_000),
        PostingFactory(title="Haut", salary_min=100_000, salary_max=200_000),
    )

    (chart,) = salary_charts(postings, language="fr")

    rows = rows_by_title(chart)
    low, high = rows["Bas"], rows["Haut"]
    low_end = float(low.bar_x) + float(low.bar_width)
    assert low_end == pytest.approx(float(high.bar_x))
    assert float(high.bar_width) == pytest.approx(2 * float(low.bar_width))
    assert [row.posting.title for row in chart.rows] == ["Haut", "Bas"]
    assert [tick.label for tick in chart.ticks][-1] == "200\xa0k$"
    assert float(chart.ticks[-1].x) == pytest.approx(chart.plot_right)


def test_hourly_and_daily_pay_is_annualised_and_marked_as_an_estimate(db):
    postings = loaded(
        PostingFactory(
            title="Horaire", period=Posting.Period.HOUR, salary_min=50, salary_max=100
        ),
        PostingFactory(
            title="Journalier",
            period=Posting.Period.DAY,
            salary_min=500,
            salary_max=800,
        ),
        PostingFactory(
            title="Mensuel",
            period=Posting.Period.MONTH,
            salary_min=5_000,
            salary_max=8_000,
        ),
    )

    (chart,) = salary_charts(postings, language="en")

    rows = rows_by_title(chart)
    assert (rows["Horaire"].annual_min, rows["Horaire"].annual_max) == (
        104_000,
        208_000,
    )
    assert (rows["Journalier"].annual_min, rows["Journalier"].annual_max) == (
        110_000,
        176_000,
    )
    assert (rows["Mensuel"].annual_min, rows["Mensuel"].annual_max) == (60_000, 96_000)
    assert rows["Horaire"].is_estimate and rows["Journalier"].is_estimate
    assert not rows["Mensuel"].is_estimate
    assert rows["Horaire"].value_text == "$104k to $208k a year (estimate)"
    assert chart.has_estimates


def test_up_to_posting_is_a_faded_bar_from_zero_ending_on_a_marker(db):
    postings = loaded(
        PostingFactory(title="Plafond", salary_min=None, salary_max=150_000),
        PostingFactory(title="Fourchette", salary_min=100_000, salary_max=200_000),
    )

    (chart,) = salary_charts(postings, language="en")

    up_to = rows_by_title(chart)["Plafond"]
    assert up_to.kind == Kind.UP_TO
    assert float(up_to.bar_x) == chart.plot_left
    assert float(up_to.bar_x) + float(up_to.bar_width) == pytest.approx(
        float(up_to.marker_x)
    )
    assert up_to.value_text == "up to $150k a year"
    assert chart.has_open_ranges


def test_from_posting_runs_from_its_minimum_to_the_end_of_the_axis(db):
    postings = loaded(
        PostingFactory(title="Plancher", salary_min=80_000, salary_max=None),
        PostingFactory(title="Fourchette", salary_min=100_000, salary_max=200_000),
    )

    (chart,) = salary_charts(postings, language="fr")

    floor = rows_by_title(chart)["Plancher"]
    assert floor.kind == Kind.FROM
    assert float(floor.marker_x) == pytest.approx(float(floor.bar_x))
    assert float(floor.bar_x) + float(floor.bar_width) == pytest.approx(
        chart.plot_right
    )


def test_a_single_amount_is_a_marker_and_an_unstated_salary_is_not_drawn(db):
    postings = loaded(
        PostingFactory(title="Fixe", salary_min=90_000, salary_max=90_000),
        PostingFactory(title="Muet", salary_min=None, salary_max=None),
    )

    (chart,) = salary_charts(postings, language="fr")

    rows = rows_by_title(chart)
    assert rows["Fixe"].kind == Kind.POINT
    assert rows["Fixe"].marker_points
    assert rows["Muet"].kind == Kind.UNKNOWN
    assert [row.posting.title for row in chart.drawn_rows] == ["Fixe"]
    assert [row.posting.title for row in chart.rows] == ["Fixe", "Muet"]


def test_coordinates_never_use_the_readers_decimal_comma(db):
    postings = loaded(PostingFactory(salary_min=33_333, salary_max=77_777))

    with translation.override("fr"):
        (chart,) = salary_charts(postings)

    row = chart.rows[0]
    values = [row.bar_x, row.bar_width, row.bar_y, row.label_y, row.value_y]
    values += [tick.x for tick in chart.ticks]
    assert all(re.fullmatch(r"-?\d+(\.\d)?", value) for value in values)


@pytest.fixture
def cited_postings(db):
    """An article citing a yearly range, an hourly range and an "up to"."""
    first = CitationFactory(
        posting=PostingFactory(
            company=CompanyFactory(name="Mistral AI", slug="mistral-ai"),
            title="Ingénieure en inférence",
            salary_min=120_000,
            salary_max=180_000,
        )
    )
    article = first.article
    CitationFactory(
        article=article,
        posting=PostingFactory(
            title="Consultant",
            period=Posting.Period.HOUR,
            salary_min=100,
            salary_max=150,
        ),
    )
    CitationFactory(
        article=article,
        posting=PostingFactory(title="Chercheur", salary_min=None, salary_max=300_000),
    )
    return article


def svg_of(body: str) -> str:
    match = re.search(r"<svg .*?</svg>", body, re.S)
    assert match is not None
    return match.group(0)


def test_article_page_draws_the_chart_with_its_data_table(client, cited_postings):
    response = client.get(cited_postings.get_absolute_url())

    body = response.content.decode()
    svg = svg_of(body)
    assert 'role="img"' in svg
    assert 'aria-labelledby="salary-chart-usd-title salary-chart-usd-desc"' in svg
    assert '<title id="salary-chart-usd-title">' in svg
    assert '<desc id="salary-chart-usd-desc">' in svg
    assert svg.count('class="row ') == 3
    assert 'class="row range estimate"' in svg
    assert 'class="row up_to"' in svg
    assert "Mistral AI — Ingénieure en inférence" in svg
    assert '<table class="chart-data stack">' in body
    assert "208\xa0000\xa0$" in body
    assert "312\xa0000\xa0$" in body


def test_chart_makes_no_request_and_needs_no_inline_style_or_script(
    client, cited_postings
):
    response = client.get(cited_postings.get_absolute_url())

    svg = svg_of(response.content.decode())
    assert "style=" not in svg
    assert "<style" not in svg
    assert "<script" not in svg
    assert "href=" not in svg
    assert re.findall(r"https?://[^\s\"']+", svg) == ["http://www.w3.org/2000/svg"]
    assert "style-src 'self'" in response["Content-Security-Policy"]


def test_thread_page_draws_the_chart_of_its_postings(client, cited_postings):
    thread = cited_postings.threads.create(title="Ces salaires sont-ils justifiés ?")
    thread.postings.set(Posting.objects.all())

    response = client.get(thread.get_absolute_url())

    svg = svg_of(response.content.decode())
    assert svg.count('class="row ') == 3
    assert "Consultant" in svg


def test_directory_draws_one_chart_per_currency(client, cited_postings):
    CitationFactory(posting=PostingFactory(currency="EUR", title="Poste en euros"))

    response = client.get("/postings/")

    body = response.content.decode()
    assert body.count("<svg ") == 2
    assert 'id="salary-chart-usd"' in body
    assert 'id="salary-chart-eur"' in body


def test_company_and_role_names_are_escaped_in_the_chart(client, db):
    CitationFactory(
        posting=PostingFactory(
            company=CompanyFactory(name="<b>Evil</b> Corp", slug="evil-corp"),
            title='Role"><script>alert(1)</script>',
        )
    )

    response = client.get("/postings/")

    svg = svg_of(response.content.decode())
    assert "<script>" not in svg
    assert "&lt;b&gt;Evil&lt;/b&gt; Corp" in svg


def test_chart_follows_the_active_language(client, cited_postings, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(cited_postings.get_absolute_url())

    svg = svg_of(response.content.decode())
    assert "$120k to $180k a year" in svg
    assert ">$300k<" in svg
