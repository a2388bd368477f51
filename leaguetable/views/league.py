"""The league table of a year, and the methodology page."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

from leaguetable import (
    computed,
    exports,
    extensions,
    intervals,
    queries,
    ranking,
    search,
    years,
)
from leaguetable.charts import caterpillar
from leaguetable.filters import LeagueFilter, select_rows
from leaguetable.ranked_table import ranked_table
from leaguetable.views.caching import LEAGUE_PARAMETERS, cached_for_readers, not_canonical
from leaguetable.views.common import (
    ChartPage,
    chart_data,
    filters_in_name,
    league_table,
    method_of,
    query_without,
    table_export,
)

# The query parameters that narrow the table, named in a download's file name, in this order.
LEAGUE_FILTERS = ("sha", "pattern", "band", "clearly", "q")


@require_GET
@cached_for_readers(*LEAGUE_PARAMETERS, other_apps_filters=True)
def league(request, year_slug=None):
    public = queries.public_years()
    year = years.public_year(year_slug, public)
    previous = years.previous_year(year, public)
    method = method_of(request)
    # The whole table's headline, names and sort orders are kept with its rows (per revision).
    whole = ranked_table(year, previous, method)
    rows, filterset, row_filters = _shown(request, year, whole)
    everyone = whole.rows
    headline = whole.headline if rows is everyone else ranking.headline(rows)
    sure = whole.interval_headline if rows is everyone else intervals.rows_headline(rows)
    suggested = []
    if filterset.search_query and not rows:
        suggested = _suggested_searches(request, filterset.search_query, whole.candidates)
    competencies = computed.competencies(year)
    added = extensions.league_columns(request, year)
    rows, column_filters = _filtered_by_added_columns(request, rows, added)
    table = league_table(request, rows, competencies, added, whole)
    named = _named_filters(request, row_filters)
    filters = named + [(shown["name"], shown["chosen"]) for shown in column_filters]
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
            "headline": headline,
            "band_figures": _band_figures(headline, sure),
            "not_placeable": sure.not_placeable,
            "pct_names_html": whole.names_html,
            "query_without_page": query_without(request, "page"),
            "suggested": suggested,
            "export_formats": exports.FORMATS,
        }
        | _chart_page(year, method, whole, rows, named).context(),
    )


def _shown(request, year, whole) -> tuple[list, LeagueFilter, list]:
    """The rows the reader's filters keep (the whole table's own list when none narrows it), in
    the table's order; the filter set; and other apps' row filters (a saved group)."""
    selection = select_rows(request, year, whole)
    if not selection.is_valid:
        not_canonical(request)
    return selection.rows, selection.filterset, selection.row_filters


def _league_charts(request, year_slug=None) -> ChartPage:
    """The league page's chart: every PCT's rank interval, the rows shown highlighted."""
    public = queries.public_years()
    year = years.public_year(year_slug, public)
    method = method_of(request)
    whole = ranked_table(year, years.previous_year(year, public), method)
    rows, _, row_filters = _shown(request, year, whole)
    return _chart_page(year, method, whole, rows, _named_filters(request, row_filters))


def _named_filters(request, row_filters) -> list[tuple[str, str]]:
    """(parameter, value) of each filter narrowing the rows, as a download's file name names
    them: a saved group by its name, not the token of its share link."""
    filters = [(name, request.GET.get(name)) for name in LEAGUE_FILTERS]
    return filters + [(name, kept.label if kept else value) for name, value, kept in row_filters]


def _chart_page(year, method, whole, rows, filters) -> ChartPage:
    """The rank intervals' chart; narrowed by a filter, the PCTs shown stand out among England's.
    A filter that keeps no PCT has no chart (nothing to show, and nothing to download)."""
    stem = f"wcc-league-{year.slug}-{method.slug}{filters_in_name(filters)}"
    if not rows:
        return ChartPage(method, [year], [], stem)
    if rows is whole.rows:
        chart = whole.interval_chart
    else:
        shown = {row.scorecard.pct_code for row in rows}
        chart = caterpillar.caterpillar_chart(
            whole.rows, "PCTs shown", year.label, year.is_illustrative, shown, "PCTs shown"
        )
    # No chart for a year without rank intervals (no PCT assessed).
    return ChartPage(method, [year], [chart] if chart.records else [], stem)


league_chart_data = chart_data(_league_charts, LEAGUE_PARAMETERS)


def _band_figures(headline, sure) -> list[tuple[int, int, int]]:
    """(band, PCTs shown in it, PCTs shown clearly in it) for each band, for the headline."""
    return [
        (band, count, sure.clearly_in_band[band]) for band, count in headline.band_counts.items()
    ]


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
            "wide_rank_spread": ranking.WIDE_RANK_SPREAD,
            "intervals": _interval_method(),
        },
    )


def _interval_method() -> dict[str, str]:
    """The figures of the rank intervals' method as the methodology page words them, from
    leaguetable.intervals itself, so that the page cannot drift from the code."""
    low, high = intervals.QUANTILES
    first, last = (position + 1 for position in intervals.INTERVAL_POSITIONS)
    return {
        "replicates": f"{intervals.REPLICATES:,}",
        "replicates_code": str(intervals.REPLICATES),
        "share": f"{high - low:.0%}",
        "low": f"{low:.0%}",
        "high": f"{high:.0%}",
        "low_position": ranking.ordinal(first).replace(str(first), f"{first:,}"),
        "high_position": ranking.ordinal(last).replace(str(last), f"{last:,}"),
        "quantiles_code": f"[{low}, {high}]",
    }
