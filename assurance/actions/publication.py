"""Every change the public sees takes more than one person: publishing a year, withdrawing it,
correcting its published results, reversing an import of them.

One assurance admin asks (and so signs first); others approve; the request is carried out when
PUBLICATION_APPROVALS different admins have signed (assurance.signoff). A request is of the
results as they were when it was made: if they change before the last sign-off, it can no longer
be approved. Until then a correction waits as an ImportBatch (a file's rows, or the entry form's
one row): the public pages and downloads show the published values.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assurance import signoff
from assurance.actions.assessments import (
    StalePreview,
    apply_import,
    lock_year,
    publish_year,
    require_admin,
    store_decisions,
    touch_year,
)
from assurance.actions.imports import ReversalRefused, reverse_import
from assurance.decisions import PanelDecision
from assurance.importers import SpreadsheetRejected
from assurance.models import AssessmentYear, ImportBatch, PublicationRequest

Kind = PublicationRequest.Kind


class PublicationRefused(Exception):
    """A request or sign-off that the year's state or the request's does not allow."""


def request_publication(
    *, year: AssessmentYear, by, public_from: datetime.datetime | None = None
) -> PublicationRequest:
    """Ask for `year` to be published (from `public_from`, an embargo, if given)."""
    if public_from is not None and public_from <= timezone.now():
        public_from = None  # an embargo already past is no embargo
    return _request(year=year, by=by, kind=Kind.PUBLISH, public_from=public_from)


def request_withdrawal(*, year: AssessmentYear, by, reason: str) -> PublicationRequest:
    """Ask for a published year to be taken out of public view, saying why (readers see it)."""
    return _request(year=year, by=by, kind=Kind.WITHDRAW, reason=reason)


@transaction.atomic
def request_correction(
    *,
    year: AssessmentYear,
    by,
    reason: str,
    batch: ImportBatch | None = None,
    decisions: list[PanelDecision] | None = None,
) -> PublicationRequest:
    """Ask for a published year's results to be corrected: an uploaded file's (`batch`), or
    the entry form's `decisions`, kept as a batch until approved. Readers see the reason."""
    if batch is None:
        batch = store_decisions(year=year, decisions=decisions, by=by)
    return _request(year=year, by=by, kind=Kind.CORRECT, reason=reason, batch=batch)


def request_reversal(*, batch: ImportBatch, by, reason: str) -> PublicationRequest:
    """Ask for an applied import of a published year's results to be undone, saying why."""
    return _request(year=batch.year, by=by, kind=Kind.REVERSE, reason=reason, batch=batch)


@transaction.atomic
def _request(*, year, by, kind, reason="", public_from=None, batch=None) -> PublicationRequest:
    _require_signer(by)
    year = lock_year(year)
    reason = (reason or "").strip()
    _refuse_unless_allowed(year, kind, reason)
    now = timezone.now()
    try:
        with transaction.atomic():  # the constraint backs the check above against races
            request = PublicationRequest.objects.create(
                year=year,
                kind=kind,
                reason=reason,
                public_from=public_from,
                import_batch=batch,
                revision=year.revision,
                requested_by=by,
                requested_at=now,
            )
    except IntegrityError:
        raise PublicationRefused(_already_pending(year)) from None
    return _sign(request, by)


def _refuse_unless_allowed(year: AssessmentYear, kind: str, reason: str) -> None:
    if kind == Kind.PUBLISH and year.is_approved:
        raise PublicationRefused(f"{year} is already published.")
    if kind != Kind.PUBLISH and not year.is_approved:
        raise PublicationRefused(
            f"{year} is not published: its results are changed at once, and withdrawn from nothing."
        )
    if kind in PublicationRequest.NEEDS_REASON and not reason:
        raise PublicationRefused(
            f"Say why ({PublicationRequest.Kind(kind).label.lower()}): readers will see it."
        )
    if PublicationRequest.objects.filter(year=year, status="pending").exists():
        raise PublicationRefused(_already_pending(year))


def _already_pending(year) -> str:
    return (
        f"{year} already has a request awaiting approval: approve or cancel it first "
        f"({settings.SITE_URL}/assurance/{year.slug}/publication/)."
    )


@transaction.atomic
def approve(*, request: PublicationRequest, by) -> PublicationRequest:
    """Sign a pending request; the last signature needed carries it out."""
    _require_signer(by)
    year = lock_year(request.year)
    request = _pending(request)
    if year.revision != request.revision:
        raise PublicationRefused(
            f"The results for {year} changed after this request was made: cancel it and ask "
            "again, so that what is approved is what goes public."
        )
    return _sign(request, by)


@transaction.atomic
def cancel(*, request: PublicationRequest, by) -> PublicationRequest:
    """Withdraw a pending request: the requester or any other assurance admin may."""
    _require_signer(by)
    request = _pending(request)
    request.status = PublicationRequest.Status.CANCELLED
    request.closed_by, request.closed_at = by, timezone.now()
    request.save(update_fields=["status", "closed_by", "closed_at"])
    return request


def signatures_needed() -> int:
    return max(1, settings.PUBLICATION_APPROVALS)


def _require_signer(by) -> None:
    # No None: a change the public sees names the admins who signed it, even from a command.
    if by is None:
        raise PublicationRefused(
            "A change the public sees names the assurance admin who asks for it (--by)."
        )
    require_admin(by)


def _pending(request: PublicationRequest) -> PublicationRequest:
    request.refresh_from_db(from_queryset=PublicationRequest.objects.select_for_update())
    if request.status != PublicationRequest.Status.PENDING:
        raise PublicationRefused(f"This request is {request.get_status_display().lower()}.")
    return request


def _sign(request: PublicationRequest, by) -> PublicationRequest:
    who = "asked for" if request.requested_by_id == by.pk else "already approved"
    refusal = PublicationRefused(
        f"You {who} this: another assurance admin must approve it, so that no one person "
        "decides alone what the public sees."
    )
    if signoff.sign(request.approvals, by=by, needed=signatures_needed(), refusal=refusal):
        _carry_out(request, by)
    return request


def _carry_out(request: PublicationRequest, by) -> None:
    year, asked_by = request.year, request.requested_by
    if request.kind == Kind.PUBLISH:
        publish_year(year=year, by=by, public_from=request.public_from)
    elif request.kind == Kind.WITHDRAW:
        _withdraw(year, request.reason)
    else:
        _correct(request, asked_by)
    request.status = PublicationRequest.Status.CARRIED_OUT
    request.closed_by, request.closed_at = by, timezone.now()
    request.save(update_fields=["status", "closed_by", "closed_at"])


def _correct(request: PublicationRequest, asked_by) -> None:
    """Written as the asker's change (the audit trail's user); the request names the signers."""
    batch, reason = request.import_batch, request.reason
    try:
        if request.kind == Kind.CORRECT:
            apply_import(batch=batch, by=asked_by, reason=reason, signed=True)
        else:
            reverse_import(batch=batch, by=asked_by, reason=reason, signed=True)
    except (StalePreview, ReversalRefused, SpreadsheetRejected) as refused:
        raise PublicationRefused(f"This cannot be carried out now: {refused}") from None


def _withdraw(year: AssessmentYear, reason: str) -> None:
    year.status = AssessmentYear.Status.WITHDRAWN
    year.withdrawn_at, year.withdrawn_reason = timezone.now(), reason
    year.save(update_fields=["status", "withdrawn_at", "withdrawn_reason"])
    touch_year(year)
