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
