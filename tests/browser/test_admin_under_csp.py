"""The admin works under the site's Content-Security-Policy.

Any inline script or style the policy blocks would log a console error, which
fails the test (see conftest.py).
"""

from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from playwright.sync_api import expect

from forum.services import post_reply
from tests.factories import ThreadFactory, UserFactory


def _admin_pages(user) -> list[str]:
    """The index, and every list and add form the admin offers `user`."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        if model_admin.has_view_or_change_permission(request):
            pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
    return pages


def test_every_admin_list_and_form_loads_without_a_policy_violation(web):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    post_reply(thread=ThreadFactory(), author=root, body="Un message à modérer.")
    web.sign_in(root)
    page = web.page
    statuses = {}

    for path in _admin_pages(root):
        response = page.goto(path)
        statuses[path] = response.status
        expect(page.locator("#content")).to_be_visible()

    assert len(statuses) >= 3
    assert {path: status for path, status in statuses.items() if status != 200} == {}
    assert "Content-Security-Policy" in response.headers or any(
        name.lower() == "content-security-policy" for name in response.headers
    )


def test_admin_log_in_form_works_under_the_policy(web):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    page = web.page

    page.goto(reverse("admin:login"))
    page.fill("#id_username", "root")
    page.fill("#id_password", "correct-horse-battery-staple")
    page.click("input[type=submit]")

    page.wait_for_url(f"**{reverse('admin:index')}")
    expect(page.locator("#user-tools")).to_contain_text("root")
