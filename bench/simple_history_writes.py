"""The import's write path for new assessments as it was before issue 17: simple-history's bulk
helpers, a Python object per history row. Kept so the benchmark can time it beside the fast path
in one run, and the tests can check the fast path records exactly the same history."""

from simple_history.utils import bulk_create_with_history

from assurance import audit
from assurance.actions import assessments
from assurance.models import Assessment, CompetencyScore


def create_new_with_simple_history(year, changes, pcts, competencies) -> None:
    """Drop-in for assurance.actions.assessments._create_new."""
    if not changes:
        return
    history = audit.current().bulk_history_kwargs()
    stamp = assessments.who_and_when(year)
    created = bulk_create_with_history(
        [
            Assessment(
                pct=pcts[c.pct_code],
                year=year,
                **assessments._assessment_values(c.decision),
                **stamp,
            )
            for c in changes
        ],
        Assessment,
        **history,
    )
    bulk_create_with_history(
        [
            CompetencyScore(assessment=assessment, competency=competencies[number], score=score)
            for assessment, change in zip(created, changes, strict=True)
            for number, score in change.decision.scores.items()
        ],
        CompetencyScore,
        **history,
    )
