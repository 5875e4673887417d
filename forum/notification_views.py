"""The reader's inbox: replies to them and new replies in the threads they follow."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from forum.models import Notification, is_moderator
from forum.selectors import (
    concealment,
    notification_for_action,
    notifications_for,
    reply_for_permalink,
    reply_place,
)
from forum.services import mark_notifications_read

NOTIFICATIONS_PER_PAGE = 20


def notification_page(*, user, page=1):
    """A page of a user's notifications, unread first, then newest first.

    Each notification comes with its reply, the reply's author, thread and
    article, and `can_open`: whether the user may still open the thread.
    """
    notifications = notifications_for(user).order_by("-is_unread", "-created_at", "-pk")
    return Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(page)


def _back(request):
    """Where to go after marking: a safe `next`, or the inbox."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("forum:notification-list")


@login_required
def notification_list(request):
    page = notification_page(user=request.user, page=request.GET.get("page", 1))
    notifications = list(page)
    moderator = is_moderator(request.user)
    for notification in notifications:
        notification.concealment = concealment(
            notification.reply, request.user, moderator=moderator
        )
    return render(
        request,
        "forum/notifications.html",
        {
            "page": page,
            "notifications": notifications,
            "has_unread": any(item.is_unread for item in notifications),
        },
    )


@login_required
def notification_open(request, notification_id):
    """Follow a notification: mark it read, then open the reply it is about
    on the page of the full thread that shows it (the inbox when the reader
    may no longer see it)."""
    notification = notification_for_action(request.user, notification_id)
    if notification.read_at is None:
        mark_notifications_read(user=request.user, ids=[notification.pk])
    try:
        reply = reply_for_permalink(request.user, notification.reply_id)
    except Http404:
        return redirect("forum:notification-list")
    return redirect(reply_place(reply, request.user))


@require_POST
@login_required
def notification_read(request, notification_id):
    notification = get_object_or_404(
        Notification, pk=notification_id, recipient=request.user
    )
    mark_notifications_read(user=request.user, ids=[notification.pk])
    return _back(request)


@require_POST
@login_required
def notifications_read_all(request):
    mark_notifications_read(user=request.user)
    return _back(request)
