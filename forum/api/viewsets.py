"""The REST API v1: reads for everyone, writes through forum.services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.export import export_account
from accounts.forms import ProfileForm
from accounts.models import ApiToken
from accounts.services import create_api_token, revoke_api_token, save_profile
from articles.models import Article, Citation, Company, Posting
from forum.api import schema
from forum.api.authentication import BearerTokenAuthentication
from forum.api.conditional import ConditionalReadMixin, anonymous_cache
from forum.api.filters import (
    POSTING_DEFAULT_ORDERING,
    REPLY_DEFAULT_ORDERING,
    THREAD_DEFAULT_ORDERING,
    PostingFilter,
    ReplyFilter,
    ThreadFilter,
    sort_postings,
    sort_replies,
)
from forum.api.idempotency import idempotent
from forum.api.pagination import KeysetCursorPagination, NumberedPagination
from forum.api.parsers import StrictJSONParser
from forum.api.permissions import SignedIn
from forum.api.serializers import (
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    ArticleDetailSerializer,
    ArticleSerializer,
    CompanySerializer,
    ErrorSerializer,
    FlagCreateSerializer,
    FlagSerializer,
    FollowSerializer,
    MarkedReadSerializer,
    MeSerializer,
    MeUpdateSerializer,
    NotificationSerializer,
    PostingDetailSerializer,
    PostingSerializer,
    ReplyCreateSerializer,
    ReplyEditSerializer,
    ReplySerializer,
    ThreadExportSerializer,
    ThreadSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    VoteResultSerializer,
    VoteSerializer,
)
from forum.api.throttles import TokenThrottle, UserWriteThrottle
from forum.models import Reply, Thread, path_ancestor_ids
from forum.permissions import check_can_edit, check_can_remove
from forum.selectors import (
    notification_for_action,
    notifications_for,
    parent_for_answer,
    replies_by_author,
    reply_for_action,
)
from forum.services import (
    cast_vote,
    edit_reply,
    flag_reply,
    follow_thread,
    mark_notifications_read,
    post_reply,
    remove_reply,
    unfollow_thread,
)

# Ids in URLs: at most 18 digits, so every id that matches fits a 64-bit
# column and larger numbers answer 404 instead of failing in the database.
ID_PATTERN = r"[0-9]{1,18}"
SLUG_PATTERN = r"[-a-zA-Z0-9_]+"

ID_PARAMETER = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": 10**18 - 1},
    OpenApiParameter.PATH,
)
CONDITIONAL = [ID_PARAMETER, schema.IF_NONE_MATCH, *schema.CONDITIONAL_PARAMETERS]
NOT_MODIFIED = {304: None}


def _thread_version(view, kwargs):
    return (("thread", kwargs.get("pk")),)


def _all_threads_version(view, kwargs):
    return (("home", "all"),)


def _visible_threads(viewer):
    return Thread.objects.visible_to(viewer).order_by("position", "pk")


def _thread_list(viewer):
    """The threads the viewer may see, read by the serializers as `thread_list`."""
    return Prefetch("threads", queryset=_visible_threads(viewer), to_attr="thread_list")


def _citation_list(citations):
    """The citations given, read by the serializers as `citation_list`."""
    return Prefetch("citations", queryset=citations, to_attr="citation_list")


class DetailOnRetrieve:
    """Summaries in the list; one object in detail, through
    `detail_serializer_class`, with the rows `detail_prefetches` names."""

    detail_serializer_class = None

    def listed(self):
        raise NotImplementedError

    def detail_prefetches(self):
        return []

    def get_queryset(self):
        queryset = self.listed()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(*self.detail_prefetches())
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return self.detail_serializer_class
        return super().get_serializer_class()


# Articles, postings, companies --------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List published articles, latest first",
        responses={
            200: ArticleSerializer(many=True),
            **schema.errors(400, 401, 404, 429),
        },
    ),
    retrieve=extend_schema(
        summary="An article with its questions and the postings it cites",
        responses={200: ArticleDetailSerializer, **schema.errors(401, 404, 429)},
    ),
)
class ArticleViewSet(
    DetailOnRetrieve, ConditionalReadMixin, viewsets.ReadOnlyModelViewSet
):
    """Press articles; each ends with questions, which are the threads."""

    serializer_class = ArticleSerializer
    detail_serializer_class = ArticleDetailSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    pagination_class = NumberedPagination
    filter_backends = []

    def listed(self):
        return (
            Article.objects.visible_to(self.request.user)
            .latest()
            .prefetch_related(_thread_list(self.request.user))
        )

    def detail_prefetches(self):
        return [
            _citation_list(
                Citation.objects.select_related("posting__company").order_by(
                    "position", "pk"
                )
            )
        ]


@extend_schema_view(
    list=extend_schema(
        summary="List job postings cited by the articles",
        responses={
            200: PostingSerializer(many=True),
            **schema.errors(400, 401, 404, 429),
        },
    ),
    retrieve=extend_schema(
        summary="A posting with the threads and articles citing it",
        parameters=[ID_PARAMETER],
        responses={200: PostingDetailSerializer, **schema.errors(401, 404, 429)},
    ),
)
class PostingViewSet(
    DetailOnRetrieve, ConditionalReadMixin, viewsets.ReadOnlyModelViewSet
):
    """Job postings the articles cite, with salaries annualised (2,080 hours,
    220 days or 12 months a year)."""

    serializer_class = PostingSerializer
    detail_serializer_class = PostingDetailSerializer
    lookup_value_regex = ID_PATTERN
    pagination_class = NumberedPagination
    filterset_class = PostingFilter

    def listed(self):
        return sort_postings(
            Posting.objects.select_related("company"), POSTING_DEFAULT_ORDERING
        )

    def detail_prefetches(self):
        return [
            _thread_list(self.request.user),
            _citation_list(
                Citation.objects.filter(article__status="published")
                .select_related("article")
                .order_by("-article__published", "pk")
            ),
        ]


@extend_schema_view(
    list=extend_schema(
        summary="List companies with their number of postings",
        responses={
            200: CompanySerializer(many=True),
            **schema.errors(400, 401, 404, 429),
        },
    ),
)
class CompanyViewSet(
    ConditionalReadMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """Companies whose postings the articles cite."""

    serializer_class = CompanySerializer
    pagination_class = NumberedPagination
    filter_backends = []

    def get_queryset(self):
        return Company.objects.annotate(posting_count=Count("postings")).order_by(
            "name", "id"
        )


# Threads and replies ------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List the threads (questions) a client may read",
        responses={200: ThreadSerializer(many=True), **schema.errors(400, 401, 429)},
    ),
    retrieve=extend_schema(
        summary="A thread: question, article, postings, counts and flags",
        parameters=CONDITIONAL,
        responses={
            200: ThreadSerializer,
            **NOT_MODIFIED,
            **schema.errors(401, 404, 429),
        },
    ),
)
class ThreadViewSet(ConditionalReadMixin, viewsets.ReadOnlyModelViewSet):
    """Threads: the questions closing each article, where readers reply."""

    lookup_value_regex = ID_PATTERN
    pagination_class = KeysetCursorPagination
    parser_classes = [StrictJSONParser]

    @property
    def filterset_class(self):
        return {"list": ThreadFilter, "replies": ReplyFilter}.get(self.action)

    def get_queryset(self):
        if self.action == "replies":
            # The list of the replies action, filtered by ReplyFilter.
            return sort_replies(
                self._replies(self.kwargs.get("pk")), REPLY_DEFAULT_ORDERING
            )
        return (
            Thread.objects.visible_to(self.request.user)
            .with_article()
            .with_postings()
            .order_by(*THREAD_DEFAULT_ORDERING)
        )

    def get_serializer_class(self):
        return ThreadSerializer

    def _thread(self, *, full: bool = True) -> Thread:
        threads = Thread.objects.visible_to(self.request.user)
        if full:
            threads = threads.with_article().with_postings()
        try:
            return threads.get(pk=self.kwargs["pk"])
        except Thread.DoesNotExist as error:
            raise Http404("No such thread.") from error

    def _replies(self, thread):
        viewer = self.request.user
        return (
            Reply.objects.filter(thread=thread)
            .in_tree_for(viewer)
            .with_author()
            .with_viewer_vote(viewer)
        )

    @anonymous_cache(_all_threads_version)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @anonymous_cache(_thread_version)
    def retrieve(self, request, *args, **kwargs):
        thread = self._thread()
        self.last_modified = thread.updated_at
        return Response(self.get_serializer(thread).data)

    @extend_schema(
        methods=["GET"],
        summary="The replies of a thread, flat, each with its parent's id",
        parameters=CONDITIONAL,
        responses={
            200: ReplySerializer(many=True),
            **NOT_MODIFIED,
            **schema.errors(400, 401, 404, 429),
        },
    )
    @extend_schema(
        methods=["POST"],
        summary="Reply to the thread, or to one of its replies",
        parameters=[ID_PARAMETER, schema.IDEMPOTENCY_KEY],
        request=ReplyCreateSerializer,
        responses={
            201: ReplySerializer,
            **schema.errors(*schema.WRITE_ERRORS, 404, 422),
            409: OpenApiResponse(
                response=ErrorSerializer,
                description="The reply given as parent cannot be answered "
                "(unknown, removed, hidden by reports, or in another thread), or "
                "a request with the same Idempotency-Key is still being processed.",
            ),
        },
    )
    @action(detail=True, methods=["get", "post"], url_path="replies")
    def replies(self, request, *args, **kwargs):
        if request.method == "POST":
            return self._post_reply(request)
        return self._list_replies(request)

    @anonymous_cache(_thread_version)
    def _list_replies(self, request):
        thread = self._thread(full=False)
        replies = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(replies)
        self.last_modified = max(
            [thread.updated_at, *(reply.updated_at for reply in page)]
        )
        serializer = ReplySerializer(
            page, many=True, context={**self.get_serializer_context(), "thread": thread}
        )
        return self.get_paginated_response(serializer.data)

    @idempotent
    def _post_reply(self, request):
        thread = self._thread(full=False)
        serializer = ReplyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            parent = parent_for_answer(
                request.user, serializer.validated_data.get("parent")
            )
            reply = post_reply(
                thread=thread,
                author=request.user,
                body=serializer.validated_data["body"],
                parent=parent,
            )
        except DjangoValidationError as error:
            # A well-formed id of a reply that cannot be answered (unknown,
            # removed, hidden, in another thread) conflicts with what is
            # stored; the request itself is valid.
            if hasattr(error, "error_dict") and "parent" in error.error_dict:
                raise Conflict(error.message_dict["parent"][0]) from error
            raise
        shown = self._replies(thread).get(pk=reply.pk)
        data = ReplySerializer(
            shown, context={**self.get_serializer_context(), "thread": thread}
        ).data
        location = reverse("api:reply-detail", kwargs={"pk": reply.pk})
        return Response(
            data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    @extend_schema(
        methods=["POST"],
        summary="Follow the thread: a notification for every new reply",
        parameters=[ID_PARAMETER],
        request=None,
        responses={200: FollowSerializer, **schema.errors(401, 403, 404, 429)},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Stop following the thread",
        parameters=[ID_PARAMETER],
        request=None,
        responses={200: FollowSerializer, **schema.errors(401, 404, 429)},
    )
    @action(
        detail=True,
        methods=["post", "delete"],
        url_path="follow",
        permission_classes=[SignedIn],
        filter_backends=[],
        pagination_class=None,
    )
    def follow(self, request, *args, **kwargs):
        # As the page's follow button (thread_follow): following is a write
        # (refused to a banned account), stopping is always allowed.
        thread = self._thread(full=False)
        if request.method == "DELETE":
            unfollow_thread(thread=thread, user=request.user)
        else:
            follow_thread(thread=thread, user=request.user)
        data = {"thread": thread.pk, "is_followed": request.method != "DELETE"}
        return Response(FollowSerializer(data).data)

    @extend_schema(
        summary="The whole thread as one nested document",
        parameters=CONDITIONAL,
        responses={
            200: ThreadExportSerializer,
            **NOT_MODIFIED,
            **schema.errors(401, 404, 429),
        },
    )
    @action(detail=True, methods=["get"], url_path="export", pagination_class=None)
    @anonymous_cache(_thread_version)
    def export(self, request, *args, **kwargs):
        thread = self._thread()
        replies = list(self._replies(thread).order_by("path"))
        context = {**self.get_serializer_context(), "thread": thread}
        nodes: dict[int, dict] = {}
        roots: list[dict] = []
        for reply, data in zip(
            replies,
            ReplySerializer(replies, many=True, context=context).data,
            strict=True,
        ):
            node = {**data, "replies": []}
            nodes[reply.pk] = node
            container = _nearest_shown_ancestor(reply, nodes)
            (container["replies"] if container is not None else roots).append(node)
        self.last_modified = max(
            [thread.updated_at, *(reply.updated_at for reply in replies)]
        )
        return Response(
            {"thread": ThreadSerializer(thread, context=context).data, "replies": roots}
        )


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _has_code(error: DjangoValidationError, code: str) -> bool:
    """Whether a service's ValidationError carries `code` (on any field)."""
    if hasattr(error, "error_dict"):
        items = [item for field in error.error_dict.values() for item in field]
    else:
        items = error.error_list
    return any(item.code == code for item in items)


def _nearest_shown_ancestor(reply: Reply, nodes: dict[int, dict]) -> dict | None:
    """The closest ancestor in the export: a reply held for review is not."""
    if reply.parent_id is None:
        return None
    if reply.parent_id in nodes:
        return nodes[reply.parent_id]
    for ancestor_id in reversed(path_ancestor_ids(reply.path)):
        if ancestor_id in nodes:
            return nodes[ancestor_id]
    return None


@extend_schema_view(
    retrieve=extend_schema(
        summary="One reply",
        parameters=[ID_PARAMETER],
        responses={200: ReplySerializer, **schema.errors(401, 404, 429)},
    ),
    partial_update=extend_schema(
        summary="Edit your reply (the earlier text is kept as a revision)",
        parameters=[ID_PARAMETER],
        request=ReplyEditSerializer,
        responses={200: ReplySerializer, **schema.errors(*schema.WRITE_ERRORS, 404)},
    ),
    destroy=extend_schema(
        summary="Delete your reply (kept, out of view, like on the page)",
        description=(
            "The reply keeps its place in the thread as a deleted message, "
            "so the replies to it stay; its text is kept, not erased."
        ),
        parameters=[ID_PARAMETER],
        request=None,
        responses={204: None, **schema.errors(401, 403, 404, 429)},
    ),
)
class ReplyViewSet(
    ConditionalReadMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Replies: nested answers in a thread, voted up and down."""

    lookup_value_regex = ID_PATTERN
    serializer_class = ReplySerializer
    parser_classes = [StrictJSONParser]
    filter_backends = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        viewer = self.request.user
        return (
            Reply.objects.in_tree_for(viewer)
            .filter(thread__in=Thread.objects.visible_to(viewer))
            .select_related("thread__article", "author")
            .with_viewer_vote(viewer)
        )

    def get_object(self):
        if self.request.method in SAFE_METHODS:
            return super().get_object()
        # Writes act on the reply the page would act on, looked up the same way.
        reply = reply_for_action(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, reply)
        return reply

    def partial_update(self, request, *args, **kwargs):
        reply = self.get_object()
        serializer = ReplyEditSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if "body" in serializer.validated_data:
            edit_reply(
                reply=reply,
                editor=request.user,
                body=serializer.validated_data["body"],
            )
        else:
            # Nothing to change (PATCH sends only what changes), but the
            # same refusal as an edit for someone else's reply.
            check_can_edit(request.user, reply)
        shown = self.get_queryset().get(pk=reply.pk)
        return Response(self.get_serializer(shown).data)

    def destroy(self, request, *args, **kwargs):
        reply = self.get_object()
        # The page's delete: the same lookup, rule and service (reply_delete).
        check_can_remove(request.user, reply)
        remove_reply(reply=reply, by=request.user, reason=Reply.RemovalReason.AUTHOR)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Vote a reply up (1), down (-1), or withdraw your vote (0)",
        parameters=[ID_PARAMETER],
        request=VoteSerializer,
        responses={
            200: VoteResultSerializer,
            **schema.errors(*schema.WRITE_ERRORS, 404),
        },
    )
    @action(detail=True, methods=["post"])
    def vote(self, request, *args, **kwargs):
        reply = self.get_object()
        serializer = VoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reply = cast_vote(
            reply=reply, voter=request.user, value=serializer.validated_data["value"]
        )
        return Response(VoteResultSerializer(reply).data)

    @extend_schema(
        summary="Report a reply to the moderators",
        parameters=[ID_PARAMETER],
        request=FlagCreateSerializer,
        responses={
            201: FlagSerializer,
            **schema.errors(*schema.WRITE_ERRORS, 404),
            409: OpenApiResponse(
                response=ErrorSerializer,
                description="You have already reported this reply.",
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def flags(self, request, *args, **kwargs):
        reply = self.get_object()
        serializer = FlagCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            flag = flag_reply(
                reply=reply, reporter=request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            # A second report of the same reply conflicts with the first.
            if _has_code(error, "duplicate"):
                raise Conflict(error.messages[0]) from error
            raise
        return Response(FlagSerializer(flag).data, status=status.HTTP_201_CREATED)


# Notifications ------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Your notifications, newest first",
        responses={
            200: NotificationSerializer(many=True),
            **schema.errors(400, 401, 429),
        },
    ),
)
class NotificationViewSet(
    ConditionalReadMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """Replies to you and new replies in the threads you follow, as in the
    inbox page; marking them read calls the same service."""

    lookup_value_regex = ID_PATTERN
    serializer_class = NotificationSerializer
    pagination_class = KeysetCursorPagination
    permission_classes = [SignedIn]
    filter_backends = []
    requires_authentication = True

    def get_queryset(self):
        return notifications_for(self.request.user)

    @extend_schema(
        summary="Mark one of your notifications read",
        parameters=[ID_PARAMETER],
        request=None,
        responses={200: NotificationSerializer, **schema.errors(401, 404, 429)},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, *args, **kwargs):
        notification = notification_for_action(request.user, self.kwargs["pk"])
        mark_notifications_read(user=request.user, ids=[notification.pk])
        shown = self.get_queryset().get(pk=notification.pk)
        return Response(self.get_serializer(shown).data)

    @extend_schema(
        summary="Mark all your notifications read",
        request=None,
        responses={200: MarkedReadSerializer, **schema.errors(401, 429)},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request, *args, **kwargs):
        marked = mark_notifications_read(user=request.user)
        return Response(MarkedReadSerializer({"marked": marked}).data)


# Accounts -----------------------------------------------------------------


class MeView(ConditionalReadMixin, APIView):
    """The account behind the token or session."""

    permission_classes = [SignedIn]
    requires_authentication = True

    def _shown(self, request):
        return Response(MeSerializer(request.user, context={"request": request}).data)

    @extend_schema(
        summary="The signed-in user, with the settings of the profile page",
        responses={200: MeSerializer, **schema.errors(401, 429)},
    )
    def get(self, request):
        return self._shown(request)

    @extend_schema(
        summary="Change your profile settings (as on the profile page)",
        request=MeUpdateSerializer,
        responses={200: MeSerializer, **schema.errors(400, 401, 413, 415, 429)},
    )
    def patch(self, request):
        serializer = MeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The profile page's form, so its rules (lengths, characters, e-mail)
        # are the same here; fields not sent keep their value.
        user = request.user
        current = {name: getattr(user, name) for name in ProfileForm.Meta.fields}
        form = ProfileForm({**current, **serializer.validated_data}, instance=user)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {
                    field: [message for error in errors for message in error.messages]
                    for field, errors in form.errors.as_data().items()
                }
            )
        # A new address is confirmed again, as on the page.
        save_profile(request=request._request, form=form)
        return self._shown(request)


class MyDataExportView(APIView):
    """Everything the site holds about the signed-in reader, as on the
    profile page's "Download my data"."""

    permission_classes = [SignedIn]
    requires_authentication = True

    @extend_schema(
        summary="Download your data: profile, replies with their earlier "
        "versions, votes, reports, notifications, follows, token names",
        responses={
            200: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description=_(
                    "One object: `format`, `exported_at`, then one key per "
                    "section (profile, email_addresses, api_tokens, threads, "
                    "replies, votes, reports, notifications, follows)."
                ),
            ),
            **schema.errors(401, 429),
        },
    )
    def get(self, request):
        response = Response(export_account(request.user))
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema_view(
    get=extend_schema(
        summary="Your replies, newest first (not those you deleted)",
        responses={200: ReplySerializer(many=True), **schema.errors(400, 401, 429)},
    ),
)
class MyRepliesView(ConditionalReadMixin, ListAPIView):
    """The signed-in user's replies, as they see them."""

    serializer_class = ReplySerializer
    pagination_class = KeysetCursorPagination
    permission_classes = [SignedIn]
    filter_backends = []
    requires_authentication = True

    def get_queryset(self):
        return replies_by_author(self.request.user)


class TokenView(APIView):
    """Exchange a username and password for a new token; revoke the one in use.

    Banned users get one too: they can still read.
    """

    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]
    parser_classes = [StrictJSONParser, FormParser]

    def get_authenticators(self):
        # A password exchange reads no credentials: a stale token in the
        # header must not stand in the way of getting a new one.
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [SignedIn()]
        return super().get_permissions()

    def get_throttles(self):
        # Revoking is a signed-in write like the others; the per-address
        # rate is for password exchanges.
        if self.request.method == "DELETE":
            return [UserWriteThrottle()]
        return super().get_throttles()

    def get_authenticate_header(self, request):
        return BearerTokenAuthentication.keyword

    @extend_schema(
        summary="Get a new token for a username and password",
        description=(
            'Each call makes a new token (named `name`, "Token" when not '
            "given); list and revoke them under /api/v1/auth/tokens/."
        ),
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **schema.errors(400, 401, 413, 415, 429)},
        # Open to anyone: the password is the credential.
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        token = create_api_token(
            user=serializer.validated_data["user"],
            name=serializer.validated_data["name"],
        )
        return Response(TokenSerializer(token).data)

    @extend_schema(
        summary="Revoke the token this request is signed in with",
        request=None,
        responses={204: None, **schema.errors(400, 401, 429)},
    )
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise exceptions.ValidationError(
                {"detail": _("This request is not signed in with a token.")}
            )
        revoke_api_token(token=request.auth, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary="Your tokens, newest first (never their secrets)",
        responses={200: ApiTokenSerializer(many=True), **schema.errors(400, 401, 429)},
    ),
    create=extend_schema(
        summary="Make a new named token; its secret is shown only in this answer",
        request=ApiTokenCreateSerializer,
        responses={201: TokenSerializer, **schema.errors(400, 401, 413, 415, 429)},
    ),
    destroy=extend_schema(
        summary="Revoke one of your tokens",
        parameters=[ID_PARAMETER],
        request=None,
        responses={204: None, **schema.errors(401, 404, 429)},
    ),
)
class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in user's API tokens (banned users manage theirs too)."""

    lookup_value_regex = ID_PATTERN
    serializer_class = ApiTokenSerializer
    pagination_class = KeysetCursorPagination
    permission_classes = [SignedIn]
    parser_classes = [StrictJSONParser]
    filter_backends = []
    requires_authentication = True

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user).order_by(
            "-created_at", "-id"
        )

    def create(self, request, *args, **kwargs):
        serializer = ApiTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = create_api_token(user=request.user, **serializer.validated_data)
        return Response(TokenSerializer(token).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        revoke_api_token(token=instance, by=self.request.user)
