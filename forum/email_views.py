"""One-click unsubscribe (RFC 8058) from the links and headers of e-mails.

The link carries a signed token naming the reader and the setting, so it
works signed out. Opening it shows a confirmation button (link checkers that
open every URL unsubscribe nobody); the POST, from that button or from the
mail client's one-click, turns the setting off. The POST needs no CSRF token:
the signature is the proof, and a forged one changes nothing.
"""

from django.core import signing
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from accounts.models import User
from accounts.services import stop_emails
from forum.notifications import UNSUBSCRIBE_FIELDS, read_unsubscribe_token


@csrf_exempt
def unsubscribe(request, token):
    try:
        user_id, what = read_unsubscribe_token(token)
        user = User.objects.get(pk=user_id)
    except (signing.BadSignature, User.DoesNotExist, ValueError):
        return render(
            request,
            "error.html",
            {
                "status": 400,
                "title": _("Invalid link"),
                "message": _(
                    "This unsubscribe link is broken or no longer valid. "
                    "Your e-mail settings are in your profile."
                ),
            },
            status=400,
        )
    if request.method == "POST":
        stop_emails(user=user, fields=UNSUBSCRIBE_FIELDS[what])
        done = True
    elif request.method in ("GET", "HEAD"):
        done = False
    else:
        return render(
            request,
            "error.html",
            {"status": 405, "title": _("Not allowed"), "message": ""},
            status=405,
        )
    return render(
        request,
        "forum/email_unsubscribe.html",
        {"what": what, "done": done, "email": user.email},
    )
