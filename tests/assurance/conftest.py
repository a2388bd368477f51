"""Fixtures for the assurance pages: a small draft year, record snapshots."""

import pytest

from assurance.models import (
    Assessment,
    AssessmentYear,
    CompetencyScore,
    ImportBatch,
    PublicationApproval,
    PublicationRequest,
)
from tests.factories import AssessmentFactory, AssessmentYearFactory, PCTFactory, SHAFactory


@pytest.fixture
def draft_year(db):
    """2009/10 as a draft scoring C1 and C2, three PCTs, one of them (5C4) already assessed."""
    year = AssessmentYearFactory(
        start_year=2009, status=AssessmentYear.Status.DRAFT, competencies=[1, 2]
    )
    sha = SHAFactory(code="Q36")
    pcts = [PCTFactory(code=code, sha=sha, name=f"PCT {code}") for code in ("5C4", "5PG", "5QL")]
    AssessmentFactory(pct=pcts[0], year=year, scores={1: 2, 2: 3})
    return year


def record_snapshot():
    """Everything an import or a form could change: results, their history, revisions, batches."""
    return {
        "assessments": sorted(
            Assessment.objects.values_list(
                "pct__code",
                "year__start_year",
                "strategy",
                "finance",
                "board_governance",
                "panel_date",
                "notes",
                "version",
                "corrected_at",
            )
        ),
        "scores": sorted(
            CompetencyScore.objects.values_list(
                "assessment__pct__code", "competency__number", "score"
            )
        ),
        "history": (Assessment.history.count(), CompetencyScore.history.count()),
        "years": sorted(AssessmentYear.objects.values_list("start_year", "status", "revision")),
        "batches": sorted(ImportBatch.objects.values_list("pk", "status")),
        "publication": sorted(
            PublicationRequest.objects.values_list("year__start_year", "kind", "status")
        )
        + sorted(PublicationApproval.objects.values_list("request_id", "by__username")),
    }


@pytest.fixture
def snapshot():
    return record_snapshot
