import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import ngettext_lazy

from forum.adminbase import apply_each
from forum.models import Thread
from forum.services import lock_thread
from tests.factories import ThreadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The admin speaks the browser's language; these tests read its English.
    with translation.override("en"):
        yield


@pytest.fixture
def admin_request(moderator):
    request = RequestFactory().post("/admin/forum/thread/")
    request.user = moderator
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    return request


def lock_unless_refused(request, refused: dict):
    def call(thread):
        if thread.pk in refused:
            raise refused[thread.pk]
        return lock_thread(thread=thread, by=request.user)

    return call


def test_each_refusal_is_reported_and_the_other_objects_are_still_changed(
    admin_request,
):
    kept, forbidden, invalid = ThreadFactory.create_batch(3)
    refused = {
        forbidden.pk: PermissionDenied("Only moderators can do this."),
        invalid.pk: ValidationError("The thread is archived."),
    }

    done = apply_each(
        admin.site._registry[Thread],
        admin_request,
        Thread.objects.order_by("pk"),
        lock_unless_refused(admin_request, refused),
        sentence="Locked the thread: no new replies.",
        done=ngettext_lazy(
            "%(count)s thread changed.", "%(count)s threads changed.", "count"
        ),
        nothing="No thread needed this change.",
    )

    assert done == 1
    shown = [str(message) for message in get_messages(admin_request)]
    assert shown == [
        f"{forbidden}: Only moderators can do this.",
        f"{invalid}: The thread is archived.",
        "1 thread changed.",
    ]
    locked = set(Thread.objects.filter(is_locked=True).values_list("pk", flat=True))
    assert locked == {kept.pk}
    logged = LogEntry.objects.values_list("object_id", "change_message")
    assert list(logged) == [(str(kept.pk), "Locked the thread: no new replies.")]


def test_a_selection_the_service_refuses_entirely_changes_nothing_and_says_so(
    admin_request, thread
):
    refused = {thread.pk: ValidationError("The thread is archived.")}

    done = apply_each(
        admin.site._registry[Thread],
        admin_request,
        [thread],
        lock_unless_refused(admin_request, refused),
        sentence=lambda thread, result: f"Locked {result}.",
        done=ngettext_lazy(
            "%(count)s thread changed.", "%(count)s threads changed.", "count"
        ),
        nothing="No thread needed this change.",
    )

    assert done == 0
    shown = [str(message) for message in get_messages(admin_request)]
    assert shown == [
        f"{thread}: The thread is archived.",
        "No thread needed this change.",
    ]
    assert not LogEntry.objects.exists()
    thread.refresh_from_db()
    assert not thread.is_locked
