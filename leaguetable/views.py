"""League table, PCT, SHA, overview and comparison pages: thin views over queries and charts."""

import hashlib
from dataclasses import dataclass
from functools import wraps
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from assurance.models import PCT, AssessmentYear
from leaguetable import explain, exports, extensions, queries, ranking, search
from leaguetable.charts import compare, overview, profile, sha
from leaguetable.filters import LeagueFilter
from leaguetable.forms import CompareForm
from leaguetable.staticfiles import PLOTLY_JS
from leaguetable.tables import LeagueTable
from leaguetable.trends import competencies_scored

# 152 PCTs fit on one page; the paging only matters for large generated data sets.
ROWS_PER_PAGE = 200


# The query parameters each cached page reads. Any other is dropped before the view runs and is
# no part of the cache key, so /?junk=1 … /?junk=200 is one cached page, not 200.
TABLE_PARAMETERS = ("sort", "page", "per_page", "_export")
LEAGUE_PARAMETERS = ("q", "sha", "pattern", "band", "method", *TABLE_PARAMETERS)
SHA_PARAMETERS = ("method", "year", *TABLE_PARAMETERS)
CHART_PARAMETERS = ("method",)
COMPARE_PARAMETERS = ("method", "pct")
# Values a view would treat as absent anyway: dropped, so they make no page of their own.
KNOWN_VALUES = {"method": ranking.METHODS, "_export": exports.FORMATS}


def cached_for_readers(*parameters: str):
    """Serve anonymous readers a cached response until a published year's results change.

    The view sees only `parameters` from the query string, stripped, and the cache is keyed on
    exactly those, so a parameter the page ignores cannot fill the cache or change the page.

    Published results change only through assurance.actions, which bumps the year's revision,
    and the key holds every published year's revision (the pages list the years), so a cached
    page is never stale.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated:
                return view(request, *args, **kwargs)
            request.GET = recognised_query(request.GET, parameters)
            key = _page_cache_key(request, queries.published_years())
            if (response := cache.get(key)) is not None:
                return response
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                cache.set(key, response, settings.LEAGUE_CACHE_SECONDS)
            return response

        return wrapper

    return decorate


def recognised_query(query: QueryDict, parameters) -> QueryDict:
    """Only `parameters`, in a fixed order, values stripped; repeated values keep their order
    (the comparison shows PCTs in the order asked for)."""
    recognised = QueryDict(mutable=True)
    for name in sorted(parameters):
        values = [value.strip() for value in query.getlist(name)]
        if name in KNOWN_VALUES:
            values = [value for value in values if value in KNOWN_VALUES[name]]
        if values:
            recognised.setlist(name, values)
    recognised._mutable = False
    return recognised


def _page_cache_key(request, years: list[AssessmentYear]) -> str:
    query = list(request.GET.lists())
    fingerprint = hashlib.sha256(repr((request.path, query)).encode()).hexdigest()
    revisions = ".".join(f"{year.pk}-{year.revision}" for year in years)
    return f"page:{revisions}:{fingerprint}"


def _pick_year(years, slug: str | None):
    """The published year (AssessmentYear or RankedYear) named by `slug`; the latest if None."""
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
@cached_for_readers(*LEAGUE_PARAMETERS)
def league(request, year_slug=None):
    years = queries.published_years()
    year = _pick_year(years, year_slug)
    previous = queries.previous_year(year, years)
    method = _method(request)
    rows = everyone = queries.ranked_rows(year, previous, method)
    filterset = LeagueFilter(request.GET or None, queryset=PCT.objects.all(), year=year)
    if filterset.is_bound and not filterset.is_valid():
        rows = []
    elif filterset.is_active:
        codes = filterset.pct_codes()
        rows = [row for row in rows if row.scorecard.pct_code in codes]
    if filterset.search_query:
        found = {pct.code for pct in search.search(filterset.search_query, _candidates(rows))}
        rows = [row for row in rows if row.scorecard.pct_code in found]
    if filterset.chosen_band is not None:
        rows = [row for row in rows if row.band == filterset.chosen_band]

    competencies = queries.year_competencies(year)
    added = extensions.league_columns(request, year)
    rows, column_filters = _filtered_by_added_columns(request, rows, added)
    table = _league_table(request, rows, competencies, added)
    if (download := _table_export(request, table, year, method)) is not None:
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
            "column_filters": column_filters,
            "table": table,
            "header_cells": table.header_cells(request.GET),
            "headline": ranking.headline(rows),
            "pct_names": _candidates(everyone),
            "competencies": competencies,
            "query_without_page": _query_without(request, "page"),
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


def _candidates(rows) -> list[search.Candidate]:
    """The ranked rows' PCTs, to search or to offer as the reader types, in name order."""
    pcts = (search.Candidate(row.scorecard.pct_code, row.scorecard.pct_name) for row in rows)
    return sorted(pcts, key=lambda pct: pct.name.casefold())


def _league_table(request, rows, competencies, extra_columns=()) -> LeagueTable:
    table = LeagueTable(rows, competencies, extra_columns)
    RequestConfig(request, paginate={"per_page": ROWS_PER_PAGE}).configure(table)
    return table


def _table_export(request, table, year, method, stem="wcc-league"):
    """The table's rows as a download when ?_export= asks for one."""
    export_format = request.GET.get("_export")
    if export_format not in exports.FORMATS:
        return None
    notice = exports.ILLUSTRATIVE if year.is_illustrative else exports.OFFICIAL
    frame = exports.table_frame(table, notice, year=year.label, method=method.slug)
    suffix = "-illustrative" if year.is_illustrative else ""
    filename = f"{stem}-{year.slug}-{method.slug}{suffix}"
    dictionary = exports.data_dictionary(table)
    return exports.export_response(frame, export_format, filename, notice, dictionary=dictionary)


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


@dataclass(frozen=True)
class ChartPage:
    """A page's charts as ranked by `method` over `timeline`; `stem` names their downloads."""

    method: ranking.RankingMethod
    timeline: list
    charts: list
    stem: str

    def context(self) -> dict:
        """What every chart page's template needs besides its own facts."""
        illustrative = [year.label for year in self.timeline if year.is_illustrative]
        return {
            "method": self.method,
            "methods": ranking.METHODS.values(),
            "timeline": self.timeline,
            "charts": self.charts,
            "chart_file_stem": self.stem,
            "plotly_js": PLOTLY_JS,
            # The banner include expects a year; these pages show several.
            "banner": SimpleNamespace(
                is_illustrative=bool(illustrative), label=" and ".join(illustrative), note=""
            ),
        }

    def csv_response(self, slug: str):
        """One chart's records as CSV, labelled illustrative when any of its years is."""
        chart = next((c for c in self.charts if c.slug == slug), None)
        if chart is None:
            raise Http404("No such chart on this page.")
        illustrative = any(year.is_illustrative for year in self.timeline)
        notice = exports.ILLUSTRATIVE if illustrative else exports.OFFICIAL
        filename = f"{self.stem}-{chart.slug}{'-illustrative' if illustrative else ''}"
        return exports.records_response(chart.records, filename, notice)


def chart_data(charts_of, parameters):
    """A view serving the CSV of one chart of the page whose charts `charts_of` builds from
    the query `parameters`."""

    @require_GET
    @cached_for_readers(*parameters)
    def view(request, chart, **kwargs):
        return charts_of(request, **kwargs).csv_response(chart)

    return view


# A PCT's profile ---------------------------------------------------------------------------


def _pct_scorecard(timeline, code: str):
    latest = timeline[-1].by_code.get(code.upper())
    if latest is None:
        raise Http404(f"No PCT has the code {code!r}.")
    return latest.scorecard


def _pct_charts(request, code) -> ChartPage:
    method, timeline = _timeline(request)
    pct = _pct_scorecard(timeline, code)
    charts = profile.charts(timeline, pct)
    return ChartPage(method, timeline, charts, f"wcc-pct-{pct.pct_code}-{method.slug}")


@require_GET
@cached_for_readers(*CHART_PARAMETERS)
def pct_profile(request, code):
    page = _pct_charts(request, code)
    pct = _pct_scorecard(page.timeline, code)
    return render(
        request,
        "leaguetable/pct.html",
        {
            "pct": pct,
            **_years_side_by_side(page.timeline, pct.pct_code),
            "explanations": _explanations(page.timeline, pct.pct_code, page.method),
            "added_sections": extensions.profile_sections(request, pct.pct_code),
            "corrections": _corrections(page.timeline, pct.pct_code),
        }
        | page.context(),
    )


def _corrections(timeline, code: str) -> list:
    """Corrections to the PCT's published results, asked for only when a year says there are."""
    if not any(
        year.by_code[code].scorecard.corrected_on for year in timeline if code in year.by_code
    ):
        return []
    return queries.pct_corrections(code, queries.published_years())


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


# An SHA's page -----------------------------------------------------------------------------


def _sha_rows(timeline, year, code: str) -> list:
    rows = [row for row in year.rows if row.scorecard.sha_code == code.upper()]
    if not rows:
        raise Http404(f"No SHA has the code {code!r}.")
    return rows


def _sha_charts(request, code) -> ChartPage:
    method, timeline = _timeline(request)
    code = code.upper()
    sha_name = _sha_rows(timeline, timeline[-1], code)[0].scorecard.sha_name
    charts = sha.charts(timeline, code, sha_name)
    return ChartPage(method, timeline, charts, f"wcc-sha-{code}-{method.slug}")


@require_GET
@cached_for_readers(*SHA_PARAMETERS)
def sha_page(request, code):
    page = _sha_charts(request, code)
    year = _pick_year(page.timeline, request.GET.get("year"))
    rows = _sha_rows(page.timeline, year, code)
    # Other apps' columns (the flag marker) for logged-in readers: the SHA's open flags.
    record = queries.published_year(year.slug, queries.published_years())
    added = extensions.league_columns(request, record) if record is not None else []
    table = _league_table(request, rows, year.competencies, added)
    if (download := _table_export(request, table, year, page.method, page.stem)) is not None:
        return download
    return render(
        request,
        "leaguetable/sha.html",
        {
            "sha_code": code.upper(),
            "sha_name": rows[0].scorecard.sha_name,
            "year": year,
            "table": table,
            "header_cells": table.header_cells(request.GET),
            "headline": ranking.headline(rows),
            "export_formats": exports.FORMATS,
        }
        | page.context(),
    )


# England -----------------------------------------------------------------------------------


def _overview_charts(request) -> ChartPage:
    method, timeline = _timeline(request)
    return ChartPage(method, timeline, overview.charts(timeline), f"wcc-overview-{method.slug}")


@require_GET
@cached_for_readers(*CHART_PARAMETERS)
def national_overview(request):
    return render(request, "leaguetable/overview.html", _overview_charts(request).context())


# Two to six PCTs side by side --------------------------------------------------------------


def _compare_form(request, latest) -> CompareForm:
    data = request.GET if "pct" in request.GET else None
    return CompareForm(data, candidates=_candidates(latest.rows))


def _compare_charts(request) -> ChartPage:
    method, timeline = _timeline(request)
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
    chosen = {"form": form, "pct_names": form.candidates}
    if not form.is_valid():
        return render(request, "leaguetable/compare.html", chosen | page.context())
    pcts = [page.timeline[-1].by_code[code].scorecard for code in form.cleaned_data["pct"]]
    return render(
        request,
        "leaguetable/compare.html",
        chosen | {"pcts": pcts, **_pcts_side_by_side(page.timeline, pcts)} | page.context(),
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


pct_chart_data = chart_data(_pct_charts, CHART_PARAMETERS)
sha_chart_data = chart_data(_sha_charts, CHART_PARAMETERS)
overview_chart_data = chart_data(_overview_charts, CHART_PARAMETERS)
compare_chart_data = chart_data(_compare_charts, COMPARE_PARAMETERS)


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
