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
