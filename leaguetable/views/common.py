"""What the reading pages share: picking the year and method, the table and its download, charts."""

import re
from dataclasses import dataclass
from types import SimpleNamespace

from django.http import Http404
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from leaguetable import computed, exports, queries, ranking, search, years
from leaguetable.ranked_table import ROWS_PER_PAGE
from leaguetable.staticfiles import PLOTLY_JS
from leaguetable.tables import LeagueTable
from leaguetable.views.caching import cached_for_readers, not_canonical


def method_of(request) -> ranking.RankingMethod:
    return ranking.METHODS.get(request.GET.get("method"), ranking.METHODS[ranking.DEFAULT_METHOD])


def league_table(request, rows, competencies, extra_columns=(), whole=None) -> LeagueTable:
    # django-tables2 takes any whole number, and a Paginator of -1 rows a page is a 500.
    per_page = request.GET.get("per_page")
    if per_page is not None and not (per_page.isdigit() and int(per_page) > 0):
        raise Http404(f"?per_page={per_page!r}: the rows a page shows are a whole number from 1.")
    table = LeagueTable(rows, competencies, extra_columns, whole=whole)
    RequestConfig(request, paginate={"per_page": ROWS_PER_PAGE}).configure(table)
    read_as = {
        "page": str(table.page.number) if hasattr(table, "page") else "1",
        "per_page": str(table.paginator.per_page) if hasattr(table, "paginator") else None,
        "sort": ",".join(table.order_by or ()),
    }
    if any(request.GET.get(name, value) != value for name, value in read_as.items()):
        not_canonical(request)
    return table


def table_export(request, table, year, method, stem="wcc-league", filters=()):
    """The table's rows as a download when ?_export= asks for one; its file name names the
    year, the method and each of `filters`, (name, value) pairs that narrow the rows."""
    export_format = request.GET.get("_export")
    if export_format not in exports.FORMATS:
        return None
    notice = exports.data_status([year])
    frame = exports.table_frame(table, notice, year=year.label, method=method.slug)
    suffix = "-illustrative" if year.is_illustrative else ""
    filename = f"{stem}-{year.slug}-{method.slug}{filters_in_name(filters)}{suffix}"
    dictionary = exports.data_dictionary(table)
    return exports.export_response(frame, export_format, filename, notice, dictionary=dictionary)


def filters_in_name(filters) -> str:
    """ "-sha-Q36-pattern-triple-green" for the (name, value) filters given a value, in order,
    each value cut to letters, digits and hyphens: a file name says what it holds."""
    parts = []
    for name, given in filters:
        value = re.sub(r"[^A-Za-z0-9]+", "-", given or "").strip("-")[:40]
        if value:
            parts.append(f"-{name}-{value}")
    return "".join(parts)


def query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in (*names, "_export"):
        query.pop(name, None)
    return query.urlencode()


def timeline_of(request):
    method = method_of(request)
    return method, computed.timeline(method, public_years_or_404())


def public_years_or_404() -> list:
    public = queries.public_years()
    years.public_year(None, public)  # Http404 when there is none
    return public


def banner_of(timeline) -> SimpleNamespace:
    """The illustrative-data banner's facts for pages showing several years (the banner
    include expects one year)."""
    illustrative = [year.label for year in timeline if year.is_illustrative]
    hypothetical = [year.label for year in timeline if year.is_hypothetical]
    return SimpleNamespace(
        is_illustrative=bool(illustrative),
        label=" and ".join(illustrative),
        is_hypothetical=bool(hypothetical),
        hypothetical_label=" and ".join(hypothetical),
        note="",
    )


@dataclass(frozen=True)
class ChartPage:
    """A page's charts as ranked by `method` over `timeline`; `stem` names their downloads."""

    method: ranking.RankingMethod
    timeline: list  # RankedYears, or the published years where only their facts are shown
    charts: list
    stem: str

    def context(self) -> dict:
        """What every chart page's template needs besides its own facts."""
        return {
            "method": self.method,
            "methods": ranking.METHODS.values(),
            "timeline": self.timeline,
            "charts": self.charts,
            "chart_file_stem": self.stem,
            "plotly_js": PLOTLY_JS,
            "banner": banner_of(self.timeline),
        }

    def csv_response(self, slug: str):
        """One chart's records as CSV, labelled illustrative when any of its years is."""
        chart = next((c for c in self.charts if c.slug == slug), None)
        if chart is None:
            raise Http404("No such chart on this page.")
        illustrative = any(year.is_illustrative for year in self.timeline)
        notice = exports.data_status(self.timeline)
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


def pct_on_record(timeline, code: str) -> ranking.PCTScorecard:
    """The PCT as its latest published year lists it; a PCT formed since (5QV) from the record."""
    for year in reversed(timeline):
        if (row := year.by_code.get(code.upper())) is not None:
            return row.scorecard
    if (scorecard := queries.pct_scorecard(code)) is None:
        raise Http404(f"No PCT has the code {code!r}.")
    return scorecard


def search_candidates(rows) -> list[search.Candidate]:
    return search.candidates_of(rows)
