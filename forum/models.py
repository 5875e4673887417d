from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import deleted_member_pk
from articles.models import Article, sees_drafts
from forum.text import EMPTY_TITLE, VisibleTextValidator

# Width of one reply id in Reply.path: base 36 on 7 characters reaches 78
# billion ids, and fixed-width segments make the path sort as the tree does.
PATH_STEP = 7


def path_segment(reply_id: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    encoded = ""
    while reply_id:
        reply_id, remainder = divmod(reply_id, 36)
        encoded = digits[remainder] + encoded
    return encoded.rjust(PATH_STEP, "0")


def reply_path(parent_path: str, reply_id: int) -> str:
    """A reply's materialised path: its parent's path ("" for a top-level
    reply) followed by its own id."""
    return parent_path + path_segment(reply_id)


def path_ancestor_ids(path: str) -> list[int]:
    """The ids of a reply's ancestors read from its path, root first."""
    return [
        int(path[start : start + PATH_STEP], 36)
        for start in range(0, len(path) - PATH_STEP, PATH_STEP)
    ]


def thread_slug(title: str) -> str:
    """The slug in a thread's URL, made from its question."""
    return slugify(title)[:100] or "discussion"


def is_moderator(user) -> bool:
    """Whether a user moderates: the one test of "moderator" (and not merely
    staff) behind hidden threads, every reply's state and the admin."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm("forum.moderate_reply")
    )


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Threads a user may open: hidden ones for moderators only, those of
        unpublished articles for staff only; threads with no article are
        everyone's."""
        threads = self.all()
        if not is_moderator(user):
            threads = threads.filter(is_hidden=False)
        if not sees_drafts(user):
            threads = threads.filter(
                Q(article__isnull=True) | Q(article__status=Article.Status.PUBLISHED)
            )
        return threads

    def for_article(self, article):
        return self.filter(article=article).order_by("position", "pk")

    def with_article(self):
        return self.select_related("article")

    def with_visit(self, user):
        """Annotate `last_seen_reply_id`, the newest reply the user had seen
        at their last recorded visit (None before their first), and
        `newest_reply_id`, the thread's newest reply now (None without one).
        """
        if user is None or not user.is_authenticated:
            return self
        visits = ThreadVisit.objects.filter(thread=OuterRef("pk"), reader=user)
        return self.annotate(
            last_seen_reply_id=Subquery(visits.values("last_seen_reply_id")[:1]),
        ).with_newest_reply()

    def with_newest_reply(self):
        """Annotate `newest_reply_id`, the thread's newest reply now (None
        without one)."""
        # The last entry of the thread's range of forum_reply_in_thread, where
        # MAX() grouped by thread read the whole range.
        newest = Reply.objects.filter(thread=OuterRef("pk")).order_by("-pk")
        return self.annotate(newest_reply_id=Subquery(newest.values("pk")[:1]))

    def with_new_reply_count(self, user):
        """Annotate `new_reply_count`: the replies anyone may read posted by
        others since the user's last recorded visit (0 for a thread never
        visited, and for anonymous readers)."""
        if user is None or not user.is_authenticated:
            return self.annotate(
                new_reply_count=Value(0, output_field=models.IntegerField())
            )
        seen = ThreadVisit.objects.filter(
            thread=OuterRef(OuterRef("pk")), reader=user
        ).values("last_seen_reply_id")[:1]
        new = (
            Reply.objects.visible()
            .filter(thread=OuterRef("pk"), pk__gt=Subquery(seen))
            .exclude(author=user)
            .order_by()
            .values("thread")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(new_reply_count=Coalesce(Subquery(new), Value(0)))

    def with_postings(self):
        return self.prefetch_related(
            models.Prefetch(
                "postings", queryset=postings_shown(), to_attr="posting_list"
            )
        )


def postings_shown():
    """A thread's postings as its page lists them: best paid first, with
    their companies."""
    from articles.models import Posting

    return Posting.objects.select_related("company").order_by(
        F("annual_max").desc(nulls_last=True), "pk"
    )


class Thread(models.Model):
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="threads",
    )
    title = models.CharField(
        _("question"),
        max_length=300,
        validators=[VisibleTextValidator(EMPTY_TITLE)],
    )
    slug = models.SlugField(_("slug"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
    )
    postings = models.ManyToManyField(
        "articles.Posting",
        verbose_name=_("postings"),
        blank=True,
        related_name="threads",
    )
    is_locked = models.BooleanField(_("locked"), default=False)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    # The top-level replies anyone may see in the tree: published, removed
    # or not (a removed reply keeps its place). The first page's pagination
    # reads it instead of counting them on every render.
    top_level_count = models.PositiveIntegerField(
        _("top-level replies"), default=0, editable=False
    )
    score = models.IntegerField(_("score"), default=0)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-is_pinned", "-last_activity_at"]
        indexes = [
            models.Index(
                fields=["article", "position"], name="forum_thread_in_article"
            ),
            models.Index(
                fields=["-last_activity_at", "-id"], name="forum_thread_activity"
            ),
            models.Index(fields=["-reply_count", "-id"], name="forum_thread_replies"),
            models.Index(fields=["-score", "-id"], name="forum_thread_score"),
            models.Index(fields=["created_at", "id"], name="forum_thread_created"),
            models.Index(fields=["updated_at", "id"], name="forum_thread_updated"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = thread_slug(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "forum:thread-detail", kwargs={"thread_id": self.pk, "slug": self.slug}
        )

    @property
    def is_open(self) -> bool:
        return not (self.is_locked or self.is_hidden)


# One report by a reader in good standing, in the units of Flag.weight.
FULL_REPORT_WEIGHT = 100


def flag_weight_to_hide() -> int:
    """The weight of open reports that hides a reply until a moderator
    decides: FORUM_FLAGS_TO_HIDE reports of full weight."""
    return settings.FORUM_FLAGS_TO_HIDE * FULL_REPORT_WEIGHT


class ReplyQuerySet(models.QuerySet):
    def in_thread(self, thread):
        return self.filter(thread=thread)

    def published(self):
        return self.filter(status=Reply.Status.PUBLISHED)

    def not_removed(self):
        return self.filter(removed_at__isnull=True)

    def below_flag_threshold(self):
        return self.filter(open_flag_weight__lt=flag_weight_to_hide())

    def visible(self):
        """Replies anyone may read: published, not removed, not hidden by flags."""
        return self.published().not_removed().below_flag_threshold()

    def visible_to(self, user):
        """Replies a user may open: moderators see all, authors their own."""
        if is_moderator(user):
            return self.all()
        visible = Q(status=Reply.Status.PUBLISHED, removed_at__isnull=True) & Q(
            open_flag_weight__lt=flag_weight_to_hide()
        )
        if user is not None and user.is_authenticated:
            visible |= Q(author=user, removed_at__isnull=True)
        return self.filter(visible)

    def actionable_by(self, user):
        """Replies a user may act on (vote, report, edit, delete, answer):
        those visible to them, in a thread visible to them. Pages and API
        look a reply up through this, so one a user may not see is "not
        found" on both."""
        return self.visible_to(user).filter(thread__in=Thread.objects.visible_to(user))

    def answerable_by(self, user):
        """Replies a user may answer: those they may act on, not removed."""
        return self.actionable_by(user).not_removed()

    def in_tree_for(self, user):
        """Replies that take a place in the tree a user sees.

        Removed and flag-hidden replies keep their place (shown as a
        placeholder, with the replies under them); replies held for review
        are shown to their author and to moderators only.
        """
        if is_moderator(user):
            return self.all()
        held = Q(status=Reply.Status.PENDING)
        if user is not None and user.is_authenticated:
            return self.exclude(held & ~Q(author=user))
        return self.exclude(held)

    def top_level(self):
        return self.filter(depth=0)

    def with_author(self):
        return self.select_related("author")

    def with_viewer_vote(self, user):
        if user is None or not user.is_authenticated:
            return self.annotate(
                my_vote=Value(0, output_field=models.SmallIntegerField())
            )
        votes = Vote.objects.filter(reply=OuterRef("pk"), user=user).values("value")[:1]
        return self.annotate(my_vote=Coalesce(Subquery(votes), Value(0)))

    def with_viewer_flag(self, user):
        if user is None or not user.is_authenticated:
            return self.annotate(
                my_flag=Value(False, output_field=models.BooleanField())
            )
        return self.annotate(
            my_flag=Exists(Flag.objects.filter(reply=OuterRef("pk"), reporter=user))
        )

    def sorted_by(self, sort: str):
        orderings = {
            "best": ["-is_featured", "-wilson", "-score", "-id"],
            "top": ["-is_featured", "-score", "-id"],
            "new": ["-is_featured", "-created_at", "-id"],
            "old": ["-is_featured", "created_at", "id"],
        }
        return self.order_by(*orderings.get(sort, orderings["best"]))


class Reply(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PENDING = "pending", _("Pending review")

    class RemovalReason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abuse or harassment")
        OFF_TOPIC = "off_topic", _("Off-topic")
        PERSONAL_DATA = "personal_data", _("Personal data")
        ILLEGAL = "illegal", _("Illegal content")
        OTHER = "other", _("Other")
        AUTHOR = "author", _("Deleted by its author")

    # Indexed by forum_reply_in_thread, which also finds the newest reply.
    thread = models.ForeignKey(
        Thread,
        verbose_name=_("thread"),
        on_delete=models.PROTECT,
        related_name="replies",
        db_index=False,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    root = models.ForeignKey(
        "self",
        verbose_name=_("top-level reply"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    path = models.CharField(_("path"), max_length=2100, blank=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    # An erased account's replies stay, authored by "deleted member"
    # (accounts.services.erase_account does the rest of the erasure).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET(deleted_member_pk),
        related_name="replies",
    )
    body = models.TextField(_("message"))
    body_html = models.TextField(_("message (HTML)"), editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    held_reason = models.CharField(_("held because"), max_length=200, blank=True)
    score = models.IntegerField(_("score"), default=0)
    upvotes = models.PositiveIntegerField(_("up votes"), default=0)
    downvotes = models.PositiveIntegerField(_("down votes"), default=0)
    wilson = models.FloatField(_("best-order score"), default=0.0, editable=False)
    # The columns a vote writes (services.cast_vote): the counters pages
    # show, and VOTE_UNSHOWN, which no reply template shows.
    VOTE_COUNTERS = ("score", "upvotes", "downvotes")
    VOTE_UNSHOWN = ("wilson", "updated_at")
    VOTE_WRITTEN = VOTE_COUNTERS + VOTE_UNSHOWN
    open_flag_count = models.PositiveIntegerField(_("open flags"), default=0)
    # The open reports weighed by their reporters' standing, in hundredths of
    # a report (Flag.weight): what hides a reply, FORUM_FLAGS_TO_HIDE full
    # reports.
    open_flag_weight = models.PositiveIntegerField(
        _("weight of open reports"), default=0, editable=False
    )
    is_featured = models.BooleanField(_("editor's pick"), default=False)
    featured_at = models.DateTimeField(_("featured at"), null=True, blank=True)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("featured by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    removal_reason = models.CharField(
        _("removal reason"), max_length=20, choices=RemovalReason.choices, blank=True
    )
    removal_note = models.TextField(_("removal note"), blank=True)
    # An edit held for review: the reply keeps showing its published text
    # until a moderator approves the new one (which then replaces it, the
    # old text kept as a Revision) or declines it (kept as a Revision).
    pending_body = models.TextField(_("edit waiting for review"), blank=True)
    pending_edit_at = models.DateTimeField(
        _("edit held at"), null=True, blank=True, editable=False
    )
    pending_edit_reason = models.CharField(
        _("edit held because"), max_length=200, blank=True
    )

    objects = ReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["path"]
        permissions = [("moderate_reply", _("Can moderate replies"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removal_reason=""),
                name="forum_reply_removal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(score=F("upvotes") - F("downvotes")),
                name="forum_reply_score_is_up_minus_down",
            ),
        ]
        indexes = [
            models.Index(
                fields=["thread", "depth", "-is_featured", "-wilson", "-score", "-id"],
                name="forum_reply_best",
            ),
            models.Index(
                fields=["thread", "depth", "-is_featured", "-score", "-id"],
                name="forum_reply_top",
            ),
            models.Index(
                fields=["thread", "depth", "-is_featured", "created_at", "id"],
                name="forum_reply_chrono",
            ),
            # "new" cannot read forum_reply_chrono backwards: featured replies
            # still come first.
            models.Index(
                fields=["thread", "depth", "-is_featured", "-created_at", "-id"],
                name="forum_reply_newest",
            ),
            models.Index(fields=["root", "path"], name="forum_reply_subtree"),
            models.Index(
                fields=["thread", "updated_at", "id"], name="forum_reply_sync"
            ),
            models.Index(
                fields=["author", "-created_at"], name="forum_reply_by_author"
            ),
            models.Index(fields=["status", "created_at"], name="forum_reply_status"),
            # A thread's replies, and its newest one in a single step.
            models.Index(fields=["thread", "id"], name="forum_reply_in_thread"),
            # The number of top-level replies beside a thread page's first
            # query, counted from the index alone: the replies not held for
            # review, and a signed-in reader's own held ones.
            models.Index(
                fields=["thread", "depth", "status", "author"],
                name="forum_reply_top_level",
            ),
            # A reader's replies held for review in a thread, looked up on
            # every signed-in thread page: only held replies are indexed.
            models.Index(
                fields=["thread", "author"],
                condition=Q(status="pending"),
                name="forum_reply_held",
            ),
            # A reader's own replies in a thread (their held edits, removals
            # and hidden replies, and their newest reply, read on every
            # signed-in thread page): by id, the newest is its last entry.
            models.Index(
                fields=["author", "thread", "id"], name="forum_reply_author_thread"
            ),
            # Likewise for a reader's edits held for review.
            models.Index(
                fields=["thread", "author"],
                condition=Q(pending_edit_at__isnull=False),
                name="forum_reply_held_edit",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.body[:60]}"

    def get_absolute_url(self):
        return self.url_under(self.thread.get_absolute_url())

    def url_under(self, thread_url: str) -> str:
        """This reply's place on its thread's page, given that page's URL
        (thread.get_absolute_url(), which a list reads once for all)."""
        return f"{thread_url}?reply={self.pk}#reply-{self.pk}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def has_pending_edit(self) -> bool:
        return self.pending_edit_at is not None

    @property
    def is_hidden_by_flags(self) -> bool:
        return self.open_flag_weight >= flag_weight_to_hide()

    @property
    def is_public(self) -> bool:
        return not (self.is_removed or self.is_pending or self.is_hidden_by_flags)


class Revision(models.Model):
    reply = models.ForeignKey(
        Reply,
        verbose_name=_("reply"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    body = models.TextField(_("earlier message"))
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("replaced at"), default=timezone.now)
    # A moderator hides an earlier version (personal data, abuse) from the
    # public list of versions; the text itself is kept.
    is_hidden = models.BooleanField(_("hidden by the moderators"), default=False)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["reply", "-created_at"]

    def __str__(self):
        return f"{self.reply_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Vote(models.Model):
    class Value(models.IntegerChoices):
        UP = 1, _("Up")
        DOWN = -1, _("Down")

    # Neither key has an index of its own: forum_vote_by_user and
    # forum_vote_by_reply begin with them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.CASCADE,
        related_name="votes",
        db_index=False,
    )
    reply = models.ForeignKey(
        Reply,
        verbose_name=_("reply"),
        on_delete=models.CASCADE,
        related_name="votes",
        db_index=False,
    )
    value = models.SmallIntegerField(_("value"), choices=Value.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "reply"], name="forum_vote_one_per_user_reply"
            ),
            models.CheckConstraint(
                condition=Q(value__in=[-1, 1]),
                name="forum_vote_value_is_one_or_minus_one",
            ),
        ]
        indexes = [
            models.Index(fields=["reply", "value"], name="forum_vote_by_reply"),
            # A reader's votes on a page, read from the index alone
            # (forum/pagecache/shared.py).
            models.Index(fields=["user", "reply", "value"], name="forum_vote_by_user"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.value:+d} #{self.reply_id}"


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abuse or harassment")
        OFF_TOPIC = "off_topic", _("Off-topic")
        PERSONAL_DATA = "personal_data", _("Personal data")
        ILLEGAL = "illegal", _("Illegal content")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Dismissed")
        UPHELD = "upheld", _("Upheld (reply removed)")

    reply = models.ForeignKey(
        Reply, verbose_name=_("reply"), on_delete=models.CASCADE, related_name="flags"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.CASCADE,
        related_name="flags_made",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    # How much this report counts towards hiding the reply, in hundredths of
    # a report, from the reporter's standing when they sent it
    # (forum.services.report_weight).
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=FULL_REPORT_WEIGHT, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["status", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "reply"], name="forum_flag_one_per_user_reply"
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "reply", "created_at"], name="forum_flag_queue"
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} #{self.reply_id}"


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    thread = models.ForeignKey(
        Thread,
        verbose_name=_("thread"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("followed thread")
        verbose_name_plural = _("followed threads")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "thread"], name="forum_follow_once_per_user_thread"
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.thread}"


class ThreadVisit(models.Model):
    """The newest reply of a thread a reader had seen when they last opened
    it: replies after it are "new" to them. Written only when the thread
    has a reply they have not seen yet."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="thread_visits",
    )
    thread = models.ForeignKey(
        Thread,
        verbose_name=_("thread"),
        on_delete=models.CASCADE,
        related_name="visits",
    )
    last_seen_reply_id = models.BigIntegerField(_("newest reply seen"), default=0)
    seen_at = models.DateTimeField(_("seen at"), default=timezone.now)

    class Meta:
        verbose_name = _("thread visit")
        verbose_name_plural = _("thread visits")
        constraints = [
            models.UniqueConstraint(
                fields=["reader", "thread"], name="forum_threadvisit_once"
            ),
        ]

    def __str__(self):
        return f"{self.reader} → {self.thread} #{self.last_seen_reply_id}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply to you")
        FOLLOWED = "followed", _("New reply in a followed thread")
        MENTION = "mention", _("Mention of you")
        REMOVED = "removed", _("A moderator removed your reply")
        RESTORED = "restored", _("A moderator restored your reply")
        HELD = "held", _("Your reply or edit waits for review")
        UPHELD = "upheld", _("Your appeal was rejected")
        REVERSED = "reversed", _("Your appeal was accepted")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    reply = models.ForeignKey(
        Reply,
        verbose_name=_("reply"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "reply"], name="forum_notification_once_per_reply"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "read_at", "-created_at"],
                name="forum_notification_inbox",
            )
        ]

    def __str__(self):
        return f"{self.recipient}: {self.get_kind_display()} #{self.reply_id}"


class WordRule(models.Model):
    class Kind(models.TextChoices):
        BANNED = "banned", _("Banned: the reply is refused")
        SUSPECT = "suspect", _("Suspect: the reply is held for review")

    word = models.CharField(_("word or phrase"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("word rule")
        verbose_name_plural = _("word rules")
        ordering = ["kind", "word"]
        constraints = [
            models.UniqueConstraint(
                fields=["word", "kind"], name="forum_wordrule_unique"
            ),
        ]

    def __str__(self):
        return f"{self.word} ({self.get_kind_display()})"


class OutgoingEmail(models.Model):
    """One e-mail owed to one reader about one reply: the task that sends it
    marks it sent, so a retried task never sends it twice, and one that keeps
    failing stays here with its error for staff to see."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To send")
        DIGEST = "digest", _("Waiting for the daily digest")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="outgoing_emails",
    )
    reply = models.ForeignKey(
        Reply,
        verbose_name=_("reply"),
        on_delete=models.CASCADE,
        related_name="outgoing_emails",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Notification.Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "reply"], name="forum_outgoingemail_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "created_at"], name="forum_outgoingemail_status"
            )
        ]

    def __str__(self):
        return f"{self.recipient} #{self.reply_id} ({self.status})"


class TaskFailure(models.Model):
    """A queued task's failed run, with its error, for staff."""

    task_name = models.CharField(_("task"), max_length=200)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    arguments = models.TextField(_("arguments"), blank=True)
    error = models.TextField(_("error"))
    traceback = models.TextField(_("traceback"), blank=True)
    created_at = models.DateTimeField(_("failed at"), default=timezone.now)

    class Meta:
        verbose_name = _("task failure")
        verbose_name_plural = _("task failures")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.task_name}: {self.error[:80]}"


class ModerationDecision(models.Model):
    """A statement of reasons: what was decided about someone's content or
    account, why, by whom (or automatically), kept for the author, for
    appeals and for the transparency report."""

    class Action(models.TextChoices):
        REMOVAL = "removal", _("Reply removed")
        HOLD = "hold", _("Reply held for review")
        EDIT_HOLD = "edit_hold", _("Edit held for review")
        HIDE = "hide", _("Reply hidden by reports")
        LOCK = "lock", _("Thread locked")
        BAN = "ban", _("Account banned")

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abuse or harassment")
        OFF_TOPIC = "off_topic", _("Off-topic")
        PERSONAL_DATA = "personal_data", _("Personal data")
        ILLEGAL = "illegal", _("Illegal content")
        SUSPECT_WORD = "suspect_word", _("Suspect word")
        NEW_ACCOUNT = "new_account", _("First replies of a new account")
        OTHER = "other", _("Other")

    action = models.CharField(_("decision"), max_length=10, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    explanation = models.TextField(_("explanation"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concerned user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="moderation_decisions",
    )
    reply = models.ForeignKey(
        Reply,
        verbose_name=_("reply"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    thread = models.ForeignKey(
        Thread,
        verbose_name=_("thread"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_automatic = models.BooleanField(_("automatic"), default=False)
    noticed_at = models.DateTimeField(
        _("first reported at"),
        null=True,
        blank=True,
        help_text=_("When the first report or notice on it arrived."),
    )
    created_at = models.DateTimeField(_("decided at"), default=timezone.now)
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    # Set by the task that e-mails the statement of reasons, so a retried
    # task never sends it twice.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], name="forum_decision_period"),
            models.Index(fields=["reply", "-created_at"], name="forum_decision_reply"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} ({self.get_reason_display()})"


class Appeal(models.Model):
    """A complaint against a moderation decision, once per decision."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a moderator")
        UPHELD = "upheld", _("Decision upheld")
        REVERSED = "reversed", _("Decision reversed")

    decision = models.OneToOneField(
        ModerationDecision,
        verbose_name=_("decision"),
        on_delete=models.CASCADE,
        related_name="appeal",
    )
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appellant"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
    )
    text = models.TextField(_("appeal"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    response = models.TextField(_("answer to the appellant"), blank=True)
    # Set by the task that e-mails the outcome, so it is sent once.
    emailed_at = models.DateTimeField(_("outcome e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["status", "created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="forum_appeal_queue")
        ]

    def __str__(self):
        return f"{self.get_status_display()} #{self.decision_id}"


class IllegalContentNotice(models.Model):
    """A notice of illegal content (DSA Art. 16), sent by anyone, with or
    without an account."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACTED = "acted", _("Acted upon (content removed)")
        REJECTED = "rejected", _("No action")

    reply = models.ForeignKey(
        Reply,
        verbose_name=_("reply"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="illegal_content_notices",
    )
    location = models.CharField(_("exact location (URL)"), max_length=500)
    explanation = models.TextField(_("why the content is illegal"), max_length=5000)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed-in sender"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    good_faith = models.BooleanField(_("good-faith statement"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("illegal content notice")
        verbose_name_plural = _("illegal content notices")
        ordering = ["status", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(good_faith=True),
                name="forum_illegalcontentnotice_in_good_faith",
            )
        ]

    def __str__(self):
        return f"{self.location} ({self.get_status_display()})"
