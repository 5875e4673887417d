from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from forum import pagecache
from forum.forms import EditReplyForm, FlagForm, ReplyForm, VoteForm
from forum.models import Reply
from forum.permissions import check_can_edit, check_can_flag, check_can_remove
from forum.ratelimit import RateLimited
from forum.selectors import (
    ReplyNode,
    parent_for_answer,
    reply_for_action,
    thread_for_page,
    thread_page,
)
from forum.services import (
    cast_vote,
    edit_reply,
    flag_reply,
    follow_thread,
    post_reply,
    remove_reply,
    unfollow_thread,
)


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _json_errors(error: ValidationError, status: int = 400) -> JsonResponse:
    if hasattr(error, "error_dict"):
        errors = {
            key: [str(m) for m in value] for key, value in error.message_dict.items()
        }
    else:
        errors = {"non_field_errors": [str(m) for m in error.messages]}
    response = JsonResponse({"errors": errors}, status=status)
    if isinstance(error, RateLimited):
        response.status_code = 429
        response["Retry-After"] = str(error.retry_after)
    return response


def _add_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for key, messages_ in error.message_dict.items():
            form.add_error(key if key in form.fields else None, messages_)
    else:
        form.add_error(None, error)


@pagecache.anonymous_page("thread", ident=pagecache.thread_ident)
def thread_detail(request, thread_id, slug):
    if request.user.is_authenticated:
        shared = pagecache.shared_thread_page(request, thread_id=thread_id, slug=slug)
        if shared is not None:
            return shared
    thread = thread_for_page(thread_id, request.user)
    if slug != thread.slug:
        return redirect(thread, permanent=True)
    focus = None
    focus_id = request.GET.get("reply")
    if focus_id:
        if not focus_id.isdigit():
            raise Http404("No such reply.")
        focus = get_object_or_404(
            Reply.objects.in_thread(thread).in_tree_for(request.user), pk=focus_id
        )
    context = thread_page(
        thread=thread,
        viewer=request.user,
        sort=request.GET.get("sort", "best"),
        page=request.GET.get("page", 1),
        focus=focus,
    )
    context["form"] = ReplyForm()
    response = render(request, "forum/thread_detail.html", context)
    fragments = getattr(request, "reply_fragments", None)
    if fragments is not None:
        # How many top-level replies (with their answers) were kept from an
        # earlier render, of how many shown.
        response["X-Reply-Fragments"] = "{}/{}".format(*fragments)
    return response


def _render_node(request, reply: Reply) -> str:
    reply.my_vote = 0
    reply.my_flag = False
    node = ReplyNode(
        reply=reply,
        display_depth=min(reply.depth, settings.FORUM_DISPLAY_DEPTH_CAP),
        can_edit=True,
        can_remove=True,
    )
    return render_to_string("forum/_reply.html", {"node": node}, request=request)


@require_POST
@login_required
def reply_create(request, thread_id):
    thread = thread_for_page(thread_id, request.user)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            parent = parent_for_answer(request.user, form.cleaned_data["parent"])
        except ValidationError as error:
            if wants_json(request):
                return _json_errors(error)
            # The parent is a hidden field: its error is the form's.
            form.add_error(None, error.messages)
        if form.is_valid():
            try:
                reply = post_reply(
                    thread=thread,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    parent=parent,
                )
            except ValidationError as error:
                if wants_json(request):
                    return _json_errors(error)
                _add_error(form, error)
            else:
                if wants_json(request):
                    return JsonResponse(
                        {"id": reply.pk, "html": _render_node(request, reply)},
                        status=201,
                    )
                if reply.is_pending:
                    messages.info(
                        request,
                        _(
                            "Your reply is held for review and will appear once "
                            "approved."
                        ),
                    )
                return redirect(reply)
    if wants_json(request):
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    context = thread_page(thread=thread, viewer=request.user)
    context["form"] = form
    return render(request, "forum/thread_detail.html", context, status=400)


@login_required
def reply_respond(request, reply_id):
    """The form to answer one reply, for browsers without JavaScript."""
    try:
        parent = parent_for_answer(request.user, reply_id)
    except ValidationError as error:
        raise Http404("No such reply.") from error
    thread = parent.thread
    form = ReplyForm(initial={"parent": parent.pk})
    return render(
        request,
        "forum/reply_respond.html",
        {"parent": parent, "thread": thread, "form": form},
    )


def _reply_for(request, reply_id, check):
    """The reply the viewer acts on, once `check` lets them."""
    reply = reply_for_action(request.user, reply_id)
    check(request.user, reply)
    return reply


def _reply_form_page(request, reply, form, template, act, success):
    """A form about a reply: on a valid POST, `act` on its data and go back to
    the reply; otherwise the form again, with its errors after a POST.
    `success` is the message shown, or a function of what `act` returned
    giving it."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = act(form.cleaned_data)
            except ValidationError as error:
                _add_error(form, error)
            else:
                messages.success(
                    request, success(outcome) if callable(success) else success
                )
                return redirect(reply)
        status = 400
    return render(request, template, {"reply": reply, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def reply_edit(request, reply_id):
    reply = _reply_for(request, reply_id, check_can_edit)
    if request.method == "POST":
        form = EditReplyForm(request.POST)
    else:
        # An edit held for review is taken up where its author left it.
        shown = reply.pending_body if reply.has_pending_edit else reply.body
        form = EditReplyForm(initial={"body": shown})

    def said(edited):
        if edited.has_pending_edit:
            return _(
                "Your edit waits for a moderator's review (%(reason)s). "
                "Until then your reply shows its previous text."
            ) % {"reason": edited.pending_edit_reason}
        return _("Your reply has been updated.")

    return _reply_form_page(
        request,
        reply,
        form,
        "forum/reply_edit.html",
        lambda data: edit_reply(reply=reply, editor=request.user, body=data["body"]),
        said,
    )


@require_POST
@login_required
def reply_vote(request, reply_id):
    reply = reply_for_action(request.user, reply_id)
    form = VoteForm(request.POST)
    if not form.is_valid():
        if wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        messages.error(request, _("A vote is 1, -1 or 0."))
        return redirect(reply)
    try:
        reply = cast_vote(
            reply=reply, voter=request.user, value=form.cleaned_data["value"]
        )
    except ValidationError as error:
        if wants_json(request):
            return _json_errors(error)
        messages.error(request, " ".join(error.messages))
        return redirect(reply)
    except PermissionDenied as error:
        if wants_json(request):
            return JsonResponse(
                {"errors": {"non_field_errors": [str(error)]}}, status=403
            )
        raise
    if wants_json(request):
        return JsonResponse(
            {
                "id": reply.pk,
                "score": reply.score,
                "upvotes": reply.upvotes,
                "downvotes": reply.downvotes,
                "my_vote": reply.my_vote,
            }
        )
    return redirect(reply)


@require_http_methods(["GET", "POST"])
@login_required
def reply_flag(request, reply_id):
    reply = _reply_for(request, reply_id, check_can_flag)
    return _reply_form_page(
        request,
        reply,
        FlagForm(request.POST or None),
        "forum/reply_flag.html",
        lambda data: flag_reply(reply=reply, reporter=request.user, **data),
        _("Thank you: the moderators will look at this reply."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def reply_delete(request, reply_id):
    reply = _reply_for(request, reply_id, check_can_remove)
    if request.method == "POST":
        remove_reply(reply=reply, by=request.user, reason=Reply.RemovalReason.AUTHOR)
        messages.success(request, _("Your reply has been deleted."))
        return redirect(reply.thread)
    return render(request, "forum/reply_delete.html", {"reply": reply})


@require_POST
@login_required
def thread_follow(request, thread_id):
    thread = thread_for_page(thread_id, request.user)
    if request.POST.get("action") == "unfollow":
        unfollow_thread(thread=thread, user=request.user)
        messages.success(request, _("You no longer follow this thread."))
    else:
        follow_thread(thread=thread, user=request.user)
        messages.success(request, _("You will be told of every new reply here."))
    return redirect(thread)
