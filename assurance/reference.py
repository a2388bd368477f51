"""Load the real reference data (SHAs, PCTs, competencies, mergers) from fixtures/ CSVs."""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from assurance.models import PCT, SHA, Competency, OrganisationChange

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


@dataclass(frozen=True)
class LoadSummary:
    shas: int
    pcts: int
    competencies: int
    changes: int = 0


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_reference_data(fixtures_dir: Path = FIXTURES_DIR) -> LoadSummary:
    """Create or update every SHA, PCT and competency; running it twice changes nothing.

    A name or merger corrected moves every year's revision (assurance.revisions), so the pages
    show it at once, as when corrected in the admin."""
    shas = {}
    for row in _rows(fixtures_dir / "shas.csv"):
        shas[row["code"]], _ = SHA.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"]}
        )
    pct_rows = _rows(fixtures_dir / "pcts.csv")
    for row in pct_rows:
        PCT.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "sha": shas[row["sha_code"]]}
        )
    competency_rows = _rows(fixtures_dir / "competencies.csv")
    for row in competency_rows:
        Competency.objects.update_or_create(
            number=int(row["number"]), defaults={"name": row["name"]}
        )
    change_rows = _rows(fixtures_dir / "organisation_changes.csv")
    for row in change_rows:
        OrganisationChange.objects.update_or_create(
            predecessor=PCT.objects.get(code=row["predecessor_code"]),
            defaults={
                "successor": PCT.objects.get(code=row["successor_code"]),
                "kind": row["kind"],
                "effective": datetime.date.fromisoformat(row["effective"]),
                "source": row["source"],
            },
        )
    return LoadSummary(
        shas=len(shas),
        pcts=len(pct_rows),
        competencies=len(competency_rows),
        changes=len(change_rows),
    )
