"""The Swagger UI at /api/docs/ in a real browser, under the site's CSP."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_shows_every_endpoint_without_console_errors(web, thread):
    web.page.goto("/api/docs/")

    web.page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = web.page.locator(".opblock-summary-path").all_inner_texts()
    web.screenshot("api-docs")
    assert "/api/v1/threads/{id}/replies/" in [p.replace("\u200b", "") for p in paths]
    assert len(paths) >= 16
