"""Django admin for the reference data and assessment years; results are shown read-only.

Results change only through the entry form and the import (assurance.views), which check
versions and keep the audit trail; the admin links to them rather than editing rows itself.
Nothing the public has seen changes here on one admin's word: a year once published (its dates,
label, competencies, note) is read-only, and so is the reference data once any year has been
published: names and codes are in every public table, and come from fixtures/ through
`manage.py load_reference_data`, reviewed like code.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from assurance.models import (
    PCT,
    SHA,
    Assessment,
    AssessmentYear,
    Competency,
    ImportBatch,
    OrganisationChange,
)


def anything_published() -> bool:
    return AssessmentYear.objects.filter(published_at__isnull=False).exists()


class ReferenceDataAdmin(admin.ModelAdmin):
    """Names and codes appear in every ranked table: every write to them, "delete selected"
    included, moves every year's revision (assurance.revisions); once the public has seen a year
    they are read-only here."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not anything_published()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not anything_published()

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not anything_published()


@admin.register(SHA)
class SHAAdmin(ReferenceDataAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(PCT)
class PCTAdmin(ReferenceDataAdmin):
    list_display = ["code", "name", "sha"]
    list_filter = ["sha"]
    search_fields = ["code", "name"]
    list_select_related = ["sha"]


@admin.register(Competency)
class CompetencyAdmin(ReferenceDataAdmin):
    list_display = ["number", "name"]


@admin.register(OrganisationChange)
class OrganisationChangeAdmin(ReferenceDataAdmin):
    list_display = ["predecessor", "kind", "successor", "effective"]
    list_select_related = ["predecessor", "successor"]
    autocomplete_fields = ["predecessor", "successor"]


class AssessmentYearForm(forms.ModelForm):
    class Meta:
        model = AssessmentYear
        fields = ["start_year", "competencies", "is_illustrative", "note"]

    def clean_competencies(self):
        """A competency that already has scores this year cannot be dropped from it."""
        chosen = self.cleaned_data["competencies"]
        if self.instance.pk:
            scored = (
                Competency.objects.filter(scores__assessment__year=self.instance)
                .distinct()
                .exclude(pk__in=chosen)
            )
            if scored:
                numbers = ", ".join(f"C{c.number}" for c in scored)
                raise forms.ValidationError(
                    f"{numbers} already has scores in this year; it cannot be removed."
                )
        return chosen


@admin.register(AssessmentYear)
class AssessmentYearAdmin(admin.ModelAdmin):
    """A draft year's framework is set up here; once published, the year is read-only: its
    results, publication and withdrawal change through two-person requests (assurance.views)."""

    form = AssessmentYearForm
    list_display = ["label", "status", "is_illustrative", "published_at", "public_from"]
    list_filter = ["status", "is_illustrative"]
    filter_horizontal = ["competencies"]
    # Publishing goes through assurance.actions.publication, not a raw field edit.
    readonly_fields = ["status", "published_at", "public_from"]

    def has_change_permission(self, request, year=None):
        return super().has_change_permission(request, year) and (
            year is None or year.published_at is None
        )

    def has_delete_permission(self, request, year=None):
        return self.has_change_permission(request, year)

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        # "Delete selected" asks no year whether it was published.
        found = super().get_actions(request, action_location)
        return {name: action for name, action in found.items() if name != "delete_selected"}


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["pct", "year", "strategy", "finance", "board_governance", "version", "edit"]
    list_filter = ["year", "pct__sha"]
    search_fields = ["pct__code", "pct__name"]
    list_select_related = ["pct", "year"]

    @admin.display(description="Entry form")
    def edit(self, assessment):
        url = reverse("assurance:entry", args=[assessment.year.slug, assessment.pct.code])
        return format_html('<a href="{}">Edit in the entry form</a>', url)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "year", "status", "uploaded_by", "uploaded_at", "sha256"]
    list_filter = ["status", "year"]
    exclude = ["content"]
