"""manage.py backup FILE: everything the dashboard knows, as one (compressed) XML file."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Rebuilt by `migrate` on the target database, so a backup leaves them out (the cache identity
# names one database: restore gives the new one its own).
REBUILT_BY_MIGRATE = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "assurance.cacheidentity",
]
# XML, because Django's JSON serializer rounds timestamps to milliseconds and an audit trail
# restored from a backup must say exactly what it said before.
SUFFIXES = (".xml", ".xml.gz", ".xml.bz2", ".xml.xz")


class Command(BaseCommand):
    help = (
        "Write every record (reference data, years, assessments, scores, users, history) to "
        "FILE, e.g. wcc-2026-11-25.xml.gz. Restore with `manage.py restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=f"Output path ending in one of {', '.join(SUFFIXES)}.")

    def handle(self, *args, file, **options):
        if not file.endswith(SUFFIXES):
            raise CommandError(f"Name the backup file with one of {', '.join(SUFFIXES)}.")
        call_command(
            "dumpdata",
            format="xml",
            exclude=REBUILT_BY_MIGRATE,
            natural_foreign=True,
            output=file,
            verbosity=0,
        )
        self.stdout.write(f"Backup written to {file}.")
