"""The read API answers with the pages' own rules: the league page's filters and sort, the
downloads' rows and columns, public years only; errors as JSON naming the problem; HTTP as the
issue asks (page cache, ETag and 304, compression, CORS, Cache-Control, a limit per address)."""

import gzip
import json

import pytest
from django.test import Client
from django.urls import resolve

from accounts import roles
from api.endpoints import OTHER_APPS_FILTERS, PARAMETERS, api
from api.schemas import FIELD_TYPES, download_columns
from assurance.models import PCT
from leaguetable.extensions import league_filter_names
from tests.factories import WatchlistFactory, make_user

pytestmark = pytest.mark.django_db

LEAGUE = "/api/v1/league/2009-10"


def answer(client, url, **headers):
    response = client.get(url, **headers)
    assert response["Content-Type"].startswith("application/json"), url
    return response, json.loads(response.content)


def every_row(client, url) -> list[dict]:
    """The rows of every page, following `next`."""
    rows = []
    while url:
        response, body = answer(client, url)
        assert response.status_code == 200, (url, body)
        rows += body["rows"]
        url = body["next"]
    return rows


def download_rows(client, path, query) -> list[dict]:
    """The rows of the league page's JSON download for the same query."""
    separator = "&" if query else ""
    response = client.get(f"{path}?{query}{separator}_export=json")
    assert response.status_code == 200
    return json.loads(response.content)["rows"]


@pytest.fixture
def group_token(demo_data):
    owner = make_user("olive", roles.ANALYST)
    pcts = PCT.objects.filter(code__in=["5C4", "5PG", "5QL"])
    return WatchlistFactory(owner=owner, pcts=list(pcts)).token


def test_league_rows_are_the_downloads_rows_under_the_pages_filters_and_sort(group_token):
    client = Client()
    queries = [
        "",
        "method=competency",
        "sha=Q36",
        "pattern=triple-green&method=equal-weight",
        "band=2&sort=-mark",
        "clearly=top&method=competency",
        "q=hertfordshire",
        "sort=c3",
        "sort=-c3&method=competency",
        "sort=-sha&per_page=7",
        f"group={group_token}",
    ]
    for query in queries:
        from_api = every_row(Client(), f"{LEAGUE}?{query}")
        assert from_api == download_rows(client, "/league/2009-10/", query), query
        assert from_api, query


def test_a_league_page_is_bounded_and_links_to_the_next(demo_data):
    _, body = answer(Client(), f"{LEAGUE}?per_page=10&page=2&sha=Q36")
    london = download_rows(Client(), "/league/2009-10/", "sha=Q36")
    assert (body["page"], body["per_page"], body["count"]) == (2, 10, len(london))
    assert body["pages"] == -(-len(london) // 10)
    assert body["rows"] == london[10:20]
    _, first = answer(Client(), f"{LEAGUE}?per_page=100")
    assert (first["pages"], len(first["rows"]), first["previous"]) == (2, 100, None)
    assert first["next"] == f"{LEAGUE}?per_page=100&page=2"
    _, second = answer(Client(), first["next"])
    assert (len(second["rows"]), second["next"]) == (52, None)
    assert second["previous"] == f"{LEAGUE}?page=1&per_page=100"


def test_a_pcts_record_is_its_row_of_each_public_years_download(demo_data):
    client = Client()
    response, body = answer(client, "/api/v1/pcts/5c4?method=equal-weight")
    assert response.status_code == 200
    assert (body["pct_code"], body["sha_code"], body["method"]) == ("5C4", "Q36", "equal-weight")
    expected = [
        next(row for row in download_rows(client, f"/league/{slug}/", "method=equal-weight")
             if row["pct_code"] == "5C4")
        for slug in ("2008-09", "2009-10")
    ]  # fmt: skip
    assert body["years"] == expected


def test_merged_pcts_name_their_predecessors_and_successor(demo_data):
    _, merged = answer(Client(), "/api/v1/pcts/5QV")
    assert {change["pct_code"] for change in merged["predecessors"]} == {"5P3", "5P4"}
    assert merged["successor"] is None
    assert merged["years"] == []  # formed in 2010: no public year has it yet
    _, predecessor = answer(Client(), "/api/v1/pcts/5P3")
    assert predecessor["successor"] == {
        "pct_code": "5QV",
        "pct_name": "Hertfordshire PCT",
        "kind": "merger",
        "effective": "2010-04-01",
    }


def test_years_and_shas_answer_public_years_only(demo_data):
    _, body = answer(Client(), "/api/v1/years")
    assert [year["slug"] for year in body["years"]] == ["2008-09", "2009-10"]
    assert [len(year["competencies"]) for year in body["years"]] == [10, 11]
    assert body["years"][1]["competencies"][10]["column"] == "c11"
    assert all(year["data_status"].startswith("ILLUSTRATIVE") for year in body["years"])
    _, sha = answer(Client(), "/api/v1/shas/q36")
    assert [year["year"] for year in sha["years"]] == ["2008/09", "2009/10"]
    london = download_rows(Client(), "/league/2009-10/", "sha=Q36")
    assert sha["years"][1]["assessed"] == sum(row["rank"] is not None for row in london)
    assert {pct["pct_code"] for pct in sha["pcts"]} >= {row["pct_code"] for row in london}


ERRORS = [
    ("/api/v1/pcts/5xx", 404, "No PCT has the code 5XX"),
    ("/api/v1/shas/Q99", 404, "No SHA has the code Q99"),
    ("/api/v1/league/2010-11", 404, "No published assurance year '2010-11'."),
    ("/api/v1/league/1999-00", 404, "No published assurance year '1999-00'."),
    (f"{LEAGUE}?method=bogus", 400, "method: Input should be"),
    (f"{LEAGUE}?band=9", 400, "band: Input should be less than or equal to 4"),
    (f"{LEAGUE}?per_page=1001", 400, "per_page: Input should be less than or equal to 1000"),
    (f"{LEAGUE}?page=0", 400, "page: Input should be greater than or equal to 1"),
    (f"{LEAGUE}?page=9", 404, "Page 9 is past the last page, 1"),
    (f"{LEAGUE}?sort=nonsense", 400, "Cannot sort by 'nonsense'"),
    (f"{LEAGUE}?sort=c3,-rank", 400, "Cannot sort by 'c3,-rank': sort by one of rank,"),
    (f"{LEAGUE}?sha=Q99", 400, "sha: Select a valid choice"),
    (f"{LEAGUE}?group=no-such-token", 404, "No saved group has the token no-such-token"),
    ("/api/v1/nothing-here", 404, "Nothing at /api/v1/nothing-here"),
    ("/api/v1/", 404, "Nothing at /api/v1/"),
]


def test_errors_are_json_naming_the_problem(demo_data):
    for url, status, detail in ERRORS:
        response, body = answer(Client(), url)
        assert response.status_code == status, url
        assert list(body) == ["detail"], url
        assert body["detail"].startswith(detail), (url, body)


def test_only_get_is_answered(demo_data):
    response = Client().post("/api/v1/years")
    assert response.status_code == 405
    assert json.loads(response.content) == {"detail": "POST is not allowed: the API answers GET"}
    assert response["Allow"] == "GET"


def test_any_origin_may_read_it_and_caches_must_revalidate(demo_data):
    client = Client()
    first = client.get("/api/v1/years")
    assert first["Access-Control-Allow-Origin"] == "*"
    assert set(first["Cache-Control"].split(", ")) == {"public", "no-cache"}
    again = client.get("/api/v1/years", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content) == (304, b"")
    assert again["Access-Control-Allow-Origin"] == "*"
    error = client.get("/api/v1/pcts/5XX")
    assert error["Access-Control-Allow-Origin"] == "*"
    assert "public" not in error.get("Cache-Control", "")
    preflight = client.options("/api/v1/years", HTTP_ORIGIN="https://example.org")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, OPTIONS"


def test_a_current_answer_comes_from_the_page_cache_compressed(
    demo_data, django_assert_num_queries
):
    client = Client()
    first = client.get(LEAGUE, {"sha": "Q36"})
    with django_assert_num_queries(0):  # from the cache alone
        hit = client.get(LEAGUE, {"sha": "Q36"}, HTTP_ACCEPT_ENCODING="gzip")
    assert hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(hit.content) == first.content
    assert hit["Access-Control-Allow-Origin"] == "*"
    # SessionMiddleware gives every request it sees a session: this one never reached it.
    assert hasattr(first.wsgi_request, "session")
    assert not hasattr(hit.wsgi_request, "session")


def test_an_unknown_method_is_refused_even_beside_a_cached_answer(demo_data):
    """The page reads ?method=bogus as the default; the API refuses it, cached or not."""
    client = Client()
    assert client.get(LEAGUE).status_code == 200
    assert client.get(LEAGUE, {"method": "bogus"}).status_code == 400


def test_each_operation_is_cached_on_the_query_parameters_it_documents(demo_data):
    for path, methods in api.get_openapi_schema()["paths"].items():
        documented = {p["name"] for p in methods["get"].get("parameters", []) if p["in"] == "query"}
        match = resolve(path.replace("{year}", "2009-10").replace("{code}", "X"))
        others = set(league_filter_names()) if match.url_name in OTHER_APPS_FILTERS else set()
        assert set(match.func.parameters_read) | others == documented, path
        assert set(PARAMETERS[match.url_name]) | others == documented, path


def test_every_download_column_has_a_type_in_the_schema():
    untyped = [
        name for name, whole, _ in download_columns() if not whole and name not in FIELD_TYPES
    ]
    assert untyped == [], "Name each new download column's type in api/schemas.py FIELD_TYPES"


def test_requests_per_address_are_limited_wherever_they_are_answered(demo_data, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    client = Client(REMOTE_ADDR="192.0.2.10")
    # The second and third are answered by the page cache: they count all the same.
    assert [client.get("/api/v1/shas").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/shas", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert refused.status_code == 429  # a client's own X-Forwarded-For is not believed
    assert json.loads(refused.content)["detail"].startswith("More than 3 requests a minute")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert Client(REMOTE_ADDR="192.0.2.11").get("/api/v1/shas").status_code == 200


def test_behind_a_trusted_proxy_each_forwarded_address_has_its_own_limit(demo_data, settings):
    settings.API_REQUESTS_PER_MINUTE = 1
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]
    proxy = Client(REMOTE_ADDR="10.1.0.5")
    first = proxy.get("/api/v1/shas", HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = proxy.get("/api/v1/shas", HTTP_X_FORWARDED_FOR="198.51.100.2")
    again = proxy.get("/api/v1/shas", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert [first.status_code, second.status_code, again.status_code] == [200, 200, 429]


def test_the_documentation_page_lists_every_operation_from_local_files(demo_data):
    from tests.pages import soup

    page = soup(Client().get("/api/"))
    listed = {code.get_text() for code in page.select("table.api-operations th[scope=row] code")}
    assert listed == set(api.get_openapi_schema()["paths"])
    assert page.select_one("table.api-operations caption")
    external = [
        tag.get("src") or tag.get("href")
        for tag in page.select("[src], link[href]")
        if "//" in (tag.get("src") or tag.get("href"))
    ]
    assert external == []
    assert page.select_one("code#python-example") and page.select_one("code#r-example")


# Queries per answer once the year's rankings are built (the page cache off): the same at 152
# PCTs as at 15,000, since none reads a row per PCT.
QUERIES = {
    "/api/v1/years": 0,
    "/api/v1/league/2009-10": 0,
    "/api/v1/league/2009-10?sha=Q36&pattern=any-red&sort=-mark": 1,  # the PCTs matching
    "/api/v1/pcts": 2,  # PCTs with SHAs, organisation changes
    "/api/v1/pcts/5C4": 2,
    "/api/v1/shas/Q36": 3,
}


def test_each_answer_runs_a_fixed_number_of_queries(demo_data, settings, django_assert_num_queries):
    settings.LEAGUE_CACHE_SECONDS = 0
    client = Client()
    for url, count in QUERIES.items():
        assert client.get(url).status_code == 200, url  # rankings built and memoised
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200, url


def test_a_correction_shows_at_once_despite_the_page_cache(
    flag_world, django_capture_on_commit_callbacks
):
    client = Client()
    _, before = answer(client, "/api/v1/pcts/5K5")
    assert answer(client, "/api/v1/pcts/5K5")[1] == before  # stored, and served again
    with django_capture_on_commit_callbacks(execute=True):
        flag_world.correct_5k5()
    _, after = answer(client, "/api/v1/pcts/5K5")
    assert [(row["c1"], row["c2"]) for row in before["years"]] == [(3, 3)]
    assert [(row["c1"], row["c2"]) for row in after["years"]] == [(1, 1)]
    assert after["years"][0]["correction_reason"] == "Scores entered against the wrong PCT"


def test_a_saved_groups_table_is_built_afresh_not_stored(group_token):
    """A group changes without any year's revision changing: its answers are never stored."""
    from watchlists.models import Watchlist

    url = f"{LEAGUE}?group={group_token}"
    codes = {row["pct_code"] for row in answer(Client(), url)[1]["rows"]}
    assert codes == {"5C4", "5PG", "5QL"}
    Watchlist.objects.get(token=group_token).pcts.remove(PCT.objects.get(code="5QL"))
    codes = {row["pct_code"] for row in answer(Client(), url)[1]["rows"]}
    assert codes == {"5C4", "5PG"}
