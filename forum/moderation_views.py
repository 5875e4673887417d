"""Pages about moderation decisions for the people they concern: appeals,
and the notice of illegal content anyone may send."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from forum.forms import AppealForm, IllegalContentNoticeForm
from forum.models import Appeal, ModerationDecision, Reply, Thread
from forum.services import (
    appeal_decision,
    send_illegal_content_notice,
    standing_decision,
)


def _add_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _appeal_page(request, decision, back):
    """The decision, why it was taken, and the appeal form (or the appeal
    already sent)."""
    existing = Appeal.objects.filter(decision=decision).first()
    form = AppealForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and existing is None:
        if form.is_valid():
            try:
                appeal_decision(
                    decision=decision,
                    appellant=request.user,
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                _add_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Your appeal has been sent. A moderator will review it "
                        "and you will be told of the outcome."
                    ),
                )
                return redirect(back)
        status = 400
    return render(
        request,
        "forum/appeal.html",
        {"decision": decision, "appeal": existing, "form": form, "back": back},
        status=status,
    )


def _contested(request, decision, missing: str, **appealed):
    """The decision to show: the standing one, or else the one the reader
    already appealed (once lifted, the page still tells how the appeal
    went); 404 with `missing` when there is neither."""
    if decision is not None:
        return decision
    existing = (
        Appeal.objects.filter(appellant=request.user, **appealed)
        .select_related("decision")
        .order_by("-created_at")
        .first()
    )
    if existing is None:
        raise Http404(missing)
    return existing.decision


@require_http_methods(["GET", "POST"])
@login_required
def reply_appeal(request, reply_id):
    reply = get_object_or_404(
        Reply.objects.select_related("thread"), pk=reply_id, author=request.user
    )
    decision = _contested(
        request,
        standing_decision(user=request.user, reply=reply),
        "No decision to appeal on this reply.",
        decision__reply=reply,
    )
    return _appeal_page(request, decision, reply.get_absolute_url())


@require_http_methods(["GET", "POST"])
@login_required
def thread_appeal(request, thread_id):
    """The author of a locked thread contests the lock."""
    thread = get_object_or_404(Thread, pk=thread_id, author=request.user)
    decision = _contested(
        request,
        standing_decision(user=request.user, thread=thread),
        "No lock to appeal on this thread.",
        decision__thread=thread,
        decision__action=ModerationDecision.Action.LOCK,
    )
    return _appeal_page(request, decision, thread.get_absolute_url())


@require_http_methods(["GET", "POST"])
@login_required
def ban_appeal(request):
    decision = _contested(
        request,
        standing_decision(user=request.user),
        "No ban to appeal.",
        decision__action=ModerationDecision.Action.BAN,
    )
    return _appeal_page(request, decision, request.user.get_absolute_url())


@require_http_methods(["GET", "POST"])
def illegal_content_notice(request):
    """The notice form: with or without an account, rate-limited."""
    initial = {}
    reply_id = request.GET.get("reply", "")
    if reply_id.isdigit():
        reply = Reply.objects.filter(pk=reply_id).select_related("thread").first()
        if reply is not None:
            initial["location"] = request.build_absolute_uri(reply.get_absolute_url())
    form = IllegalContentNoticeForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                send_illegal_content_notice(
                    location=data["location"],
                    explanation=data["explanation"],
                    name=data["name"],
                    email=data["email"],
                    good_faith=data["good_faith"],
                    reporter=request.user,
                    client=request.META.get("REMOTE_ADDR", ""),
                    trap=data["website"],
                )
            except ValidationError as error:
                _add_error(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                return render(request, "forum/illegal_content_notice_sent.html")
        status = 400
    return render(
        request, "forum/illegal_content_notice.html", {"form": form}, status=status
    )
