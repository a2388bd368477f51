"""League table pages: thin views over queries, ranking, filters and tables."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from assurance import roles
from assurance.models import PCT, AssessmentYear
from leaguetable import exports, queries, ranking
from leaguetable.filters import LeagueFilter
from leaguetable.tables import LeagueTable

# 152 PCTs fit on one page; the paging only matters for large generated data sets.
ROWS_PER_PAGE = 200


def _pick_year(years: list[AssessmentYear], slug: str | None) -> AssessmentYear:
    if slug is None:
        if not years:
            raise Http404("No assurance year has been published yet.")
        return years[-1]
    start_year = AssessmentYear.start_year_from_slug(slug)
    for year in years:
        if year.start_year == start_year:
            return year
    raise Http404(f"No published assurance year {slug!r}.")


def _page_cache_key(request, year, previous) -> str:
    query = sorted(request.GET.lists())
    fingerprint = hashlib.sha256(repr((request.path, query)).encode()).hexdigest()
    previous_revision = previous.revision if previous else "-"
    return f"league-page:{year.pk}.{year.revision}.{previous_revision}:{fingerprint}"


@require_GET
def league(request, year_slug=None):
    years = queries.published_years()
    year = _pick_year(years, year_slug)
    previous = queries.previous_year(year, years)
    # Published results change only through assurance.actions, which bumps the year's revision,
    # so a page for anonymous readers can be served from cache until then.
    cache_key = None
    if not request.user.is_authenticated:
        cache_key = _page_cache_key(request, year, previous)
        if (response := cache.get(cache_key)) is not None:
            return response

    response = _league_response(request, year, previous, years)
    if cache_key is not None and response.status_code == 200:
        cache.set(cache_key, response, settings.LEAGUE_CACHE_SECONDS)
    return response


def _league_response(request, year, previous, years):
    method = ranking.METHODS.get(request.GET.get("method"), ranking.METHODS[ranking.DEFAULT_METHOD])
    rows = queries.ranked_rows(year, previous, method)
    filterset = LeagueFilter(request.GET or None, queryset=PCT.objects.all(), year=year)
    if filterset.is_bound and not filterset.is_valid():
        rows = []
    elif filterset.is_active:
        codes = filterset.pct_codes()
        rows = [row for row in rows if row.result.pct_code in codes]

    competencies = queries.year_competencies(year)
    # Only logged-in users may see flags, and their pages are never cached (see league()).
    flags = None
    if roles.may_see_flags(request.user):
        flags = queries.open_flags(year, roles.flag_scope(request.user))
    table = LeagueTable(rows, competencies, flags=flags)
    RequestConfig(request, paginate={"per_page": ROWS_PER_PAGE}).configure(table)

    export_format = request.GET.get("_export")
    if export_format in exports.FORMATS:
        notice = exports.ILLUSTRATIVE if year.is_illustrative else exports.OFFICIAL
        frame = exports.league_frame(list(table.data), [c.number for c in competencies], notice)
        suffix = "-illustrative" if year.is_illustrative else ""
        filename = f"wcc-league-{year.slug}-{method.slug}{suffix}"
        return exports.export_response(frame, export_format, filename, notice)

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


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in (*names, "_export"):
        query.pop(name, None)
    return query.urlencode()


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
