"""manage.py load_reference_data: the real SHAs, PCTs and competencies from fixtures/."""

from django.core.management.base import BaseCommand

from assurance.reference import load_reference_data


class Command(BaseCommand):
    help = (
        "Create or update the 10 SHAs, the PCTs (the 152 of 2008-10 and the successor formed in "
        "2010), the 11 WCC competencies and the PCT mergers (safe to run again)."
    )

    def handle(self, *args, **options):
        summary = load_reference_data()
        self.stdout.write(
            f"Reference data loaded: {summary.shas} SHAs, {summary.pcts} PCTs, "
            f"{summary.competencies} competencies, {summary.changes} organisation changes."
        )
