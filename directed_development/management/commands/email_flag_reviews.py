"""manage.py email_flag_reviews: tell each SHA's staff which of its flags are past review."""

from django.core.management.base import BaseCommand

from directed_development import tasks
from wcc.tasks import finished_or_queued


class Command(BaseCommand):
    help = (
        "Email each SHA's staff the open directed development flags of their SHA whose review "
        "date has passed. Schedule it weekly (docs/operations.md). Queued for a worker "
        "(manage.py db_worker), which retries if the mail server fails."
    )

    def handle(self, *args, **options):
        result = tasks.email_flag_reviews.enqueue()
        self.stdout.write(
            finished_or_queued(result, "Emailed {} SHA staff about flags past their review date.")
        )
