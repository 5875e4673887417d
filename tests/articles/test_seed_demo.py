from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import User
from articles.models import Article, Citation, Posting
from forum.models import Reply, Thread, Vote


def counts():
    return tuple(
        model.objects.count()
        for model in (User, Article, Thread, Posting, Citation, Reply, Vote)
    )


def seed():
    call_command("seed_demo", stdout=StringIO())


def test_demo_data_looks_alive(db):
    seed()

    assert Article.objects.filter(language="fr").count() >= 3
    assert Article.objects.filter(language="en").exists()
    assert User.objects.filter(is_superuser=False).count() == 10
    assert Reply.objects.filter(depth__gte=2).exists()
    assert Vote.objects.exists()
    assert authenticate(username="admin", password="demo-password-2024").is_superuser
    assert authenticate(username="camille", password="demo-password-2024")


def test_demo_articles_share_the_netflix_posting(db):
    seed()

    netflix = Posting.objects.get(company__name="Netflix")
    assert netflix.citations.count() == 2
    assert (netflix.salary_min, netflix.salary_max) == (300_000, 900_000)
    assert netflix.url


def test_seeding_twice_changes_nothing(db):
    seed()
    before = counts()
    updated = list(Article.objects.values_list("updated_at", flat=True))

    seed()

    assert counts() == before
    assert list(Article.objects.values_list("updated_at", flat=True)) == updated
