"""Pages for assurance admins: years, the entry form, spreadsheet import, publishing, history."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assurance import actions, audit, importers, previews
from assurance.decisions import ChangeKind, count_kinds
from assurance.forms import (
    AssessmentForm,
    ImportForm,
    PublishRequestForm,
    ReverseImportForm,
    WithdrawForm,
)
from assurance.models import PCT, Assessment, AssessmentYear, ImportBatch, PublicationRequest
from assurance.uploads import LimitedMemoryUploadHandler


def admin_required(view):
    """Anonymous users go to the login page; users who may not record results get 403.

    The permission belongs to the assurance admins' group (accounts.roles grants it).
    """
    return login_required(
        permission_required("assurance.record_results", raise_exception=True)(view)
    )


TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _year_or_404(year_slug: str) -> AssessmentYear:
    return get_object_or_404(AssessmentYear.objects.by_slug(year_slug))


@require_GET
@admin_required
def home(request):
    years = AssessmentYear.objects.annotate(assessed=Count("assessments")).order_by("-start_year")
    return render(request, "assurance/home.html", {"years": years})


@require_GET
@admin_required
def year_detail(request, year_slug):
    year = _year_or_404(year_slug)
    assessments = {
        a.pct_id: a for a in Assessment.objects.for_year(year).select_related("updated_by")
    }
    rows = [(pct, assessments.get(pct.pk)) for pct in PCT.objects.select_related("sha")]
    return render(
        request,
        "assurance/year.html",
        {
            "year": year,
            "rows": rows,
            "assessed": len(assessments),
            "formats": TEMPLATE_TYPES,
            "needed": actions.signatures_needed(),
        },
    )


@require_POST
@admin_required
def publish(request, year_slug):
    """Ask for the year to be published; other assurance admins approve it on its page."""
    year = _year_or_404(year_slug)
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
    year = _year_or_404(year_slug)
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


@require_GET
@admin_required
def publication(request, year_slug):
    """What publishing the year would show the public, and who has signed for it so far."""
    year = _year_or_404(year_slug)
    requests = list(
        year.publication_requests.select_related("requested_by", "closed_by").prefetch_related(
            "approvals__by"
        )
    )
    pending = next((r for r in requests if r.status == PublicationRequest.Status.PENDING), None)
    earlier = [r for r in requests if r is not pending]
    signed = [approval.by for approval in pending.approvals.all()] if pending else []
    assessed = set(Assessment.objects.for_year(year).values_list("pct_id", flat=True))
    pcts = list(PCT.objects.select_related("sha").order_by("name"))
    since = earlier[0].requested_at if earlier else None
    history = Assessment.history.filter(year=year)
    if since is not None:
        history = history.filter(history_date__gt=since)
    changed = set(history.values_list("pct_id", flat=True))
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
            "not_assessed": [pct for pct in pcts if pct.pk not in assessed],
            "changed_since": since,
            "changed": [pct for pct in pcts if pct.pk in changed],
            "previews": previews.publication_previews(request, year),
            "publish_form": PublishRequestForm(),
            "withdraw_form": WithdrawForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@admin_required
def entry(request, year_slug, pct_code):
    year = _year_or_404(year_slug)
    pct = get_object_or_404(PCT, code=pct_code)
    competencies = list(year.competencies.order_by("number"))
    saved = importers.recorded_decisions(year, [pct.code]).get(pct.code)
    assessment = Assessment.objects.filter(year=year, pct=pct).select_related("pct").first()
    conflict, changed_by_other = None, set()
    if request.method == "POST":
        form = AssessmentForm(request.POST, year=year, competencies=competencies)
        if form.is_valid():
            try:
                change = actions.save_assessment(
                    year=year,
                    pct=pct,
                    result=form.result_for(pct.code),
                    opened_version=form.cleaned_data["version"],
                    by=request.user,
                    reason=form.cleaned_data.get("correction_reason", ""),
                )
            except actions.StaleAssessment as stale:
                # Keep what they typed; show what is saved now beside each field the other
                # person changed. The hidden version moves on, so only a deliberate second save
                # replaces the other change.
                conflict = str(stale)
                changed_by_other = _changed_since(
                    stale.assessment, form.cleaned_data["version"], saved
                )
                data = request.POST.copy()
                data["version"] = stale.assessment.version if stale.assessment else ""
                form = AssessmentForm(data, year=year, competencies=competencies)
                form.is_valid()
            else:
                word = {ChangeKind.UNCHANGED: "No changes to save for"}.get(change.kind, "Saved")
                messages.success(request, f"{word} {pct} in {year}.")
                return redirect("assurance:year", year.slug)
    else:
        version = assessment.version if assessment else None
        form = AssessmentForm(
            initial=AssessmentForm.initial_for(saved, version), year=year, competencies=competencies
        )
    return render(
        request,
        "assurance/entry.html",
        {
            "year": year,
            "pct": pct,
            "form": form,
            "assessment": assessment,
            "conflict": conflict,
            "saved": saved.values() if (conflict and saved) else {},
            "changed_by_other": changed_by_other,
        },
    )


def _changed_since(assessment, opened_version: int | None, saved) -> set[str]:
    """The fields someone else changed after the form was opened at `opened_version`.

    Every field, when the record cannot say (the assessment is new or was deleted meanwhile).
    """
    everything = set(saved.values()) if saved else set()
    if assessment is None or opened_version is None or saved is None:
        return everything
    opened = audit.decision_at_version(assessment, opened_version)
    if opened is None:
        return everything
    before, now = opened.values(), saved.values()
    return {name for name in {*before, *now} if before.get(name) != now.get(name)}


@require_GET
@admin_required
def template(request, year_slug, fmt):
    if fmt not in TEMPLATE_TYPES:
        raise Http404("Templates come as .csv or .xlsx.")
    year = _year_or_404(year_slug)
    frame = importers.template_frame(
        list(PCT.objects.order_by("code").values_list("code", flat=True)),
        year.competencies.values_list("number", flat=True),
        importers.recorded_decisions(year),
    )
    response = HttpResponse(importers.template_bytes(frame, fmt), content_type=TEMPLATE_TYPES[fmt])
    filename = f"wcc-results-{year.slug}-template.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@csrf_exempt  # the CSRF check runs in _upload, after the upload handler is set
@require_http_methods(["GET", "POST"])
@admin_required
def import_upload(request):
    # Set before anything reads request.POST, so the file is held in memory, never on disk.
    request.upload_handlers = [LimitedMemoryUploadHandler(request)]
    return _upload(request)


@csrf_protect
def _upload(request):
    errors = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                # The handler keeps only IMPORT_MAX_BYTES + 1 bytes but counts them all (size).
                importers.check_size(upload.size, max_bytes=settings.IMPORT_MAX_BYTES)
                batch, _ = actions.store_import(
                    year=form.cleaned_data["year"],
                    file_name=upload.name,
                    content=upload.read(),
                    by=request.user,
                    max_bytes=settings.IMPORT_MAX_BYTES,
                )
            except importers.SpreadsheetRejected as rejected:
                errors = rejected.errors
            else:
                return redirect("assurance:import_preview", batch.pk)
    else:
        form = ImportForm(initial={"year": request.GET.get("year")})
    return render(
        request,
        "assurance/import.html",
        {"form": form, "errors": errors, "max_bytes": settings.IMPORT_MAX_BYTES},
    )


@require_GET
@admin_required
def import_preview(request, batch_id):
    batch = get_object_or_404(
        ImportBatch.objects.select_related("year", "uploaded_by"), pk=batch_id
    )
    changes, errors = [], []
    if batch.status == ImportBatch.Status.PENDING:
        try:
            results = importers.parse_for_year(
                batch.year, batch.file_name, bytes(batch.content), max_bytes=len(batch.content)
            )
        except importers.SpreadsheetRejected as rejected:  # reference data changed since upload
            errors = rejected.errors
        else:
            changes = importers.plan(batch.year, results)
    return render(
        request,
        "assurance/import_preview.html",
        {
            "batch": batch,
            "year": batch.year,
            "errors": errors,
            "counts": count_kinds(changes),
            "new": [c for c in changes if c.kind == ChangeKind.NEW],
            "changed": [c for c in changes if c.kind == ChangeKind.CHANGED],
            "unchanged": [c for c in changes if c.kind == ChangeKind.UNCHANGED],
            "pct_names": dict(PCT.objects.values_list("code", "name")),
            "previews": previews.import_previews(request, batch.year, changes) if changes else [],
        },
    )


@require_POST
@admin_required
def import_confirm(request, batch_id):
    batch = get_object_or_404(ImportBatch.objects.select_related("year"), pk=batch_id)
    try:
        revision = int(request.POST["revision"])
    except (KeyError, ValueError):
        return HttpResponseBadRequest("The confirmation must say which preview it confirms.")
    try:
        counts = actions.apply_import(
            batch=batch,
            by=request.user,
            max_bytes=settings.IMPORT_MAX_BYTES,
            previewed_revision=revision,
            reason=request.POST.get("correction_reason", ""),
        )
    except (
        actions.StalePreview,
        actions.CorrectionNeedsReason,
        importers.SpreadsheetRejected,
    ) as refused:
        messages.error(request, f"Nothing was imported. {refused} Check the preview again.")
        return redirect("assurance:import_preview", batch.pk)
    messages.success(
        request,
        f"Imported {batch.file_name} into {batch.year}: {counts[ChangeKind.NEW]} new, "
        f"{counts[ChangeKind.CHANGED]} changed, {counts[ChangeKind.UNCHANGED]} unchanged.",
    )
    return redirect("assurance:year", batch.year.slug)


@require_GET
@admin_required
def pct_history(request, pct_code):
    pct = get_object_or_404(PCT.objects.select_related("sha"), code=pct_code)
    assessments = Assessment.objects.filter(pct=pct).select_related("year", "updated_by")
    return render(
        request,
        "assurance/history.html",
        {"pct": pct, "lines": audit.pct_history(pct), "assessments": assessments},
    )


@require_GET
@admin_required
def import_list(request):
    """Every uploaded spreadsheet: pending, applied (with what it did) or reversed."""
    batches = ImportBatch.objects.select_related("year", "uploaded_by", "reversed_by").defer(
        "content"
    )
    return render(
        request,
        "assurance/imports.html",
        {"batches": batches, "pending_days": settings.IMPORT_PENDING_DAYS},
    )


@require_POST
@admin_required
def import_reverse(request, batch_id):
    batch = get_object_or_404(ImportBatch.objects.select_related("year"), pk=batch_id)
    form = ReverseImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the import is being reversed: the audit trail keeps it.")
        return redirect("assurance:imports")
    try:
        undone = actions.reverse_import(
            batch=batch, by=request.user, reason=form.cleaned_data["reason"]
        )
    except actions.ReversalRefused as refused:
        messages.error(request, f"Nothing was reversed. {refused}")
    else:
        messages.success(
            request,
            f"Reversed {batch.file_name}: {undone} PCT{'s' if undone != 1 else ''} in "
            f"{batch.year} put back as they were before it.",
        )
    return redirect("assurance:imports")
