import pytest
from django.conf import settings
from django.utils import translation

from articles.money import format_money, format_money_short
from articles.templatetags.article_tags import salary
from tests.factories import CitationFactory, PostingFactory

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("fr", "USD", f"900{NBSP}000{NBSP}$"),
        ("fr", "EUR", f"1{NBSP}250{NBSP}000{NBSP}€"),
        ("fr", "CHF", f"95{NBSP}000{NBSP}CHF"),
        ("en", "USD", "$900,000"),
        ("en", "EUR", "€1,250,000"),
        ("en", "CHF", f"CHF{NBSP}95,000"),
        ("en-gb", "GBP", "£900,000"),
    ],
)
def test_money_is_written_as_each_language_writes_it(language, currency, expected):
    amount = {"EUR": 1_250_000, "CHF": 95_000}.get(currency, 900_000)

    text = format_money(amount, currency, language)

    assert text == expected


def test_an_unknown_currency_is_written_with_its_code():
    text = format_money(5_000_000, "JPY", "en")

    assert text == f"JPY{NBSP}5,000,000"


def test_an_unknown_amount_is_written_as_nothing():
    text = format_money(None, "USD", "fr")

    assert text == ""


def test_money_without_a_language_is_written_in_french():
    text = format_money(900_000, "USD", None)

    assert text == f"900{NBSP}000{NBSP}$"


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("fr", 150_000, f"150{NBSP}k$"),
        ("fr", 1_250_000, f"1,2{NBSP}M$"),
        ("fr", 0, f"0{NBSP}$"),
        ("en", 150_000, "$150k"),
        ("en", 1_250_000, "$1.2M"),
        ("en", 750, "$750"),
    ],
)
def test_short_amounts_for_chart_axes(language, amount, expected):
    text = format_money_short(amount, "USD", language)

    assert text == expected


def test_salary_range_follows_the_active_language(db):
    posting = PostingFactory(salary_min=120_000, salary_max=180_000, currency="USD")

    with translation.override("en"):
        english = salary(posting)
    with translation.override("fr"):
        french = salary(posting)

    assert english.startswith("$120,000")
    assert "$180,000" in english
    assert f"120{NBSP}000{NBSP}$" in french
    assert f"180{NBSP}000{NBSP}$" in french


def test_posting_page_writes_money_in_french_by_default_and_in_english_on_request(
    client, db
):
    posting = CitationFactory(
        posting=PostingFactory(salary_min=None, salary_max=900_000)
    ).posting

    french = client.get(posting.get_absolute_url())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(posting.get_absolute_url())

    assert f"900{NBSP}000{NBSP}$" in french.content.decode()
    assert "$900,000" not in french.content.decode()
    assert "$900,000" in english.content.decode()
