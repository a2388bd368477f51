"""Chart data checked as data: figures built from hand-made years (no database)."""

import json

import plotly.graph_objects as go
import pytest

from leaguetable import ranking, trends
from leaguetable.charts import compare, overview, profile, sha
from leaguetable.ranking import PCTScorecard
from leaguetable.trends import CompetencyRef


def result(code, ratings="AAA", scores=(2, 2), sha="Q30", name=None):
    if ratings is None:
        return PCTScorecard(code, name or f"PCT {code}", sha, f"SHA {sha}")
    numbered = {n: s for n, s in enumerate(scores, start=1) if s is not None}
    return PCTScorecard(code, name or f"PCT {code}", sha, f"SHA {sha}", *ratings, numbered)


def year(label, results, competencies=(1, 2), previous=None, illustrative=False):
    rows = ranking.rank(results, ranking.METHODS["governance"])
    if previous is not None:
        rows = ranking.with_movement(rows, previous.rows)
    return trends.RankedYear.build(
        rows=rows,
        label=label,
        slug=label.replace("/", "-"),
        is_illustrative=illustrative,
        is_hypothetical=False,
        note="",
        competencies=tuple(CompetencyRef(n, f"Competency {n}") for n in competencies),
    )


@pytest.fixture
def timeline():
    first = year(
        "2008/09",
        [
            result("AAA", "GGA", (3, 1)),
            result("BBB", "AAA", (1, 2)),
            result("CCC", "GGG", (4, 4), sha="Q31"),
            result("DDD", None),
        ],
    )
    second = year(
        "2009/10",
        [
            result("AAA", "GGG", (4, 2, 1)),
            result("BBB", "RAA", (2, 2, 2)),
            result("CCC", "AAA", (1, 1, 1), sha="Q31"),
            result("DDD", "AAR", (3, 3, 3)),
        ],
        competencies=(1, 2, 3),
        previous=first,
    )
    return [first, second]


def all_charts(timeline):
    pcts = [timeline[-1].by_code[code].scorecard for code in ("AAA", "CCC")]
    return [
        *profile.charts(timeline, pcts[0]),
        *sha.charts(timeline, "Q30", "SHA Q30"),
        *overview.charts(timeline),
        *compare.charts(timeline, pcts),
    ]


def traces(chart, panel_title=None):
    """The chart's traces by name, in the panel whose x axis has `panel_title`."""
    figure = chart.figure
    if panel_title is None:
        return {trace["name"]: trace for trace in figure["data"]}
    axis = next(
        key.removeprefix("xaxis")
        for key, value in figure["layout"].items()
        if key.startswith("xaxis") and value["title"]["text"] == panel_title
    )
    return {t["name"]: t for t in figure["data"] if t["xaxis"] == f"x{axis}"}


def test_every_figure_is_valid_plotly_and_plain_json(timeline):
    for chart in all_charts(timeline):
        go.Figure(chart.figure)  # raises on a property plotly.js does not know
        json.dumps(chart.figure)  # no numpy arrays, no dates: json_script can carry it


def test_chart_slugs_are_unique_on_each_page(timeline):
    pcts = [timeline[-1].by_code["AAA"].scorecard, timeline[-1].by_code["BBB"].scorecard]
    pages = (
        profile.charts(timeline, pcts[0]),
        sha.charts(timeline, "Q30", "SHA Q30"),
        overview.charts(timeline),
        compare.charts(timeline, pcts),
    )
    for charts in pages:
        slugs = [chart.slug for chart in charts]
        assert len(slugs) == len(set(slugs))


def test_the_profile_plots_the_pcts_scores_beside_its_sha_and_england_medians(timeline):
    competencies = profile.charts(timeline, timeline[-1].by_code["AAA"].scorecard)[0]
    c1 = traces(competencies, "C1 Competency 1")
    assert c1["PCT AAA"]["y"] == [3, 4]
    # 2008/09: SHA Q30 scored 3 and 1 (DDD not assessed) -> 2; England 3, 1, 4 -> 3.
    # 2009/10: SHA Q30 scored 4, 2, 3 -> 3; England 4, 2, 1, 3 -> 2.5.
    assert c1["SHA Q30 median"]["y"] == [2, 3]
    assert c1["England median"]["y"] == [3, 2.5]


def test_a_competency_not_scored_in_a_year_is_a_gap_not_a_zero(timeline):
    competencies = profile.charts(timeline, timeline[-1].by_code["AAA"].scorecard)[0]
    c3 = traces(competencies, "C3 Competency 3")
    assert c3["PCT AAA"]["y"] == [None, 1]
    assert not any(r["competency"] == 3 and r["year"] == "2008/09" for r in competencies.records)


def test_the_profile_rank_and_governance_charts_hold_the_pcts_values(timeline):
    _, rank, governance = profile.charts(timeline, timeline[-1].by_code["DDD"].scorecard)
    assert traces(rank)["PCT DDD"]["y"] == [None, timeline[1].by_code["DDD"].rank]
    strategy = traces(governance, "Strategy")
    assert strategy["PCT DDD"]["y"] == [None, 1]  # not assessed, then amber
    assert strategy["England median"]["y"] == [2, 1]  # G, A, G; then G, R, A, A


def test_the_sha_totals_chart_draws_each_groups_quartiles(timeline):
    totals = sha.charts(timeline, "Q30", "SHA Q30")[0]
    boxes = traces(totals)
    assert boxes["SHA Q30"]["median"] == [3.5, 7]  # totals 4, 3; then 7, 6, 9
    assert boxes["England"]["median"] == [4, 6.5]
    assert boxes["England"]["lowerfence"] == [3, 3]


def test_the_sha_ratings_chart_counts_its_pcts_by_rating(timeline):
    ratings = sha.charts(timeline, "Q30", "SHA Q30")[1]
    strategy_0809 = next(r for r in ratings.records if r["area"] == "Strategy")
    assert (strategy_0809["green"], strategy_0809["amber"], strategy_0809["red"]) == (1, 1, 0)
    assert strategy_0809["pcts_assessed"] == 2


def test_the_overview_shares_of_each_score_add_up_to_the_pcts_scored(timeline):
    scores = overview.charts(timeline)[0]
    c1_0809 = next(r for r in scores.records if r["competency"] == 1 and r["year"] == "2008/09")
    assert [c1_0809[f"score_{s}"] for s in (1, 2, 3, 4)] == [1, 0, 1, 1]
    assert c1_0809["score_1_share"] == 33.3
    assert c1_0809["pcts_scored"] == 3
    heatmap_0809 = scores.figure["data"][0]
    assert heatmap_0809["text"][2] == ["not scored"] * 4  # C3 was not scored in 2008/09


def test_the_overview_shows_the_movers_between_each_pair_of_years(timeline):
    movers = overview.charts(timeline)[-1]
    assert movers.slug == "movers-2009-10"
    places = {r["pct_code"]: r["places_gained"] for r in movers.records}
    expected = {row.scorecard.pct_code: row.movement for row in timeline[1].rows if row.movement}
    assert places == expected


def test_comparison_charts_draw_one_series_per_pct_in_the_order_chosen(timeline):
    pcts = [timeline[-1].by_code[code].scorecard for code in ("CCC", "AAA")]
    rank, mean_score, latest = compare.charts(timeline, pcts)
    assert [t["name"] for t in rank.figure["data"]] == ["PCT CCC", "PCT AAA"]
    assert traces(mean_score)["PCT AAA"]["y"] == [2, pytest.approx(7 / 3, abs=0.01)]
    assert traces(latest)["PCT CCC"]["y"] == [1, 1, 1]


def test_titles_say_when_the_data_is_illustrative(timeline):
    illustrative = [
        year(y.label, [r.scorecard for r in y.rows], illustrative=True) for y in timeline
    ]
    for chart in all_charts(illustrative):
        assert chart.title.endswith("(illustrative data)")
        assert chart.figure["layout"]["title"]["text"].endswith("(illustrative data)")
    assert not any("illustrative" in chart.title for chart in all_charts(timeline))


def test_names_are_escaped_because_plotly_reads_html_tags_in_labels():
    sneaky = "<b onmouseover=x>PCT</b>"
    timeline = [year("2009/10", [result("AAA", name=sneaky), result("BBB")])]
    chart = profile.charts(timeline, timeline[0].by_code["AAA"].scorecard)[0]
    names = {trace["name"] for trace in chart.figure["data"]}
    assert "&lt;b onmouseover=x&gt;PCT&lt;/b&gt;" in names
    assert sneaky not in json.dumps(chart.figure)


def test_table_cells_name_the_pct_or_sha_they_link_to(timeline):
    movers = overview.charts(timeline)[-1]
    first = movers.table_rows()[0]
    assert first[0].pct_code == movers.records[0]["pct_code"]
    assert first[1].sha_code == movers.records[0]["sha_code"]
