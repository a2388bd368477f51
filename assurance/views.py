"""Pages for assurance admins: years, the entry form, spreadsheet import, publishing, history."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assurance import actions, audit, importers
from assurance.decisions import ChangeKind, count_kinds
from assurance.forms import AssessmentForm, ImportForm
from assurance.models import PCT, Assessment, AssessmentYear, ImportBatch
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
        {"year": year, "rows": rows, "assessed": len(assessments), "formats": TEMPLATE_TYPES},
    )


@require_POST
@admin_required
def publish(request, year_slug):
    year = actions.publish_year(year=_year_or_404(year_slug), by=request.user)
    messages.success(request, f"{year} is published: everyone can now see its league table.")
    return redirect("assurance:year", year.slug)


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
        )
    except (actions.StalePreview, importers.SpreadsheetRejected) as refused:
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
