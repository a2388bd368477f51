"""manage.py restore FILE: load a backup into an empty, migrated database, all or nothing."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assurance import cache
from assurance.models import PCT, Assessment, AssessmentYear


class Command(BaseCommand):
    help = "Load a file written by `manage.py backup` into an empty database (run migrate first)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        if PCT.objects.exists() or Assessment.objects.exists():
            raise CommandError(
                "The database is not empty; restore only into a freshly migrated database, "
                "so nothing in it is silently mixed with the backup."
            )
        with transaction.atomic():
            call_command("loaddata", file, verbosity=0)
            # The restored years reach revisions another database's cached values had: a new
            # identity in every key keeps them apart, whatever cache this database shares.
            cache.rename_database()
        self.stdout.write(
            f"Restored {AssessmentYear.objects.count()} years, {PCT.objects.count()} PCTs and "
            f"{Assessment.objects.count()} assessments from {file}."
        )
