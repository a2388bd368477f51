"""manage.py email_flag_reviews: tell each SHA's staff which of its flags are past review."""

from django.core.management.base import BaseCommand

from directed_development.notifications import email_overdue_reviews


class Command(BaseCommand):
    help = (
        "Email each SHA's staff the open directed development flags of their SHA whose review "
        "date has passed. Schedule it weekly (docs/operations.md)."
    )

    def handle(self, *args, **options):
        sent = email_overdue_reviews()
        self.stdout.write(f"Emailed {sent} SHA staff about flags past their review date.")
