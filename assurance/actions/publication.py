"""Publishing a year, or withdrawing it from public view, takes more than one person.

One assurance admin asks (and so signs first); others approve; the request is carried out when
PUBLICATION_APPROVALS different admins have signed. A request is of the results as they were
when it was made: if they change before the last sign-off, it can no longer be approved.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assurance.actions.assessments import lock_year, publish_year, require_admin, touch_year
from assurance.models import AssessmentYear, PublicationApproval, PublicationRequest

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
    reason = (reason or "").strip()
    if not reason:
        raise PublicationRefused("Say why the year should be withdrawn: readers will see it.")
    return _request(year=year, by=by, kind=Kind.WITHDRAW, reason=reason)


@transaction.atomic
def _request(*, year, by, kind, reason="", public_from=None) -> PublicationRequest:
    _require_signer(by)
    year = lock_year(year)
    if kind == Kind.PUBLISH and year.is_approved:
        raise PublicationRefused(f"{year} is already published.")
    if kind == Kind.WITHDRAW and not year.is_approved:
        raise PublicationRefused(f"{year} is not published: there is nothing to withdraw.")
    if PublicationRequest.objects.filter(year=year, status="pending").exists():
        raise PublicationRefused(f"{year} already has a request awaiting approval.")
    now = timezone.now()
    try:
        with transaction.atomic():  # the constraint backs the check above against races
            request = PublicationRequest.objects.create(
                year=year,
                kind=kind,
                reason=reason,
                public_from=public_from,
                revision=year.revision,
                requested_by=by,
                requested_at=now,
            )
    except IntegrityError:
        raise PublicationRefused(f"{year} already has a request awaiting approval.") from None
    PublicationApproval.objects.create(request=request, by=by, at=now)
    return _carry_out_if_signed(request, by)


@transaction.atomic
def approve(*, request: PublicationRequest, by) -> PublicationRequest:
    """Sign a pending request; the last signature needed carries it out."""
    _require_signer(by)
    year = lock_year(request.year)
    request = _pending(request)
    if request.approvals.filter(by=by).exists():
        who = "asked for" if request.requested_by_id == by.pk else "already approved"
        raise PublicationRefused(
            f"You {who} this: another assurance admin must approve it, so that no one person "
            "decides alone what the public sees."
        )
    if year.revision != request.revision:
        raise PublicationRefused(
            f"The results for {year} changed after this request was made: cancel it and ask "
            "again, so that what is approved is what goes public."
        )
    PublicationApproval.objects.create(request=request, by=by, at=timezone.now())
    return _carry_out_if_signed(request, by)


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
    # No None: a command-line operator publishes with publish_year(by=None) directly.
    if by is None:
        raise PublicationRefused("A publication request names the assurance admin who signs it.")
    require_admin(by)


def _pending(request: PublicationRequest) -> PublicationRequest:
    request.refresh_from_db(from_queryset=PublicationRequest.objects.select_for_update())
    if request.status != PublicationRequest.Status.PENDING:
        raise PublicationRefused(f"This request is {request.get_status_display().lower()}.")
    return request


def _carry_out_if_signed(request: PublicationRequest, by) -> PublicationRequest:
    if request.approvals.count() < signatures_needed():
        return request
    if request.kind == Kind.PUBLISH:
        publish_year(year=request.year, by=by, public_from=request.public_from)
    else:
        _withdraw(request.year, request.reason)
    request.status = PublicationRequest.Status.CARRIED_OUT
    request.closed_by, request.closed_at = by, timezone.now()
    request.save(update_fields=["status", "closed_by", "closed_at"])
    return request


def _withdraw(year: AssessmentYear, reason: str) -> None:
    year.status = AssessmentYear.Status.WITHDRAWN
    year.withdrawn_at, year.withdrawn_reason = timezone.now(), reason
    year.save(update_fields=["status", "withdrawn_at", "withdrawn_reason"])
    touch_year(year)
