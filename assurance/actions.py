"""Writes to the assurance record: each one a named function, in one transaction."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assurance.cache import forget_published_years
from assurance.models import PCT, Assessment, AssessmentYear, Competency, CompetencyScore
from assurance.results import PanelResult


def _touch(year: AssessmentYear) -> None:
    """Mark the year's results as changed so that every cached view of them is rebuilt."""
    AssessmentYear.objects.filter(pk=year.pk).update(revision=F("revision") + 1)
    year.refresh_from_db(fields=["revision"])
    forget_published_years()


def touch_all_years() -> None:
    """Reference data (names, codes, SHAs) changed: every year's cached tables are stale."""
    AssessmentYear.objects.update(revision=F("revision") + 1)
    forget_published_years()


@transaction.atomic
def create_year(
    *, start_year: int, competency_numbers: list[int], is_illustrative: bool = False, note: str = ""
) -> AssessmentYear:
    year, _ = AssessmentYear.objects.update_or_create(
        start_year=start_year, defaults={"is_illustrative": is_illustrative, "note": note}
    )
    year.competencies.set(Competency.objects.filter(number__in=competency_numbers))
    _touch(year)
    return year


@transaction.atomic
def replace_year_results(*, year: AssessmentYear, results: list[PanelResult]) -> int:
    """Replace every assessment of `year` with `results`; all or nothing. Returns the count."""
    pcts = PCT.objects.in_bulk([r.pct_code for r in results], field_name="code")
    competencies = {c.number: c for c in year.competencies.all()}
    unknown_pcts = sorted({r.pct_code for r in results} - pcts.keys())
    if unknown_pcts:
        raise ValueError(f"Unknown PCT codes: {', '.join(unknown_pcts)}")
    unscored = sorted({n for r in results for n in r.scores} - competencies.keys())
    if unscored:
        raise ValueError(f"Competencies not scored in {year}: {unscored}")

    Assessment.objects.for_year(year).delete()
    assessments = Assessment.objects.bulk_create(
        Assessment(
            pct=pcts[r.pct_code],
            year=year,
            strategy=r.strategy,
            finance=r.finance,
            board_governance=r.board_governance,
            panel_date=r.panel_date,
            notes=r.notes,
        )
        for r in results
    )
    CompetencyScore.objects.bulk_create(
        CompetencyScore(assessment=assessment, competency=competencies[number], score=score)
        for assessment, r in zip(assessments, results, strict=True)
        for number, score in r.scores.items()
    )
    _touch(year)
    return len(assessments)


@transaction.atomic
def publish_year(*, year: AssessmentYear) -> AssessmentYear:
    year.status = AssessmentYear.Status.PUBLISHED
    year.published_at = timezone.now()
    year.save(update_fields=["status", "published_at"])
    _touch(year)
    return year
