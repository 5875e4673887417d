"""The API's documentation (Swagger UI) works under the site's policy."""


def test_swagger_ui_lists_the_endpoints_without_a_policy_violation(web, thread):
    page = web.page

    page.goto("/api/docs/")

    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = [
        path.replace("\u200b", "")
        for path in page.locator(".opblock-summary-path").all_inner_texts()
    ]
    assert "/api/v1/threads/{id}/replies/" in paths
    assert len(paths) >= 16
