"""England's overview and two to six PCTs side by side, with their charts' data."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from assurance import cache
from leaguetable import computed, ranked_table, years
from leaguetable.charts import compare, overview
from leaguetable.forms import CompareForm
from leaguetable.tables import LeagueTable
from leaguetable.views.caching import (
    CHART_PARAMETERS,
    COMPARE_PARAMETERS,
    cached_for_readers,
)
from leaguetable.views.common import (
    ChartPage,
    chart_data,
    method_of,
    public_years_or_404,
    search_candidates,
    timeline_of,
)


def _overview_charts(request) -> ChartPage:
    """The charts, built once per revision and shared by every worker: they need only the
    years' summaries and a few movers, so a restarted worker reads them rather than every
    year's rows. The page shows only the years' facts (labels, whether illustrative)."""
    method = method_of(request)
    years = public_years_or_404()
    charts = cache.cached(
        f"overview:{method.slug}", years, lambda: overview.charts(computed.timeline(method, years))
    )
    return ChartPage(method, years, charts, f"wcc-overview-{method.slug}")


@require_GET
@cached_for_readers(*CHART_PARAMETERS)
def national_overview(request):
    return render(request, "leaguetable/overview.html", _overview_charts(request).context())


def _compare_form(request, latest) -> CompareForm:
    data = request.GET if "pct" in request.GET else None
    return CompareForm(data, candidates=search_candidates(latest.rows))


def _compare_charts(request) -> ChartPage:
    method, timeline = timeline_of(request)
    latest = timeline[-1]
    form = _compare_form(request, latest)
    if not form.is_valid():
        return ChartPage(method, timeline, [], "")
    codes = form.cleaned_data["pct"]
    pcts = [latest.by_code[code].scorecard for code in codes]
    stem = f"wcc-compare-{'-'.join(codes)}-{method.slug}"
    return ChartPage(method, timeline, compare.charts(timeline, pcts), stem)


@require_GET
@cached_for_readers(*COMPARE_PARAMETERS)
def compare_pcts(request):
    page = _compare_charts(request)
    form = _compare_form(request, page.timeline[-1])
    chosen = {"form": form, "pct_names_html": ranked_table.names_datalist(form.candidates)}
    if not form.is_valid():
        return render(request, "leaguetable/compare.html", chosen | page.context())
    pcts = [page.timeline[-1].by_code[code].scorecard for code in form.cleaned_data["pct"]]
    shares = {"rank_shares": _rank_shares(page, pcts)}
    return render(
        request,
        "leaguetable/compare.html",
        chosen
        | {"pcts": pcts, **_pcts_side_by_side(page.timeline, pcts)}
        | shares
        | page.context(),
    )


def _rank_shares(page: ChartPage, pcts) -> list[tuple[str, str, int, int, int]]:
    """For each pair of the PCTs in the latest year, in how many resamplings in 100 of the
    competencies one ranked above the other (leaguetable.intervals): (the PCT above more often,
    the other, its share above, the other's, level), names and whole percentages."""
    latest = years.public_year(page.timeline[-1].slug)
    names = {pct.pct_code: pct.pct_name for pct in pcts}
    return [
        (
            names[pair.first],
            names[pair.second],
            *(round(share * 100) for share in (pair.first_above, pair.second_above, pair.level)),
        )
        for pair in computed.rank_shares(latest, page.method, [pct.pct_code for pct in pcts])
    ]


def _pcts_side_by_side(timeline, pcts) -> dict:
    """Each year's league table rows of the PCTs, as columns; each PCT links to its profile."""
    links = [(pct.pct_name, reverse("leaguetable:pct", args=[pct.pct_code])) for pct in pcts]
    tables = [
        (year, LeagueTable([year.by_code[p.pct_code] for p in pcts], year.competencies))
        for year in timeline
        if all(p.pct_code in year.by_code for p in pcts)
    ]
    return {"pct_links": links, "side_by_side": [(y, t.transposed()) for y, t in tables]}


overview_chart_data = chart_data(_overview_charts, CHART_PARAMETERS)
compare_chart_data = chart_data(_compare_charts, COMPARE_PARAMETERS)
