"""Wiring that belongs to no rule: remembering the language a reader uses,
for the e-mails sent to them outside any request."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.models import User


@receiver(user_logged_in)
def remember_language(sender, request, user, **kwargs):
    # Set by LocaleMiddleware from the reader's choice (cookie, header);
    # a log-in outside a request (tests, scripts) records nothing.
    language = getattr(request, "LANGUAGE_CODE", "").split("-")[0]
    if language and language != user.last_language:
        user.last_language = language
        User.objects.filter(pk=user.pk).update(last_language=language)
