"""The PCT, SHA, overview and comparison pages: data, links, downloads, offline, queries."""

import io
import json
import re
from html.parser import HTMLParser
from itertools import pairwise
from urllib.parse import urljoin, urlsplit

import pandas as pd
import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from assurance import actions
from assurance.models import AssessmentYear, CompetencyScore
from leaguetable import computed, queries, ranking
from leaguetable.staticfiles import PLOTLY_JS, check_plotly_bundle
from tests.factories import AssessmentFactory, AssessmentYearFactory, PCTFactory, build_league
from tests.pages import soup

pytestmark = pytest.mark.django_db

CHART_PAGES = [
    "/",
    "/pct/5C4/",
    "/sha/Q36/",
    "/overview/",
    "/compare/?pct=5C4&pct=5PG&pct=5QL",
]
EVERY_PAGE = ["/?q=Sommerset", "/methodology/", "/compare/", *CHART_PAGES]


class Tags(HTMLParser):
    """Every start tag of a page, in order, with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(content: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(content)
    return parser.tags


def rendered(client, urls) -> dict[str, str]:
    """Each page's HTML: one demo data load serves every page a test checks."""
    return {url: client.get(url).content.decode() for url in urls}


def figure(response, slug) -> dict:
    content = response if isinstance(response, str) else response.content.decode()
    found = re.search(
        rf'<script id="chart-{slug}-data" type="application/json">(.*?)</script>', content
    )
    return json.loads(found.group(1))


def dumbbell_row(fig, label) -> dict:
    """One row of a dumbbell chart: each marker trace's value by the trace's name."""
    row = {}
    for trace in fig["data"]:
        labels = [(text or "").replace("<br>", " ") for text in trace["y"]]
        if trace["mode"] == "markers" and label in labels:
            row[trace["name"]] = trace["x"][labels.index(label)]
    return row


def test_the_profiles_score_series_are_that_pcts_scores_in_the_database(client, demo_data):
    fig = figure(client.get("/pct/5C4/"), "competencies")
    scores = CompetencyScore.objects.filter(assessment__pct__code="5C4")
    for number in range(1, 12):
        expected = [
            scores.filter(assessment__year__start_year=start, competency__number=number)
            .values_list("score", flat=True)
            .first()
            for start in (2008, 2009)
        ]
        name = f"C{number} " + scores.filter(competency__number=number)[0].competency.name
        assert [dumbbell_row(fig, name)[year] for year in ("2008/09", "2009/10")] == expected
    assert expected[0] is None  # competency 11 was not scored in 2008/09


def published_ranks(pct_code) -> list[int | None]:
    """The PCT's rank by the default method in each published year, read from the ranked rows."""
    method = ranking.METHODS[ranking.DEFAULT_METHOD]
    years = queries.public_years()
    return [
        next(
            r.rank
            for r in computed.ranked_rows(year, None, method)
            if r.scorecard.pct_code == pct_code
        )
        for year in years
    ]


def test_the_profile_shows_the_pcts_ranks_and_ratings_each_year(client, demo_data):
    content = client.get("/pct/5C4/").content.decode()
    assert "<h1>Tower Hamlets PCT" in content
    assert '<a href="/sha/Q36/">London SHA</a>' in content
    assert '<a href="/league/2008-09/?q=5C4">2008/09</a>' in content
    ranks = published_ranks("5C4")
    assert ranks[0] == 1  # one of the three leaders of 2008/09
    assert figure(client.get("/pct/5C4/"), "rank")["data"][0]["y"] == ranks


def test_the_profile_follows_the_chosen_ranking_method(client):
    year = AssessmentYearFactory(start_year=2009, competencies=[1])
    AssessmentFactory(year=year, pct=PCTFactory(code="GRN"), strategy="G", scores={1: 1})
    AssessmentFactory(year=year, pct=PCTFactory(code="SCR"), scores={1: 4})
    assert figure(client.get("/pct/SCR/"), "rank")["data"][0]["y"] == [2]
    assert figure(client.get("/pct/SCR/?method=competency"), "rank")["data"][0]["y"] == [1]


def test_an_unknown_pct_sha_or_chart_is_not_found(client, demo_data):
    assert client.get("/pct/ZZZ/").status_code == 404
    assert client.get("/sha/Q99/").status_code == 404
    assert client.get("/overview/charts/nonsense.csv").status_code == 404
    assert client.get("/sha/Q36/?year=2010-11").status_code == 404  # a draft year


def test_with_no_published_year_the_chart_pages_say_so(client, db):
    for url in ("/pct/5C4/", "/overview/", "/compare/"):
        assert client.get(url).status_code == 404


def test_the_sha_page_lists_only_its_pcts_with_their_national_ranks(client, demo_data):
    national = {row[1]: row[0] for row in table_rows(client.get("/league/2008-09/"))}
    london = table_rows(client.get("/sha/Q36/?year=2008-09"))
    assert len(london) == 31
    assert all(national[row[1]] == row[0] for row in london)


def test_the_sha_pages_year_links_keep_the_ranking_method_and_sort(client, demo_data):
    content = client.get("/sha/Q36/?method=competency&sort=-total").content.decode()
    assert 'href="?method=competency&amp;sort=-total&amp;year=2008-09"' in content


def test_the_overview_shares_come_from_every_assessed_pct(client, demo_data):
    response = client.get("/overview/charts/governance.csv")
    frame = pd.read_csv(io.BytesIO(response.content))
    year_one_board = frame[(frame["year"] == "2008/09") & (frame["area"] == "Board governance")]
    assert year_one_board["green"].item() == 71  # as HSJ reported (DOMAIN.md)
    assert year_one_board["pcts_assessed"].item() == 152


def test_the_overview_shows_its_score_shares_as_a_shaded_table_of_the_csvs_figures(
    client, demo_data
):
    page = soup(client.get("/overview/"))
    table = page.select_one("table#chart-scores")
    assert page.select_one("#chart-scores-data") is None  # nothing for plotly to draw
    assert table.find_parent("figure").figcaption.get_text().endswith("(illustrative data)")
    frame = pd.read_csv(io.BytesIO(client.get("/overview/charts/scores.csv").content))
    years = [th.get_text(strip=True) for th in table.select('thead th[scope="colgroup"]')]
    assert years == ["2008/09", "2009/10"] == list(frame["year"].unique())
    rows = table.select("tbody tr")
    assert len(rows) == frame["competency_name"].nunique() == 11
    for row in rows:
        name = row.th.get_text(strip=True)
        texts = [cell.get_text(strip=True) for cell in row.select("td")]
        for index, year in enumerate(years):
            found = frame[(frame["competency_name"] == name) & (frame["year"] == year)]
            if found.empty:
                assert texts[4 * index : 4 * index + 4] == ["–"] * 4, (name, year)
                continue
            shares = [f"{found[f'score_{score}_share'].item():.0f}%" for score in (1, 2, 3, 4)]
            assert texts[4 * index : 4 * index + 4] == shares, (name, year)
    cells = table.select("td")
    unscored = [cell for cell in cells if cell.get_text() == "–"]
    assert len(unscored) == 4  # C11 was not scored in 2008/09: its cells unshaded
    assert all("background-color: #" in cell["style"] for cell in cells if cell not in unscored)


def table_rows(response) -> list[list[str]]:
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    cells = (re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S) for row in rows)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in row] for row in cells]


def test_every_pct_and_sha_name_in_the_league_table_links_to_its_page(client, demo_data):
    content = client.get("/").content.decode()
    assert len(re.findall(r'<a href="/pct/[0-9A-Z]{3}/">', content)) == 152
    assert len(re.findall(r'<a href="/sha/Q3\d/">', content)) == 152
    assert '<a href="/pct/5C4/">Tower Hamlets PCT</a>' in content


def test_pcts_ticked_in_the_league_table_are_sent_to_the_comparison(client, demo_data):
    page = tags(client.get("/").content.decode())
    form = next(attrs for tag, attrs in page if tag == "form" and attrs.get("id") == "compare-form")
    assert (form["action"], form["method"]) == ("/compare/", "get")
    boxes = [attrs for tag, attrs in page if tag == "input" and attrs.get("type") == "checkbox"]
    assert len(boxes) == 152
    assert all(box["form"] == "compare-form" and box["name"] == "pct" for box in boxes)
    assert all(box["aria-label"].startswith("Compare ") for box in boxes)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?pct=5C4", "Choose from 2 to 6 PCTs to compare; 1 was chosen."),
        ("?pct=5C4&pct=5c4", "Choose from 2 to 6 PCTs to compare; 1 was chosen."),
        (
            "?" + "&".join(f"pct={c}" for c in ("5C4", "5PG", "5QL", "5K5", "5K6", "5K7", "5K8")),
            "7 were chosen",
        ),
        ("?pct=5C4&pct=ZZZ", "No PCT has the name or code “ZZZ”."),
        ("?pct=", "0 were chosen"),
    ],
)
def test_the_comparison_explains_a_wrong_number_or_unknown_code(client, demo_data, query, message):
    response = client.get("/compare/" + query)
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert 'role="alert"' in content
    assert "chart-rank-data" not in content


def test_the_comparison_sets_the_pcts_side_by_side_in_the_order_given(client, demo_data):
    response = client.get("/compare/?pct=5pg&pct=5C4&method=competency")
    content = response.content.decode()
    assert content.index('<a href="/pct/5PG/">') < content.index('<a href="/pct/5C4/">')
    names = [trace["name"] for trace in figure(response, "rank")["data"]]
    assert names == ["Birmingham East and North PCT", "Tower Hamlets PCT"]
    assert 'value="5PG"' in content  # the form keeps the choice
    assert '<option value="competency" selected>' in content


def _compared_codes(response) -> list[str]:
    """The PCTs set side by side, in order, read from the links to their profiles."""
    table = soup(response).select_one("section[aria-labelledby=side-by-side-heading] table")
    if table is None:
        return []
    return [a["href"].split("/")[2] for a in table.select("thead a[href^='/pct/']")]


def _boxes(response) -> list[tuple[str, str]]:
    """(value, the error shown beside it) for each of the comparison's boxes."""
    page = soup(response)
    boxes = []
    for box in page.select("form.compare-form input[name=pct]"):
        error = page.select_one(f"#{box['id']}-error")
        boxes.append((box.get("value", ""), error.get_text(strip=True) if error else ""))
    return boxes


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        (["NHS Somerset", "hull"], ["5QL", "5NX"]),
        (["stoke-on-trent", "Tower Hamlets PCT", "5pg"], ["5PJ", "5C4", "5PG"]),
        (["Somerset", "heart of birm"], ["5QL", "5MX"]),
    ],
)
def test_the_comparison_takes_names_as_well_as_codes(client, demo_data, entries, expected):
    response = client.get("/compare/", {"pct": entries})
    assert _compared_codes(response) == expected
    assert [value for value, _ in _boxes(response)][: len(expected)] == expected


def test_a_pct_named_twice_in_the_comparison_counts_once(client, demo_data):
    content = client.get("/compare/", {"pct": ["Somerset", "5QL"]}).content.decode()
    assert "Choose from 2 to 6 PCTs to compare; 1 was chosen." in content


def test_an_ambiguous_name_is_an_error_beside_its_box_naming_the_candidates(client, demo_data):
    response = client.get("/compare/", {"pct": ["5C4", "birmingham"]})
    boxes = _boxes(response)
    assert boxes[0] == ("5C4", "")
    assert boxes[1] == (
        "birmingham",
        "“birmingham” could be Birmingham East and North PCT (5PG), "
        "Heart of Birmingham Teaching PCT (5MX), South Birmingham PCT (5M1): "
        "give the code or more of the name.",
    )
    box = soup(response).select_one("#id_pct_2")
    assert (box["aria-invalid"], box["aria-describedby"]) == ("true", "id_pct_2-error")
    assert _compared_codes(response) == []


def test_an_unknown_name_is_an_error_beside_its_box(client, demo_data):
    boxes = _boxes(client.get("/compare/", {"pct": ["Atlantis", "5C4"]}))
    assert boxes[0] == ("Atlantis", "No PCT has the name or code “Atlantis”.")
    assert boxes[1] == ("5C4", "")


def test_every_comparison_box_offers_every_pct_on_record(client, demo_data):
    page = soup(client.get("/compare/"))
    lists = {box["list"] for box in page.select("form.compare-form input[name=pct]")}
    assert len(lists) == 1
    options = page.select(f"datalist#{lists.pop()} option")
    offered = {option["value"]: option.get_text(strip=True) for option in options}
    assert len(offered) == 152 + 1  # with Hertfordshire PCT, formed after the latest public year
    assert offered["Hertfordshire PCT"] == "5QV"
    assert offered["Heart of Birmingham Teaching PCT"] == "5MX"


def test_the_comparison_page_without_a_choice_shows_the_form_and_no_error(client, demo_data):
    content = client.get("/compare/").content.decode()
    assert content.count('name="pct"') == 6
    assert 'class="error"' not in content


def test_every_chart_page_says_its_data_is_illustrative(client, demo_data):
    for url, content in rendered(client, CHART_PAGES).items():
        assert "not the official WCC assurance results" in content, url
        captions = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", content)
        assert captions, url
        assert all(caption.endswith("(illustrative data)") for caption in captions), url
        for slug in re.findall(r'data-figure="chart-([\w-]+)-data"', content):
            title = figure(content, slug)["layout"]["title"]["text"]
            assert title.endswith("(illustrative data)"), url


def test_every_charts_data_downloads_as_csv_labelled_illustrative(client, demo_data):
    for url in CHART_PAGES:
        figures = soup(client.get(url)).select("figure.chart")
        links = [figure.select_one("a[download]")["href"] for figure in figures]
        assert figures and all(links), url
        for link in links:
            assert urlsplit(link).path.endswith(".csv"), link
            response = client.get(urljoin(url, link))
            assert response["Content-Type"].startswith("text/csv")
            assert "illustrative" in response["Content-Disposition"]
            frame = pd.read_csv(io.BytesIO(response.content))
            assert len(frame) > 0, link
            assert frame["data_status"].str.startswith("ILLUSTRATIVE").all()


def test_a_chart_csv_holds_the_numbers_the_chart_draws(client, demo_data):
    fig = figure(client.get("/pct/5C4/"), "rank")
    frame = pd.read_csv(io.BytesIO(client.get("/pct/5C4/charts/rank.csv").content))
    england = next(trace for trace in fig["data"] if trace["name"] == "England median")
    assert list(frame["rank"]) == fig["data"][0]["y"]
    assert list(frame["england_median"]) == england["y"]


def test_the_sha_page_downloads_its_league_table(client, demo_data):
    response = client.get("/sha/Q36/?_export=csv")
    frame = pd.read_csv(io.BytesIO(response.content))
    assert len(frame) == 31
    assert set(frame["sha_code"]) == {"Q36"}
    assert "wcc-sha-Q36" in response["Content-Disposition"]


ELSEWHERE = re.compile(r"^(https?:)?//", re.I)


def test_no_page_loads_or_links_anything_from_another_host(client, demo_data):
    for url, content in rendered(client, EVERY_PAGE).items():
        addresses = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]+)""", content, re.I)
        assert addresses, url
        assert [address for address in addresses if ELSEWHERE.match(address)] == [], url
        assert "cdn." not in content.lower(), url


def test_no_page_has_inline_script(client, demo_data):
    for url, content in rendered(client, EVERY_PAGE).items():
        for tag, attrs in tags(content):
            if tag == "script":
                assert attrs.get("src") or attrs.get("type") == "application/json", (url, attrs)
            assert not [name for name in attrs if name.startswith("on")], (url, tag, attrs)


def test_chart_pages_fetch_the_vendored_partial_plotly_bundle_through_charts_js(client, demo_data):
    page = tags(client.get("/pct/5C4/").content.decode())
    scripts = [attrs for tag, attrs in page if tag == "script" and attrs.get("src")]
    assert [attrs["src"] for attrs in scripts] == [static("js/charts.js")]
    assert scripts[0]["data-plotly"] == static(PLOTLY_JS)
    found = finders.find(PLOTLY_JS)
    assert found.endswith("static/vendor/plotly/plotly-wcc-4.1.1.min.js")
    assert check_plotly_bundle() == []


def test_pages_without_charts_load_no_script(client, demo_data):
    for url in ("/methodology/", "/compare/"):
        page = tags(client.get(url).content.decode())
        assert [attrs for tag, attrs in page if tag == "script" and attrs.get("src")] == [], url


def test_headings_go_down_one_level_at_a_time(client, demo_data):
    for url, content in rendered(client, EVERY_PAGE).items():
        levels = [int(tag[1]) for tag, _ in tags(content) if re.fullmatch(r"h[1-6]", tag)]
        assert levels[0] == 1 and levels.count(1) == 1, url
        assert all(later - earlier <= 1 for earlier, later in pairwise(levels)), url


def test_every_table_has_a_caption_and_scoped_headers(client, demo_data):
    for url, content in rendered(client, CHART_PAGES).items():
        tables = re.findall(r"<table.*?</table>", content, re.S)
        assert len(tables) >= content.count('class="plot"'), url
        for table in tables:
            assert "<caption" in table, url
            assert not re.search(r"<th(?=[\s>])(?![^>]*scope=)[^>]*>", table), url


def test_every_chart_has_a_text_alternative(client, demo_data):
    # Not role="img" on the plot: plotly's drawing holds buttons, and an image may not (axe's
    # nested-interactive rule). The figure's caption names the chart; its table gives the data.
    for url, content in rendered(client, CHART_PAGES).items():
        figures = re.findall(r'<figure class="chart".*?</figure>', content, re.S)
        assert figures, url
        for figure in figures:
            assert "<figcaption" in figure and "<table" in figure and "<caption" in figure, url
            assert 'class="plot"' in figure or 'class="data shaded"' in figure, url


def test_a_correction_reaches_the_profile_despite_the_cache(
    client, demo_data, django_capture_on_commit_callbacks
):
    ranks = published_ranks("5C4")
    assert figure(client.get("/pct/5C4/"), "rank")["data"][0]["y"] == ranks
    assert ranks[1] is not None
    year = AssessmentYear.objects.get(start_year=2009)
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_year(year=AssessmentYear.objects.get(start_year=2010), by=None)
        actions.replace_year_results(year=year, results=[])
    rank = figure(client.get("/pct/5C4/"), "rank")["data"][0]["y"]
    assert len(rank) == 3  # 2010/11 now published
    assert rank[1] is None  # 2009/10 results withdrawn: not assessed


# Cold: published years; then for each of the two years its PCTs, assessments, scores,
# organisation changes and competencies; the comparison also the PCTs on record, to choose from.
# Nothing depends on the number of PCTs.
PAGE_QUERIES = {"/pct/{pct}/": 11, "/sha/{sha}/": 11, "/overview/": 11, "/compare/?{pair}": 12}


@pytest.mark.parametrize("pct_count", [3, 30])
@pytest.mark.parametrize(("url", "queries"), PAGE_QUERIES.items())
def test_each_chart_page_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, pct_count, url, queries
):
    sha = build_league(pct_count)
    first, second = sha.pcts.order_by("code")[:2]
    url = url.format(pct=first.code, sha=sha.code, pair=f"pct={first.code}&pct={second.code}")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):  # ranked rows and summaries are memoised per revision
        assert (
            client.get(url + ("&" if "?" in url else "?") + "method=governance").status_code == 200
        )


def test_the_methodology_explains_how_the_charts_medians_are_worked_out(client, db):
    content = client.get("/methodology/").content.decode()
    assert 'id="charts"' in content
    for phrase in ("average of the middle two", "not assessed", "red 0", "QUARTILE.INC"):
        assert phrase in content


def test_the_profile_offers_its_peers_to_compare_with(client, demo_data):
    page = soup(client.get("/pct/5C4/"))
    groups = page.select("section.peers .peer-group")
    names = [group.h3.get_text() for group in groups]
    assert names == [
        "Most similar competency scores in 2008/09",
        "Tied with it in 2009/10",
        "The other PCTs of London SHA",
    ]
    similar, _, london = groups
    assert "Euclidean distance" in similar.get_text()
    links = [a["href"] for a in similar.select("ul.peer-links a")]
    assert len(links) == 5
    assert all(link.startswith("/compare/?pct=5C4&pct=") for link in links)
    assert len(london.select("ul.peer-links a")) == 30  # London's 31 PCTs, less Tower Hamlets
    compare_all = similar.find("a", string=re.compile("Compare Tower Hamlets PCT with all 5"))
    compared = soup(client.get(compare_all["href"]))
    assert len(compared.select("#year-2009-10-caption")) == 1
    assert len(compared.select("table.side-by-side")[0].select("thead th a")) == 6


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("/compare/?pct=5C4&pct=5PG&pct=5QL", "mean-score"),
        ("/compare/?pct=5C4&pct=5PG&pct=5QL", "latest-scores"),
        ("/pct/5C4/", "competencies"),
    ],
)
def test_score_charts_show_averages_to_two_places_on_hover(client, demo_data, url, slug):
    layout = figure(client.get(url), slug)["layout"]
    score_axes = [axis for name, axis in layout.items() if name.startswith(("xaxis", "yaxis"))]
    assert [axis.get("hoverformat") for axis in score_axes if axis.get("tickvals")] == [".2~f"]


def test_a_misspelt_comparison_entry_offers_what_it_probably_meant(client, demo_data):
    boxes = _boxes(client.get("/compare/", {"pct": ["Sommerset", "5C4"]}))
    assert boxes[0] == (
        "Sommerset",
        "No PCT has the name or code “Sommerset”. Did you mean Somerset PCT (5QL), "
        "Bath and North East Somerset PCT (5FL) or North Somerset PCT (5M8)?",
    )
