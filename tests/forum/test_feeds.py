import datetime
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from articles.models import Article
from forum.markdown import render_markdown
from forum.models import Reply
from forum.services import flag_reply, post_reply, remove_reply
from tests.factories import ArticleFactory, ReplyFactory, ThreadFactory, UserFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def _rss_items(response) -> list[dict]:
    channel = ElementTree.fromstring(response.content).find("channel")
    return [{child.tag: child.text for child in item} for item in channel.iter("item")]


def test_latest_articles_feed_lists_published_articles_newest_first(client, db):
    ArticleFactory(title="Ancien article", published=datetime.date(2024, 3, 1))
    ArticleFactory(title="Article récent", published=datetime.date(2025, 6, 2))
    ArticleFactory(title="Brouillon secret", status=Article.Status.DRAFT)

    response = client.get(reverse("feeds:articles"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    titles = [item["title"] for item in _rss_items(response)]
    assert titles == ["Article récent", "Ancien article"]


def test_latest_articles_feed_links_each_article_and_its_visible_questions(client, db):
    article = ArticleFactory(
        title="Les salaires de l'IA", published=datetime.date(2025, 6, 2)
    )
    shown = ThreadFactory(article=article, title="Ces salaires sont-ils justes ?")
    ThreadFactory(article=article, title="Question masquée", is_hidden=True)

    response = client.get(reverse("feeds:articles"))

    (item,) = _rss_items(response)
    assert item["link"] == f"http://testserver{article.get_absolute_url()}"
    assert "Ces salaires sont-ils justes ?" in item["description"]
    assert f'href="http://testserver{shown.get_absolute_url()}"' in item["description"]
    assert "Question masquée" not in item["description"]
    assert item["pubDate"] == "Mon, 02 Jun 2025 00:00:00 +0200"


def test_article_feed_lists_its_visible_questions_in_their_order(client, db):
    article = ArticleFactory()
    second = ThreadFactory(article=article, title="Deuxième question", position=2)
    first = ThreadFactory(article=article, title="Première question", position=1)
    ThreadFactory(article=article, title="Question masquée", is_hidden=True)
    ThreadFactory(title="Question d'un autre article")

    response = client.get(reverse("feeds:article-threads", args=[article.slug]))

    assert response.status_code == 200
    items = _rss_items(response)
    assert [item["title"] for item in items] == [first.title, second.title]
    assert items[0]["link"] == f"http://testserver{first.get_absolute_url()}"


def test_article_feed_of_a_draft_is_not_found_even_for_staff(client, moderator):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(moderator)

    response = client.get(reverse("feeds:article-threads", args=[draft.slug]))

    assert response.status_code == 404


def test_thread_feed_lists_only_visible_replies_newest_first(
    client, thread, user, other_user, moderator, settings
):
    settings.FORUM_FLAGS_TO_HIDE = 1
    first = post_reply(thread=thread, author=user, body="Premier avis public.")
    removed = post_reply(thread=thread, author=user, body="Avis retiré.")
    remove_reply(reply=removed, by=moderator, reason=Reply.RemovalReason.SPAM)
    flagged = post_reply(thread=thread, author=user, body="Avis signalé.")
    flag_reply(reply=flagged, reporter=other_user, reason="spam")
    ReplyFactory(thread=thread, body="Avis en attente.", status=Reply.Status.PENDING)
    last = post_reply(thread=thread, author=other_user, body="Dernier avis public.")
    ReplyFactory(body="Avis dans un autre fil.")

    response = client.get(reverse("feeds:thread-replies", args=[thread.pk]))

    items = _rss_items(response)
    assert [item["link"] for item in items] == [
        f"http://testserver{last.get_absolute_url()}",
        f"http://testserver{first.get_absolute_url()}",
    ]
    assert items[0]["title"] == "bob\u00a0: Dernier avis public."
    assert "Avis retiré." not in response.content.decode()


def test_thread_feed_carries_the_sanitised_html_of_each_reply(client, thread, user):
    post_reply(
        thread=thread,
        author=user,
        body='Un **vrai** argument <script>alert("x")</script>',
    )

    response = client.get(reverse("feeds:thread-replies", args=[thread.pk]))

    (item,) = _rss_items(response)
    assert "<strong>vrai</strong>" in item["description"]
    assert "<script>" not in item["description"]
    assert item["{http://purl.org/dc/elements/1.1/}creator"] == "Alice"


def test_thread_feed_of_a_hidden_thread_is_not_found_even_for_a_moderator(
    client, moderator
):
    hidden = ThreadFactory(is_hidden=True)
    client.force_login(moderator)

    response = client.get(reverse("feeds:thread-replies", args=[hidden.pk]))

    assert response.status_code == 404


def test_thread_feed_of_a_draft_articles_thread_is_not_found(client, db):
    thread = ThreadFactory(article=ArticleFactory(status=Article.Status.DRAFT))

    response = client.get(reverse("feeds:thread-replies", args=[thread.pk]))

    assert response.status_code == 404


def test_titles_are_plain_text_and_markup_in_them_stays_text(client, db):
    article = ArticleFactory()
    thread = ThreadFactory(article=article, title="L'IA & </title><script>x</script>")

    response = client.get(reverse("feeds:article-threads", args=[article.slug]))

    (item,) = _rss_items(response)
    assert item["title"] == "L'IA & </title><script>x</script>"
    assert thread.title not in response.content.decode()
    assert "&lt;/title&gt;&lt;script&gt;" in response.content.decode()


def test_atom_feeds_carry_the_same_entries(client, thread, user):
    reply = post_reply(thread=thread, author=user, body="Un avis en Atom.")

    response = client.get(reverse("feeds:thread-replies-atom", args=[thread.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == (
        f"http://testserver{reply.get_absolute_url()}"
    )
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Alice"


def test_every_atom_feed_answers(client, thread):
    urls = [
        reverse("feeds:articles-atom"),
        reverse("feeds:article-threads-atom", args=[thread.article.slug]),
        reverse("feeds:thread-replies-atom", args=[thread.pk]),
    ]

    responses = [client.get(url) for url in urls]

    assert [response.status_code for response in responses] == [200, 200, 200]
    assert {ElementTree.fromstring(r.content).tag for r in responses} == {f"{ATOM}feed"}


def test_feed_titles_follow_the_readers_language(client, thread):
    url = reverse("feeds:thread-replies", args=[thread.pk])

    french = client.get(url)
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    french_channel = ElementTree.fromstring(french.content).find("channel")
    english_channel = ElementTree.fromstring(english.content).find("channel")
    assert (
        french_channel.findtext("title") == f"Réponses à «\u00a0{thread.title}\u00a0»"
    )
    assert french_channel.findtext("language") == "fr"
    assert english_channel.findtext("title") == f"Replies to “{thread.title}”"
    assert english_channel.findtext("language") == "en"


def test_thread_feed_costs_two_queries_whatever_the_number_of_replies(
    client, thread, django_assert_num_queries
):
    url = reverse("feeds:thread-replies", args=[thread.pk])
    for number in range(3):
        post_reply(thread=thread, author=UserFactory(), body=f"Avis {number}.")
    with django_assert_num_queries(2):
        client.get(url)
    for number in range(20):
        post_reply(thread=thread, author=UserFactory(), body=f"Autre avis {number}.")

    # the thread with its article, the replies with their authors
    with django_assert_num_queries(2):
        response = client.get(url)

    assert len(_rss_items(response)) == 23


def test_latest_articles_feed_costs_two_queries_whatever_the_number_of_articles(
    client, db, django_assert_num_queries
):
    for _number in range(2):
        ThreadFactory(article=ArticleFactory())
    with django_assert_num_queries(2):
        client.get(reverse("feeds:articles"))
    for _number in range(10):
        ThreadFactory(article=ArticleFactory())

    # the articles, their visible questions
    with django_assert_num_queries(2):
        response = client.get(reverse("feeds:articles"))

    assert len(_rss_items(response)) == 12


def test_pages_point_readers_to_their_feeds(client, thread):
    article = thread.article

    home = client.get("/").content.decode()
    article_page = client.get(article.get_absolute_url()).content.decode()
    thread_page = client.get(thread.get_absolute_url()).content.decode()

    assert f'href="{reverse("feeds:articles")}"' in home
    assert (
        f'type="application/rss+xml" title="Questions de cet article" '
        f'href="{reverse("feeds:article-threads", args=[article.slug])}"'
    ) in article_page
    assert (
        f'href="{reverse("feeds:thread-replies", args=[thread.pk])}"'
    ) in thread_page


def test_links_in_summaries_are_absolute(client, db):
    article = ArticleFactory(
        body="Voir [les offres](/postings/) et [ailleurs](https://example.org/x)."
    )
    article.body_html = render_markdown(article.body)
    article.save()
    thread = ThreadFactory(article=article)

    response = client.get(reverse("feeds:articles"))

    (item,) = _rss_items(response)
    assert 'href="http://testserver/postings/"' in item["description"]
    assert 'href="https://example.org/x"' in item["description"]
    assert f'href="http://testserver{thread.get_absolute_url()}"' in item["description"]
    assert 'href="/' not in item["description"]


def test_every_atom_entry_names_an_author(client, db):
    article = ArticleFactory(author="", source="")
    thread = ThreadFactory(article=article)
    post_reply(thread=thread, author=UserFactory(), body="Un avis signé.")
    urls = [
        reverse("feeds:articles-atom"),
        reverse("feeds:article-threads-atom", args=[article.slug]),
        reverse("feeds:thread-replies-atom", args=[thread.pk]),
    ]

    feeds = [ElementTree.fromstring(client.get(url).content) for url in urls]

    for url, feed in zip(urls, feeds, strict=True):
        entries = feed.findall(f"{ATOM}entry")
        assert entries, url
        for entry in entries:
            assert entry.findtext(f"{ATOM}author/{ATOM}name"), url


@pytest.mark.parametrize(
    "name", ["articles", "articles-atom", "thread-replies", "thread-replies-atom"]
)
def test_a_feed_the_reader_already_has_answers_not_modified(client, thread, name):
    post_reply(thread=thread, author=UserFactory(), body="Un avis.")
    url = reverse(
        f"feeds:{name}", args=[thread.pk] if name.startswith("thread") else []
    )
    first = client.get(url)

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    stale = client.get(url, HTTP_IF_NONE_MATCH='"something-else"')

    assert first.status_code == 200
    assert (by_etag.status_code, by_etag.content) == (304, b"")
    assert by_date.status_code == 304
    assert stale.status_code == 200
    assert stale.content == first.content


def test_a_new_reply_changes_the_feed_the_reader_had(client, thread):
    url = reverse("feeds:thread-replies", args=[thread.pk])
    first = client.get(url)

    post_reply(thread=thread, author=UserFactory(), body="Un avis tout neuf.")
    response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 200
    assert "Un avis tout neuf." in response.content.decode()


def test_pages_advertise_rss_and_atom(client, thread):
    article = thread.article
    pages = {
        "/": ("articles", []),
        article.get_absolute_url(): ("article-threads", [article.slug]),
        thread.get_absolute_url(): ("thread-replies", [thread.pk]),
    }

    for page, (name, args) in pages.items():
        html = client.get(page).content.decode()
        rss = reverse(f"feeds:{name}", args=args)
        atom = reverse(f"feeds:{name}-atom", args=args)
        assert re.search(
            rf'<link rel="alternate" type="application/rss\+xml"[^>]*href="{rss}"', html
        ), page
        assert re.search(
            rf'<link rel="alternate" type="application/atom\+xml"[^>]*href="{atom}"',
            html,
        ), page
