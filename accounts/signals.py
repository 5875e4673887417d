"""Wiring that belongs to no rule: remembering the language a reader uses,
for the e-mails sent to them outside any request, and whether allauth
confirmed their address."""

from allauth.account.signals import email_changed, email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.models import User
from accounts.services import record_email_verified


@receiver(user_logged_in)
def remember_language(sender, request, user, **kwargs):
    # Set by LocaleMiddleware from the reader's choice (cookie, header);
    # a log-in outside a request (tests, scripts) records nothing.
    language = getattr(request, "LANGUAGE_CODE", "").split("-")[0]
    if language and language != user.last_language:
        user.last_language = language
        User.objects.filter(pk=user.pk).update(last_language=language)


@receiver(email_confirmed)
def remember_email_verified(sender, request, email_address, **kwargs):
    # The account's own address (user.email) is the one that counts.
    record_email_verified(email=email_address.email, user_id=email_address.user_id)


@receiver(email_changed)
def forget_email_verified(
    sender, request, user, from_email_address, to_email_address, **kwargs
):
    record_email_verified(
        email=to_email_address.email if to_email_address.verified else "",
        user_id=user.pk,
    )
