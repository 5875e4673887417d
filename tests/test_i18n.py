"""Two languages: French by default, English on request, a complete catalogue."""

import datetime
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.utils.translation.template import templatize

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    PostingFactory,
    UserFactory,
)
from tests.pages import build_site

ROOT = Path(__file__).resolve().parents[1]
FRENCH = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
ENGLISH = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
# What `make messages` reads: Python, templates and text templates, outside
# the virtualenv, collected static files, test output and hidden folders.
SKIPPED_FOLDERS = {".venv", "staticfiles", "test-results", "locale", "node_modules"}
# Django's makemessages keywords, in Babel's notation.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
NBSP = "\u00a0"


def _catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _source_files():
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT).parts
        if any(part in SKIPPED_FOLDERS or part.startswith(".") for part in relative):
            continue
        if path.suffix in {".py", ".html", ".txt"} and path.is_file():
            yield path


def _msgids_in_code() -> dict[tuple, str]:
    """Every translatable string in the code, with the first file using it."""
    found = {}
    for path in _source_files():
        source = path.read_text(encoding="utf-8")
        if path.suffix != ".py":
            # templatize keeps the template's indentation, which Python's
            # tokenizer would read as blocks; the calls alone matter here.
            source = "\n".join(
                line.lstrip()
                for line in templatize(source, origin=str(path)).splitlines()
            )
        for _line, message, _comments, context in extract(
            "python", io.BytesIO(source.encode()), keywords=KEYWORDS
        ):
            found.setdefault((context, message), str(path.relative_to(ROOT)))
    return found


def test_french_catalogue_has_no_untranslated_or_fuzzy_entry():
    catalogue = _catalogue(FRENCH)

    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (
            not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]

    assert len(catalogue) > 300
    assert untranslated == []
    assert fuzzy == []
    assert not catalogue.fuzzy


def test_french_catalogue_covers_every_string_in_the_code():
    catalogue = _catalogue(FRENCH)
    translated = {(message.context, message.id) for message in catalogue}

    missing = {
        key: where for key, where in _msgids_in_code().items() if key not in translated
    }

    assert missing == {}, "run `make messages` and translate the new strings"


def test_french_translations_keep_every_placeholder():
    catalogue = _catalogue(FRENCH)

    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in catalogue.check()
    ]

    assert problems == []


def test_catalogues_declare_their_plural_rules():
    french = _catalogue(FRENCH)
    english = _catalogue(ENGLISH)

    assert french.mime_headers and dict(french.mime_headers)["Plural-Forms"] == (
        "nplurals=2; plural=(n > 1);"
    )
    assert dict(english.mime_headers)["Plural-Forms"] == (
        "nplurals=2; plural=(n != 1);"
    )


def test_removed_reply_placeholder_reads_as_the_newsroom_wrote_it():
    catalogue = _catalogue(FRENCH)

    placeholder = catalogue.get("[message removed by the moderators]")

    assert placeholder.string == "[message supprimé par la modération]"


def test_home_page_is_in_french_by_default(client, db):
    ArticleFactory()

    response = client.get("/")

    html = response.content.decode()
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in html
    assert "Les derniers articles et leurs questions" in html
    assert "Se connecter" in html
    assert "The latest articles and their questions" not in html


def test_switching_to_english_renders_the_next_pages_in_english(client, db):
    ArticleFactory()

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.cookies["django_language"].value == "en"
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert "The latest articles and their questions" in html
    assert "Log in" in html
    assert "Les derniers articles et leurs questions" not in html


def test_switching_back_to_french(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = client.get("/")

    assert client.cookies["django_language"].value == "fr"
    assert '<html lang="fr">' in page.content.decode()


def test_language_switcher_offers_the_other_language(client, db):
    french = client.get("/").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'name="language" value="en"' in french
    assert 'name="language" value="fr"' not in french
    assert 'name="language" value="fr"' in english
    assert ">français</button>" in english


def test_a_readers_browser_language_is_honoured(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert '<html lang="en">' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "22 novembre 2025"), ("en", "Nov. 22, 2025")],
)
def test_article_dates_follow_the_language(client, db, language, expected):
    article = ArticleFactory(
        published=datetime.date(2025, 11, 22),
        published_precision=Article.Precision.DAY,
    )

    response = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)

    assert expected in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "novembre 2025"), ("en", "November 2025")],
)
def test_a_month_stays_a_month_in_both_languages(client, db, language, expected):
    article = ArticleFactory(
        published=datetime.date(2025, 11, 1),
        published_precision=Article.Precision.MONTH,
    )

    response = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)

    html = response.content.decode()
    assert expected in html
    assert "1 novembre 2025" not in html
    assert "Nov. 1, 2025" not in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # Digits grouped by a space that does not break, the symbol after.
        ("fr", rf"900[{NBSP}\u202f]000{NBSP}\$"),
        ("en", r"\$900,000"),
    ],
)
def test_salaries_follow_the_language(client, db, language, expected):
    posting = PostingFactory(salary_min=600_000, salary_max=900_000, currency="USD")
    citation = CitationFactory(posting=posting)

    response = client.get(
        citation.article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language
    )

    assert re.search(expected, response.content.decode())


def test_rule_messages_from_the_services_are_translated(client, thread, user):
    thread.is_locked = True
    thread.save()
    client.force_login(user)

    french = client.get(thread.get_absolute_url()).content.decode()
    english = client.get(
        thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert f"Cette discussion est verrouillée{NBSP}: plus de nouvelles réponses." in (
        french
    )
    assert "This thread is locked: no new replies." in english


def test_sign_in_page_speaks_both_languages(client, db):
    french = client.get("/accounts/login/").content.decode()
    english = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Mot de passe oublié" in french
    assert "Forgot your password?" in english
    assert "Flux RSS des derniers articles" in french
    assert "RSS feed of the latest articles" in english


def test_sort_labels_follow_each_requests_language(client, db):
    CitationFactory(posting=PostingFactory())

    french = client.get("/postings/").content.decode()
    english = client.get("/postings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french_again = client.get("/postings/").content.decode()

    assert "Entreprise (décroissant)" in french
    assert "Company (descending)" in english
    assert "Entreprise (décroissant)" not in english
    assert "Company (descending)" not in french_again
    assert "Entreprise (décroissant)" in french_again


@pytest.mark.parametrize(
    ("language", "expected", "unexpected"),
    [
        ("fr", "Membre depuis septembre 2026", "depuis le"),
        ("en", "Member since September 2026", "Membre"),
    ],
)
def test_a_profile_says_since_when_naturally(
    client, db, language, expected, unexpected
):
    member = UserFactory(
        date_joined=datetime.datetime(2026, 9, 14, 10, tzinfo=datetime.UTC)
    )

    html = client.get(
        member.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()

    assert expected in html
    assert unexpected not in html


def test_a_posting_without_a_role_says_so_in_the_readers_language(client, db):
    posting = PostingFactory(title="Unspecified role")
    CitationFactory(posting=posting)
    other = PostingFactory(title="Poste non précisé")
    CitationFactory(posting=other)
    pages = ["/postings/", posting.get_absolute_url(), other.get_absolute_url()]

    for page in pages:
        french = client.get(page).content.decode()
        english = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Poste non précisé" in french, page
        assert "Unspecified role" not in french, page
        assert "Unspecified role" in english, page
        assert "Poste non précisé" not in english, page


class _FrenchText(HTMLParser):
    """The text of a page outside blocks marked as another language, and
    outside scripts and styles."""

    VOID = {"br", "img", "input", "link", "meta", "hr", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        lang = dict(attrs).get("lang")
        foreign = tag in {"script", "style"} or bool(lang and lang != "fr")
        self.stack.append(foreign or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.text.append(data)


def test_french_pages_show_no_english_interface_text(client, db):
    site = build_site()
    english = {
        message.id
        for message in _catalogue(FRENCH)
        if isinstance(message.id, str)
        and len(message.id) >= 12
        and "%" not in message.id
        and message.string
        and message.string != message.id
    }
    found = {}

    for signed_in, pages in ((False, site.public), (True, site.signed_in)):
        if signed_in:
            client.force_login(site.reader)
        for name, url in pages.items():
            parser = _FrenchText()
            parser.feed(client.get(url).content.decode())
            text = " ".join(" ".join(parser.text).split())
            leaks = sorted(msgid for msgid in english if msgid in text)
            if leaks:
                found[f"{name} (signed in: {signed_in})"] = leaks

    assert len(english) > 300
    assert found == {}
