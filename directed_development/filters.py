"""Which flags the flags page shows (status, year, SHA), and the admins' SHA on suggestions."""

import django_filters
from django import forms

from assurance import cache
from assurance.models import SHA, AssessmentYear
from directed_development.models import DirectedDevelopmentFlag

OPEN = "open"


def _public_years() -> list[tuple[str, str]]:
    """Latest first; asked only when the form is shown or a year is chosen (a callable)."""
    return [(year.slug, year.label) for year in reversed(cache.public_years())]


class FlagFilter(django_filters.FilterSet):
    """The flags page's filters; the SHA filter only for those who may read every SHA's flags."""

    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(OPEN, "Open (proposed or confirmed)"), *DirectedDevelopmentFlag.Status.choices],
        empty_label="Any status",
        method="filter_status",
    )
    # By slug ('2009-10'), as every page's ?year= (leaguetable.years.public_year).
    year = django_filters.ChoiceFilter(
        label="Year", choices=_public_years, empty_label="All years", method="filter_year"
    )
    sha = django_filters.ModelChoiceFilter(
        label="SHA",
        field_name="pct__sha",
        to_field_name="code",
        queryset=SHA.objects.order_by("name"),
        empty_label="All SHAs",
    )

    class Meta:
        model = DirectedDevelopmentFlag
        fields = ["status", "year", "sha"]

    def __init__(self, *args, every_sha: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not every_sha:
            del self.filters["sha"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(year__start_year=AssessmentYear.start_year_from_slug(value))

    def filter_status(self, queryset, name, value):
        return queryset.open() if value == OPEN else queryset.filter(status=value)


class SuggestionFilter(forms.Form):
    """Admins' choice of one SHA on the suggestions page (SHA staff see only their own)."""

    sha = forms.ModelChoiceField(
        label="SHA",
        queryset=SHA.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label="All SHAs",
    )

    def sha_code(self) -> str | None:
        chosen = self.cleaned_data["sha"] if self.is_valid() else None
        return chosen.code if chosen else None
