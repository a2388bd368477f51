"""Writes of results: years, assessments, imports and publishing, each in one transaction.

Every write of results:
- checks that `by` may make it (None means a management command: whoever runs manage.py already
  holds the database credentials);
- locks the year's row first, so writes to one year never interleave;
- records who, when, by which route and from which file in the audit trail (assurance.audit);
- bumps the year's `revision`, which keys every cached view of it.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import batched

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assurance import audit, importers, revisions, signals
from assurance.actions import announcement, rows
from assurance.decisions import ChangeKind, DecisionChange, PanelDecision, compare, count_kinds
from assurance.models import (
    PCT,
    Assessment,
    AssessmentYear,
    Competency,
    CompetencyScore,
    ImportBatch,
    Route,
)

WRITE_CHUNK = 5000
ASSESSMENT_FIELDS = ["strategy", "finance", "board_governance", "panel_date", "notes"]


class StaleAssessment(Exception):
    """The assessment changed after the form was opened; the save was refused."""

    def __init__(self, assessment: Assessment | None):
        self.assessment = assessment
        if assessment is None:
            message = "This assessment was deleted since you opened it."
        else:
            who = assessment.updated_by or "a management command"
            when = timezone.localtime(assessment.updated_at).strftime("%-d %b %Y at %H:%M:%S")
            message = f"This assessment was changed by {who} on {when} since you opened it."
        super().__init__(message)


class StalePreview(Exception):
    """The year's results changed after the import preview was shown; nothing was written."""


class CorrectionNeedsReason(Exception):
    """A published result was about to change without a reason; nothing was written."""

    def __init__(self, year: AssessmentYear):
        super().__init__(
            f"{year} is published: say why its results are being corrected. Readers see the "
            "reason beside the PCT, and it is kept in the audit trail."
        )


class CorrectionNeedsApproval(Exception):
    """A published result was about to change on one admin's word; nothing was written."""

    def __init__(self, year: AssessmentYear):
        super().__init__(
            f"{year} is published: a correction takes effect when another assurance admin "
            "approves it. Ask for it (the entry form, an import, or import_results --by) and it "
            "waits on the year's publication page."
        )


RECORD_RESULTS = "assurance.record_results"  # held by the assurance admins' group


def require_admin(by) -> None:
    if by is not None and not by.has_perm(RECORD_RESULTS):
        raise PermissionDenied("Only assurance admins may change results.")


def lock_year(year: AssessmentYear) -> AssessmentYear:
    """Lock the year's row until the transaction ends, refreshing the caller's copy of it."""
    year.refresh_from_db(from_queryset=AssessmentYear.objects.select_for_update())
    return year


def touch_year(year: AssessmentYear) -> None:
    """After an action's writes (each of which moved the year's revision: assurance.revisions),
    move it once more, refresh the caller's copy, and tell other apps once the commit is made."""
    revisions.move([year.pk])
    year.refresh_from_db(fields=["revision"])
    transaction.on_commit(
        partial(signals.year_changed.send, sender=AssessmentYear, year=year), robust=True
    )


def touch_all_years() -> None:
    """Reference data (names, codes, SHAs) changed: every year's cached tables are stale."""
    revisions.move(revisions.ALL)


@transaction.atomic
def create_year(
    *, start_year: int, competency_numbers: list[int], is_illustrative: bool = False, note: str = ""
) -> AssessmentYear:
    year, _ = AssessmentYear.objects.update_or_create(
        start_year=start_year, defaults={"is_illustrative": is_illustrative, "note": note}
    )
    year.competencies.set(Competency.objects.filter(number__in=competency_numbers))
    touch_year(year)
    return year


@transaction.atomic
def replace_year_results(
    *,
    year: AssessmentYear,
    results: list[PanelDecision],
    by=None,
    route: Route = Route.DEMO,
    reason: str = "Illustrative demo data regenerated",
) -> int:
    """Make `year` hold exactly `results`; all or nothing. Returns the count.

    Unchanged results are left as they are, so loading the same results twice writes nothing.
    """
    require_admin(by)
    year = lock_year(year)
    _check_known(year, results)
    changes = compare(importers.recorded_decisions(year), results)
    # Made-up results may be made up again by the demo loader; official ones never by one person.
    signed = route == Route.DEMO and year.is_illustrative
    with audit.recording(by=by, route=route, reason=reason):
        gone = Assessment.objects.for_year(year).exclude(
            pct__code__in=[r.pct_code for r in results]
        )
        if gone.exists():
            require_sign_off(year, signed)
        wrote = _write(year, changes, signed=signed) | bool(gone.delete()[0])
    if wrote:
        touch_year(year)
    return len(results)


def _check_known(year: AssessmentYear, results: list[PanelDecision]) -> None:
    known = set(
        PCT.objects.filter(code__in=[r.pct_code for r in results]).values_list("code", flat=True)
    )
    unknown_pcts = sorted({r.pct_code for r in results} - known)
    if unknown_pcts:
        raise ValueError(f"Unknown PCT codes: {', '.join(unknown_pcts)}")
    outside = importers.pcts_outside_year(year)
    if not_then := [outside[r.pct_code] for r in results if r.pct_code in outside]:
        raise ValueError("; ".join(not_then))
    scored = set(year.competencies.values_list("number", flat=True))
    unscored = sorted({n for r in results for n in r.scores} - scored)
    if unscored:
        raise ValueError(f"Competencies not scored in {year}: {unscored}")


@transaction.atomic
def save_assessment(
    *,
    year: AssessmentYear,
    pct: PCT,
    result: PanelDecision,
    opened_version: int | None,
    by,
    reason: str = "",
) -> DecisionChange:
    """Write one PCT's results from the entry form, unless someone else saved it meanwhile.

    `opened_version` is the version the form was opened at (None for a new assessment); a form
    opened before another save finds the version moved on and raises StaleAssessment. A change
    to a published year is not made here (CorrectionNeedsApproval): it is asked for
    (assurance.actions.publication.request_correction) and made when another admin approves.
    """
    require_admin(by)
    year = lock_year(year)
    _check_known(year, [result])
    check_version(year, pct, opened_version)
    change = compare(importers.recorded_decisions(year, [pct.code]), [result])[0]
    with audit.recording(by=by, route=Route.FORM, reason=reason.strip()):
        if _write(year, [change]):
            touch_year(year)
    return change


def check_version(year: AssessmentYear, pct: PCT, opened_version: int | None) -> None:
    """Refuse (StaleAssessment) when the PCT's assessment moved on since the form was opened."""
    current = Assessment.objects.filter(year=year, pct=pct).select_related("updated_by").first()
    if current is None:
        if opened_version is not None:
            raise StaleAssessment(None)
    # "SET version = version WHERE version = n": checks and locks the row in one statement;
    # the write below then moves the version on.
    elif not Assessment.objects.filter(pk=current.pk, version=opened_version).update(
        version=F("version")
    ):
        raise StaleAssessment(current)


def store_import(
    *,
    year: AssessmentYear,
    file_name: str,
    content: bytes,
    by,
    max_bytes: int,
    from_command_line: bool = False,
    progress: Callable[[int], None] | None = None,
) -> tuple[ImportBatch, list[DecisionChange]]:
    """Validate an uploaded file and keep it, pending confirmation; returns what it would do.

    Raises importers.SpreadsheetRejected, storing nothing. A pending batch is not yet a change
    to the results, so the year's revision stays as it is.
    """
    require_admin(by)
    validated = importers.validate_for_year(
        year, file_name, content, max_bytes=max_bytes, progress=progress
    )
    changes = importers.plan(year, validated.decisions)
    batch = ImportBatch.objects.create(
        year=year,
        file_name=file_name,
        sha256=_sha256(content),
        content=content,
        decisions=validated.as_json(),
        uploaded_by=by,
        from_command_line=from_command_line,
        status=ImportBatch.Status.PENDING if _writes(changes) else ImportBatch.Status.NOTHING,
    )
    return batch, changes


def _writes(changes: list[DecisionChange]) -> bool:
    return any(change.kind != ChangeKind.UNCHANGED for change in changes)


def store_decisions(*, year: AssessmentYear, decisions: list[PanelDecision], by) -> ImportBatch:
    """Keep the entry form's results as a batch of one row, for a correction awaiting approval."""
    require_admin(by)
    _check_known(year, decisions)
    validated = importers.ValidatedFile(decisions, [0] * len(decisions))
    content = json.dumps(validated.as_json(), sort_keys=True).encode()
    return ImportBatch.objects.create(
        year=year,
        file_name=f"Entry form: {', '.join(d.pct_code for d in decisions)}",
        sha256=_sha256(content),
        content=b"",
        decisions=validated.as_json(),
        uploaded_by=by,
        from_entry_form=True,
    )


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@transaction.atomic
def apply_import(
    *,
    batch: ImportBatch,
    by,
    previewed_revision: int | None = None,
    progress: Callable[[int], None] | None = None,
    reason: str = "",
    signed: bool = False,
) -> dict[ChangeKind, int]:
    """Write a stored batch's results in one transaction; returns the count of each kind.

    The results validated at upload are checked again against the reference data as it is now
    (the file is not parsed again) and compared with the record as it is now. When
    `previewed_revision` is given and the year has changed since that preview, nothing is
    written (StalePreview). A published year's results are written only `signed` off by
    another admin (assurance.actions.publication).
    """
    require_admin(by)
    year = lock_year(batch.year)
    if previewed_revision is not None and year.revision != previewed_revision:
        raise StalePreview(f"The results for {year} changed after this preview was made.")
    if not ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PENDING).update(
        status=ImportBatch.Status.APPLIED, applied_at=timezone.now()
    ):
        raise StalePreview("This file has already been imported.")
    changes = importers.plan(year, importers.batch_decisions(batch))
    route = Route.FORM if batch.from_entry_form else Route.IMPORT
    with audit.recording(by=by, route=route, batch=batch, reason=reason.strip()):
        if _write(year, changes, progress=progress, signed=signed):
            touch_year(year)
    counts = count_kinds(changes)
    ImportBatch.objects.filter(pk=batch.pk).update(
        counts={kind.value: count for kind, count in counts.items()}
    )
    return counts


def _write(
    year: AssessmentYear,
    changes: list[DecisionChange],
    progress: Callable | None = None,
    signed: bool = False,
) -> bool:
    """Create the new results and update the changed ones, with their history; True if any."""
    todo = [change for change in changes if change.kind != ChangeKind.UNCHANGED]
    if todo:
        require_sign_off(year, signed)
    if todo and year.is_approved and not audit.current().reason:
        raise CorrectionNeedsReason(year)
    pct_ids = dict(PCT.objects.values_list("code", "pk"))  # all: an IN list of 15,000 costs more
    competencies = {c.number: c for c in year.competencies.all()}
    for chunk in batched(todo, WRITE_CHUNK):
        _create_new(year, [c for c in chunk if c.kind == ChangeKind.NEW], pct_ids, competencies)
        _update_changed(year, [c for c in chunk if c.kind == ChangeKind.CHANGED], competencies)
        if progress:
            progress(len(chunk))
    if progress:
        progress(len(changes) - len(todo))
    return bool(todo)


def require_sign_off(year: AssessmentYear, signed: bool) -> None:
    """The gate every write of results passes: what the public sees (an approved year's
    results, under embargo or not) changes only when a request has been signed off."""
    if year.is_approved and not signed:
        raise CorrectionNeedsApproval(year)


def who_and_when(year: AssessmentYear) -> dict:
    """Who and when, on every assessment a write touches; a published year records a correction."""
    now, by, reason = audit.current().at, audit.current().by, audit.current().reason
    return {"updated_at": now, "updated_by": by} | (
        {"corrected_at": now, "correction_reason": reason} if year.is_approved else {}
    )


def _create_new(year, changes, pct_ids, competencies) -> None:
    if not changes:
        return
    row = rows.model_defaults(Assessment) | {"year_id": year.pk} | _stamp_columns(year)
    values = [
        row | {"pct_id": pct_ids[change.pct_code]} | _assessment_values(change.decision)
        for change in changes
    ]
    rows.insert_rows(Assessment, list(row), (tuple(value.values()) for value in values))
    created = dict(
        Assessment.objects.filter(year=year, pct_id__in=[value["pct_id"] for value in values])
        .order_by()
        .values_list("pct_id", "pk")
    )
    rows.insert_rows(
        CompetencyScore,
        ["assessment_id", "competency_id", "score"],
        (
            (created[value["pct_id"]], competencies[number].pk, score)
            for value, change in zip(values, changes, strict=True)
            for number, score in change.decision.scores.items()
        ),
    )
    for pks in batched(created.values(), rows.batch_size(1)):
        audit.record_history(Assessment.objects.filter(pk__in=pks), "+")
        audit.record_history(CompetencyScore.objects.filter(assessment_id__in=pks), "+")


def _batch_size(model) -> int:
    return rows.batch_size(len(model._meta.concrete_fields))


def _assessment_values(result: PanelDecision) -> dict:
    return {name: getattr(result, name) for name in ASSESSMENT_FIELDS}


def _stamp_columns(year: AssessmentYear) -> dict:
    """who_and_when by column attribute: the user as its id."""
    return {
        ("updated_by_id" if name == "updated_by" else name): getattr(value, "pk", value)
        for name, value in who_and_when(year).items()
    }


@dataclass
class ScoreChanges:
    """The changed PCTs' assessments, each at its next version, and what their scores need."""

    assessments: list[Assessment]
    to_update: list[CompetencyScore]  # each already holding its new score
    to_create: list[CompetencyScore]
    to_delete: list[int]  # ids


def read_score_changes(year, by_code: dict[str, PanelDecision], competencies) -> ScoreChanges:
    """Read the assessments of the PCTs in `by_code` with their scores (three queries) and sort
    each score into kept, changed, new or gone."""
    assessments = list(
        Assessment.objects.for_year(year)
        .filter(pct__code__in=by_code)
        .select_related("pct")
        .prefetch_related("scores__competency")
    )
    changes = ScoreChanges(assessments, [], [], [])
    for assessment in assessments:
        result = by_code[assessment.pct.code]
        assessment.version += 1
        recorded = {score.competency.number: score for score in assessment.scores.all()}
        for number, value in result.scores.items():
            if number not in recorded:
                changes.to_create.append(
                    CompetencyScore(
                        assessment=assessment, competency=competencies[number], score=value
                    )
                )
            elif recorded[number].score != value:
                recorded[number].score = value
                changes.to_update.append(recorded[number])
        changes.to_delete += [s.pk for n, s in recorded.items() if n not in result.scores]
    return changes


def _update_changed(year, changes, competencies) -> None:
    if not changes:
        return
    stamp = _stamp_columns(year)
    by_code = {c.pct_code: c.decision for c in changes}
    read = read_score_changes(year, by_code, competencies)
    rows.update_rows(
        Assessment,
        [*ASSESSMENT_FIELDS, *stamp, "version"],
        (
            (*(_assessment_values(by_code[a.pct.code]) | stamp).values(), a.version, a.pk)
            for a in read.assessments
        ),
    )
    rows.update_rows(CompetencyScore, ["score"], ((s.score, s.pk) for s in read.to_update))
    CompetencyScore.objects.bulk_create(read.to_create, batch_size=_batch_size(CompetencyScore))
    # A chunk's rows are a few thousand at most: their ids fit one statement's parameters.
    audit.record_history(Assessment.objects.filter(pk__in=[a.pk for a in read.assessments]), "~")
    audit.record_history(CompetencyScore.objects.filter(pk__in=[s.pk for s in read.to_update]), "~")
    audit.record_history(CompetencyScore.objects.filter(pk__in=[s.pk for s in read.to_create]), "+")
    CompetencyScore.objects.filter(pk__in=read.to_delete).delete()  # history via signals


@transaction.atomic
def publish_year(*, year: AssessmentYear, by, public_from=None) -> AssessmentYear:
    """Make a draft (or withdrawn) year visible to everyone, from `public_from` if given;
    publishing twice changes nothing.

    The web pages reach this only through a signed-off request (assurance.actions.publication);
    commands call it directly, run by an operator who holds the database credentials anyway.
    """
    require_admin(by)
    year = lock_year(year)
    if not year.is_approved:
        year.status = AssessmentYear.Status.PUBLISHED
        year.published_at = timezone.now()
        year.published_by = by
        year.public_from = public_from
        year.announced_at = None  # a new publication is announced anew
        year.save(
            update_fields=["status", "published_at", "published_by", "public_from", "announced_at"]
        )
        touch_year(year)
        # After commit, and robust: an unreachable queue must not undo a publication. The
        # announcement (and its emails) waits for the year to be public.
        transaction.on_commit(
            partial(announcement.schedule_announcement, public_from=year.public_from), robust=True
        )
    return year
