"""Wiring that belongs to no rule: remembering the language a reader uses,
for the e-mails sent to them outside any request."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from accounts.models import User


@receiver(user_logged_in)
def remember_language(sender, request, user, **kwargs):
    language = getattr(request, "LANGUAGE_CODE", "") or translation.get_language()
    language = (language or "").split("-")[0]
    if language and language != user.last_language:
        user.last_language = language
        User.objects.filter(pk=user.pk).update(last_language=language)
