"""manage.py import_results FILE --year 2009-10: import a spreadsheet, all rows or none."""

import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from assurance import actions, importers
from assurance.decisions import ChangeKind, count_kinds
from assurance.models import AssessmentYear


class Command(BaseCommand):
    help = (
        "Import panel results for one assurance year from a CSV (UTF-8) or XLSX file. Every row "
        "is validated first; one problem rejects the whole file and nothing is written. "
        "Exits 0 on success, 1 when the file is rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", required=True, help="Assurance year, e.g. 2009-10.")
        parser.add_argument(
            "--by",
            help="Username of the assurance admin to record in the audit trail (required for a "
            "published year: the correction waits for another admin's approval).",
        )
        parser.add_argument(
            "--reason",
            default="",
            help="Why a published year's results are corrected (required then): readers see it.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and show what would change; write nothing.",
        )

    def handle(self, *args, file, year, by, dry_run, reason, **options):
        year_record = find_year(year)
        user = find_admin(by) if by else None
        content = read_file(file, settings.IMPORT_MAX_BYTES)
        started = time.perf_counter()
        try:
            with transaction.atomic():
                changes = self.validate(year_record, file.name, content, user, dry_run)
                counts = count_kinds(changes)
                nothing = dry_run or self.batch.status == self.batch.Status.NOTHING
                if not nothing and year_record.is_approved:
                    self.ask(year_record, user, reason)
                    return
                if not nothing:
                    self.write(changes, user)
        except actions.PublicationRefused as refused:
            raise CommandError(f"{refused} Nothing was imported.") from None
        except importers.SpreadsheetRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(f"  {error}")
            raise CommandError(
                f"{file.name} rejected: {len(rejected.errors)} problem(s) listed above. "
                "Nothing was imported."
            ) from None
        self.stdout.write(
            f"{'Would import' if dry_run else 'Imported'} {file.name} into {year_record}: "
            f"{counts[ChangeKind.NEW]} new, {counts[ChangeKind.CHANGED]} changed, "
            f"{counts[ChangeKind.UNCHANGED]} unchanged ({len(changes)} rows, "
            f"{time.perf_counter() - started:.1f} s)."
        )

    def validate(self, year, file_name, content, user, dry_run):
        with self.progress("Validating", total=None) as bar:
            if dry_run:
                results = importers.parse_for_year(
                    year,
                    file_name,
                    content,
                    max_bytes=settings.IMPORT_MAX_BYTES,
                    progress=bar.update,
                )
                return importers.plan(year, results)
            self.batch, changes = actions.store_import(
                year=year,
                file_name=file_name,
                content=content,
                by=user,
                max_bytes=settings.IMPORT_MAX_BYTES,
                from_command_line=True,
                progress=bar.update,
            )
            return changes

    def write(self, changes, user):
        # Validation and writing share one transaction, so there is no preview to go stale.
        with self.progress("Writing", total=len(changes)) as bar:
            actions.apply_import(batch=self.batch, by=user, progress=bar.update)

    def ask(self, year, user, reason):
        """A published year's import is a correction: it waits for a second admin."""
        asked = actions.request_correction(year=year, by=user, reason=reason, batch=self.batch)
        if asked.status == asked.Status.CARRIED_OUT:
            self.stdout.write(f"Corrected {year} from {self.batch.file_name}.")
            return
        self.stdout.write(
            f"Asked to correct {year} from {self.batch.file_name}: it takes effect when another "
            f"assurance admin approves it at {settings.SITE_URL}/assurance/{year.slug}/"
            "publication/. Until then readers see the published results."
        )

    def progress(self, label, total):
        # tqdm writes carriage returns; Django's OutputWrapper would add a newline to each.
        return tqdm(desc=label, total=total, unit=" rows", file=self.stderr._out, leave=True)


def find_year(slug: str) -> AssessmentYear:
    year = AssessmentYear.objects.by_slug(slug).first()
    if year is None:
        known = ", ".join(y.slug for y in AssessmentYear.objects.all()) or "none yet"
        raise CommandError(f"No assurance year {slug!r}. Known years: {known}.")
    return year


def find_admin(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.has_perm(actions.RECORD_RESULTS):
        raise CommandError(f"{username!r} is not an assurance admin (see manage.py grant_role).")
    return user


def read_file(path: Path, max_bytes: int) -> bytes:
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    if path.stat().st_size > max_bytes:
        raise CommandError(
            f"{path.name} is {path.stat().st_size:,} bytes; the largest accepted is "
            f"{max_bytes:,} bytes (IMPORT_MAX_BYTES). Nothing was imported."
        )
    return path.read_bytes()
