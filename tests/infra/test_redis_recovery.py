"""Redis cut, then back: nothing written during the outage is read stale."""

from django.urls import reverse

from tests.factories import ReplyFactory, UserFactory


def test_a_reader_signed_out_during_the_outage_stays_signed_out_when_redis_returns(
    client, redis_switch, db
):
    reader = UserFactory(username="camille")
    client.force_login(reader)
    assert client.get("/notifications/").wsgi_request.user == reader
    session_cookie = client.cookies["sessionid"].value
    redis_switch.cut()

    client.post(reverse("account_logout"))
    redis_switch.start()
    client.cookies["sessionid"] = session_cookie
    response = client.get("/notifications/")

    assert response.status_code == 302
    assert not response.wsgi_request.user.is_authenticated


def test_a_reply_posted_during_the_outage_shows_on_the_cached_page_when_redis_returns(
    client, redis_switch, thread, django_capture_on_commit_callbacks
):
    ReplyFactory(thread=thread, body="Avant la panne.")
    assert "Avant la panne." in client.get(thread.get_absolute_url()).content.decode()
    writer = client.__class__()
    writer.force_login(UserFactory(username="camille"))
    redis_switch.cut()

    with django_capture_on_commit_callbacks(execute=True):
        posted = writer.post(
            reverse("forum:reply-create", args=[thread.pk]),
            {"body": "Pendant la panne."},
        )
    redis_switch.start()
    page = client.get(thread.get_absolute_url()).content.decode()

    assert posted.status_code == 302
    assert "Avant la panne." in page
    assert "Pendant la panne." in page
