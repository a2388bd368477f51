"""manage.py remove_stale_imports: delete uploads never confirmed within IMPORT_PENDING_DAYS."""

from django.conf import settings
from django.core.management.base import BaseCommand

from assurance import tasks
from wcc.tasks import finished_or_queued


class Command(BaseCommand):
    help = (
        "Delete uploaded spreadsheets that were never confirmed, once older than "
        "IMPORT_PENDING_DAYS days (default 7). Safe to run as often as you like (e.g. daily). "
        "Queued for a worker (manage.py db_worker), or run at once with TASKS_INLINE=1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="Override IMPORT_PENDING_DAYS for this run."
        )

    def handle(self, *args, days, **options):
        days = settings.IMPORT_PENDING_DAYS if days is None else days
        result = tasks.remove_stale_imports.enqueue(days=days)
        self.stdout.write(
            finished_or_queued(
                result, f"Removed {{}} unconfirmed upload(s) older than {days} days."
            )
        )
