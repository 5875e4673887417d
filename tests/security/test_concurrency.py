"""Many people voting and replying at the same moment, through HTTP.

Each simulated person runs in a real thread with its own test Client and its
own database connection, on PostgreSQL or on the SQLite test database file
(where IMMEDIATE transactions, the busy timeout and the queue of writers in
forum/infra/sqlite/base.py must keep every request from failing).
"""

import random
import threading
from collections import Counter

from django.db import connections
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from forum.models import Reply, Thread, Vote
from forum.services import post_reply
from tests.factories import ThreadFactory, UserFactory

JSON = {"HTTP_ACCEPT": "application/json"}
PEOPLE = 50
ACTIONS_EACH = 8


def run_together(work, count: int) -> list:
    """Run work(number) in `count` threads released at the same moment."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def runner(number):
        try:
            barrier.wait()
            results[number] = work(number)
        except Exception as error:  # noqa: BLE001 - reported by the test
            results[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def _signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_counters_match_a_recount(thread: Thread) -> None:
    for reply in Reply.objects.filter(thread=thread):
        votes = Counter(
            Vote.objects.filter(reply=reply).values_list("value", flat=True)
        )
        assert (reply.upvotes, reply.downvotes) == (votes[1], votes[-1]), reply.pk
        assert reply.score == votes[1] - votes[-1], reply.pk
    thread.refresh_from_db()
    published = Reply.objects.filter(
        thread=thread, status=Reply.Status.PUBLISHED, removed_at__isnull=True
    )
    assert thread.reply_count == published.count()
    total = Reply.objects.filter(thread=thread).aggregate(total=Sum("score"))
    assert thread.score == (total["total"] or 0)


def test_fifty_people_voting_and_replying_at_once_leave_exact_counters(
    transactional_db,
):
    thread = ThreadFactory()
    author = UserFactory(username="author")
    targets = [
        post_reply(thread=thread, author=author, body=f"Avis numéro {n}.")
        for n in range(4)
    ]
    people = [UserFactory(username=f"person{n}") for n in range(PEOPLE)]
    clients = [_signed_in_client(person) for person in people]
    plans = []
    for number in range(PEOPLE):
        chance = random.Random(number)
        plans.append(
            [
                (chance.choice(targets), chance.choice(["1", "-1", "0", "reply"]))
                for _ in range(ACTIONS_EACH)
            ]
        )

    def act(number):
        client, failures, posted = clients[number], [], 0
        for target, action in plans[number]:
            if action == "reply":
                response = client.post(
                    reverse("forum:reply-create", args=[thread.pk]),
                    {"body": f"Réponse de {number}.", "parent": target.pk},
                    **JSON,
                )
                posted += response.status_code == 201
            else:
                response = client.post(
                    reverse("forum:reply-vote", args=[target.pk]),
                    {"value": action},
                    **JSON,
                )
            if response.status_code not in (200, 201):
                failures.append((response.status_code, response.content[:200]))
        return failures, posted

    results = run_together(act, PEOPLE)

    assert [r for r in results if not isinstance(r, tuple)] == []
    assert [failure for failures, _n in results for failure in failures] == []
    expected_votes = {}
    for person, plan in zip(people, plans, strict=True):
        for target, action in plan:
            if action != "reply":
                expected_votes[(person.pk, target.pk)] = int(action)
    stored = {
        (user_id, reply_id): value
        for user_id, reply_id, value in Vote.objects.values_list(
            "user_id", "reply_id", "value"
        )
    }
    assert stored == {key: value for key, value in expected_votes.items() if value}
    posted = sum(count for _failures, count in results)
    assert Reply.objects.filter(thread=thread).count() == len(targets) + posted
    assert_counters_match_a_recount(thread)


def test_twenty_identical_votes_at_once_by_one_person_leave_one_vote(
    transactional_db,
):
    reply = post_reply(
        thread=ThreadFactory(), author=UserFactory(), body="Un avis tranché."
    )
    voter = UserFactory(username="impatient")
    clients = [_signed_in_client(voter) for _ in range(20)]

    def vote(number):
        response = clients[number].post(
            reverse("forum:reply-vote", args=[reply.pk]), {"value": "1"}, **JSON
        )
        return response.status_code, response.json()

    results = run_together(vote, 20)

    assert all(status == 200 for status, _body in results), results
    assert {body["score"] for _status, body in results} == {1}
    assert Vote.objects.filter(reply=reply).count() == 1
    reply.refresh_from_db()
    assert (reply.score, reply.upvotes, reply.downvotes) == (1, 1, 0)
    assert_counters_match_a_recount(reply.thread)


def test_twenty_people_withdrawing_at_once_bring_the_score_back_to_zero(
    transactional_db,
):
    reply = post_reply(
        thread=ThreadFactory(), author=UserFactory(), body="Un avis contesté."
    )
    voters = [UserFactory(username=f"voter{n}") for n in range(20)]
    clients = [_signed_in_client(voter) for voter in voters]
    for client in clients:
        client.post(
            reverse("forum:reply-vote", args=[reply.pk]), {"value": "-1"}, **JSON
        )

    def withdraw(number):
        response = clients[number].post(
            reverse("forum:reply-vote", args=[reply.pk]), {"value": "0"}, **JSON
        )
        return response.status_code

    results = run_together(withdraw, 20)

    assert results == [200] * 20
    assert not Vote.objects.filter(reply=reply).exists()
    reply.refresh_from_db()
    assert (reply.score, reply.upvotes, reply.downvotes) == (0, 0, 0)
    assert_counters_match_a_recount(reply.thread)
