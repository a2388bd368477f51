"""Spreadsheets: templates, upload, preview and confirm, the list of imports and undoing one."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assurance import actions, importers, preview_hooks
from assurance.decisions import ChangeKind, count_kinds
from assurance.forms import (
    ImportForm,
    ReverseImportForm,
)
from assurance.models import PCT, ImportBatch
from assurance.uploads import LimitedMemoryUploadHandler
from assurance.views.common import TEMPLATE_TYPES, admin_required, asked_message, year_or_404


@require_GET
@admin_required
def template(request, year_slug, fmt):
    if fmt not in TEMPLATE_TYPES:
        raise Http404("Templates come as .csv or .xlsx.")
    year = year_or_404(year_slug)
    outside = importers.pcts_outside_year(year)
    frame = importers.template_frame(
        {
            code: name
            for code, name in PCT.objects.order_by("code").values_list("code", "name")
            if code not in outside
        },
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
    if batch.status in (ImportBatch.Status.PENDING, ImportBatch.Status.NOTHING):
        try:
            decisions = importers.batch_decisions(batch)
        except importers.SpreadsheetRejected as rejected:  # reference data changed since upload
            errors = rejected.errors
        else:
            changes = importers.plan(batch.year, decisions)
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
            "previews": preview_hooks.import_previews(request, batch.year, changes)
            if changes
            else [],
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
    if batch.year.is_approved:
        return _ask_to_correct(request, batch, revision)
    try:
        counts = actions.apply_import(batch=batch, by=request.user, previewed_revision=revision)
    except (actions.StalePreview, importers.SpreadsheetRejected) as refused:
        messages.error(request, f"Nothing was imported. {refused} Check the preview again.")
        return redirect("assurance:import_preview", batch.pk)
    messages.success(
        request,
        f"Imported {batch.file_name} into {batch.year}: {counts[ChangeKind.NEW]} new, "
        f"{counts[ChangeKind.CHANGED]} changed, {counts[ChangeKind.UNCHANGED]} unchanged.",
    )
    return redirect("assurance:year", batch.year.slug)


def _ask_to_correct(request, batch, revision: int):
    """A published year's import is a correction: it waits for another admin's approval."""
    if batch.year.revision != revision:
        messages.error(request, "Nothing was imported: the results changed after this preview.")
        return redirect("assurance:import_preview", batch.pk)
    try:
        asked = actions.request_correction(
            year=batch.year,
            by=request.user,
            reason=request.POST.get("correction_reason", ""),
            batch=batch,
        )
    except actions.PublicationRefused as refused:
        messages.error(request, f"Nothing was imported. {refused}")
        return redirect("assurance:import_preview", batch.pk)
    messages.success(request, asked_message(asked, f"import {batch.file_name}"))
    return redirect("assurance:publication", batch.year.slug)


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
    reason = form.cleaned_data["reason"]
    if batch.year.is_approved:
        try:
            asked = actions.request_reversal(batch=batch, by=request.user, reason=reason)
        except actions.PublicationRefused as refused:
            messages.error(request, f"Nothing was reversed. {refused}")
            return redirect("assurance:imports")
        messages.success(request, asked_message(asked, f"reverse {batch.file_name}"))
        return redirect("assurance:publication", batch.year.slug)
    try:
        undone = actions.reverse_import(batch=batch, by=request.user, reason=reason)
    except actions.ReversalRefused as refused:
        messages.error(request, f"Nothing was reversed. {refused}")
    else:
        messages.success(
            request,
            f"Reversed {batch.file_name}: {undone} PCT{'s' if undone != 1 else ''} in "
            f"{batch.year} put back as they were before it.",
        )
    return redirect("assurance:imports")
