from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.forms import ProfileForm
from accounts.models import User
from forum.models import Reply, Thread
from forum.pagination import page_or_404


def profile(request, username):
    user = get_object_or_404(User, username=username, is_active=True)
    # What anyone may read: the page is the same for every visitor.
    replies = (
        Reply.objects.visible()
        .filter(author=user, thread__in=Thread.objects.visible_to(None))
        .select_related("thread__article")
        .order_by("-created_at")
    )
    page = page_or_404(Paginator(replies, 20), request.GET.get("page", 1))
    karma = (
        Reply.objects.filter(author=user, removed_at__isnull=True).aggregate(
            karma=Sum("score")
        )["karma"]
        or 0
    )
    return render(
        request,
        "accounts/profile.html",
        {"profile_user": user, "page": page, "karma": karma},
    )


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect(request.user)
    return render(request, "accounts/profile_edit.html", {"form": form})
