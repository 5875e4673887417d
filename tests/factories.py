"""The smallest valid objects; a test sets only the fields it is about."""

import factory
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from articles.models import Article, Citation, Company, Posting
from forum.markdown import render_markdown
from forum.models import Flag, Reply, Thread, Vote, reply_path


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct-horse-battery-staple")
    date_joined = factory.LazyFunction(
        lambda: timezone.now() - timezone.timedelta(days=30)
    )
    email_verified_at = factory.LazyAttribute(lambda user: user.date_joined)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Les salaires de l'IA, épisode {n}")
    slug = factory.LazyAttribute(lambda article: slugify(article.title)[:200])
    source = "La Gazette du numérique"
    published = factory.LazyFunction(lambda: timezone.now().date())
    body = "Un article sur les **salaires** proposés aux talents de l'IA."
    body_html = factory.LazyAttribute(lambda article: render_markdown(article.body))
    status = Article.Status.PUBLISHED


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("normalized_name",)

    name = factory.Sequence(lambda n: f"Entreprise {n}")
    normalized_name = factory.LazyAttribute(lambda company: company.name.lower())
    slug = factory.LazyAttribute(lambda company: slugify(company.name))


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posting

    company = factory.SubFactory(CompanyFactory)
    title = "Ingénieur en apprentissage automatique"
    salary_min = 120_000
    salary_max = 180_000
    currency = "USD"
    period = Posting.Period.YEAR


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    article = factory.SubFactory(ArticleFactory)
    posting = factory.SubFactory(PostingFactory)
    evidence = "L'offre proposait un salaire confortable."


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    article = factory.SubFactory(ArticleFactory)
    title = factory.Sequence(lambda n: f"Ces salaires sont-ils justifiés ? ({n})")


class ReplyFactory(factory.django.DjangoModelFactory):
    """A published reply, with its path, depth and the thread's reply counts
    set as post_reply sets them (without the rules, rate limits or
    notifications: tests of those go through the services)."""

    class Meta:
        model = Reply

    thread = factory.LazyAttribute(
        lambda reply: reply.parent.thread if reply.parent else ThreadFactory()
    )
    parent = None
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Un avis argumenté, numéro {n}.")
    body_html = factory.LazyAttribute(lambda reply: render_markdown(reply.body))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs.get("parent")
        if parent is not None:
            kwargs.setdefault("root_id", parent.root_id or parent.pk)
            kwargs.setdefault("depth", parent.depth + 1)
        reply = super()._create(model_class, *args, **kwargs)
        reply.path = reply_path(parent.path if parent else "", reply.pk)
        model_class.objects.filter(pk=reply.pk).update(path=reply.path)
        counters = {}
        if reply.status == Reply.Status.PUBLISHED:
            if reply.removed_at is None:
                counters["reply_count"] = F("reply_count") + 1
            if parent is None:
                counters["top_level_count"] = F("top_level_count") + 1
        if counters:
            Thread.objects.filter(pk=reply.thread_id).update(**counters)
        return reply


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    user = factory.SubFactory(UserFactory)
    reply = factory.SubFactory(ReplyFactory)
    value = 1


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flag

    reply = factory.SubFactory(ReplyFactory)
    reporter = factory.SubFactory(UserFactory)
    reason = Flag.Reason.SPAM
