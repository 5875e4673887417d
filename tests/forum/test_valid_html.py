"""Every kind of page is valid HTML, as the Nu HTML checker reads it."""

import re

from tests.checkers import nu_errors
from tests.pages import build_site

# HTML's <time datetime>: a date and time to the second, with its offset.
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def _pages(client, site) -> dict[str, str]:
    documents = {}
    for name, url in site.public.items():
        response = client.get(url)
        assert response.status_code == 200, url
        documents[f"public-{name}"] = response.content.decode()
    client.force_login(site.reader)
    for name, url in site.signed_in.items():
        response = client.get(url)
        assert response.status_code == 200, url
        documents[f"signed-in-{name}"] = response.content.decode()
    return documents


def test_every_kind_of_page_passes_the_nu_html_checker(client, db, tmp_path):
    site = build_site()
    documents = _pages(client, site)

    errors = nu_errors(documents, tmp_path)

    assert len(documents) == len(site.public) + len(site.signed_in)
    assert errors == []


def test_times_are_given_to_the_second_with_their_offset(client, db):
    site = build_site()
    client.force_login(site.reader)

    html = client.get(site.big_thread.get_absolute_url()).content.decode()
    html += client.get("/notifications/").content.decode()

    values = re.findall(r'<time[^>]* datetime="([^"]*)"', html)
    assert len(values) > 10
    assert [value for value in values if not DATETIME.match(value)] == []
