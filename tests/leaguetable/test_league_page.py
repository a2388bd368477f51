"""The league table page: ranking on screen, sorting, filtering, exports, caching, queries."""

import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from assurance import actions
from assurance.decisions import PanelDecision
from assurance.models import PCT, AssessmentYear
from assurance.vocabulary import RAG_POINTS
from leaguetable import exports, ranking
from leaguetable.tables import LeagueTable
from tests import pages
from tests.factories import (
    AssessmentFactory,
    AssessmentYearFactory,
    PCTFactory,
    SHAFactory,
    build_league,
)

pytestmark = pytest.mark.django_db

ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)
TAG = re.compile(r"<[^>]+>")


def table_rows(response) -> list[list[str]]:
    """The body cells of the league table as text, row by row."""
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    return [[TAG.sub("", cell).strip() for cell in CELL.findall(row)] for row in ROW.findall(body)]


def shown_codes(response) -> list[str]:
    return re.findall(r'class="code">([^<]+)<', response.content.decode().split("<tbody>")[1])


def test_the_home_page_shows_the_latest_published_year_for_all_152_pcts(client, demo_data):
    response = client.get("/")
    assert response.status_code == 200
    assert "WCC league table 2009/10" in response.content.decode()
    assert len(table_rows(response)) == 152


def test_the_table_is_in_rank_order_by_the_default_method(client, demo_data):
    rows = table_rows(client.get("/league/2008-09/"))
    ranks = [int(row[0].lstrip("=")) for row in rows]
    assert ranks == sorted(ranks)
    assert ranks[0] == 1


def test_year_one_leaders_top_the_illustrative_table(client, demo_data):
    top_three = set(shown_codes(client.get("/league/2008-09/"))[:3])
    assert top_three == {"5PG", "5C4", "5QL"}


def test_every_page_with_demo_data_says_it_is_illustrative(client, demo_data):
    for url in ("/", "/league/2008-09/", "/?sha=Q36"):
        content = client.get(url).content.decode()
        assert "Illustrative data" in content
        assert "not the official WCC assurance results" in content


def test_official_results_carry_no_illustrative_banner(client):
    AssessmentFactory(year=AssessmentYearFactory(start_year=2009), scores={1: 2})
    content = client.get("/").content.decode()
    assert "Illustrative data" not in content


def test_an_unknown_or_draft_year_is_not_found(client, demo_data):
    assert client.get("/league/2010-11/").status_code == 404  # draft
    assert client.get("/league/2011-12/").status_code == 404
    assert client.get("/league/nonsense/").status_code == 404


def test_with_no_published_year_the_home_page_says_so(client, db):
    response = client.get("/")
    assert response.status_code == 404


@pytest.mark.parametrize("column", ["c4", "total", "sha", "pct", "strategy", "movement"])
@pytest.mark.parametrize("prefix", ["", "-"])
def test_every_column_sorts(client, demo_data, column, prefix):
    response = client.get(f"/?sort={prefix}{column}")
    expected = sorted_codes(demo_data_rows(), column, descending=prefix == "-")
    assert shown_codes(response) == expected


def demo_data_competencies():
    from leaguetable import queries

    return queries.year_competencies(queries.public_years()[-1])


def demo_data_rows():
    from leaguetable import computed, queries

    years = queries.public_years()
    return computed.ranked_rows(years[-1], years[-2], ranking.METHODS["governance"])


def sorted_codes(rows, column, descending):
    values = {
        "c4": lambda row: row.scorecard.scores.get(4),
        "total": lambda row: row.scorecard.total,
        "sha": lambda row: row.scorecard.sha_name,
        "pct": lambda row: row.scorecard.pct_name,
        "strategy": lambda row: RAG_POINTS.get(row.scorecard.strategy),
        "movement": lambda row: row.movement,
    }
    return [r.scorecard.pct_code for r in ranking.sort_rows(rows, values[column], descending)]


def test_sorting_by_a_competency_descending_gives_non_increasing_scores(client, demo_data):
    c4 = [row["C4"] for row in pages.table_rows(client.get("/?sort=-c4"))]
    scored = [int(score) for score in c4 if score != "–"]
    assert scored == sorted(scored, reverse=True)
    assert len(set(scored)) > 1
    assert c4[len(scored) :] == ["–"] * (len(c4) - len(scored))  # the PCTs not assessed last


def test_the_sorted_column_is_announced_to_screen_readers(client, demo_data):
    content = client.get("/?sort=-total").content.decode()
    assert re.search(r'<th[^>]*aria-sort="descending"[^>]*><a href="\?sort=total">Total', content)


def test_filtering_by_sha_keeps_national_ranks(client, demo_data):
    everyone = {row[1]: row[0] for row in table_rows(client.get("/"))}
    london = table_rows(client.get("/?sha=Q36"))
    assert len(london) == 31
    assert all(row[10] == "London SHA" for row in london)  # after the likely rank
    assert all(everyone[row[1]] == row[0] for row in london)


def test_filtering_by_three_reds_shows_only_triple_red_pcts(client, demo_data):
    rows = table_rows(client.get("/league/2008-09/?pattern=triple-red"))
    assert len(rows) == 2
    assert all(row[3:6] == ["Red", "Red", "Red"] for row in rows)


@pytest.mark.parametrize(
    ("pattern", "predicate"),
    [
        ("triple-green", lambda r: r.is_triple_green),
        ("triple-red", lambda r: r.is_triple_red),
        ("any-red", lambda r: r.reds > 0),
        ("no-red", lambda r: r.assessed and r.reds == 0),
        ("red-finance", lambda r: r.finance == "R"),
    ],
)
def test_rating_patterns_agree_with_the_ranking_rules(client, demo_data, pattern, predicate):
    from leaguetable import queries

    year = AssessmentYear.objects.get(start_year=2008)
    expected = {r.pct_code for r in queries.year_scorecards(year) if predicate(r)}
    assert expected
    assert set(shown_codes(client.get(f"/league/2008-09/?pattern={pattern}"))) == expected


@pytest.mark.parametrize(("query", "expected"), [("5c4", ["5C4"]), ("tower ham", ["5C4"])])
def test_search_finds_a_pct_by_code_or_name(client, demo_data, query, expected):
    assert shown_codes(client.get("/", {"q": query})) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("NHS Somerset", "5QL"),  # the name Somerset PCT used from 2009
        ("somerset", "5QL"),
        ("5QL", "5QL"),
        ("5ql", "5QL"),
        ("stoke-on-trent", "5PJ"),
        ("STOKE ON TRENT", "5PJ"),
        ("hull", "5NX"),
        ("NHS Hull", "5NX"),
        ("heart of birmingham", "5MX"),
        ("Bolton Teaching PCT", "5HQ"),  # Bolton PCT's name in the ONS list of 2012
    ],
)
def test_search_forgives_case_punctuation_and_the_nhs_names(client, demo_data, query, expected):
    assert expected in [row["code"] for row in pages.table_rows(client.get("/", {"q": query}))]


def test_searching_somerset_shows_every_somerset_pct_in_table_order(client, demo_data):
    everyone = [row["code"] for row in pages.table_rows(client.get("/"))]
    somersets = {"5QL", "5M8", "5FL"}  # Somerset, North Somerset, Bath and North East Somerset
    shown = [row["code"] for row in pages.table_rows(client.get("/", {"q": "somerset"}))]
    assert shown == [code for code in everyone if code in somersets]


def test_searching_hull_finds_hull_and_not_solihull(client, demo_data):
    rows = pages.table_rows(client.get("/", {"q": "hull"}))
    assert [row["code"] for row in rows] == ["5NX"]  # Hull Teaching PCT; not TAM, Solihull


def test_a_search_inside_a_word_finds_a_pct_when_nothing_better_does(client, demo_data):
    assert [row["code"] for row in pages.table_rows(client.get("/", {"q": "olihull"}))] == ["TAM"]


def test_within_an_sha_without_hull_hull_finds_solihull(client, demo_data):
    rows = pages.table_rows(client.get("/", {"q": "hull", "sha": "Q34"}))  # West Midlands
    assert [row["code"] for row in rows] == ["TAM"]


def test_a_code_matches_whole_or_not_at_all(client, demo_data):
    assert pages.table_rows(client.get("/", {"q": "5Q"})) == []


def test_the_search_box_offers_every_pct_name_with_its_code(client, demo_data):
    page = pages.soup(client.get("/league/2008-09/"))
    box = page.select_one("input[name=q]")
    options = page.select(f"datalist#{box['list']} option")
    offered = {option["value"]: option.get_text(strip=True) for option in options}
    assert len(offered) == 152
    assert offered["Somerset PCT"] == "5QL"
    assert offered["Hull Teaching PCT"] == "5NX"


def test_an_unknown_sha_is_reported_next_to_the_field_and_shows_no_rows(client, demo_data):
    response = client.get("/?sha=Q99")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="error"' in content
    assert "Select a valid choice" in content
    assert table_rows(response) == []
    assert "No PCTs match these filters" in content


def test_headline_figures_describe_the_rows_shown(client, demo_data):
    content = client.get("/league/2008-09/").content.decode()
    assert re.search(r"<dt>Triple green</dt><dd>27</dd>", content)
    assert re.search(r"<dt>Triple red</dt><dd>2</dd>", content)
    filtered = client.get("/league/2008-09/?pattern=triple-red").content.decode()
    assert re.search(r"<dt>Triple green</dt><dd>0</dd>", filtered)
    assert re.search(r"<dt>PCTs shown</dt><dd>2</dd>", filtered)


def test_a_pct_without_an_assessment_is_shown_as_not_assessed_never_zero(client):
    year = AssessmentYearFactory(start_year=2009, competencies=[1, 2])
    AssessmentFactory(year=year, scores={1: 3, 2: 3})
    PCTFactory(name="Unassessed PCT", code="UNA")
    rows = table_rows(client.get("/"))
    unassessed = next(row for row in rows if "UNA" in row[1])
    assert unassessed[0] == "Not assessed"
    assert "0" not in unassessed[1:]
    assert rows[-1] is unassessed


def test_ties_are_shown_with_an_equals_sign(client):
    year = AssessmentYearFactory(start_year=2009, competencies=[1])
    for _ in range(2):
        AssessmentFactory(year=year, scores={1: 2})
    assert [row[0] for row in table_rows(client.get("/"))] == ["=1", "=1"]


def test_movement_compares_with_the_previous_published_year(client):
    sha = SHAFactory()
    up, down = PCTFactory(sha=sha, code="UPP"), PCTFactory(sha=sha, code="DWN")
    last, this = AssessmentYearFactory(start_year=2008), AssessmentYearFactory(start_year=2009)
    AssessmentFactory(pct=down, year=last, strategy="G")
    AssessmentFactory(pct=up, year=last)
    AssessmentFactory(pct=up, year=this, strategy="G")
    AssessmentFactory(pct=down, year=this)
    response = client.get("/")
    moves = {row["code"]: row["Move"] for row in pages.table_rows(response)}
    assert moves == {"UPP": "▲ up 1", "DWN": "▼ down 1"}


def test_the_method_can_be_chosen_and_changes_the_order(client):
    year = AssessmentYearFactory(start_year=2009, competencies=[1, 2])
    AssessmentFactory(year=year, pct=PCTFactory(code="GRN"), strategy="G", scores={1: 1, 2: 1})
    AssessmentFactory(year=year, pct=PCTFactory(code="SCR"), scores={1: 4, 2: 4})
    assert shown_codes(client.get("/"))[0] == "GRN"
    assert shown_codes(client.get("/?method=competency"))[0] == "SCR"
    assert shown_codes(client.get("/?method=no-such-method"))[0] == "GRN"


EXPORT_URLS = ["/", "/?sort=-c4", "/?sha=Q36&sort=sha", "/league/2008-09/?pattern=any-red"]


def exported_codes(client, url, fmt):
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}_export={fmt}")
    assert response.status_code == 200
    assert "illustrative" in response["Content-Disposition"]
    if fmt == "csv":
        frame = pd.read_csv(io.BytesIO(response.content), dtype={"pct_code": str})
    elif fmt == "xlsx":
        frame = pd.read_excel(
            io.BytesIO(response.content), sheet_name="League table", engine="openpyxl"
        )
    else:
        document = json.loads(response.content)
        assert "ILLUSTRATIVE" in document["notice"]
        frame = pd.DataFrame(document["rows"])
    assert frame["data_status"].str.contains("ILLUSTRATIVE").all()
    # Blank ranks (PCTs not assessed) would make pandas read whole numbers as floats.
    frame[["rank", "total"]] = frame[["rank", "total"]].astype("Int64")
    return frame


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("url", EXPORT_URLS)
def test_exports_hold_exactly_the_rows_and_order_shown(client, demo_data, url, fmt):
    frame = exported_codes(client, url, fmt)
    screen = table_rows(client.get(url))
    assert list(frame["pct_code"].astype(str)) == shown_codes(client.get(url))
    first = frame.iloc[0]
    assert f"{'=' if first['rank_shared'] else ''}{first['rank']}" == screen[0][0]
    assert str(first["total"]) == screen[0][-1]


def test_exports_keep_not_assessed_as_blank_not_zero(client):
    year = AssessmentYearFactory(start_year=2009, competencies=[1])
    AssessmentFactory(year=year, scores={1: 3})
    PCTFactory(code="UNA")
    frame = pd.read_csv(io.BytesIO(client.get("/?_export=csv").content))
    unassessed = frame[frame["pct_code"] == "UNA"].iloc[0]
    assert pd.isna(unassessed["total"]) and pd.isna(unassessed["c1"])
    assert pd.isna(unassessed["rank"])


def test_exports_neutralise_spreadsheet_formulas_in_names(client):
    year = AssessmentYearFactory(start_year=2009, competencies=[1])
    AssessmentFactory(year=year, pct=PCTFactory(name="=HYPERLINK(1)"), scores={1: 3})
    frame = pd.read_csv(io.BytesIO(client.get("/?_export=csv").content))
    assert frame["pct_name"].iloc[0] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("name", ["＝HYPERLINK(1)", "＋SUM(1)", "－1+2", "＠cmd", "−1+2"])
def test_exports_neutralise_unicode_look_alikes_of_formula_signs(client, name):
    year = AssessmentYearFactory(start_year=2009, competencies=[1])
    AssessmentFactory(year=year, pct=PCTFactory(name=name), scores={1: 3})
    frame = pd.read_csv(io.BytesIO(client.get("/?_export=csv").content))
    assert frame["pct_name"].iloc[0] == "'" + name


def test_a_published_correction_is_shown_at_once_despite_the_cache(
    client, demo_data, django_capture_on_commit_callbacks
):
    year = AssessmentYear.objects.get(start_year=2009)
    before = client.get("/?q=5C4")
    assert shown_codes(before) == ["5C4"]
    results = [
        PanelDecision(
            pct_code="5C4", strategy="R", finance="R", board_governance="R", scores={1: 1}
        )
    ]
    with django_capture_on_commit_callbacks(execute=True):
        actions.replace_year_results(year=year, results=results)
    after = table_rows(client.get("/?q=5C4"))
    assert after[0][3:6] == ["Red", "Red", "Red"]


def test_publishing_a_year_makes_it_the_home_page(
    client, demo_data, django_capture_on_commit_callbacks
):
    assert "2009/10" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_year(year=AssessmentYear.objects.get(start_year=2010), by=None)
    assert "WCC league table 2010/11" in client.get("/").content.decode()


# Queries: published years, then for each of the two years PCTs, assessments, scores and
# organisation changes, and the year's competencies. The SHAs offered come from the ranked rows,
# and the SHA, band and search filters keep ranked rows: none adds a query.
@pytest.mark.parametrize("pct_count", [3, 30])
# A search by name or code matches the ranked rows in Python, so it adds no query.
@pytest.mark.parametrize(
    ("query", "queries"),
    [("", 10), ("?sha={sha}&sort=-c2", 10), ("?q=pct", 10), ("?q=NHS+P&sha={sha}", 10)],
)
def test_the_league_page_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, pct_count, query, queries
):
    sha = build_league(pct_count)
    with django_assert_num_queries(queries):
        response = client.get("/" + query.format(sha=sha.code))
    assert len(table_rows(response)) == pct_count


def test_a_cached_league_page_runs_no_queries(client, django_assert_num_queries):
    build_league(5)
    client.get("/")
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


def test_the_methodology_page_documents_every_method_and_the_illustrative_data(client, demo_data):
    content = client.get("/methodology/").content.decode()
    for method in ranking.METHODS.values():
        assert method.name in content
    assert "illustrative" in content
    assert "Make sound financial investments" in content


def test_the_methodology_page_explains_bands_next_steps_and_the_spread_threshold(client, db):
    section = pages.soup(client.get("/methodology/")).select_one("h2#bands").find_next("ul")
    text = " ".join(section.get_text(" ", strip=True).split())
    assert "1 + ⌊4 × (rank − 1) ÷ the number of PCTs assessed that year⌋" in text
    assert "30 places or more" in text
    assert "strictly better" in text


def test_healthz_answers_ok(client, db):
    assert client.get("/healthz").content == b"ok"


def test_one_admin_cannot_rename_a_pct_the_public_has_seen_in_the_admin(
    admin_client, client, demo_data, django_capture_on_commit_callbacks
):
    """Names are in every public table: they come from fixtures/ (load_reference_data), not
    from one admin's edit in the Django admin."""
    pct = PCT.objects.get(code="5C4")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/assurance/pct/{pct.pk}/change/",
            {"code": "5C4", "name": "Renamed Tower Hamlets PCT", "sha": pct.sha_id},
        )
    assert response.status_code == 403
    assert "Renamed Tower Hamlets PCT" not in client.get("/?q=5C4").content.decode()
    assert shown_codes(client.get("/?q=5C4")) == ["5C4"]


def test_healthz_answers_over_plain_http_when_https_redirects_everything_else(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").content == b"ok"
    assert client.get("/methodology/").status_code == 301


@pytest.mark.parametrize("band", [1, 2, 3, 4])
def test_filtering_by_band_shows_that_quarter_of_englands_table(client, demo_data, band):
    """Band b holds ranks r with 1 + floor(4 (r - 1) / assessed) = b: worked from the page."""
    everyone = pages.table_rows(client.get("/league/2008-09/?method=competency"))
    assessed = sum(row["Rank"] != "Not assessed" for row in everyone)
    expected = [
        row["code"]
        for row in everyone
        if row["Rank"] != "Not assessed"
        and 1 + 4 * (int(row["Rank"].lstrip("=")) - 1) // assessed == band
    ]
    shown = pages.table_rows(client.get(f"/league/2008-09/?method=competency&band={band}"))
    assert [row["code"] for row in shown] == expected
    assert all(row["Band"] == str(band) for row in shown)
    headline = pages.soup(client.get("/league/2008-09/?method=competency"))
    counts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in headline.select(".headline dt")
    }
    band_label = next(label for label in counts if label.startswith(f"Band {band}"))
    assert counts[band_label].split(",")[0] == str(len(expected))


def test_a_band_filter_keeps_the_query_count_of_an_unfiltered_page(
    client, django_assert_num_queries
):
    build_league(8)  # all tied at =1, so all in band 1
    with django_assert_num_queries(10):
        response = client.get("/?band=1")
    assert len(table_rows(response)) == 8


def test_each_pct_shows_its_rank_under_every_method_and_wide_spreads_are_marked(client, demo_data):
    by_code = {row.scorecard.pct_code: row for row in demo_data_rows()}
    shown = pages.table_rows(client.get("/"))
    wide = 0
    for row in shown:
        standing = by_code[row["code"]].standing
        if standing is None:
            assert row["Rank"] == "Not assessed"
            continue
        ranks = " · ".join(str(standing.ranks[slug]) for slug in ranking.METHODS)
        assert row["By method"].startswith(ranks)
        assert ("depending on method" in row["By method"]) is standing.varies_widely
        wide += standing.varies_widely
        if standing.varies_widely:
            best, worst = min(standing.ranks.values()), max(standing.ranks.values())
            assert worst - best >= 30
            assert f"{best}" in row["By method"].split("ranked")[1]
    assert 0 < wide < len(shown)


def _sort_links(response) -> dict[str, str]:
    """Each column heading's sort link (what ?sort= asks), by the heading's text."""
    page = pages.soup(response)
    return {
        link.get_text(strip=True).rstrip(" ▲▼"): parse_qs(urlsplit(link["href"]).query)["sort"][0]
        for link in page.select("table.league thead th a[href]")
    }


BEST_WHEN_HIGHEST = {
    "Total": "total",
    "Mark": "mark",
    "Strategy": "strategy",
    "Finance": "finance",
    "Board": "board_governance",
    **{f"C{n}": f"c{n}" for n in range(1, 12)},
}


def test_the_first_click_on_a_column_where_higher_is_better_sorts_best_first(client, demo_data):
    """Like the rank's, the first sort of the total, each competency, the mark and each rating
    puts the best first; a second click turns it round."""
    links = _sort_links(client.get("/"))
    assert {heading: links[heading] for heading in BEST_WHEN_HIGHEST} == {
        heading: f"-{name}" for heading, name in BEST_WHEN_HIGHEST.items()
    }
    assert (links["Rank"], links["PCT"], links["Band"]) == ("rank", "pct", "band")
    rows = demo_data_rows()
    for heading, name in BEST_WHEN_HIGHEST.items():
        response = client.get(f"/?sort=-{name}")
        value = LeagueTable(rows, demo_data_competencies()).columns[name].column.value
        shown = [value(row) for row in rows if row.scorecard.pct_code == shown_codes(response)[0]]
        assert shown == [max(value(row) for row in rows if value(row) is not None)]
        assert _sort_links(response)[heading] == name


@pytest.mark.parametrize(
    ("query", "codes"),
    [("towerhamlets", ["5C4"]), ("east and north herts", ["5P3"]), ("Tower Hamlets", ["5C4"])],
)
def test_the_league_search_forgives_spaces_and_abbreviations(client, demo_data, query, codes):
    assert shown_codes(client.get("/league/2009-10/", {"q": query})) == codes


def test_a_misspelt_search_offers_the_closest_names_as_searches(client, demo_data):
    page = pages.soup(client.get("/", {"q": "Sommerset", "method": "competency"}))
    offer = page.select_one("p.did-you-mean")
    assert offer.get_text(" ", strip=True).startswith("Did you mean Somerset PCT ,")
    first = offer.select("a")[0]["href"]
    assert parse_qs(urlsplit(first).query) == {"q": ["5QL"], "method": ["competency"]}
    assert shown_codes(client.get("/" + first)) == ["5QL"]


@pytest.mark.parametrize(
    "query",
    ["?q=Atlantis", "?q=Birmigham", "?sha=Q36&q=Somerset", "?band=1&pattern=triple-red"],
)
def test_an_empty_result_offers_no_download(client, demo_data, query):
    page = pages.soup(client.get("/" + query))
    assert page.select_one("p.empty") is not None
    assert page.select("a[download]") == [] and page.select_one("p.downloads") is None


def test_a_result_with_rows_offers_its_downloads(client, demo_data):
    page = pages.soup(client.get("/?q=Somerset"))
    assert len(page.select("p.downloads a[download]")) == len(exports.FORMATS)


@pytest.mark.parametrize("query", ["", "?sha=Q36&band=1&sort=-c2", "?q=somerset"])
def test_a_warm_league_page_asks_the_database_nothing_even_uncached(
    client, demo_data, settings, django_assert_num_queries, query
):
    settings.LEAGUE_CACHE_SECONDS = 0  # every request renders the page
    client.get("/" + query)  # the year ranked, its competencies and SHAs kept with it
    with django_assert_num_queries(0):
        response = client.get("/" + query)
    assert table_rows(response)
