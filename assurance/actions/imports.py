"""Undoing an applied import, and clearing away uploads that were never confirmed.

A reversal puts back every value the import changed, as the audit trail recorded it just
before, unless something else changed the same assessment since: then it names those PCTs and
changes nothing. The reversal is itself audited (route "Import reversed", the batch, who, why).
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from assurance import audit
from assurance.actions.assessments import (
    ASSESSMENT_FIELDS,
    lock_year,
    require_admin,
    require_sign_off,
    touch_year,
    who_and_when,
)
from assurance.models import Assessment, CompetencyScore, ImportBatch, Route


class ReversalRefused(Exception):
    """The import cannot be reversed; nothing was changed."""


@transaction.atomic
def reverse_import(*, batch: ImportBatch, by, reason: str, signed: bool = False) -> int:
    """Undo an applied import; returns how many assessments it put back (or removed).

    A published year's import is undone only `signed` off by another admin
    (assurance.actions.publication.request_reversal)."""
    require_admin(by)
    reason = (reason or "").strip()
    if not reason:
        raise ReversalRefused("Say why the import is being reversed: the audit trail keeps it.")
    year = lock_year(batch.year)
    require_sign_off(year, signed)
    batch.refresh_from_db(from_queryset=ImportBatch.objects.select_for_update())
    if batch.status != ImportBatch.Status.APPLIED:
        raise ReversalRefused(
            f"This import is {batch.get_status_display().lower()}: nothing to undo."
        )
    assessment_rows = list(Assessment.history.filter(import_batch=batch))
    score_rows = list(CompetencyScore.history.filter(import_batch=batch))
    touched = {row.id for row in assessment_rows} | {row.assessment_id for row in score_rows}
    if touched:
        moment = max(row.history_date for row in [*assessment_rows, *score_rows])
        _refuse_if_changed_since(touched, moment)
        with audit.recording(by=by, route=Route.REVERSAL, batch=batch, reason=reason):
            _put_back(year, assessment_rows, score_rows, moment)
        touch_year(year)
    batch.status = ImportBatch.Status.REVERSED
    batch.reversed_by, batch.reversed_at, batch.reversal_reason = by, timezone.now(), reason
    batch.save(update_fields=["status", "reversed_by", "reversed_at", "reversal_reason"])
    return len(touched)


def _refuse_if_changed_since(assessment_ids: set[int], moment: datetime.datetime) -> None:
    later = set(
        Assessment.history.filter(id__in=assessment_ids, history_date__gt=moment).values_list(
            "pct__code", flat=True
        )
    ) | set(
        CompetencyScore.history.filter(
            assessment_id__in=assessment_ids, history_date__gt=moment
        ).values_list("assessment__pct__code", flat=True)
    )
    if later:
        raise ReversalRefused(
            "Results changed after this import for "
            f"{', '.join(sorted(code for code in later if code))}: reversing it would undo "
            "those changes too. Correct them by hand, or reverse the later changes first."
        )


def _put_back(year, assessment_rows, score_rows, moment) -> None:
    created = {row.id for row in assessment_rows if row.history_type == "+"}
    # Assessments the import created go, with their scores (history rows by signal).
    for assessment in Assessment.objects.filter(pk__in=created):
        assessment.delete()
    stamp = who_and_when(year)
    for row in assessment_rows:
        if row.history_type == "~":
            before = _before(Assessment.history.filter(id=row.id), moment)
            assessment = Assessment.objects.get(pk=row.id)
            for name in ASSESSMENT_FIELDS:
                setattr(assessment, name, getattr(before, name))
            for name, value in stamp.items():
                setattr(assessment, name, value)
            assessment.version += 1
            assessment.save()
    _put_back_scores([row for row in score_rows if row.assessment_id not in created], moment)


def _put_back_scores(score_rows, moment) -> None:
    by_score = defaultdict(list)
    for row in score_rows:
        by_score[row.id].append(row)
    for score_id, rows in by_score.items():
        first = min(rows, key=lambda row: (row.history_date, row.history_id))
        if first.history_type == "+":  # the import added it
            CompetencyScore.objects.filter(pk=score_id).delete()
            continue
        before = _before(CompetencyScore.history.filter(id=score_id), moment)
        score, _ = CompetencyScore.objects.get_or_create(
            pk=score_id,
            defaults={
                "assessment_id": before.assessment_id,
                "competency_id": before.competency_id,
                "score": before.score,
            },
        )
        if score.score != before.score:
            score.score = before.score
            score.save(update_fields=["score"])


def _before(history, moment):
    """The last version recorded before `moment`."""
    return history.filter(history_date__lt=moment).order_by("-history_date", "-history_id").first()


@transaction.atomic
def remove_stale_imports(*, older_than: datetime.timedelta) -> int:
    """Delete uploads never confirmed within `older_than`; returns how many went.

    Their bytes sit in the database; nothing in the audit trail points at a pending batch.
    """
    cutoff = timezone.now() - older_than
    deleted, _ = ImportBatch.objects.filter(
        status=ImportBatch.Status.PENDING, uploaded_at__lt=cutoff
    ).delete()
    return deleted
