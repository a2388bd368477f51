"""The page cache for anonymous readers: each page declares the query parameters it reads."""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict

from assurance.models import AssessmentYear
from leaguetable import exports, extensions, queries, ranking

# The query parameters each cached page reads. Any other is dropped before the view runs and is
# no part of the cache key, so /?junk=1 … /?junk=200 is one cached page, not 200.
TABLE_PARAMETERS = ("sort", "page", "per_page", "_export")
# "group": a saved group's token (watchlists adds the filter through leaguetable.extensions).
LEAGUE_PARAMETERS = ("q", "sha", "pattern", "band", "method", "group", *TABLE_PARAMETERS)
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
            if any(name in request.GET for name in extensions.league_filter_names()):
                # What another app's filter selects (a saved group) changes without any year's
                # revision changing, so the page is built afresh every time.
                return view(request, *args, **kwargs)
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
