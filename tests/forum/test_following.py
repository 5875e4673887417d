from django.core import mail
from django.urls import reverse

from accounts.services import ban_user
from forum.models import Follow, Notification
from forum.services import follow_thread, post_reply, unfollow_thread
from tests.factories import ReplyFactory, UserFactory
from tests.support import committed


def post_and_commit(**kwargs):
    """Post a reply and run what waits for its commit: the queued fan-out."""
    with committed():
        return post_reply(**kwargs)


def _follow_url(thread):
    return reverse("forum:thread-follow", args=[thread.pk])


def test_following_a_thread_from_its_page_records_the_follow(auth_client, thread, user):
    response = auth_client.post(_follow_url(thread), {"action": "follow"})

    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert Follow.objects.filter(thread=thread, user=user).exists()
    page = auth_client.get(thread.get_absolute_url()).content.decode()
    assert 'value="unfollow"' in page


def test_following_twice_keeps_a_single_follow(auth_client, thread, user):
    auth_client.post(_follow_url(thread), {"action": "follow"})

    auth_client.post(_follow_url(thread), {"action": "follow"})

    assert Follow.objects.filter(thread=thread, user=user).count() == 1


def test_follower_is_told_of_every_new_reply_in_the_thread(thread, user):
    follow_thread(thread=thread, user=user)

    first = post_and_commit(thread=thread, author=UserFactory(), body="Premier avis.")
    second = post_and_commit(thread=thread, author=UserFactory(), body="Second avis.")

    notifications = Notification.objects.filter(recipient=user)
    assert {item.reply for item in notifications} == {first, second}
    assert {item.kind for item in notifications} == {Notification.Kind.FOLLOWED}


def test_follower_sees_followed_replies_in_the_inbox(auth_client, thread, user):
    auth_client.post(_follow_url(thread), {"action": "follow"})
    reply = post_and_commit(
        thread=thread, author=UserFactory(username="carla"), body="Oui."
    )

    response = auth_client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert f"<bdi>carla</bdi> replied in “{thread.title}”, a thread you follow" in html
    notification = Notification.objects.get(recipient=user, reply=reply)
    assert f'href="/notifications/{notification.pk}/"' in html


def test_unfollowing_from_the_thread_page_stops_the_notifications(
    auth_client, thread, user
):
    follow_thread(thread=thread, user=user)

    response = auth_client.post(_follow_url(thread), {"action": "unfollow"})
    post_and_commit(thread=thread, author=UserFactory(), body="Personne ne me lira.")

    assert response.status_code == 302
    assert not Follow.objects.filter(thread=thread, user=user).exists()
    assert Notification.objects.filter(recipient=user).count() == 0


def test_a_follower_answered_directly_gets_one_reply_notification(
    thread, user, other_user
):
    follow_thread(thread=thread, user=user)
    mine = ReplyFactory(thread=thread, author=user)

    answer = post_and_commit(thread=thread, author=other_user, body="Non.", parent=mine)

    notification = Notification.objects.get(recipient=user)
    assert notification.reply == answer
    assert notification.kind == Notification.Kind.REPLY


def test_a_follower_is_not_told_of_their_own_replies(thread, user):
    follow_thread(thread=thread, user=user)

    post_and_commit(thread=thread, author=user, body="Je réponds à tout le monde.")

    assert Notification.objects.filter(recipient=user).count() == 0


def test_a_follower_who_opted_in_gets_an_email(
    thread, user, django_capture_on_commit_callbacks
):
    user.email_on_followed = True
    user.save()
    follow_thread(thread=thread, user=user)

    with django_capture_on_commit_callbacks(execute=True):
        post_and_commit(thread=thread, author=UserFactory(), body="Du nouveau ici.")

    assert [message.to for message in mail.outbox] == [[user.email]]
    assert "Du nouveau ici." in mail.outbox[0].body


def test_replies_to_me_alone_sends_no_email_about_followed_threads(
    thread, user, django_capture_on_commit_callbacks
):
    user.email_on_reply = True
    user.email_on_followed = False
    user.save()
    follow_thread(thread=thread, user=user)

    post_and_commit(thread=thread, author=UserFactory(), body="Du nouveau ici.")

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=user).count() == 1


def test_a_banned_reader_cannot_follow_a_thread(auth_client, thread, user, moderator):
    ban_user(user=user, by=moderator, reason="Insultes répétées.")

    response = auth_client.post(_follow_url(thread), {"action": "follow"})

    assert response.status_code == 403
    assert not Follow.objects.filter(user=user).exists()


def test_a_reader_cannot_follow_a_hidden_thread(auth_client, thread, user):
    thread.is_hidden = True
    thread.save()

    response = auth_client.post(_follow_url(thread), {"action": "follow"})

    assert response.status_code == 404
    assert not Follow.objects.filter(user=user).exists()


def test_an_anonymous_visitor_is_asked_to_log_in_to_follow(client, thread):
    response = client.post(_follow_url(thread), {"action": "follow"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Follow.objects.count() == 0


def test_unfollowing_a_thread_never_followed_changes_nothing(thread, user, other_user):
    follow_thread(thread=thread, user=other_user)

    unfollow_thread(thread=thread, user=user)

    assert list(Follow.objects.values_list("user", flat=True)) == [other_user.pk]
