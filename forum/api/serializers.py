"""Shapes of the API's resources; rules stay in the services.

Every field reads attributes the views already loaded (select_related,
prefetches with to_attr, annotations), so a list costs the same number of
queries whatever its length.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from accounts.validators import visible_characters
from articles.models import Article, Company, Posting
from forum.models import Flag, Notification, Reply, Thread, is_moderator
from forum.selectors import concealment

BIGINT_MAX = 2**63 - 1


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field({"type": "string", "format": "uri"})
class HtmlUrlField(serializers.Field):
    """The object's page on the site, as an absolute URL."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return _absolute(self.context.get("request"), value.get_absolute_url())


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
        "description": "YYYY, YYYY-MM or YYYY-MM-DD, as precise as the article.",
    }
)
class PublishedField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.published_iso


class StrictCharField(serializers.CharField):
    """Text only: a number or a boolean is refused, not turned into text, so
    the server accepts exactly what the schema's "type": "string" says."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """true or false only (not 0, 1 or "yes"), as the schema says."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class VisibleTextField(StrictCharField):
    """Text without invisible characters, as accounts.validators wants for
    names; the schema carries the matching pattern (VisibleTextScheme)."""


class VisibleTextScheme(OpenApiSerializerFieldExtension):
    target_class = VisibleTextField

    def map_serializer_field(self, auto_schema, direction):
        # Built on demand: it reads the whole Unicode table once. A blank
        # value gets its own schema from drf-spectacular (a oneOf beside
        # this one), so this one must not match "" too.
        repeat = "+" if self.target.allow_blank else "*"
        schema = {"type": "string", "pattern": f"^{visible_characters()}{repeat}$"}
        if self.target.max_length is not None:
            schema["maxLength"] = self.target.max_length
        return schema


@extend_schema_field(
    {"type": "string", "minLength": 1, "maxLength": 100, "pattern": r"\S"}
)
class TokenNameField(StrictCharField):
    """A token's name: some text that is not only spaces (the service strips it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault(
            "help_text", _("A name to tell this token apart from your others.")
        )
        super().__init__(**kwargs)


# People -------------------------------------------------------------------


class AuthorSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    display_name = serializers.CharField(
        source="public_name",
        read_only=True,
        help_text=_("The name shown on the site (the username when none is set)."),
    )


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    display_name = serializers.CharField(source="public_name", read_only=True)
    bio = serializers.CharField(read_only=True)
    email = serializers.CharField(
        read_only=True, help_text=_("Your e-mail address; empty when none is set.")
    )
    email_verified = serializers.BooleanField(
        source="has_verified_email",
        read_only=True,
        help_text=_(
            "Whether your address is confirmed: replying needs it (the link "
            "comes by e-mail; the profile page sends it again)."
        ),
    )
    email_on_reply = serializers.BooleanField(
        read_only=True,
        help_text=_("Whether an e-mail comes when someone replies to you."),
    )
    date_joined = serializers.DateTimeField(read_only=True)
    is_moderator = serializers.SerializerMethodField()
    is_banned = serializers.BooleanField(read_only=True)
    banned_until = serializers.DateTimeField(read_only=True, allow_null=True)
    html_url = HtmlUrlField()

    def get_is_moderator(self, user) -> bool:
        return is_moderator(user)


class MeUpdateSerializer(serializers.Serializer):
    """The settings of the profile page; accounts.forms.ProfileForm checks them."""

    display_name = VisibleTextField(
        required=False, allow_blank=True, max_length=60, trim_whitespace=False
    )
    bio = StrictCharField(
        required=False, allow_blank=True, max_length=1000, trim_whitespace=False
    )
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    email_on_reply = StrictBooleanField(required=False)


class TokenRequestSerializer(serializers.Serializer):
    username = StrictCharField(max_length=150, trim_whitespace=False)
    password = StrictCharField(max_length=4096, trim_whitespace=False, write_only=True)
    name = TokenNameField(required=False, default="Token")

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None:
            raise exceptions.AuthenticationFailed(
                _("Unable to sign in with this username and password.")
            )
        attrs["user"] = user
        return attrs


class ApiTokenSerializer(serializers.Serializer):
    """A token as its owner lists it: never its secret."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    prefix = serializers.CharField(
        read_only=True, help_text=_("The first characters of the secret.")
    )
    created_at = serializers.DateTimeField(read_only=True)
    last_used_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(
        read_only=True,
        help_text=_("When it stops working unless used before (each use moves it)."),
    )


class TokenSerializer(ApiTokenSerializer):
    """A new token, with its secret: shown this once."""

    token = serializers.CharField(
        source="secret",
        read_only=True,
        help_text=_("Send it as `Authorization: Bearer <token>`. Shown only once."),
    )


class ApiTokenCreateSerializer(serializers.Serializer):
    name = TokenNameField()


# Articles, companies, postings -------------------------------------------


class CompanySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = ["id", "name", "slug", "domain"]


class CompanySerializer(serializers.ModelSerializer):
    posting_count = serializers.IntegerField(read_only=True)
    html_url = HtmlUrlField()

    class Meta:
        model = Company
        fields = ["id", "name", "slug", "domain", "posting_count", "html_url"]


class PostingSerializer(serializers.ModelSerializer):
    company = CompanySummarySerializer(read_only=True)
    annual_min = serializers.IntegerField(read_only=True, allow_null=True)
    annual_max = serializers.IntegerField(read_only=True, allow_null=True)
    is_estimate = serializers.BooleanField(
        read_only=True,
        help_text=_("Hourly and daily pay annualised with fixed factors."),
    )
    html_url = HtmlUrlField()

    class Meta:
        model = Posting
        fields = [
            "id",
            "company",
            "title",
            "location",
            "remote",
            "salary_min",
            "salary_max",
            "currency",
            "period",
            "annual_min",
            "annual_max",
            "is_estimate",
            "url",
            "html_url",
        ]


class ArticleSummarySerializer(serializers.ModelSerializer):
    published = PublishedField()
    html_url = HtmlUrlField()

    class Meta:
        model = Article
        fields = ["slug", "title", "source", "published", "html_url"]


class ThreadSummarySerializer(serializers.ModelSerializer):
    html_url = HtmlUrlField()

    class Meta:
        model = Thread
        fields = [
            "id",
            "title",
            "position",
            "reply_count",
            "score",
            "is_locked",
            "last_activity_at",
            "html_url",
        ]


class ArticleSerializer(serializers.ModelSerializer):
    published = PublishedField()
    threads = ThreadSummarySerializer(source="thread_list", many=True, read_only=True)
    html_url = HtmlUrlField()

    class Meta:
        model = Article
        fields = [
            "slug",
            "title",
            "source",
            "author",
            "published",
            "published_precision",
            "language",
            "source_url",
            "threads",
            "html_url",
        ]


class CitationSerializer(serializers.Serializer):
    evidence = serializers.CharField(read_only=True)
    posting = PostingSerializer(read_only=True)


class ArticleDetailSerializer(ArticleSerializer):
    citations = CitationSerializer(source="citation_list", many=True, read_only=True)

    class Meta(ArticleSerializer.Meta):
        fields = [
            *ArticleSerializer.Meta.fields,
            "body",
            "body_html",
            "citations",
        ]


class PostingCitationSerializer(serializers.Serializer):
    evidence = serializers.CharField(read_only=True)
    article = ArticleSummarySerializer(read_only=True)


class PostingDetailSerializer(PostingSerializer):
    threads = ThreadSummarySerializer(source="thread_list", many=True, read_only=True)
    citations = PostingCitationSerializer(
        source="citation_list", many=True, read_only=True
    )

    class Meta(PostingSerializer.Meta):
        fields = [*PostingSerializer.Meta.fields, "threads", "citations"]


# Threads ------------------------------------------------------------------


class ThreadSerializer(serializers.ModelSerializer):
    article = ArticleSummarySerializer(read_only=True, allow_null=True)
    postings = PostingSerializer(source="posting_list", many=True, read_only=True)
    html_url = HtmlUrlField()

    class Meta:
        model = Thread
        fields = [
            "id",
            "title",
            "slug",
            "article",
            "position",
            "postings",
            "reply_count",
            "score",
            "is_locked",
            "is_pinned",
            "is_hidden",
            "created_at",
            "updated_at",
            "last_activity_at",
            "html_url",
        ]


# Replies ------------------------------------------------------------------


class ReplySerializer(serializers.ModelSerializer):
    """A reply as the viewer may see it (forum.selectors.concealment).

    A removed reply keeps its place with a null body and author; so does one
    hidden by reports, its author included; moderators see every text.
    """

    parent = serializers.IntegerField(
        source="parent_id", read_only=True, allow_null=True
    )
    thread = serializers.IntegerField(source="thread_id", read_only=True)
    author = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField(
        help_text=_("Markdown source; null when removed or hidden.")
    )
    body_html = serializers.SerializerMethodField(
        help_text=_("Sanitised HTML; null when removed or hidden.")
    )
    my_vote = serializers.SerializerMethodField(
        help_text=_("The viewer's vote: 1, -1, or 0 for none.")
    )
    is_removed = serializers.SerializerMethodField(
        help_text=_("Removed, or hidden while moderators review reports.")
    )
    is_featured = serializers.BooleanField(
        read_only=True, help_text=_("An editor's pick.")
    )
    is_pending = serializers.BooleanField(
        read_only=True,
        help_text=_("Held for review: seen only by its author and moderators."),
    )
    has_pending_edit = serializers.SerializerMethodField(
        help_text=_(
            "An edit waits for a moderator's review; the reply shows its "
            "previous text until then. Told to its author and moderators "
            "only (false for everyone else)."
        )
    )
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = Reply
        fields = [
            "id",
            "thread",
            "parent",
            "depth",
            "author",
            "body",
            "body_html",
            "score",
            "upvotes",
            "downvotes",
            "my_vote",
            "created_at",
            "edited_at",
            "updated_at",
            "is_removed",
            "is_featured",
            "is_pending",
            "has_pending_edit",
            "html_url",
        ]
        read_only_fields = fields

    def _viewer(self):
        return getattr(self.context.get("request"), "user", None)

    def _viewer_is_moderator(self) -> bool:
        if "viewer_is_moderator" not in self.context:
            self.context["viewer_is_moderator"] = is_moderator(self._viewer())
        return self.context["viewer_is_moderator"]

    def _concealment(self, reply: Reply):
        return concealment(reply, self._viewer(), moderator=self._viewer_is_moderator())

    def _shows_text(self, reply: Reply) -> bool:
        hidden = self._concealment(reply)
        return hidden is None or hidden.reveals

    @extend_schema_field(AuthorSerializer(allow_null=True))
    def get_author(self, reply: Reply):
        if not self._shows_text(reply):
            return None
        return AuthorSerializer(reply.author).data

    @extend_schema_field({"type": "string", "nullable": True})
    def get_body(self, reply: Reply):
        return reply.body if self._shows_text(reply) else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_body_html(self, reply: Reply):
        return reply.body_html if self._shows_text(reply) else None

    @extend_schema_field({"type": "integer", "enum": [-1, 0, 1]})
    def get_my_vote(self, reply: Reply) -> int:
        return int(getattr(reply, "my_vote", 0) or 0)

    def get_is_removed(self, reply: Reply) -> bool:
        hidden = self._concealment(reply)
        return hidden is not None and hidden.looks_removed

    def get_has_pending_edit(self, reply: Reply) -> bool:
        if not reply.has_pending_edit:
            return False
        viewer = self._viewer()
        own = viewer is not None and viewer.pk == reply.author_id
        return own or self._viewer_is_moderator()

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_html_url(self, reply: Reply) -> str:
        # One URL per thread for the whole list: reversing it for every
        # reply of a long export would cost more than its queries.
        thread_urls = self.context.setdefault("thread_urls", {})
        thread_url = thread_urls.get(reply.thread_id)
        if thread_url is None:
            thread = self.context.get("thread")
            if thread is None or thread.pk != reply.thread_id:
                thread = reply.thread
            thread_url = thread_urls[reply.thread_id] = thread.get_absolute_url()
        return _absolute(self.context.get("request"), reply.url_under(thread_url))


class ExportReplySerializer(ReplySerializer):
    """A reply with the replies to it, nested."""

    replies = serializers.SerializerMethodField()

    class Meta(ReplySerializer.Meta):
        fields = [*ReplySerializer.Meta.fields, "replies"]
        read_only_fields = fields

    @extend_schema_field(
        {"type": "array", "items": {"$ref": "#/components/schemas/ExportReply"}}
    )
    def get_replies(self, reply: Reply):
        # The nesting is assembled by the view without recursion.
        return []


class ThreadExportSerializer(serializers.Serializer):
    thread = ThreadSerializer(read_only=True)
    replies = ExportReplySerializer(many=True, read_only=True)


# What the services accept as a message (forum.services._clean_body): some
# text that is not only spaces, without null characters. Said in the schema;
# the services give the message when it is not met.
BODY_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"


@extend_schema_field({"type": "string", "minLength": 1, "pattern": BODY_PATTERN})
class BodyField(StrictCharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("error_messages", {"blank": _("The message is empty.")})
        super().__init__(**kwargs)


class ReplyCreateSerializer(serializers.Serializer):
    body = BodyField(
        help_text=_("Markdown, at most %(limit)s characters.")
        % {"limit": settings.FORUM_REPLY_MAX_LENGTH},
    )
    parent = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=BIGINT_MAX,
        help_text=_("The id of the reply this one answers, in the same thread."),
    )


class ReplyEditSerializer(serializers.Serializer):
    body = BodyField(required=False)


class VoteSerializer(serializers.Serializer):
    value = serializers.ChoiceField(
        choices=[(1, "1"), (0, "0"), (-1, "-1")],
        help_text=_("1 up, -1 down, 0 to withdraw the vote."),
    )


class VoteResultSerializer(serializers.Serializer):
    score = serializers.IntegerField(read_only=True)
    upvotes = serializers.IntegerField(read_only=True)
    downvotes = serializers.IntegerField(read_only=True)
    my_vote = serializers.IntegerField(read_only=True)


class FlagCreateSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Flag.Reason.choices)
    note = StrictCharField(
        required=False, allow_blank=True, max_length=1000, default=""
    )


class FlagSerializer(serializers.ModelSerializer):
    reply = serializers.IntegerField(source="reply_id", read_only=True)

    class Meta:
        model = Flag
        fields = ["id", "reply", "reason", "note", "created_at"]
        read_only_fields = fields


# Following and notifications ---------------------------------------------


class FollowSerializer(serializers.Serializer):
    thread = serializers.IntegerField(read_only=True)
    is_followed = serializers.BooleanField(read_only=True)


class NotificationThreadSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    html_url = HtmlUrlField()


class NotificationSerializer(serializers.Serializer):
    """A notification; its thread and reply are null once the thread is no
    longer open to the reader (hidden), as the inbox page says."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Notification.Kind.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    read_at = serializers.DateTimeField(read_only=True, allow_null=True)
    is_read = serializers.SerializerMethodField()
    thread = serializers.SerializerMethodField()
    reply = serializers.SerializerMethodField()

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None

    @extend_schema_field(NotificationThreadSerializer(allow_null=True))
    def get_thread(self, notification):
        if not notification.can_open:
            return None
        return NotificationThreadSerializer(
            notification.reply.thread, context=self.context
        ).data

    @extend_schema_field(ReplySerializer(allow_null=True))
    def get_reply(self, notification):
        if not notification.can_open:
            return None
        return ReplySerializer(notification.reply, context=self.context).data


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(
        read_only=True, help_text=_("How many notifications were unread.")
    )


# Errors (for the schema) --------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)


class ForbiddenSerializer(ErrorSerializer):
    """A refusal; a ban's reason, end and appeal page ride along when the
    account is banned (described in forum.api.schema)."""


class ValidationErrorSerializer(serializers.Serializer):
    """Messages under each field at fault (described in forum.api.schema)."""
