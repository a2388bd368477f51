"""The league table of a year, and the methodology page."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

from leaguetable import explain, exports, extensions, queries, ranking, years
from leaguetable.filters import select_rows
from leaguetable.ranked_table import ranked_table
from leaguetable.views.caching import LEAGUE_PARAMETERS, cached_for_readers, not_canonical
from leaguetable.views.common import (
    league_table,
    method_of,
    query_without,
    table_export,
)


@require_GET
@cached_for_readers(*LEAGUE_PARAMETERS)
def league(request, year_slug=None):
    public = queries.public_years()
    year = years.public_year(year_slug, public)
    previous = queries.previous_year(year, public)
    method = method_of(request)
    # The whole table's headline, names and sort orders are kept with its rows (per revision).
    whole = ranked_table(year, previous, method)
    selection = select_rows(request, year, whole)
    if not selection.is_valid:
        not_canonical(request)
    rows, filterset, row_filters = selection.rows, selection.filterset, selection.row_filters

    competencies = queries.year_competencies(year)
    added = extensions.league_columns(request, year)
    rows, column_filters = _filtered_by_added_columns(request, rows, added)
    table = league_table(request, rows, competencies, added, whole)
    if (download := table_export(request, table, year, method)) is not None:
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
            "headline": whole.headline if rows is whole.rows else ranking.headline(rows),
            "pct_names_html": whole.names_html,
            "competencies": competencies,
            "query_without_page": query_without(request, "page"),
            "export_formats": exports.FORMATS,
        },
    )


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
