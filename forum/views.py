from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.backends import signed_in_from_row
from forum import pagecache
from forum.forms import EditReplyForm, FlagForm, ReplyForm, VoteForm
from forum.models import Reply, is_moderator
from forum.pagecache import frames
from forum.pagecache.anonymous import has_messages
from forum.permissions import check_can_edit, check_can_flag, check_can_remove
from forum.ratelimit import RateLimited
from forum.selectors import (
    ReplyNode,
    concealment,
    earlier_versions,
    parent_for_answer,
    reader_and_reply,
    reply_for_action,
    reply_for_permalink,
    reply_html,
    reply_place,
    thread_for_page,
    thread_page,
)
from forum.services import (
    cast_vote,
    edit_reply,
    flag_reply,
    follow_thread,
    post_reply,
    record_visit,
    remove_reply,
    unfollow_thread,
    visit_needs_recording,
)


def _reader_read_with_the_reply(view):
    """Around a view acting on a reply, before login_required asks who the
    reader is: the reader's row and the reply read in one statement where
    that saves a round trip (selectors.reader_and_reply). Authentication
    checks the session against the row as it always does; the view finds
    the reply as `request.action_reply`: None if not every reader may act
    on it, which reply_for_action then decides."""

    @wraps(view)
    def wrapper(request, reply_id, *args, **kwargs):
        user_id = request.session.get(SESSION_KEY)
        if user_id is not None:
            user_model = get_user_model()
            user_id = user_model._meta.pk.to_python(user_id)
            found = reader_and_reply(user_id, reply_id)
            if found is not None:
                user_row, reply = found
                alias = router.db_for_read(user_model)
                if signed_in_from_row(request, alias, user_id, user_row) is not None:
                    request.action_reply = reply
        return view(request, reply_id, *args, **kwargs)

    return wrapper


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


def permalink_url(reply: Reply) -> str:
    return reverse("forum:reply-permalink", kwargs={"reply_id": reply.pk})


def quote_markdown(reply: Reply, link: str) -> str:
    """A Markdown quote of `reply`, naming its author and linking back to it."""
    lines = reply.body.strip().splitlines() or [""]
    quoted = "\n".join(f"> {line}".rstrip() for line in lines)
    attribution = _("@%(name)s [wrote](%(link)s):") % {
        "name": reply.author.username,
        "link": link,
    }
    return f"> {attribution}\n>\n{quoted}\n\n"


def reply_permalink(request, reply_id):
    """/r/<id>/: to the page and sort of the thread that shows the reply."""
    reply = reply_for_permalink(request.user, reply_id)
    return redirect(reply_place(reply, request.user, request.GET.get("sort")))


def reply_revisions(request, reply_id):
    """A reply's earlier versions, open to everyone who may read the reply."""
    reply = reply_for_action(request.user, reply_id)
    hidden = concealment(reply, request.user)
    if hidden is not None and not hidden.reveals:
        raise Http404("No such reply.")
    context = {
        "reply": reply,
        "revisions": earlier_versions(reply, request.user),
        "is_moderator": is_moderator(request.user),
    }
    return render(request, "forum/reply_revisions.html", context)


def _safe_next(request, thread) -> str | None:
    """The page of `thread` the reader came from (`next`, from the form or
    the query string), or None when it is missing, foreign or another page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    path, _sep, query = target.partition("#")[0].partition("?")
    if path != thread.get_absolute_url():
        return None
    return f"{path}?{query}" if query else path


def back_to_reply(request, reply: Reply, *, moved: bool = False):
    """Back to where the reader was in the full thread, anchored on `reply`:
    the page they came from, or, for a reply that may stand elsewhere (a new
    one, `moved`), the page that shows it in the sort they were reading."""
    came_from = _safe_next(request, reply.thread)
    if came_from is not None and not moved:
        return redirect(f"{came_from}#reply-{reply.pk}")
    sort = None
    if came_from is not None and "?" in came_from:
        sort = QueryDict(came_from.partition("?")[2]).get("sort")
    return redirect(reply_place(reply, request.user, sort))


@pagecache.anonymous_page("thread", ident=pagecache.thread_ident, with_session=True)
def thread_detail(request, thread_id, slug):
    if pagecache.signed_in(request):
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
    if context["can_reply"]:
        # The form is shown only to a reader who may reply.
        context["form"] = ReplyForm()
    if request.user.is_authenticated or has_messages(request):
        response = render(request, "forum/thread_detail.html", context)
    else:
        html, frame = frames.render_thread_page(request, context)
        response = HttpResponse(html)
        if frame is not None:
            # Whether the page around the replies was kept from an earlier
            # render.
            response["X-Page-Frame"] = frame
    fragments = getattr(request, "reply_fragments", None)
    if fragments is not None:
        # How many top-level replies (with their answers) were kept from an
        # earlier render, of how many shown.
        response["X-Reply-Fragments"] = "{}/{}".format(*fragments)
    if request.user.is_authenticated and visit_needs_recording(thread):
        record_visit(
            reader=request.user,
            thread_id=thread.pk,
            newest_reply_id=thread.newest_reply_id,
        )
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
    if "preview" in request.POST and not wants_json(request):
        return _compose_page(request, thread, form)
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
                return back_to_reply(request, reply, moved=True)
    if wants_json(request):
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    came_from = _safe_next(request, thread)
    sort = QueryDict(came_from.partition("?")[2]).get("sort") if came_from else None
    context = thread_page(thread=thread, viewer=request.user, sort=sort or "best")
    context["form"] = form
    # The page the reader came from, where their actions still return.
    context["here"] = came_from or thread.get_absolute_url()
    return render(request, "forum/thread_detail.html", context, status=400)


def _compose_page(request, thread, form):
    """The reply form again, with its text rendered as it would be
    published ("Preview" without JavaScript); nothing is posted."""
    parent = None
    if form.is_valid():
        try:
            parent = parent_for_answer(request.user, form.cleaned_data["parent"])
        except ValidationError as error:
            form.add_error(None, error.messages)
    preview = reply_html(form.cleaned_data["body"]) if form.is_valid() else None
    context = {
        "parent": parent,
        "thread": thread,
        "form": form,
        "preview": preview,
        "next": _safe_next(request, thread),
    }
    return render(request, "forum/reply_respond.html", context)


@require_POST
@login_required
def reply_preview(request):
    """A reply's text rendered as it would be published, for the page script:
    the same sanitiser and mentions as a posted reply."""
    form = EditReplyForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return JsonResponse({"html": reply_html(form.cleaned_data["body"])})


@login_required
def reply_respond(request, reply_id):
    """The form to answer one reply, for browsers without JavaScript."""
    try:
        parent = parent_for_answer(request.user, reply_id)
    except ValidationError as error:
        raise Http404("No such reply.") from error
    thread = parent.thread
    initial = {"parent": parent.pk}
    if request.GET.get("quote"):
        initial["body"] = quote_markdown(
            parent, request.build_absolute_uri(permalink_url(parent))
        )
        if wants_json(request):
            return JsonResponse({"quote": initial["body"]})
    form = ReplyForm(initial=initial)
    return render(
        request,
        "forum/reply_respond.html",
        {
            "parent": parent,
            "thread": thread,
            "form": form,
            "next": _safe_next(request, thread),
        },
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
                return back_to_reply(request, reply)
        status = 400
    context = {"reply": reply, "form": form, "next": _safe_next(request, reply.thread)}
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def reply_edit(request, reply_id):
    reply = _reply_for(request, reply_id, check_can_edit)
    if request.method == "POST":
        form = EditReplyForm(request.POST)
        if "preview" in request.POST:
            preview = reply_html(form.cleaned_data["body"]) if form.is_valid() else None
            context = {
                "reply": reply,
                "form": form,
                "preview": preview,
                "next": _safe_next(request, reply.thread),
            }
            return render(request, "forum/reply_edit.html", context)
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
@_reader_read_with_the_reply
@login_required
def reply_vote(request, reply_id):
    reply = getattr(request, "action_reply", None) or reply_for_action(
        request.user, reply_id, readers_lookup_done=hasattr(request, "action_reply")
    )
    form = VoteForm(request.POST)
    if not form.is_valid():
        if wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        messages.error(request, _("A vote is 1, -1 or 0."))
        return back_to_reply(request, reply)
    try:
        reply = cast_vote(
            reply=reply, voter=request.user, value=form.cleaned_data["value"]
        )
    except ValidationError as error:
        if wants_json(request):
            return _json_errors(error)
        messages.error(request, " ".join(error.messages))
        return back_to_reply(request, reply)
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
    return back_to_reply(request, reply)


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
        return back_to_reply(request, reply)
    context = {"reply": reply, "next": _safe_next(request, reply.thread)}
    return render(request, "forum/reply_delete.html", context)


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
    return redirect(_safe_next(request, thread) or thread)
