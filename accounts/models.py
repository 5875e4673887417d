from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import reject_invisible_characters, username_validators


class User(AbstractUser):
    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        help_text=_("Letters, digits and @/./+/-/_ only."),
        validators=username_validators,
        error_messages={"unique": _("A user with that username already exists.")},
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

    def get_absolute_url(self):
        return reverse("accounts:profile", kwargs={"username": self.username})

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    @property
    def email_language(self) -> str:
        """The language of this reader's e-mails: chosen, else last used."""
        return self.language or self.last_language or settings.LANGUAGE_CODE

    @property
    def is_banned(self) -> bool:
        if self.banned_at is None:
            return False
        return self.banned_until is None or self.banned_until > timezone.now()
