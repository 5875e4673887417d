from django.conf import settings
from django.core.management.base import BaseCommand

from forum.services import purge_personal_data


class Command(BaseCommand):
    help = (
        "Delete personal data whose retention period is over: expired "
        "sessions and rate-limit entries, e-mails sent and task failures older "
        "than FORUM_RETENTION_DAYS (for cron, when celery beat is not run)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be deleted, and delete nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        counts = purge_personal_data(dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"Retention {settings.FORUM_RETENTION_DAYS} days; {verb}:")
        for name, count in counts.items():
            self.stdout.write(f"  {name}: {count}")
