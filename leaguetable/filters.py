"""Which rows the league table shows: PCTs by SHA, rating pattern, name or code, band, and
whether they are clearly in the top or bottom quarter."""

import functools
import operator
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from assurance.models import PCT, Assessment
from assurance.vocabulary import GOVERNANCE_AREAS
from leaguetable import extensions, search
from leaguetable.ranking import BANDS, RankedRow


def _all_rated(code: str) -> Q:
    return Q(**dict.fromkeys(GOVERNANCE_AREAS, code))


def _any_rated(code: str) -> Q:
    return functools.reduce(operator.or_, (Q(**{area: code}) for area in GOVERNANCE_AREAS))


GREEN_ALL, RED_ALL, RED_ANY = _all_rated("G"), _all_rated("R"), _any_rated("R")

# Each pattern is a condition on the PCT's assessment in the year shown.
RATING_PATTERNS = {
    "triple-green": ("Triple green", GREEN_ALL),
    "triple-red": ("Triple red", RED_ALL),
    "any-red": ("At least one red", RED_ANY),
    "red-finance": ("Red for finance", Q(finance="R")),
    "no-red": ("No red", ~RED_ANY),
}

# ?clearly=: PCTs whose whole rank interval lies in the top (or bottom) quarter.
CLEARLY_IN = {
    "top": ("Clearly in the top quarter", BANDS[0]),
    "bottom": ("Clearly in the bottom quarter", BANDS[-1]),
}


class QuickSelect(forms.Select):
    """A <select> with the HTML of Django's select.html and select_option.html, built in Python.

    Django renders each <option> through a template include: the league page's three selects
    (about 30 options) cost it a quarter of its CPU at 152 PCTs. The same markup, escaped alike
    (tests/leaguetable/test_ranked_table.py compares the two), template files' last newlines
    included."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            html.extend(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                for option in options
            )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False leaves an attribute out, True writes its name."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


class LeagueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="PCT name or code",
        method="filter_name_or_code",
        # The page's <datalist id="pct-names"> offers every PCT's name as the reader types.
        widget=forms.TextInput(attrs={"list": "pct-names", "autocomplete": "off"}),
    )
    # The SHAs of the year's table (LeagueFilter's `shas`), so the page asks the database for
    # none; the view keeps the ranked rows in the SHA chosen (chosen_sha).
    sha = django_filters.ChoiceFilter(
        label="SHA",
        empty_label="All SHAs",
        method="filter_on_ranked_rows",
        widget=QuickSelect,
    )
    pattern = django_filters.ChoiceFilter(
        label="Governance ratings",
        choices=[(slug, label) for slug, (label, _) in RATING_PATTERNS.items()],
        empty_label="Any ratings",
        method="filter_pattern",
        widget=QuickSelect,
    )

    band = django_filters.ChoiceFilter(
        label="Band",
        choices=[(str(b), f"Band {b}") for b in BANDS],
        empty_label="Any band",
        method="filter_band",
        widget=QuickSelect,
    )

    # How sure the band is (leaguetable.intervals): both ends of the rank interval in that quarter.
    clearly = django_filters.ChoiceFilter(
        label="How sure",
        choices=[(slug, label) for slug, (label, _) in CLEARLY_IN.items()],
        empty_label="Any PCT",
        method="filter_on_ranked_rows",
        widget=QuickSelect,
    )

    class Meta:
        model = PCT
        fields = ["q", "sha", "pattern"]

    def __init__(self, *args, year, shas, **kwargs):
        """`shas`: (code, name) of the SHAs to offer, in the order to offer them."""
        self.year = year
        super().__init__(*args, **kwargs)
        self.filters["sha"].extra["choices"] = shas

    def filter_name_or_code(self, queryset, name, value):
        # Matching names needs the rules in leaguetable.search, so the view keeps the ranked
        # rows that match (search_query), without a query of its own.
        return queryset

    def filter_pattern(self, queryset, name, value):
        _, condition = RATING_PATTERNS[value]
        matching = Assessment.objects.filter(condition, pct=OuterRef("pk"), year=self.year)
        return queryset.filter(Exists(matching))

    def filter_band(self, queryset, name, value):
        # A band depends on the ranking method, so the view keeps the ranked rows in it (band).
        return queryset

    def filter_on_ranked_rows(self, queryset, name, value):
        # As the band: the view keeps the ranked rows clearly in it (clearly_in_band).
        return queryset

    @property
    def is_active(self) -> bool:
        """True when the request narrows the table by PCT, so the PCT query is worth running."""
        if not (self.is_bound and self.is_valid()):
            return False
        # The SHA, band and search are applied by the view to the ranked rows, not by a query.
        on_ranked_rows = {"sha", "band", "clearly", "q"}
        return any(
            value for name, value in self.form.cleaned_data.items() if name not in on_ranked_rows
        )

    @property
    def search_query(self) -> str:
        """The PCT name or code searched for; "" when none."""
        if not (self.is_bound and self.is_valid()):
            return ""
        return (self.form.cleaned_data.get("q") or "").strip()

    @property
    def chosen_sha(self) -> str | None:
        """The code of the SHA asked for, if any."""
        if not (self.is_bound and self.is_valid()):
            return None
        return self.form.cleaned_data.get("sha") or None

    @property
    def chosen_band(self) -> int | None:
        """The band asked for, if any: 1 (top quarter of England's table) to 4."""
        if not (self.is_bound and self.is_valid()):
            return None
        return int(self.form.cleaned_data["band"]) if self.form.cleaned_data.get("band") else None

    @property
    def clearly_in_band(self) -> int | None:
        """The band asked to be clearly in (1 or 4: both ends of the rank interval), if any."""
        if not (self.is_bound and self.is_valid()):
            return None
        chosen = self.form.cleaned_data.get("clearly")
        return CLEARLY_IN[chosen][1] if chosen else None

    def pct_codes(self) -> set[str]:
        return set(self.qs.values_list("code", flat=True))


@dataclass(frozen=True)
class LeagueSelection:
    """The rows of a year's whole table that a request's filters keep, in the table's order."""

    rows: list[RankedRow]
    filterset: LeagueFilter
    # (parameter, value, what it keeps: None for a value that selects nothing known)
    row_filters: list[tuple[str, str, extensions.RowFilter | None]]

    @property
    def is_valid(self) -> bool:
        return not (self.filterset.is_bound and not self.filterset.is_valid())


def select_rows(request, year, whole) -> LeagueSelection:
    """The league page's filters (SHA, rating pattern, PCT name or code, band, how sure the band
    is, and other apps' row filters such as a saved group) applied to `whole`, the year's
    RankedTable, in its order (its own list when none narrows it): one rule for the page, its
    chart, its downloads and the API. Invalid filters keep no rows."""
    rows = everyone = whole.rows
    filterset = LeagueFilter(
        request.GET or None, queryset=PCT.objects.all(), year=year, shas=whole.shas
    )
    if filterset.is_bound and not filterset.is_valid():
        rows = []
    elif filterset.is_active:
        codes = filterset.pct_codes()
        rows = [row for row in rows if row.scorecard.pct_code in codes]
    if filterset.chosen_sha is not None:  # before the search, which looks among the rows kept
        rows = [row for row in rows if row.scorecard.sha_code == filterset.chosen_sha]
    if filterset.search_query:
        candidates = whole.candidates if rows is everyone else search.candidates_of(rows)
        found = {pct.code for pct in search.search(filterset.search_query, candidates)}
        rows = [row for row in rows if row.scorecard.pct_code in found]
    if filterset.chosen_band is not None:
        rows = [row for row in rows if row.band == filterset.chosen_band]
    if filterset.clearly_in_band is not None:
        rows = [row for row in rows if row.clear_band == filterset.clearly_in_band]
    row_filters = extensions.league_filters(request)
    for _, _, kept in row_filters:
        rows = [row for row in rows if kept is not None and row.scorecard.pct_code in kept.codes]
    return LeagueSelection(rows, filterset, row_filters)
