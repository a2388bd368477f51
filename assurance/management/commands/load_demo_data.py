"""manage.py load_demo_data: deterministic ILLUSTRATIVE results for three assurance years."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assurance import actions, demo
from assurance.models import PCT, AssessmentYear

YEAR_NOTES = {
    2008: "Illustrative demo data shaped after the figures HSJ reported for 2008/09 "
    "(competency 11 was not scored that year). These are not the official results.",
    2009: "Illustrative demo data shaped after the figures reported for 2009/10. "
    "These are not the official results.",
    2010: "Hypothetical draft: no third assurance year took place (in August 2010 DH said there "
    "would be none). Generated only to exercise entry, import and publishing.",
}
PUBLISHED = (2008, 2009)


class Command(BaseCommand):
    help = (
        "Load illustrative (not official) results for 2008/09 and 2009/10, published, and a "
        "hypothetical 2010/11 draft. Deterministic: running it again gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2008, help="Random seed (default 2008).")

    @transaction.atomic
    def handle(self, *args, seed, **options):
        pct_codes = list(PCT.objects.values_list("code", flat=True))
        if not pct_codes:
            raise CommandError("No PCTs found. Run `manage.py load_reference_data` first.")
        official = AssessmentYear.objects.filter(
            start_year__in=demo.SHAPES, is_illustrative=False
        ).first()
        if official is not None:
            raise CommandError(
                f"{official} holds results that are not illustrative; the demo never overwrites "
                "them. Use an empty database for the demo."
            )
        for start_year, shape in demo.SHAPES.items():
            numbers = list(range(1, 11)) if start_year == 2008 else list(range(1, 12))
            year = actions.create_year(
                start_year=start_year,
                competency_numbers=numbers,
                is_illustrative=True,
                note=YEAR_NOTES[start_year],
            )
            results = demo.generate_year(shape, pct_codes, numbers, seed=seed)
            count = actions.replace_year_results(year=year, results=results)
            if start_year in PUBLISHED and not year.is_approved:
                year = actions.publish_year(year=year, by=None)
            self.stdout.write(f"{year}: {count} illustrative assessments ({year.status}).")
