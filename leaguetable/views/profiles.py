"""A PCT's profile and an SHA's page, with their charts' data."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from assurance import cache
from leaguetable import explain, exports, extensions, peers, queries, ranking, years
from leaguetable.charts import profile, sha
from leaguetable.ranked_year import competencies_scored
from leaguetable.tables import LeagueTable
from leaguetable.views.caching import (
    CHART_PARAMETERS,
    SHA_PARAMETERS,
    cached_for_readers,
)
from leaguetable.views.common import (
    ChartPage,
    banner_of,
    chart_data,
    league_table,
    pct_on_record,
    table_export,
    timeline_of,
)


def _pct_profile(request, code) -> tuple[ChartPage, dict]:
    """The PCT's charts, and what else its profile draws from every year's ranked rows (its row
    each year, why it ranks there, its peers, its corrections)."""
    method, timeline = timeline_of(request)
    pct = pct_on_record(timeline, code)
    context = {
        "pct": pct,
        **_years_side_by_side(timeline, pct.pct_code),
        "explanations": _explanations(timeline, pct.pct_code, method),
        "corrections": _corrections(timeline, pct.pct_code),
        "peer_groups": _peer_groups(timeline, pct.pct_code, method),
    }
    page = ChartPage(
        method, timeline, profile.charts(timeline, pct), f"wcc-pct-{pct.pct_code}-{method.slug}"
    )
    return page, context


def _pct_charts(request, code) -> ChartPage:
    return _pct_profile(request, code)[0]


@require_GET
@cached_for_readers(*CHART_PARAMETERS)
def pct_profile(request, code):
    page, parts = _pct_profile(request, code)
    added = extensions.profile_sections(request, parts["pct"].pct_code)
    return render(
        request,
        "leaguetable/pct.html",
        parts | {"added_sections": added} | page.context(),
    )


@require_GET
@cached_for_readers(*CHART_PARAMETERS)
def pct_report(request, code):
    """One printable page for a board paper: ranks, ratings and scores by year, each year's
    rank explained in a sentence, and whether the data is illustrative."""
    method, timeline = timeline_of(request)
    pct = pct_on_record(timeline, code)
    return render(
        request,
        "leaguetable/pct_report.html",
        {
            "pct": pct,
            "method": method,
            "timeline": timeline,
            "banner": banner_of(timeline),
            **_years_side_by_side(timeline, pct.pct_code),
            "explanations": _explanations(timeline, pct.pct_code, method),
        },
    )


def _compare_url(codes, method) -> str:
    query = urlencode([("pct", code) for code in codes] + [("method", method.slug)])
    return f"{reverse('leaguetable:compare')}?{query}"


def _peer_groups(timeline, code: str, method) -> list[dict]:
    """Each group of peers with a comparison link per PCT, and one for the whole group when
    the comparison takes that many."""
    latest = timeline[-1]
    before = (timeline[-2].rows, timeline[-2].label) if len(timeline) > 1 else None
    groups = []
    for group in peers.peer_groups(code, latest.rows, latest.label, before):
        distances = list(group.distances) or [None] * len(group.pcts)
        links = [
            (pct, _compare_url([code, pct.pct_code], method), distance)
            for pct, distance in zip(group.pcts, distances, strict=True)
        ]
        whole = group.compare_codes(code)
        groups.append(
            {
                "group": group,
                "links": links,
                "compare_all": _compare_url(whole, method) if whole else None,
            }
        )
    return groups


def _corrections(timeline, code: str) -> list:
    """Corrections to the PCT's published results, asked for only when a year says there are."""
    if not any(
        year.by_code[code].scorecard.corrected_on for year in timeline if code in year.by_code
    ):
        return []
    return queries.pct_corrections(code, queries.public_years())


def _years_side_by_side(timeline, code: str) -> dict:
    """The PCT's league table row in each year, as columns; each year links to its table."""
    # Every year lists every PCT, except briefly while a process holds an out-of-date year list.
    years = [year for year in timeline if code in year.by_code]
    links = [
        (year.label, reverse("leaguetable:league", args=[year.slug]) + f"?q={code}")
        for year in years
    ]
    rows = [year.by_code[code] for year in years]
    measures = LeagueTable(rows, competencies_scored(timeline)).transposed()
    return {"years_table": measures, "year_links": links}


def _explanations(timeline, code: str, method) -> list:
    """(year, why the PCT ranks where it does) for each year it was ranked, latest first."""
    explained = []
    for year in reversed(timeline):
        if (row := year.by_code.get(code)) is None:
            continue
        explanation = explain.explain_rank(
            row,
            year.rows,
            method,
            year_label=year.label,
            competency_names={c.number: c.name for c in year.competencies},
            median_total=year.summary.england.total_median,
        )
        if explanation is not None:  # None: not assessed that year
            explained.append((year, explanation))
    return explained


def _sha_rows(year, code: str) -> list:
    if code.upper() not in year.summary.by_sha:
        raise Http404(f"No SHA has the code {code!r}.")
    return year.sha_rows(code.upper())


def _sha_charts(request, code) -> ChartPage:
    """The SHA's charts, built once per revision and shared by every worker, as the overview's:
    its rank-interval chart draws every PCT in England, so building it read the whole year's
    rows and rendered a row per PCT (at 1,500 PCTs, most of the page's CPU, warm or not)."""
    method, timeline = timeline_of(request)
    code = code.upper()
    sha_name = _sha_rows(timeline[-1], code)[0].scorecard.sha_name
    charts = cache.cached(
        f"sha-charts:{method.slug}:{code}",
        queries.public_years(),  # the timeline's years
        lambda: sha.charts(timeline, code, sha_name),
    )
    return ChartPage(method, timeline, charts, f"wcc-sha-{code}-{method.slug}")


@require_GET
@cached_for_readers(*SHA_PARAMETERS)
def sha_page(request, code):
    page = _sha_charts(request, code)
    year = years.public_year(request.GET.get("year"), page.timeline)
    rows = _sha_rows(year, code)
    # Other apps' columns (the flag marker) for logged-in readers: the SHA's open flags.
    added = extensions.league_columns(request, years.public_year(year.slug))
    table = league_table(request, rows, year.competencies, added)
    stem = f"wcc-sha-{code.upper()}"  # the charts' stem names the method, as the file does
    if (download := table_export(request, table, year, page.method, stem)) is not None:
        return download
    return render(
        request,
        "leaguetable/sha.html",
        {
            "sha_code": code.upper(),
            "sha_name": rows[0].scorecard.sha_name,
            "year": year,
            "table": table,
            "header_html": table.header_html(request.GET),
            "headline": ranking.headline(rows),
            "export_formats": exports.FORMATS,
        }
        | page.context(),
    )


pct_chart_data = chart_data(_pct_charts, CHART_PARAMETERS)
sha_chart_data = chart_data(_sha_charts, CHART_PARAMETERS)
