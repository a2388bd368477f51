"""Django admin: directed development flags, read-only (they change only through their pages)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from assurance.admin import ReadOnlyAdmin
from directed_development.models import DirectedDevelopmentFlag


@admin.register(DirectedDevelopmentFlag)
class DirectedDevelopmentFlagAdmin(ReadOnlyAdmin):
    list_display = ["pct", "year", "status", "proposed_by", "proposed_at", "open_page"]
    list_filter = ["status", "year", "pct__sha"]
    search_fields = ["pct__code", "pct__name"]
    list_select_related = ["pct", "year", "proposed_by"]

    @admin.display(description="Flag page")
    def open_page(self, flag):
        url = reverse("directed_development:flag", args=[flag.pk])
        return format_html('<a href="{}">Confirm or lift on its page</a>', url)
