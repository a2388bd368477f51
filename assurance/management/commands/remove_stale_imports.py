"""manage.py remove_stale_imports: delete uploads never confirmed within IMPORT_PENDING_DAYS."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand

from assurance import actions


class Command(BaseCommand):
    help = (
        "Delete uploaded spreadsheets that were never confirmed, once older than "
        "IMPORT_PENDING_DAYS days (default 7). Safe to run as often as you like (e.g. daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="Override IMPORT_PENDING_DAYS for this run."
        )

    def handle(self, *args, days, **options):
        days = settings.IMPORT_PENDING_DAYS if days is None else days
        removed = actions.remove_stale_imports(older_than=datetime.timedelta(days=days))
        self.stdout.write(f"Removed {removed} unconfirmed upload(s) older than {days} days.")
