"""League table, PCT, SHA, overview and comparison pages: thin views over queries and charts."""

import hashlib
from functools import wraps
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from assurance import roles
from assurance.models import PCT, AssessmentYear
from leaguetable import exports, queries, ranking
from leaguetable.charts import compare, overview, profile, sha
from leaguetable.filters import LeagueFilter
from leaguetable.forms import CompareForm
from leaguetable.staticfiles import PLOTLY_JS
from leaguetable.tables import LeagueTable
from leaguetable.trends import competencies_scored

# 152 PCTs fit on one page; the paging only matters for large generated data sets.
ROWS_PER_PAGE = 200


def cached_for_readers(view):
    """Serve anonymous readers a cached response until a published year's results change.

    Published results change only through assurance.actions, which bumps the year's revision,
    and the key holds every published year's revision (the pages list the years), so a cached
    page is never stale.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _page_cache_key(request, queries.published_years())
        if (response := cache.get(key)) is not None:
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(key, response, settings.LEAGUE_CACHE_SECONDS)
        return response

    return wrapper


def _page_cache_key(request, years: list[AssessmentYear]) -> str:
    query = sorted(request.GET.lists())
    fingerprint = hashlib.sha256(repr((request.path, query)).encode()).hexdigest()
    revisions = ".".join(f"{year.pk}-{year.revision}" for year in years)
    return f"page:{revisions}:{fingerprint}"


def _pick_year(years, slug: str | None):
    """The published year (AssessmentYear or YearResults) named by `slug`; the latest if None."""
    if not years:
        raise Http404("No assurance year has been published yet.")
    if slug is None:
        return years[-1]
    if (year := queries.published_year(slug, years)) is None:
        raise Http404(f"No published assurance year {slug!r}.")
    return year


def _method(request) -> ranking.RankingMethod:
    return ranking.METHODS.get(request.GET.get("method"), ranking.METHODS[ranking.DEFAULT_METHOD])


@require_GET
@cached_for_readers
def league(request, year_slug=None):
    years = queries.published_years()
    year = _pick_year(years, year_slug)
    previous = queries.previous_year(year, years)
    method = _method(request)
    rows = queries.ranked_rows(year, previous, method)
    filterset = LeagueFilter(request.GET or None, queryset=PCT.objects.all(), year=year)
    if filterset.is_bound and not filterset.is_valid():
        rows = []
    elif filterset.is_active:
        codes = filterset.pct_codes()
        rows = [row for row in rows if row.result.pct_code in codes]

    competencies = queries.year_competencies(year)
    table = _league_table(request, rows, competencies, flags=_open_flags(request, year))
    if (download := _table_export(request, table, year, competencies, method)) is not None:
        return download
    return render(
        request,
        "leaguetable/league.html",
        {
            "year": year,
            "years": years,
            "previous": previous,
            "method": method,
            "methods": ranking.METHODS.values(),
            "filter": filterset,
            "table": table,
            "header_cells": table.header_cells(request.GET),
            "headline": ranking.headline(rows),
            "competencies": competencies,
            "query_without_page": _query_without(request, "page"),
            "export_formats": exports.FORMATS,
        },
    )


def _league_table(request, rows, competencies, flags=None) -> LeagueTable:
    table = LeagueTable(rows, competencies, flags=flags)
    RequestConfig(request, paginate={"per_page": ROWS_PER_PAGE}).configure(table)
    return table


def _open_flags(request, year: AssessmentYear) -> dict | None:
    """The year's open flags the user may see, for the marker column; None for other readers.

    Only logged-in users may see flags, and cached_for_readers never caches their pages.
    """
    if not roles.may_see_flags(request.user):
        return None
    return queries.open_flags(year, roles.flag_scope(request.user))


def _flags_section(request, code: str) -> dict:
    """A PCT's flags for its profile page, for users who may see them (pages never cached)."""
    if not roles.may_see_flags(request.user):
        return {}
    record = PCT.objects.select_related("sha").get(code=code)
    flags = queries.pct_flags(record, roles.flag_scope(request.user))
    latest = queries.published_years()[-1]
    return {
        "pct_record": record,
        "pct_flags": flags,
        "latest_year": latest,
        "open_flag_now": next((f for f in flags if f.is_open and f.year_id == latest.pk), None),
    }


def _table_export(request, table, year, competencies, method, stem="wcc-league"):
    """The table's rows as a download when ?_export= asks for one (and no chart is named)."""
    export_format = request.GET.get("_export")
    if export_format not in exports.FORMATS or "chart" in request.GET:
        return None
    notice = exports.ILLUSTRATIVE if year.is_illustrative else exports.OFFICIAL
    frame = exports.league_frame(list(table.data), [c.number for c in competencies], notice)
    suffix = "-illustrative" if year.is_illustrative else ""
    filename = f"{stem}-{year.slug}-{method.slug}{suffix}"
    return exports.export_response(frame, export_format, filename, notice)


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in (*names, "_export"):
        query.pop(name, None)
    return query.urlencode()


def _timeline(request):
    method = _method(request)
    timeline = queries.timeline(method)
    if not timeline:
        raise Http404("No assurance year has been published yet.")
    return method, timeline


def _chart_export(request, charts, stem: str, timeline):
    """One chart's records as CSV when ?_export=csv&chart=<slug> asks for them."""
    if request.GET.get("_export") != "csv" or "chart" not in request.GET:
        return None
    chart = next((c for c in charts if c.slug == request.GET["chart"]), None)
    if chart is None:
        raise Http404("No such chart on this page.")
    illustrative = any(year.is_illustrative for year in timeline)
    notice = exports.ILLUSTRATIVE if illustrative else exports.OFFICIAL
    filename = f"{stem}-{chart.slug}{'-illustrative' if illustrative else ''}"
    return exports.records_response(chart.records, filename, notice)


def _chart_context(method, timeline, charts, stem: str) -> dict:
    """What every chart page's template needs besides its own facts."""
    illustrative = [year.label for year in timeline if year.is_illustrative]
    return {
        "method": method,
        "methods": ranking.METHODS.values(),
        "timeline": timeline,
        "charts": charts,
        "chart_file_stem": stem,
        "plotly_js": PLOTLY_JS,
        # The banner include expects a year; these pages show several.
        "banner": SimpleNamespace(
            is_illustrative=bool(illustrative), label=" and ".join(illustrative), note=""
        ),
    }


@require_GET
@cached_for_readers
def pct_profile(request, code):
    method, timeline = _timeline(request)
    latest = timeline[-1].by_code.get(code.upper())
    if latest is None:
        raise Http404(f"No PCT has the code {code!r}.")
    pct = latest.result
    charts = profile.charts(timeline, pct)
    stem = f"wcc-pct-{pct.pct_code}-{method.slug}"
    if (download := _chart_export(request, charts, stem, timeline)) is not None:
        return download
    return render(
        request,
        "leaguetable/pct.html",
        {"pct": pct, **_years_side_by_side(timeline, pct.pct_code)}
        | _flags_section(request, pct.pct_code)
        | _chart_context(method, timeline, charts, stem),
    )


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


@require_GET
@cached_for_readers
def sha_page(request, code):
    method, timeline = _timeline(request)
    year = _pick_year(timeline, request.GET.get("year"))
    code = code.upper()
    rows = [row for row in year.rows if row.result.sha_code == code]
    if not rows:
        raise Http404(f"No SHA has the code {code!r}.")
    sha_name = rows[0].result.sha_name
    charts = sha.charts(timeline, code, sha_name)
    stem = f"wcc-sha-{code}-{method.slug}"
    if (download := _chart_export(request, charts, stem, timeline)) is not None:
        return download
    table = _league_table(request, rows, year.competencies)
    if (
        download := _table_export(request, table, year, year.competencies, method, stem)
    ) is not None:
        return download
    return render(
        request,
        "leaguetable/sha.html",
        {
            "sha_code": code,
            "sha_name": sha_name,
            "year": year,
            "table": table,
            "header_cells": table.header_cells(request.GET),
            "headline": ranking.headline(rows),
            "export_formats": exports.FORMATS,
        }
        | _chart_context(method, timeline, charts, stem),
    )


@require_GET
@cached_for_readers
def national_overview(request):
    method, timeline = _timeline(request)
    charts = overview.charts(timeline)
    stem = f"wcc-overview-{method.slug}"
    if (download := _chart_export(request, charts, stem, timeline)) is not None:
        return download
    return render(
        request, "leaguetable/overview.html", _chart_context(method, timeline, charts, stem)
    )


@require_GET
@cached_for_readers
def compare_pcts(request):
    method, timeline = _timeline(request)
    latest = timeline[-1]
    form = CompareForm(request.GET if "pct" in request.GET else None, known_codes=latest.by_code)
    if not form.is_valid():
        return render(
            request,
            "leaguetable/compare.html",
            {"form": form} | _chart_context(method, timeline, [], ""),
        )
    codes = form.cleaned_data["pct"]
    pcts = [latest.by_code[code].result for code in codes]
    charts = compare.charts(timeline, pcts)
    stem = f"wcc-compare-{'-'.join(codes)}-{method.slug}"
    if (download := _chart_export(request, charts, stem, timeline)) is not None:
        return download
    return render(
        request,
        "leaguetable/compare.html",
        {"form": form, "pcts": pcts, **_pcts_side_by_side(timeline, pcts)}
        | _chart_context(method, timeline, charts, stem),
    )


def _pcts_side_by_side(timeline, pcts) -> dict:
    """Each year's league table rows of the PCTs, as columns; each PCT links to its profile."""
    links = [(pct.pct_name, reverse("leaguetable:pct", args=[pct.pct_code])) for pct in pcts]
    tables = [
        (year, LeagueTable([year.by_code[p.pct_code] for p in pcts], year.competencies))
        for year in timeline
        if all(p.pct_code in year.by_code for p in pcts)
    ]
    return {"pct_links": links, "side_by_side": [(y, t.transposed()) for y, t in tables]}


@require_GET
def methodology(request):
    return render(
        request,
        "leaguetable/methodology.html",
        {"methods": ranking.METHODS.values(), "competencies": queries.all_competencies()},
    )


@require_GET
def healthz(request):
    """For load balancers: the process is up and its database answers a query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
