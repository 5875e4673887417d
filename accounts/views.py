import json

from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.export import export_account
from accounts.forms import AccountDeleteForm, ProfileForm
from accounts.models import User
from accounts.services import (
    erase_account,
    legal_page,
    save_profile,
    send_verification,
)
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
        save_profile(request=request, form=form)
        messages.success(request, _("Your profile has been saved."))
        return redirect(request.user)
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
def account_export(request):
    """The reader's data as a JSON file to download."""
    document = export_account(request.user)
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"forum-{request.user.pk}-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def account_delete(request):
    if request.method == "POST":
        # Guessing the password here counts as on the password change page.
        refused = consume_or_429(request, action="change_password", user=request.user)
        if refused is not None:
            return refused
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        erase_account(user=user, keep_text=form.keep_text)
        messages.success(request, _("Your account has been deleted."))
        return redirect("/")
    return render(request, "accounts/account_delete.html", {"form": form})


@require_POST
@login_required
def verify_email(request):
    """Send the link that confirms the reader's address again."""
    if request.user.has_verified_email:
        messages.info(request, _("Your e-mail address is already confirmed."))
    elif not request.user.email:
        messages.error(request, _("Add an e-mail address to your profile first."))
    elif not send_verification(request=request, user=request.user):
        messages.error(
            request,
            _("A link was sent a moment ago: wait a few minutes before asking again."),
        )
    # allauth announces the mail it sent in its own message.
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("accounts:profile-edit")
    return redirect(next_url)


def legal(request, kind):
    page = legal_page(kind=kind, language=request.LANGUAGE_CODE)
    return render(request, "accounts/legal_page.html", {"page": page})
