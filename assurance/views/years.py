"""The years, one PCT's entry form and its history."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from assurance import actions, audit, importers
from assurance.decisions import ChangeKind
from assurance.forms import (
    AssessmentForm,
)
from assurance.models import PCT, Assessment, AssessmentYear
from assurance.views.common import TEMPLATE_TYPES, admin_required, asked_message, year_or_404


@require_GET
@admin_required
def home(request):
    years = AssessmentYear.objects.annotate(assessed=Count("assessments")).order_by("-start_year")
    return render(request, "assurance/home.html", {"years": years})


@require_GET
@admin_required
def year_detail(request, year_slug):
    year = year_or_404(year_slug)
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


@require_http_methods(["GET", "POST"])
@admin_required
def entry(request, year_slug, pct_code):
    year = year_or_404(year_slug)
    pct = get_object_or_404(PCT, code=pct_code)
    if why := importers.pcts_outside_year(year).get(pct.code):
        raise Http404(why)
    competencies = list(year.competencies.order_by("number"))
    saved = importers.recorded_decisions(year, [pct.code]).get(pct.code)
    assessment = Assessment.objects.filter(year=year, pct=pct).select_related("pct").first()
    conflict, changed_by_other = None, set()
    if request.method == "POST":
        form = AssessmentForm(request.POST, year=year, competencies=competencies)
        if form.is_valid():
            try:
                done = _save_or_ask(request, year, pct, form)
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
            except actions.PublicationRefused as refused:
                messages.error(request, f"Nothing was saved. {refused}")
            else:
                return done
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


def _save_or_ask(request, year, pct, form):
    """A draft's results are saved at once; a published year's correction is asked for, and
    takes effect when another admin approves it (assurance.actions.publication)."""
    result, version = form.result_for(pct.code), form.cleaned_data["version"]
    reason = form.cleaned_data.get("correction_reason", "")
    if not year.is_approved:
        change = actions.save_assessment(
            year=year, pct=pct, result=result, opened_version=version, by=request.user
        )
        word = {ChangeKind.UNCHANGED: "No changes to save for"}.get(change.kind, "Saved")
        messages.success(request, f"{word} {pct} in {year}.")
        return redirect("assurance:year", year.slug)
    actions.check_version(year, pct, version)
    asked = actions.request_correction(
        year=year, by=request.user, reason=reason, decisions=[result]
    )
    messages.success(request, asked_message(asked, f"correct {pct}"))
    return redirect("assurance:publication", year.slug)


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
def pct_history(request, pct_code):
    pct = get_object_or_404(PCT.objects.select_related("sha"), code=pct_code)
    assessments = Assessment.objects.filter(pct=pct).select_related("year", "updated_by")
    return render(
        request,
        "assurance/history.html",
        {"pct": pct, "lines": audit.pct_history(pct), "assessments": assessments},
    )
