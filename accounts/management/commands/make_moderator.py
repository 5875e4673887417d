from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import make_moderator


class Command(BaseCommand):
    help = (
        'Add users to the "Moderators" group and give them the admin; '
        "--remove takes them out of the group."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+", metavar="USERNAME")
        parser.add_argument(
            "--remove",
            action="store_true",
            help="Take the users out of the moderators' group.",
        )

    def handle(self, *args, usernames, remove, **options):
        users = {
            user.username: user for user in User.objects.filter(username__in=usernames)
        }
        unknown = [name for name in usernames if name not in users]
        if unknown:
            raise CommandError(
                _("No user named %(names)s.") % {"names": ", ".join(unknown)}
            )
        for name in usernames:
            try:
                make_moderator(user=users[name], moderator=not remove)
            except ValidationError as error:
                raise CommandError(f"{name}: {' '.join(error.messages)}") from error
            if remove:
                self.stdout.write(
                    _("%(name)s is no longer a moderator.") % {"name": name}
                )
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        _("%(name)s is now a moderator.") % {"name": name}
                    )
                )
