from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from accounts.services import create_api_token
from articles.models import Article, Posting
from forum.markdown import render_markdown
from forum.models import Reply, Thread
from tests.factories import ReplyFactory
from tests.security.payloads import (
    PAYLOADS,
    SHORT_PAYLOADS,
    assert_escaped_text,
    assert_no_inline_script,
    assert_safe_html,
    params,
)

WITHOUT_NUL = [(name, text) for name, text in PAYLOADS if "\x00" not in text]
WITH_NUL = [(name, text) for name, text in PAYLOADS if "\x00" in text]
# Display names refuse control and invisible characters outright.
PRINTABLE_SHORT = [
    (name, text)
    for name, text in SHORT_PAYLOADS
    if text.isprintable() and "\u200b" not in text
]


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="javascript:alert(1)">x</a></p>',
        '<p><a href="JAVA\tSCRIPT:alert(1)">x</a></p>',
        '<p><a href="jav&#x61;script:alert(1)">x</a></p>',
        '<p><a href="data:text/html,x">x</a></p>',
        '<p><a href="https://example.org" onclick="alert(1)">x</a></p>',
        "<p><img src=x></p>",
        "<script>alert(1)</script>",
        "<svg></svg>",
        '<p style="color:red">x</p>',
        "<iframe></iframe>",
    ],
)
def test_the_safety_check_itself_rejects_dangerous_html(html):
    with pytest.raises(AssertionError):
        assert_safe_html(html)


@pytest.mark.parametrize("payload", params())
def test_markdown_rendering_leaves_no_script_in_any_payload(payload):
    html = render_markdown(payload)

    assert_safe_html(html)


@pytest.mark.parametrize("payload", params(WITHOUT_NUL))
def test_hostile_reply_through_the_form_is_kept_as_written_and_shown_clean(
    auth_client, thread, user, payload
):
    response = auth_client.post(
        reverse("forum:reply-create", args=[thread.pk]), {"body": payload}
    )

    assert response.status_code == 302
    reply = Reply.objects.get(thread=thread, author=user)
    assert reply.body == payload.strip()
    assert_safe_html(reply.body_html)
    page = auth_client.get(thread.get_absolute_url()).content.decode()
    assert reply.body_html in page
    assert_escaped_text(page, payload)
    # Anonymous readers also get the replies as JSON-LD.
    public = Client().get(thread.get_absolute_url()).content.decode()
    assert 'type="application/ld+json"' in public
    assert_escaped_text(public, payload)
    assert_no_inline_script(public)


@pytest.mark.parametrize("payload", params(WITH_NUL))
def test_reply_with_a_null_byte_gets_a_form_error_and_stores_nothing(
    auth_client, thread, payload
):
    response = auth_client.post(
        reverse("forum:reply-create", args=[thread.pk]), {"body": payload}
    )

    assert response.status_code == 400
    assert "form-errors" in response.content.decode()
    assert not Reply.objects.filter(thread=thread).exists()


@pytest.mark.parametrize("payload", params(PRINTABLE_SHORT))
def test_hostile_display_name_is_shown_as_escaped_text(
    auth_client, user, thread, payload
):
    ReplyFactory(thread=thread, author=user)

    response = auth_client.post(
        reverse("accounts:profile-edit"),
        {"display_name": payload, "bio": "", "email": user.email},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == payload.strip()
    for url in (thread.get_absolute_url(), user.get_absolute_url()):
        page = auth_client.get(url).content.decode()
        assert escape(user.display_name) in page
        assert_escaped_text(page, payload)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("Alice\u202eecilA", id="right-to-left-override"),
        pytest.param("Ali\u200bce", id="zero-width-space"),
        pytest.param("Ali\x00ce", id="nul"),
        pytest.param("Alice\u2066x", id="left-to-right-isolate"),
    ],
)
def test_display_name_with_invisible_characters_is_refused(auth_client, user, name):
    response = auth_client.post(
        reverse("accounts:profile-edit"),
        {"display_name": name, "bio": "", "email": user.email},
    )

    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Alice"


@pytest.mark.parametrize("payload", params(WITHOUT_NUL))
def test_hostile_profile_text_is_shown_as_escaped_text(auth_client, user, payload):
    response = auth_client.post(
        reverse("accounts:profile-edit"),
        {"display_name": "", "bio": payload, "email": user.email},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.bio.strip() == payload.strip()
    page = auth_client.get(user.get_absolute_url()).content.decode()
    assert_escaped_text(page, payload)
    profile_section = page.split('<p class="bio" dir="auto">', 1)[1].split("</p>", 1)[0]
    assert "<" not in profile_section.replace("<br>", "")


def test_hostile_article_through_the_importer_is_stored_and_shown_clean(
    client, db, tmp_path
):
    paragraphs = [text.replace("\n", " ") for _name, text in WITHOUT_NUL]
    source = tmp_path / "article-hostile.txt"
    source.write_text(
        "date 2024-11-02\n"
        "Salaires <script>alert(1)</script> et <img src=x onerror=alert(1)>\n\n"
        + "\n\n".join(paragraphs)
        + "\n\nAnthropic is hiring a research engineer in San Francisco for "
        "$310,000 a year. Details at javascript:alert(1) and "
        "https://example.org/jobs/1.\n\n"
        "Que pensez-vous de <svg onload=alert(1)> ?\n",
        encoding="utf-8",
    )

    call_command("import_articles", str(source), stdout=StringIO())

    article = Article.objects.get()
    assert "<script>" in article.title
    assert_safe_html(article.body_html)
    assert "javascript:alert(1)" in article.body
    for posting in Posting.objects.all():
        assert posting.url == "" or posting.url.startswith("https://")
    pages = [article.get_absolute_url()]
    pages += [thread.get_absolute_url() for thread in Thread.objects.all()]
    pages += [posting.get_absolute_url() for posting in Posting.objects.all()]
    for url in pages:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "<svg onload" not in page
    home = client.get("/").content.decode()
    assert escape(article.title) in home


def test_article_file_with_null_bytes_is_refused_by_the_importer(db, tmp_path):
    source = tmp_path / "article-nul.txt"
    source.write_text(
        "date 2024-11-02\nTitre\n\n"
        + "\n\n".join(text for _name, text in WITH_NUL)
        + "\n",
        encoding="utf-8",
    )
    errors = StringIO()

    with pytest.raises(CommandError):
        call_command("import_articles", str(source), stdout=StringIO(), stderr=errors)

    assert "article-nul.txt" in errors.getvalue()
    assert not Article.objects.exists()


def _api_client(user) -> APIClient:
    client = APIClient()
    token = create_api_token(user=user, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.secret}")
    return client


@pytest.mark.parametrize("payload", params(WITHOUT_NUL))
def test_hostile_reply_through_the_api_is_kept_as_written_and_served_clean(
    user, thread, payload
):
    response = _api_client(user).post(
        f"/api/v1/threads/{thread.pk}/replies/", {"body": payload}, format="json"
    )

    assert response.status_code == 201, response.content[:300]
    reply = Reply.objects.get(thread=thread, author=user)
    assert reply.body == payload.strip()
    assert_safe_html(reply.body_html)
    assert response.json()["body_html"] == reply.body_html
    listed = APIClient().get(f"/api/v1/threads/{thread.pk}/replies/").json()
    assert [item["body_html"] for item in listed["results"]] == [reply.body_html]


@pytest.mark.parametrize("payload", params(WITH_NUL))
def test_reply_with_a_null_byte_through_the_api_is_refused(user, thread, payload):
    response = _api_client(user).post(
        f"/api/v1/threads/{thread.pk}/replies/", {"body": payload}, format="json"
    )

    assert response.status_code == 400
    assert "body" in response.json()
    assert not Reply.objects.exists()
