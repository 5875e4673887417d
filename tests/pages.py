"""Every kind of public page, on the demo data made harder: a reply and a
posting carrying a 200-character unbroken address, and a conversation nested
past the display's depth cap. Browser tests (layout, accessibility) and the
HTML checker walk the same list."""

from dataclasses import dataclass, field
from io import StringIO

from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from accounts.models import User
from articles.models import Article, Company, Posting
from forum.models import Reply, Thread
from forum.services import edit_reply, post_reply, remove_reply

# 200 characters without a single place to break a line.
LONG_URL = "https://offres.example.org/" + "x" * 173
DEEP = 9


@dataclass
class Site:
    reader: User
    small_thread: Thread
    big_thread: Thread
    public: dict[str, str] = field(default_factory=dict)
    signed_in: dict[str, str] = field(default_factory=dict)


def build_site() -> Site:
    """The demo data, a long address in a reply and a posting, and a
    conversation nested DEEP levels in the biggest thread."""
    call_command("seed_demo", stdout=StringIO())
    reader = User.objects.get(username="camille")
    threads = Thread.objects.visible_to(None).order_by("reply_count", "pk")
    small, big = threads.first(), threads.last()
    long_reply = post_reply(
        thread=small,
        author=reader,
        body=f"Voir l'offre complète : <{LONG_URL}> et, en texte, {LONG_URL}/suite",
    )
    posting = (
        Posting.objects.filter(citations__article__status=Article.Status.PUBLISHED)
        .order_by("pk")
        .first()
    )
    Posting.objects.filter(pk=posting.pk).update(url=LONG_URL)
    parent = None
    for depth in range(DEEP):
        parent = post_reply(
            thread=big,
            author=reader if depth % 2 else User.objects.get(username="admin"),
            parent=parent,
            body=(
                f"Niveau {depth + 1} de la conversation : les salaires annoncés "
                "ne disent rien des actions ni des primes, qui pèsent souvent "
                "autant que le fixe dans ces offres."
            ),
        )
    article = (
        Article.objects.published()
        .annotate(cited=Count("citations"))
        .order_by("-cited", "pk")
        .first()
    )
    english = Article.objects.published().filter(language="en").first()
    company = Company.objects.filter(postings=posting).get()
    other_reply = (
        Reply.objects.visible().filter(thread=small).exclude(author=reader).first()
    )
    edit_reply(
        reply=long_reply,
        editor=reader,
        body=long_reply.body + "\n\nÀ comparer avec les primes annoncées.",
    )
    admin = User.objects.get(username="admin")
    removed = post_reply(
        thread=small, author=reader, body="Un message retiré par la modération."
    )
    remove_reply(reply=removed, by=admin, reason="off_topic", note="Hors sujet.")
    site = Site(reader=reader, small_thread=small, big_thread=big)
    site.public = {
        "home": "/",
        "article": article.get_absolute_url(),
        "article-english": english.get_absolute_url(),
        "thread-small": small.get_absolute_url(),
        "thread-big": big.get_absolute_url(),
        "postings": reverse("articles:posting-list"),
        "posting": posting.get_absolute_url(),
        "company": company.get_absolute_url(),
        "search": "/search/?q=salaires",
        "profile": reader.get_absolute_url(),
        "sign-in": reverse("account_login"),
        "sign-up": reverse("account_signup"),
        "password-reset": reverse("account_reset_password"),
        "reply-versions": reverse("forum:reply-revisions", args=[long_reply.pk]),
        "illegal-content-notice": reverse("forum:illegal-content-notice"),
        "privacy": reverse("accounts:privacy"),
        "terms": reverse("accounts:terms"),
    }
    site.signed_in = {
        "home": "/",
        "article": article.get_absolute_url(),
        "postings": reverse("articles:posting-list"),
        "company": company.get_absolute_url(),
        "search": "/search/?q=salaires",
        "thread-small": small.get_absolute_url(),
        "thread-big": big.get_absolute_url(),
        "notifications": reverse("forum:notification-list"),
        "reply-respond": reverse("forum:reply-respond", args=[other_reply.pk]),
        "reply-edit": reverse("forum:reply-edit", args=[long_reply.pk]),
        "reply-flag": reverse("forum:reply-flag", args=[other_reply.pk]),
        "reply-delete": reverse("forum:reply-delete", args=[long_reply.pk]),
        "profile": reader.get_absolute_url(),
        "posting": posting.get_absolute_url(),
        "reply-versions": reverse("forum:reply-revisions", args=[long_reply.pk]),
        "reply-appeal": reverse("forum:reply-appeal", args=[removed.pk]),
        "illegal-content-notice": reverse("forum:illegal-content-notice"),
        "profile-edit": reverse("accounts:profile-edit"),
        "account-delete": reverse("accounts:delete"),
    }
    return site
