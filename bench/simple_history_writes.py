"""The import's write path for new and changed assessments as it was before issue 17:
simple-history's bulk helpers, a Python object per history row. Kept so the benchmark can time
it beside the fast path in one run, and the tests can check the fast path records exactly the
same history."""

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assurance import audit
from assurance.actions import assessments as writes
from assurance.models import Assessment, CompetencyScore


def create_new_with_simple_history(year, changes, pct_ids, competencies) -> None:
    """Drop-in for assurance.actions.assessments._create_new."""
    if not changes:
        return
    history = audit.current().bulk_history_kwargs()
    stamp = writes.who_and_when(year)
    created = bulk_create_with_history(
        [
            Assessment(
                pct_id=pct_ids[c.pct_code],
                year=year,
                **writes._assessment_values(c.decision),
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


def update_changed_with_simple_history(year, changes, competencies) -> None:
    """Drop-in for assurance.actions.assessments._update_changed."""
    if not changes:
        return
    history = audit.current().bulk_history_kwargs()
    stamp = writes.who_and_when(year)
    by_code = {c.pct_code: c.decision for c in changes}
    read = writes.read_score_changes(year, by_code, competencies)
    for assessment in read.assessments:
        values = writes._assessment_values(by_code[assessment.pct.code]) | stamp
        for name, value in values.items():
            setattr(assessment, name, value)
    bulk_update_with_history(
        read.assessments, Assessment, [*writes.ASSESSMENT_FIELDS, *stamp, "version"], **history
    )
    bulk_update_with_history(read.to_update, CompetencyScore, ["score"], **history)
    bulk_create_with_history(read.to_create, CompetencyScore, **history)
    CompetencyScore.objects.filter(pk__in=read.to_delete).delete()  # history via signals
