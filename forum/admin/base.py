"""What the replies and the report queue share: removal with a reason and
dismissal of reports.
"""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from forum.adminbase import apply_each, excerpt
from forum.models import ModerationDecision, Reply
from forum.services import dismiss_flags, remove_reply


class RemovalForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=[
            choice
            for choice in Reply.RemovalReason.choices
            if choice[0] != Reply.RemovalReason.AUTHOR
        ],
        widget=forms.RadioSelect(attrs={"class": "radiolist"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Explanation for the author"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy(
            "Required: the statement of reasons shown to the author with the "
            "reason, on their reply and in their notification. Not shown to "
            "the public."
        ),
    )


class DecisionForm(forms.Form):
    """A statement of reasons: a reason code and the explanation shown to
    the person concerned."""

    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=[
            choice
            for choice in ModerationDecision.Reason.choices
            if choice[0]
            not in (
                ModerationDecision.Reason.SUSPECT_WORD,
                ModerationDecision.Reason.NEW_ACCOUNT,
            )
        ],
        widget=forms.RadioSelect(attrs={"class": "radiolist"}),
    )
    explanation = forms.CharField(
        label=gettext_lazy("Explanation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("Required: kept as the statement of reasons."),
    )


def removal_sentence(reply: Reply) -> str:
    sentence = _("Removed the reply (reason: %(reason)s).") % {
        "reason": reply.get_removal_reason_display()
    }
    if reply.removal_note:
        sentence += " " + _("Note: %(note)s") % {"note": reply.removal_note}
    return sentence


class ReplyModeration:
    """Removal with a reason and dismissal, shared by replies and reports."""

    def remove_with_reason(
        self, request, selection, replies, *, initial_reason="", authors=None
    ):
        """Ask for a reason, then remove the replies not removed yet."""
        replies = list(
            replies.filter(removed_at__isnull=True).select_related("thread", "author")
        )
        form = RemovalForm(
            request.POST if "post" in request.POST else None,
            initial={"reason": initial_reason},
        )
        intro = ngettext(
            "This reply will be taken out of public view. Its text stays in "
            "the database and can be restored.",
            "These %(count)s replies will be taken out of public view. Their "
            "text stays in the database and they can be restored.",
            len(replies),
        ) % {"count": len(replies)}
        if authors is not None:
            intro = (
                _("Everything written by %(authors)s.")
                % {"authors": ", ".join(str(author) for author in authors)}
                + " "
                + intro
            )
        response = self.confirm(
            request,
            selection,
            form=form,
            title=ngettext("Remove a reply", "Remove %(count)s replies", len(replies))
            % {"count": len(replies)},
            intro=intro,
            items=[
                format_html(
                    "<strong>{}</strong> — {} <em>({})</em>",
                    reply.author,
                    excerpt(reply.body, 160),
                    reply.thread,
                )
                for reply in replies
            ],
            submit=_("Remove"),
        )
        if response is not None:
            return response
        reason, note = form.cleaned_data["reason"], form.cleaned_data["note"]
        apply_each(
            self,
            request,
            replies,
            lambda reply: remove_reply(
                reply=reply, by=request.user, reason=reason, note=note
            ),
            sentence=lambda reply, _result: removal_sentence(reply),
            done=ngettext_lazy(
                "%(count)s reply removed.", "%(count)s replies removed.", "count"
            ),
            nothing=_("No reply was removed: they were already removed."),
        )
        return None

    def dismiss(self, request, replies):
        apply_each(
            self,
            request,
            replies.filter(open_flag_count__gt=0).select_related("thread"),
            lambda reply: dismiss_flags(reply=reply, by=request.user),
            sentence=lambda reply, closed: (
                ngettext(
                    "Dismissed %(count)s report: the reply stays published.",
                    "Dismissed %(count)s reports: the reply stays published.",
                    closed,
                )
                % {"count": closed}
            ),
            done=ngettext_lazy(
                "Reports dismissed on %(count)s reply.",
                "Reports dismissed on %(count)s replies.",
                "count",
            ),
            nothing=_("No report was dismissed: none of them was open."),
        )
