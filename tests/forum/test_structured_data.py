import datetime
import json
import re
from io import StringIO

from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory

from accounts.models import User, profile_paths
from articles.models import Article, Posting
from forum.models import Reply, Thread
from forum.publishing import structured_data
from forum.selectors import thread_for_page, thread_page
from forum.services import flag_reply, post_reply, remove_reply
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    CompanyFactory,
    PostingFactory,
    ReplyFactory,
    ThreadFactory,
    UserFactory,
)
from tests.jsonld import extract_jsonld, missing_fields

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def _structured_data(response) -> list[dict]:
    return [json.loads(block) for block in JSONLD.findall(response.content.decode())]


def test_thread_page_describes_the_discussion_with_its_replies(client, thread, user):
    first = post_reply(thread=thread, author=user, body="Les salaires suivent l'offre.")
    answer = post_reply(
        thread=thread,
        author=UserFactory(username="bob"),
        body="Pas seulement.",
        parent=first,
    )

    response = client.get(thread.get_absolute_url())

    (data,) = _structured_data(response)
    url = f"http://testserver{thread.get_absolute_url()}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "DiscussionForumPosting"
    assert (data["url"], data["headline"], data["text"]) == (
        url,
        thread.title,
        thread.title,
    )
    assert data["author"] == {
        "@type": "Organization",
        "name": "La Gazette du numérique",
    }
    assert data["isPartOf"]["url"] == (
        f"http://testserver{thread.article.get_absolute_url()}"
    )
    assert data["interactionStatistic"][0]["userInteractionCount"] == 2
    (comment,) = data["comment"]
    assert comment["text"] == "Les salaires suivent l'offre."
    assert comment["author"]["name"] == "Alice"
    assert comment["url"] == f"http://testserver{first.get_absolute_url()}"
    assert comment["comment"][0]["text"] == "Pas seulement."
    assert comment["comment"][0]["url"].endswith(f"#reply-{answer.pk}")


def test_thread_data_counts_the_votes_on_each_reply(client, thread, reply):
    Reply.objects.filter(pk=reply.pk).update(upvotes=3, downvotes=1, score=2)

    response = client.get(thread.get_absolute_url())

    (data,) = _structured_data(response)
    counters = {
        counter["interactionType"]: counter["userInteractionCount"]
        for counter in data["comment"][0]["interactionStatistic"]
    }
    assert counters == {
        "https://schema.org/LikeAction": 3,
        "https://schema.org/DislikeAction": 1,
    }


def test_thread_data_leaves_out_replies_that_are_not_public(
    client, thread, user, other_user, moderator, settings
):
    settings.FORUM_FLAGS_TO_HIDE = 1
    removed = post_reply(thread=thread, author=user, body="Message retiré.")
    kept = post_reply(
        thread=thread,
        author=other_user,
        body="Réponse restée publique.",
        parent=removed,
    )
    remove_reply(reply=removed, by=moderator, reason=Reply.RemovalReason.ABUSE)
    flagged = post_reply(thread=thread, author=user, body="Message signalé.")
    flag_reply(reply=flagged, reporter=other_user, reason="spam")
    ReplyFactory(
        thread=thread,
        author=user,
        body="Message en attente.",
        status=Reply.Status.PENDING,
    )

    response = client.get(thread.get_absolute_url())

    (data,) = _structured_data(response)
    assert [comment["text"] for comment in data["comment"]] == [kept.body]
    script = JSONLD.search(response.content.decode()).group(1)
    assert "Message retiré." not in script
    assert "Message signalé." not in script
    assert "Message en attente." not in script


def test_replies_held_for_review_stay_out_even_of_a_moderators_tree(
    thread, user, moderator
):
    shown = ReplyFactory(thread=thread, author=user, body="Message publié.")
    ReplyFactory(
        thread=thread,
        author=user,
        body="Message en attente.",
        status=Reply.Status.PENDING,
    )
    loaded = thread_for_page(thread.pk, moderator)
    tree = thread_page(thread=loaded, viewer=moderator)["tree"]

    data = structured_data.discussion_forum_posting(
        thread=loaded, tree=tree, absolute=lambda path: f"https://forum.example{path}"
    )

    assert len(tree.roots) == 2
    assert [comment["text"] for comment in data["comment"]] == [shown.body]


def test_signed_in_readers_get_the_thread_data_without_the_replies(
    client, thread, user, other_user
):
    post_reply(thread=thread, author=user, body="Un avis public.")
    client.force_login(other_user)

    response = client.get(thread.get_absolute_url())

    (data,) = _structured_data(response)
    assert data["headline"] == thread.title
    assert "comment" not in data
    assert data["interactionStatistic"][0]["userInteractionCount"] == 1


def test_thread_data_describes_at_most_a_sample_of_the_replies(
    client, thread, settings
):
    settings.FORUM_TOP_LEVEL_PER_PAGE = 100
    for number in range(structured_data.MAX_COMMENTS + 5):
        ReplyFactory(thread=thread, body=f"Avis {number}.")

    response = client.get(thread.get_absolute_url())

    (data,) = _structured_data(response)
    assert len(data["comment"]) == structured_data.MAX_COMMENTS


def test_hidden_thread_has_no_structured_data_even_for_a_moderator(client, moderator):
    hidden = ThreadFactory(is_hidden=True)
    client.force_login(moderator)

    response = client.get(hidden.get_absolute_url())

    assert response.status_code == 200
    assert _structured_data(response) == []


def test_a_closing_script_tag_in_a_title_cannot_leave_the_data_block(client, db):
    title = "</script><script>alert('x')</script><!--"
    thread = ThreadFactory(title=title)

    response = client.get(thread.get_absolute_url())

    html = response.content.decode()
    (data,) = _structured_data(response)
    assert data["headline"] == title
    assert "</script><script>alert" not in html
    assert "\\u003C/script\\u003E\\u003Cscript\\u003E" in html


def test_article_page_describes_a_news_article(client, moderator):
    article = ArticleFactory(
        title="Les salaires de l'IA s'envolent",
        author="Camille Martin",
        source="La Gazette du numérique",
        source_url="https://gazette.example/ia-salaires",
        published=datetime.date(2024, 5, 1),
        published_precision=Article.Precision.MONTH,
    )
    open_thread = ThreadFactory(article=article, position=1)
    ThreadFactory(article=article, position=2, is_hidden=True)
    client.force_login(moderator)

    response = client.get(article.get_absolute_url())

    (data,) = _structured_data(response)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Les salaires de l'IA s'envolent"
    assert data["datePublished"] == "2024-05"
    assert data["author"] == {"@type": "Person", "name": "Camille Martin"}
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "La Gazette du numérique",
    }
    assert data["isBasedOn"] == "https://gazette.example/ia-salaires"
    assert data["inLanguage"] == "fr"
    assert data["description"].startswith("Un article sur les salaires")
    assert data["discussionUrl"] == [
        f"http://testserver{open_thread.get_absolute_url()}"
    ]


def test_draft_article_has_no_structured_data_even_for_staff(client, moderator):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(moderator)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert _structured_data(response) == []


def test_posting_page_describes_a_job_posting_with_its_salary_range(client, db):
    posting = PostingFactory(
        company=CompanyFactory(name="Mistral AI", domain="mistral.ai"),
        title="Chercheur en apprentissage automatique",
        location="Paris",
        remote=True,
        salary_min=90_000,
        salary_max=140_000,
        currency="EUR",
        period=Posting.Period.YEAR,
        url="https://jobs.example/42",
    )
    CitationFactory(posting=posting)

    response = client.get(posting.get_absolute_url())

    (data,) = _structured_data(response)
    assert data["@type"] == "JobPosting"
    assert data["title"] == "Chercheur en apprentissage automatique"
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Mistral AI",
        "sameAs": "https://mistral.ai",
    }
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {
            "@type": "QuantitativeValue",
            "unitText": "YEAR",
            "minValue": 90_000,
            "maxValue": 140_000,
        },
    }
    assert data["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Paris",
        "addressCountry": "FR",
    }
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "FR"}
    assert data["sameAs"] == "https://jobs.example/42"
    assert "Mistral AI" in data["description"]


def test_posting_with_a_single_amount_gives_it_as_the_value(client, db):
    posting = PostingFactory(salary_min=None, salary_max=60, period="hour")
    CitationFactory(posting=posting)

    response = client.get(posting.get_absolute_url())

    (data,) = _structured_data(response)
    assert data["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "unitText": "HOUR",
        "value": 60,
    }
    assert "jobLocationType" not in data


def test_posting_without_a_salary_has_no_base_salary(client, db):
    posting = PostingFactory(salary_min=None, salary_max=None)
    CitationFactory(posting=posting)

    response = client.get(posting.get_absolute_url())

    (data,) = _structured_data(response)
    assert "baseSalary" not in data
    assert data["hiringOrganization"]["name"] == posting.company.name


def test_writing_the_thread_data_runs_no_query(thread, user, django_assert_num_queries):
    ReplyFactory(thread=thread, author=user)
    ReplyFactory(thread=thread)
    request = RequestFactory().get(thread.get_absolute_url())
    loaded = thread_for_page(thread.pk, None)
    context = {**thread_page(thread=loaded, viewer=None), "request": request}

    with django_assert_num_queries(0):
        html = render_to_string("forum/_jsonld_thread.html", context)

    assert len(json.loads(JSONLD.search(html).group(1))["comment"]) == 2


def test_a_posting_is_dated_by_the_first_article_that_cites_it(client, db):
    posting = PostingFactory()
    CitationFactory(
        posting=posting, article=ArticleFactory(published=datetime.date(2025, 3, 4))
    )
    CitationFactory(
        posting=posting, article=ArticleFactory(published=datetime.date(2024, 11, 5))
    )
    CitationFactory(
        posting=posting,
        article=ArticleFactory(
            published=datetime.date(2020, 1, 1), status=Article.Status.DRAFT
        ),
    )

    response = client.get(posting.get_absolute_url())

    (data,) = extract_jsonld(response.content.decode())
    assert data["datePosted"] == "2024-11-05"


def test_a_posting_without_a_place_is_placed_by_its_currency(client, db):
    dollars = PostingFactory(location="", remote=False, currency="USD")
    euros = PostingFactory(location="", remote=False, currency="EUR")
    CitationFactory(posting=dollars)
    CitationFactory(posting=euros)

    in_dollars = extract_jsonld(client.get(dollars.get_absolute_url()).text)[0]
    in_euros = extract_jsonld(client.get(euros.get_absolute_url()).text)[0]

    assert in_dollars["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "US",
    }
    # The euro is many countries' currency: no country is made up.
    assert "jobLocation" not in in_euros


def test_a_remote_posting_says_where_applicants_may_live(client, db):
    posting = PostingFactory(location="", remote=True, currency="USD")
    CitationFactory(posting=posting)

    (data,) = extract_jsonld(client.get(posting.get_absolute_url()).text)

    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "US"}
    assert "jobLocation" not in data


def test_a_posting_description_is_escaped_once(client, db):
    posting = PostingFactory(
        title="Vice-président de l'IA <senior>",
        company=CompanyFactory(name="Procter & Gamble"),
    )
    CitationFactory(posting=posting)

    (data,) = extract_jsonld(client.get(posting.get_absolute_url()).text)

    assert data["description"].startswith(
        "<p>Vice-président de l'IA &lt;senior&gt; chez Procter &amp; Gamble.</p>"
    )
    assert "&#x27;" not in data["description"]
    assert "&amp;amp;" not in data["description"]


def test_every_demo_page_carries_the_fields_google_requires(client, db):
    call_command("seed_demo", stdout=StringIO())
    pages = [
        *(posting.get_absolute_url() for posting in Posting.objects.all()),
        *(article.get_absolute_url() for article in Article.objects.published()),
        *(thread.get_absolute_url() for thread in Thread.objects.visible_to(None)),
    ]
    seen = []

    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        for data in extract_jsonld(response.content.decode()):
            seen.append(data["@type"])
            assert missing_fields(data) == [], page
            assert "&#x27;" not in json.dumps(data), page

    assert seen.count("JobPosting") == Posting.objects.count()
    assert seen.count("NewsArticle") == Article.objects.published().count()
    assert seen.count("DiscussionForumPosting") == Thread.objects.count()


def test_reply_authors_link_to_their_profiles_whatever_their_names(client, thread):
    names = ["élodie.m", "jo+ia@x", "李明", "a_b-c"]
    for name in names:
        ReplyFactory(thread=thread, author=UserFactory(username=name))

    (data,) = _structured_data(client.get(thread.get_absolute_url()))

    linked = {c["author"]["url"] for c in data["comment"]}
    assert linked == {
        f"http://testserver{User(username=name).get_absolute_url()}" for name in names
    }


def test_profile_paths_are_the_profiles_own_addresses():
    paths = profile_paths()

    for name in ["alice", "élodie.m", "jo+ia@x", "李明", "50%", "a b", "~x:y"]:
        assert paths(name) == User(username=name).get_absolute_url(), name


def test_absolute_addresses_are_the_requests_own(settings):
    settings.ALLOWED_HOSTS = ["forum.example"]
    request = RequestFactory().get("/", secure=True, HTTP_HOST="forum.example:8443")
    absolute = structured_data.absolute_for({"request": request})

    for path in [
        "/t/1/un-fil/?reply=2#reply-2",
        "/u/%C3%A9lodie/",
        "relative/",
        "//x/",
    ]:
        assert absolute(path) == request.build_absolute_uri(path), path
    assert absolute("/a/") == "https://forum.example:8443/a/"
