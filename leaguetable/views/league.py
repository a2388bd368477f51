"""The league table of a year, and the methodology page."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assurance.models import PCT
from leaguetable import explain, exports, extensions, queries, ranking, search, years
from leaguetable.filters import LeagueFilter
from leaguetable.ranked_table import ranked_table
from leaguetable.views.caching import LEAGUE_PARAMETERS, cached_for_readers, not_canonical
from leaguetable.views.common import (
    league_table,
    method_of,
    query_without,
    search_candidates,
    table_export,
)

# The query parameters that narrow the table, named in a download's file name, in this order.
LEAGUE_FILTERS = ("sha", "pattern", "band", "q")


@require_GET
@cached_for_readers(*LEAGUE_PARAMETERS)
def league(request, year_slug=None):
    public = queries.public_years()
    year = years.public_year(year_slug, public)
    previous = queries.previous_year(year, public)
    method = method_of(request)
    # The whole table's headline, names and sort orders are kept with its rows (per revision).
    whole = ranked_table(year, previous, method)
    rows = everyone = whole.rows
    filterset = LeagueFilter(request.GET or None, queryset=PCT.objects.all(), year=year)
    if filterset.is_bound and not filterset.is_valid():
        rows = []
        not_canonical(request)
    elif filterset.is_active:
        codes = filterset.pct_codes()
        rows = [row for row in rows if row.scorecard.pct_code in codes]
    suggested = []
    if filterset.search_query:
        candidates = whole.candidates if rows is everyone else search_candidates(rows)
        found = {pct.code for pct in search.search(filterset.search_query, candidates)}
        rows = [row for row in rows if row.scorecard.pct_code in found]
        if not rows:
            suggested = _suggested_searches(request, filterset.search_query, candidates)
    if filterset.chosen_band is not None:
        rows = [row for row in rows if row.band == filterset.chosen_band]
    row_filters = extensions.league_filters(request)
    for _, _, kept in row_filters:
        rows = [row for row in rows if kept is not None and row.scorecard.pct_code in kept.codes]

    competencies = queries.year_competencies(year)
    added = extensions.league_columns(request, year)
    rows, column_filters = _filtered_by_added_columns(request, rows, added)
    table = league_table(request, rows, competencies, added, whole)
    # A saved group by its name, not the token of its share link.
    filters = [(name, request.GET.get(name)) for name in LEAGUE_FILTERS]
    filters += [(name, kept.label if kept else value) for name, value, kept in row_filters]
    filters += [(shown["name"], shown["chosen"]) for shown in column_filters]
    if (download := table_export(request, table, year, method, filters=filters)) is not None:
        return download
    return render(
        request,
        "leaguetable/league.html",
        {
            "year": year,
            "years": public,
            "previous": previous,
            "method": method,
            "methods": ranking.METHODS.values(),
            "filter": filterset,
            "column_filters": column_filters,
            "row_filters": row_filters,
            "table": table,
            "header_html": table.header_html(request.GET),
            "headline": whole.headline if rows is everyone else ranking.headline(rows),
            "pct_names_html": whole.names_html,
            "competencies": competencies,
            "query_without_page": query_without(request, "page"),
            "suggested": suggested,
            "export_formats": exports.FORMATS,
        },
    )


def _suggested_searches(request, query: str, candidates) -> list[tuple[str, str]]:
    """(PCT name, the same search for its code) for each PCT a search that found nothing
    probably meant: "Did you mean Somerset PCT?"."""
    offered = []
    for pct in search.suggestions(query, candidates):
        asked = request.GET.copy()
        asked["q"] = pct.code  # its code finds it alone; its name finds others containing it
        for name in ("page", "_export"):
            asked.pop(name, None)
        offered.append((pct.name, "?" + asked.urlencode()))
    return offered


def _filtered_by_added_columns(request, rows, added) -> tuple[list, list[dict]]:
    """Rows kept by the filters of columns other apps added (`?flag=proposed`), and those
    filters as the form shows them. Only logged-in readers get added columns."""
    shown = []
    for name, column in added:
        if not column.filter_choices:
            continue
        chosen = request.GET.get(name, "")
        if chosen in column.filter_choices:
            rows = [row for row in rows if column.filter_matches(row, chosen)]
        shown.append(
            {"name": name, "label": column.verbose_name, "choices": column.filter_choices,
             "chosen": chosen}
        )  # fmt: skip
    return rows, shown


@require_GET
def methodology(request):
    return render(
        request,
        "leaguetable/methodology.html",
        {
            "methods": ranking.METHODS.values(),
            "competencies": queries.all_competencies(),
            "withdrawn_years": queries.withdrawn_years(),
            "added_sections": extensions.methodology_sections(request),
            "approvals_needed": settings.PUBLICATION_APPROVALS,
            "wide_rank_spread": explain.WIDE_RANK_SPREAD,
        },
    )
