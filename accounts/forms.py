from django import forms
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

    def signup(self, request, user):
        user.display_name = self.cleaned_data.get("display_name", "").strip()
        user.save(update_fields=["display_name"])


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
