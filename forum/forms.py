from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from forum.models import Flag
from forum.text import VisibleCharField


class ReplyForm(forms.Form):
    body = VisibleCharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=settings.FORUM_REPLY_MAX_LENGTH,
        help_text=_("Markdown is supported: **bold**, *italic*, [links](https://…)."),
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EditReplyForm(forms.Form):
    body = VisibleCharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=settings.FORUM_REPLY_MAX_LENGTH,
    )


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(
        choices=[(1, "+1"), (0, "0"), (-1, "-1")], coerce=int, label=_("Vote")
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this reply?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(forms.Form):
    text = VisibleCharField(
        label=_("Why should this decision be reversed?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )


class IllegalContentNoticeForm(forms.Form):
    """A notice of illegal content (DSA Art. 16), open to anyone."""

    location = forms.CharField(
        label=_("Exact location of the content (the reply's address)"),
        max_length=500,
        help_text=_(
            "The address of the reply, as given by its date link on the thread "
            "page, e.g. https://…/threads/12/…/?reply=345#reply-345"
        ),
    )
    explanation = VisibleCharField(
        label=_("Why is this content illegal?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Explain which law it breaks and how, as precisely as you can."),
    )
    name = forms.CharField(
        label=_("Your name (optional)"), max_length=200, required=False
    )
    email = forms.EmailField(label=_("Your e-mail (optional)"), required=False)
    good_faith = forms.BooleanField(
        label=_(
            "I believe in good faith that the information and allegations in "
            "this notice are accurate and complete."
        ),
    )
    # Left empty by people; filled by robots that fill every field.
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=200
    )
