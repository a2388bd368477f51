"""Publishing a year, or withdrawing it, takes two people: ask, approve, cancel, preview."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from assurance import actions, importers, preview_hooks
from assurance.decisions import ChangeKind
from assurance.forms import (
    PublishRequestForm,
    WithdrawForm,
)
from assurance.models import PCT, Assessment, OrganisationChange, PublicationRequest
from assurance.views.common import admin_required, year_or_404


@require_POST
@admin_required
def publish(request, year_slug):
    """Ask for the year to be published; other assurance admins approve it on its page."""
    year = year_or_404(year_slug)
    form = PublishRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a valid embargo date, or none.")
        return redirect("assurance:publication", year.slug)
    _sign(request, actions.request_publication, year=year, public_from=form.public_from())
    return redirect("assurance:publication", year.slug)


@require_POST
@admin_required
def withdraw(request, year_slug):
    """Ask for a published year to be withdrawn from public view, saying why."""
    year = year_or_404(year_slug)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        _sign(request, actions.request_withdrawal, year=year, reason=form.cleaned_data["reason"])
    else:
        messages.error(request, "Say why the year should be withdrawn: readers will see it.")
    return redirect("assurance:publication", year.slug)


@require_POST
@admin_required
def approve_request(request, request_id):
    publication = get_object_or_404(
        PublicationRequest.objects.select_related("year"), pk=request_id
    )
    _sign(request, actions.approve, request=publication)
    return redirect("assurance:publication", publication.year.slug)


@require_POST
@admin_required
def cancel_request(request, request_id):
    publication = get_object_or_404(
        PublicationRequest.objects.select_related("year"), pk=request_id
    )
    try:
        actions.cancel(request=publication, by=request.user)
    except actions.PublicationRefused as refused:
        messages.error(request, str(refused))
    else:
        what = publication.get_kind_display().lower()
        messages.success(request, f"The request to {what} {publication.year} is cancelled.")
    return redirect("assurance:publication", publication.year.slug)


def _sign(http_request, action, **kwargs) -> None:
    """Make a request or approve one, and say what it did and what it still needs."""
    try:
        publication = action(by=http_request.user, **kwargs)
    except actions.PublicationRefused as refused:
        messages.error(http_request, str(refused))
        return
    year = publication.year
    if publication.status == PublicationRequest.Status.CARRIED_OUT:
        messages.success(http_request, f"{year} {_carried_out(publication)}.")
        return
    still = actions.signatures_needed() - publication.approvals.count()
    messages.success(
        http_request,
        f"Signed. To {publication.get_kind_display().lower()} {year} needs {still} more "
        f"approval{'s' if still != 1 else ''}, from another assurance admin.",
    )


def _carried_out(publication: PublicationRequest) -> str:
    if publication.kind == PublicationRequest.Kind.WITHDRAW:
        return "is withdrawn from public view"
    public_from = publication.year.public_from
    if public_from:
        return f"is published, readable from {timezone.localtime(public_from):%-d %B %Y at %H:%M}"
    return "is published: everyone can now see its league table"


def _correction(request, year, pending) -> dict | None:
    """A pending correction's changes and their rank impact, as the admins approving see it."""
    if pending is None or pending.kind != PublicationRequest.Kind.CORRECT:
        return None
    try:
        changes = importers.plan(year, importers.batch_decisions(pending.import_batch))
    except importers.SpreadsheetRejected as rejected:  # reference data changed since
        return {"batch": pending.import_batch, "changes": [], "errors": rejected.errors}
    changed = [change for change in changes if change.kind != ChangeKind.UNCHANGED]
    return {
        "batch": pending.import_batch,
        "changes": changed,
        "previews": preview_hooks.import_previews(request, year, changed) if changed else [],
    }


def _last_look(earlier: list[PublicationRequest]) -> datetime.datetime | None:
    """When admins last signed for the year's results: the last request carried out (its
    publication or correction), else the last one made; None if none was."""
    done = [r for r in earlier if r.status == PublicationRequest.Status.CARRIED_OUT]
    if done:
        return max(r.closed_at for r in done)
    return max((r.requested_at for r in earlier), default=None)


@require_GET
@admin_required
def publication(request, year_slug):
    """What publishing the year would show the public, and who has signed for it so far."""
    year = year_or_404(year_slug)
    requests = list(
        year.publication_requests.select_related(
            "requested_by", "closed_by", "import_batch"
        ).prefetch_related("approvals__by")
    )
    pending = next((r for r in requests if r.status == PublicationRequest.Status.PENDING), None)
    earlier = [r for r in requests if r is not pending]
    signed = [approval.by for approval in pending.approvals.all()] if pending else []
    assessed = set(Assessment.objects.for_year(year).values_list("pct_id", flat=True))
    pcts = list(PCT.objects.select_related("sha").order_by("name"))
    since = _last_look(earlier)
    # Changes, not first entries: the PCTs whose results moved since admins last signed for them.
    history = Assessment.history.filter(year=year, history_type="~")
    if since is not None:
        history = history.filter(history_date__gt=since)
    changed = set(history.values_list("pct_id", flat=True))
    # A PCT that had merged before the year began has no results, and is not "not assessed".
    ceased = {
        change.predecessor_id: f"merged into {change.successor} on {change.effective:%-d %B %Y}"
        for change in OrganisationChange.objects.select_related("successor").filter(
            effective__lte=datetime.date(year.start_year, 4, 1)
        )
    }
    return render(
        request,
        "assurance/publication.html",
        {
            "year": year,
            "pending": pending,
            "signed_by": signed,
            "may_approve": pending is not None and request.user not in signed,
            "needed": actions.signatures_needed(),
            "earlier": earlier,
            "assessed": [pct for pct in pcts if pct.pk in assessed],
            "not_assessed": [
                pct for pct in pcts if pct.pk not in assessed and pct.pk not in ceased
            ],
            "merged": [(pct, ceased[pct.pk]) for pct in pcts if pct.pk in ceased],
            "changed_since": since,
            "changed": [pct for pct in pcts if pct.pk in changed],
            "previews": preview_hooks.publication_previews(request, year),
            "correction": _correction(request, year, pending),
            "publish_form": PublishRequestForm(),
            "withdraw_form": WithdrawForm(),
        },
    )
