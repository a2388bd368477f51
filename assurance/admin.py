"""Django admin for the reference data and assessment years."""

from django.contrib import admin

from assurance import actions
from assurance.models import PCT, SHA, AssessmentYear, Competency


class ReferenceDataAdmin(admin.ModelAdmin):
    """Names and codes appear in every ranked table, so a change refreshes every year's cache."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        actions.touch_all_years()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        actions.touch_all_years()


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


@admin.register(AssessmentYear)
class AssessmentYearAdmin(ReferenceDataAdmin):
    list_display = ["label", "status", "is_illustrative", "published_at"]
    list_filter = ["status", "is_illustrative"]
    filter_horizontal = ["competencies"]
    # Publishing goes through assurance.actions.publish_year, not a raw field edit.
    readonly_fields = ["status", "published_at"]
