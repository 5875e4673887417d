from django.core.management.base import BaseCommand

from forum.tasks import retry_pending_work


class Command(BaseCommand):
    help = (
        "Queue again the e-mails and webhook deliveries still owed after they "
        "were due (for cron, when celery beat is not run)."
    )

    def handle(self, *args, **options):
        count = retry_pending_work()
        self.stdout.write(f"{count} task(s) queued again")
