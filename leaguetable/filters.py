"""Which rows a page shows: league table PCTs (SHA, rating pattern, name or code) and flags."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from assurance.models import PCT, SHA, Assessment, AssessmentYear, DirectedDevelopmentFlag

GREEN_ALL = Q(strategy="G", finance="G", board_governance="G")
RED_ALL = Q(strategy="R", finance="R", board_governance="R")
RED_ANY = Q(strategy="R") | Q(finance="R") | Q(board_governance="R")

# Each pattern is a condition on the PCT's assessment in the year shown.
RATING_PATTERNS = {
    "triple-green": ("Triple green", GREEN_ALL),
    "triple-red": ("Triple red", RED_ALL),
    "any-red": ("At least one red", RED_ANY),
    "red-finance": ("Red for finance", Q(finance="R")),
    "no-red": ("No red", ~RED_ANY),
}


class LeagueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="PCT name or code", method="filter_name_or_code")
    sha = django_filters.ModelChoiceFilter(
        label="SHA",
        field_name="sha",
        to_field_name="code",
        queryset=SHA.objects.order_by("name"),
        empty_label="All SHAs",
    )
    pattern = django_filters.ChoiceFilter(
        label="Governance ratings",
        choices=[(slug, label) for slug, (label, _) in RATING_PATTERNS.items()],
        empty_label="Any ratings",
        method="filter_pattern",
    )

    class Meta:
        model = PCT
        fields = ["q", "sha", "pattern"]

    def __init__(self, *args, year, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def filter_name_or_code(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value))

    def filter_pattern(self, queryset, name, value):
        _, condition = RATING_PATTERNS[value]
        matching = Assessment.objects.filter(condition, pct=OuterRef("pk"), year=self.year)
        return queryset.filter(Exists(matching))

    @property
    def is_active(self) -> bool:
        """True when the request narrows the table, so the PCT query is worth running."""
        return self.is_bound and self.is_valid() and any(self.form.cleaned_data.values())

    def pct_codes(self) -> set[str]:
        return set(self.qs.values_list("code", flat=True))


OPEN = "open"


class FlagFilter(django_filters.FilterSet):
    """The flags page's filters; the SHA filter only for those who may read every SHA's flags."""

    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(OPEN, "Open (proposed or confirmed)"), *DirectedDevelopmentFlag.Status.choices],
        empty_label="Any status",
        method="filter_status",
    )
    year = django_filters.ModelChoiceFilter(
        label="Year",
        field_name="year",
        to_field_name="start_year",
        queryset=AssessmentYear.objects.published().order_by("-start_year"),
        empty_label="All years",
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
