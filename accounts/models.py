from collections.abc import Callable
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext_lazy as _

from accounts.usernames import check_username, skeleton
from accounts.validators import reject_invisible_characters, username_validators


def profile_paths() -> Callable[[str], str]:
    """The profile page's path for any number of usernames from one
    reverse(), as User.get_absolute_url() gives it for each (a page
    describing many replies' authors reads the pattern once)."""
    marker = "-"
    prefix, suffix = reverse("accounts:profile", kwargs={"username": marker}).rsplit(
        marker, 1
    )
    safe = RFC3986_SUBDELIMS + "/~:@"
    return lambda username: f"{prefix}{quote(username, safe=safe)}{suffix}"


class User(AbstractUser):
    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        help_text=_("Letters, digits and @/./+/-/_ only."),
        validators=username_validators,
        error_messages={"unique": _("A user with that username already exists.")},
    )
    # The TR39 skeleton of the username (accounts/usernames.py), kept by
    # save(): look-alike names are found with one indexed lookup.
    username_skeleton = models.CharField(
        _("username skeleton"),
        max_length=600,
        db_index=True,
        editable=False,
        default="",
    )
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        blank=True,
        validators=[reject_invisible_characters],
    )
    bio = models.TextField(_("about me"), max_length=1000, blank=True)
    email_on_reply = models.BooleanField(
        _("e-mail me when someone replies to me"), default=False
    )
    email_on_followed = models.BooleanField(
        _("e-mail me about new replies in threads I follow"), default=False
    )
    email_digest = models.BooleanField(
        _("one daily digest instead of an e-mail per reply"), default=False
    )
    language = models.CharField(
        _("language of my e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the language I last used on the site."),
    )
    last_language = models.CharField(
        _("last language used"), max_length=10, blank=True, editable=False
    )
    # When the account's address was confirmed (allauth's e-mail
    # verification, accounts/signals.py); empty until then and again after a
    # change of address. Kept on the row the request already loads, so the
    # rule "verified before replying" costs no query.
    email_verified_at = models.DateTimeField(
        _("e-mail verified at"), null=True, blank=True, editable=False
    )
    terms_accepted_at = models.DateTimeField(
        _("terms accepted at"), null=True, blank=True, editable=False
    )
    banned_at = models.DateTimeField(_("banned at"), null=True, blank=True)
    banned_until = models.DateTimeField(
        _("banned until"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a ban without end."),
    )
    ban_reason = models.TextField(_("ban reason"), blank=True)
    banned_by = models.ForeignKey(
        "self",
        verbose_name=_("banned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.username

    def save(self, *args, **kwargs):
        self.username_skeleton = skeleton(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_skeleton"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("accounts:profile", kwargs={"username": self.username})

    def clean(self):
        super().clean()
        # A name kept as it was stays allowed, even one now reserved.
        stored = (
            User.objects.filter(pk=self.pk).values_list("username", flat=True).first()
            if self.pk
            else None
        )
        if self.username and self.username != stored:
            try:
                check_username(self.username, exclude_pk=self.pk)
            except ValidationError as error:
                raise ValidationError({"username": error}) from None

    @property
    def is_deleted_member(self) -> bool:
        """Whether this is the one account that authors the replies of
        erased accounts."""
        return self.username == DELETED_MEMBER_USERNAME

    @property
    def public_name(self) -> str:
        if self.is_deleted_member:
            return _("deleted member")
        return self.display_name or self.username

    @property
    def email_language(self) -> str:
        """The language of this reader's e-mails: chosen, else last used."""
        return self.language or self.last_language or settings.LANGUAGE_CODE

    @property
    def has_verified_email(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_banned(self) -> bool:
        if self.banned_at is None:
            return False
        return self.banned_until is None or self.banned_until > timezone.now()


# The account that takes over the replies of an erased account: inactive,
# without password, address or profile, shown as "deleted member".
DELETED_MEMBER_USERNAME = "deleted-member"


def deleted_member() -> User:
    """The shared "deleted member" account, made the first time it is needed."""
    member, created = User.objects.get_or_create(
        username=DELETED_MEMBER_USERNAME,
        defaults={"is_active": False, "password": "!"},
    )
    return member


def deleted_member_pk() -> int:
    """The "deleted member" account's id: where an erased account's replies
    go when its row is deleted (Reply.author's on_delete)."""
    return deleted_member().pk


class ReservedName(models.Model):
    """A username no one may take, nor one that looks like it."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    note = models.CharField(_("why"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("reserved username")
        verbose_name_plural = _("reserved usernames")

    def __str__(self):
        return self.name


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now=None):
        """Tokens used (or made) within the idle time: the ones that work."""
        return self.filter(last_used_at__gt=(now or timezone.now()) - api_token_idle())


def api_token_idle() -> timedelta:
    """How long a token may stay unused before it stops working."""
    return timedelta(days=settings.API_TOKEN_IDLE_DAYS)


class ApiToken(models.Model):
    """A named API token; only a hash of its secret is stored.

    The secret is shown once, when the token is made. A token that goes
    unused for API_TOKEN_IDLE_DAYS stops working; each use moves
    last_used_at (at most once a minute), so a token in use never expires.
    """

    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the secret, so a reader can tell tokens apart.
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), default=timezone.now)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [
            models.Index(
                fields=["user", "created_at"], name="accounts_apitoken_user_made"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.name}"

    @property
    def expires_at(self):
        return self.last_used_at + api_token_idle()

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class LegalPage(models.Model):
    """The privacy notice or the terms of use, in one language, kept by staff
    in the admin; sign-up and the footer link them."""

    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("Privacy notice")
        TERMS = "terms", _("Terms of use")

    kind = models.CharField(_("page"), max_length=10, choices=Kind.choices)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Markdown: headings, lists, links, emphasis.")
    )
    body_html = models.TextField(_("text (HTML)"), editable=False, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("privacy or terms page")
        verbose_name_plural = _("privacy and terms pages")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language"], name="accounts_legalpage_one_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language})"

    def save(self, *args, **kwargs):
        from forum.markdown import render_markdown

        self.body_html = render_markdown(self.body)
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(f"accounts:{self.kind}")
