from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.validators import reject_invisible_characters


class SignupForm(forms.Form):
    """Extra fields of allauth's sign-up form."""

    display_name = forms.CharField(
        label=_("Display name (optional)"),
        max_length=60,
        required=False,
        validators=[reject_invisible_characters],
    )

    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use and have read the privacy notice"),
        required=True,
        help_text=lazy(
            lambda: format_html(
                '<a href="{}">{}</a> · <a href="{}">{}</a>',
                reverse("accounts:terms"),
                _("Terms of use"),
                reverse("accounts:privacy"),
                _("Privacy notice"),
            ),
            SafeString,
        )(),
        error_messages={"required": _("Accept the terms of use to create an account.")},
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data.get("display_name", "").strip()
        user.terms_accepted_at = timezone.now()
        user.save(update_fields=["display_name", "terms_accepted_at"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "display_name",
            "bio",
            "email",
            "email_on_reply",
            "email_on_followed",
            "email_digest",
            "language",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class AccountDeleteForm(forms.Form):
    """The reader confirms with their password and says what becomes of
    their replies' text."""

    KEEP = "keep"
    ERASE = "erase"

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    replies = forms.ChoiceField(
        label=_("Your replies"),
        choices=[
            (KEEP, _("Keep their text, signed “deleted member”")),
            (ERASE, _("Erase their text; a notice stays in their place")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("This is not your password."), code="wrong_password"
            )
        return password

    @property
    def keep_text(self) -> bool:
        return self.cleaned_data["replies"] == self.KEEP
