from django.core.management.base import BaseCommand

from forum.tasks import send_daily_digests


class Command(BaseCommand):
    help = (
        "Queue the daily digest of every reader with replies waiting "
        "(for cron, when celery beat is not run)."
    )

    def handle(self, *args, **options):
        count = send_daily_digests()
        self.stdout.write(f"{count} digest(s) queued")
