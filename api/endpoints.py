"""The read API's operations under /api/v1/: thin functions over api.records; django-ninja
checks their parameters and writes the OpenAPI 3.1 schema from the same type hints."""

from django.http import Http404
from ninja import NinjaAPI, Path, Query
from ninja.errors import ValidationError

from api import records, schemas
from leaguetable import ranking

api = NinjaAPI(
    title="WCC league table API",
    version="1",
    description=(
        "Read-only: the World Class Commissioning assurance results of every public year, as the "
        "dashboard's pages and downloads show them. League rows have the downloads' column names "
        "and every answer with results says its data_status, as the downloads do. Errors are "
        '{"detail": "..."}. Documentation and examples: /api/.'
    ),
    urls_namespace="api",
    docs_url=None,  # django-ninja's page loads Swagger UI from a CDN: /api/ is our own
    openapi_url="/openapi.json",
)

ERRORS = {400: schemas.Error, 404: schemas.Error, 429: schemas.Error}
DEFAULT_METHOD = Query(ranking.DEFAULT_METHOD, description="The ranking method")
ANY_PATTERN = Query(None, description="Governance ratings pattern")
ANY_SURENESS = Query(
    None, description="Only PCTs whose whole rank interval lies in the top (or bottom) quarter"
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=404)


@api.exception_handler(records.BadRequest)
def bad_request(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    """django-ninja answers 422 with a list; a script reads one sentence naming each problem."""
    problems = "; ".join(
        f"{error['loc'][-1]}: {error['msg']}" if error.get("loc") else error["msg"]
        for error in exc.errors
    )
    return api.create_response(request, {"detail": problems}, status=400)


def _answer(request, data: dict):
    """`data` as JSON, as built: in the downloads' column order (pydantic would move each
    competency's score after the named columns), and not validated again on every request
    (tests/api/test_schema.py checks the answers against the schema)."""
    return api.create_response(request, data, status=200)


@api.get("/years", response={200: schemas.Years, **ERRORS}, url_name="years")
def year_list(request):
    """Every public year: its competencies, how many PCTs it assessed, its data status."""
    return _answer(request, records.year_list())


@api.get("/pcts", response={200: schemas.PCTs, **ERRORS}, url_name="pcts")
def pct_list(request):
    """Every PCT, with its SHA, what it was formed from and what it became."""
    return _answer(request, records.pct_list())


@api.get("/pcts/{code}", response={200: schemas.PCTRecord, **ERRORS}, url_name="pct")
def pct_record(
    request,
    code: str = Path(..., description="The PCT's ODS code: 5C4"),
    method: schemas.Method = DEFAULT_METHOD,
):
    """A PCT, and its row in every public year's league table under the method asked for."""
    return _answer(request, records.pct_record(code, ranking.METHODS[method]))


@api.get("/shas", response={200: schemas.SHAs, **ERRORS}, url_name="shas")
def sha_list(request):
    """Every SHA."""
    return _answer(request, records.sha_list())


@api.get("/shas/{code}", response={200: schemas.SHARecord, **ERRORS}, url_name="sha")
def sha_record(
    request,
    code: str = Path(..., description="The SHA's ODS code: Q36"),
    method: schemas.Method = DEFAULT_METHOD,
):
    """An SHA, its PCTs, and their summary in every public year."""
    return _answer(request, records.sha_record(code, ranking.METHODS[method]))


@api.get("/league/{year}", response={200: schemas.LeaguePage, **ERRORS}, url_name="league")
def league(
    request,
    year: str = Path(..., description="The year's slug, as /api/v1/years names it: 2009-10"),
    method: schemas.Method = DEFAULT_METHOD,
    sha: str | None = Query(None, description="An SHA's code: its PCTs only"),
    pattern: schemas.Pattern | None = ANY_PATTERN,
    band: int | None = Query(None, ge=1, le=4, description="Quarter of England's table"),
    clearly: schemas.Clearly | None = ANY_SURENESS,
    q: str | None = Query(None, description="A PCT's name or code, as the page's search"),
    group: str | None = Query(None, description="A saved group's share token: its PCTs only"),
    sort: str | None = Query(
        None,
        description="One column, as the page sorts it (rank, band, mark, pct, sha, c1, …), a "
        "leading - for descending; default: the table's order",
    ),
    page: int = Query(1, ge=1, description="Which page of rows"),
    per_page: int = Query(
        records.DEFAULT_PER_PAGE, ge=1, le=records.MAX_PER_PAGE, description="Rows a page"
    ),
):
    """A year's league table under the method asked for, filtered and sorted as the league page
    is, a page of rows at a time."""
    return _answer(
        request, records.league_page(request, year, ranking.METHODS[method], page, per_page)
    )


# The query parameters each operation reads (by URL name): the page cache keys on these alone.
# The league's saved group (?group=) is another app's filter (leaguetable.extensions): what it
# selects changes without a revision, so such an answer is built afresh, never stored.
OTHER_APPS_FILTERS = {"league"}
PARAMETERS = {
    "years": (),
    "pcts": (),
    "pct": ("method",),
    "shas": (),
    "sha": ("method",),
    "league": ("method", "sha", "pattern", "band", "clearly", "q", "sort", "page", "per_page"),
    "openapi-json": (),
}
