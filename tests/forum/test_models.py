import pytest
from django.db import IntegrityError, transaction

from forum.models import Flag, Vote
from tests.factories import FlagFactory, PostingFactory, ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_database_holds_one_vote_per_user_and_reply():
    reply, voter = ReplyFactory(), UserFactory()
    Vote.objects.create(reply=reply, user=voter, value=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(reply=reply, user=voter, value=-1)

    assert Vote.objects.count() == 1


@pytest.mark.parametrize("value", [0, 2, -2])
def test_database_refuses_a_vote_value_other_than_one_or_minus_one(value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(reply=ReplyFactory(), user=UserFactory(), value=value)

    assert not Vote.objects.exists()


def test_database_holds_one_flag_per_user_and_reply():
    flag = FlagFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(reply=flag.reply, reporter=flag.reporter, reason="abuse")

    assert Flag.objects.count() == 1


@pytest.mark.parametrize(("low", "high"), [(0, 10), (200, 100), (-5, 10)])
def test_database_refuses_salaries_out_of_order_or_not_positive(low, high):
    with pytest.raises(IntegrityError), transaction.atomic():
        PostingFactory(salary_min=low, salary_max=high)


def test_posting_without_a_minimum_is_allowed_and_annualised():
    posting = PostingFactory(salary_min=None, salary_max=28, period="hour")

    posting.refresh_from_db()
    assert posting.annual_min is None
    assert posting.annual_max == 28 * 2080
    assert posting.is_estimate


def test_two_postings_cannot_share_a_known_url():
    PostingFactory(url="https://jobs.example.org/1")

    with pytest.raises(IntegrityError), transaction.atomic():
        PostingFactory(url="https://jobs.example.org/1")

    PostingFactory(url="")
    PostingFactory(url="")


def test_reply_score_must_equal_up_minus_down_votes():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReplyFactory(score=3, upvotes=1, downvotes=0)
