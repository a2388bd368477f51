"""manage.py announce_public_years: announce (email about) each year that has become public."""

from django.core.management.base import BaseCommand

from assurance.actions.announcement import send_due_announcements
from wcc.tasks import finished_or_queued


class Command(BaseCommand):
    help = (
        "Announce each year whose embargo has lifted and whose publication is not yet announced: "
        "SHA staff and group owners are emailed once. Safe to run as often as you like (cron, "
        "every few minutes): a year is announced once. Queued for a worker (manage.py "
        "db_worker), or run at once with TASKS_INLINE=1."
    )

    def handle(self, *args, **options):
        result = send_due_announcements.enqueue()
        self.stdout.write(finished_or_queued(result, "Announced: {}."))
