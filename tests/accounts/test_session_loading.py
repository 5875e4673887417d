"""The session and the signed-in user are read with plain queries; they must
still refuse what Django refuses."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from accounts.models import User
from forum.infra.sessions import SessionStore


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client) -> int:
    return client.get("/notifications/").status_code


def test_signed_in_reader_is_recognised_from_their_session(user):
    response = _signed_in(user).get("/notifications/")

    assert response.status_code == 200
    assert f">{user.public_name}<" in response.content.decode()


def test_changed_password_signs_other_sessions_out(user):
    client = _signed_in(user)
    user.set_password("un-tout-autre-mot-de-passe-2026")
    user.save()

    assert _page(client) == 302


def test_expired_session_signs_the_reader_out(user, settings):
    settings.SESSION_ENGINE = "forum.infra.sessions"
    client = _signed_in(user)
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    assert _page(client) == 302
    assert SessionStore(key).load() == {}


def test_unknown_session_key_loads_nothing(db):
    store = SessionStore("nosuchsessionkeyatall")

    assert store.load() == {}
    assert store.session_key is None


def test_deactivated_reader_is_signed_out(user):
    client = _signed_in(user)
    user.is_active = False
    user.save()

    assert _page(client) == 302


def test_deleted_reader_is_signed_out(user):
    client = _signed_in(user)
    user.delete()

    assert _page(client) == 302


def test_user_loaded_by_id_equals_the_one_the_orm_loads(user):
    from accounts.backends import user_by_id

    user.last_login = timezone.now()
    user.is_staff = True
    user.save()

    loaded = user_by_id(user.pk)

    expected = User.objects.get(pk=user.pk)
    for field in User._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname)
    assert loaded._state.adding is False
    assert user_by_id(user.pk + 1000) is None
