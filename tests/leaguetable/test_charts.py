"""Chart data checked as data: figures built from hand-made years (no database)."""

import json
import pickle
import re
from dataclasses import replace

import plotly.graph_objects as go
import pytest
from django.conf import settings

from leaguetable import ranked_year, ranking
from leaguetable.charts import caterpillar, compare, governance, headlines, overview, profile, sha
from leaguetable.charts.chart import Chart, Column
from leaguetable.charts.figures import Series
from leaguetable.ranked_year import CompetencyRef
from leaguetable.ranking import PCTScorecard
from leaguetable.staticfiles import BUNDLE_VERSION, PLOTLY_JS


def result(code, ratings="AAA", scores=(2, 2), sha="Q30", name=None):
    if ratings is None:
        return PCTScorecard(code, name or f"PCT {code}", sha, f"SHA {sha}")
    numbered = {n: s for n, s in enumerate(scores, start=1) if s is not None}
    return PCTScorecard(code, name or f"PCT {code}", sha, f"SHA {sha}", *ratings, numbered)


def year(label, results, competencies=(1, 2), previous=None, illustrative=False):
    rows = ranking.rank(results, ranking.METHODS["governance"])
    if previous is not None:
        rows = ranking.with_movement(rows, previous.rows)
    return ranked_year.RankedYear.build(
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
        if chart.shaded:
            continue  # drawn as a table, with no figure
        go.Figure(chart.figure)  # raises on a property plotly.js does not know
        json.dumps(chart.figure)  # no numpy arrays, no dates: json_script can carry it


def test_every_trace_type_the_figures_use_is_built_into_the_vendored_plotly(timeline):
    script = (settings.BASE_DIR / "static/vendor/plotly/build.sh").read_text()
    built = re.search(r'^TRACES="([^"]*)"$', script, re.M).group(1).split()
    drawn = {
        trace["type"]
        for chart in all_charts(timeline)
        if chart.figure
        for trace in chart.figure["data"]
    }
    assert drawn <= set(built), drawn - set(built)
    # The committed bundle is the script's: its banner names the same trace types.
    bundle = (settings.BASE_DIR / "static" / PLOTLY_JS).read_text()[:200]
    assert f"plotly.js (wcc: {' '.join(built)} - minified) v{BUNDLE_VERSION}" in bundle


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


def dumbbell_rows(chart) -> dict[str, dict[str, float | None]]:
    """Each row's values by trace name, the row keyed by its label without line breaks."""
    rows = {}
    for trace in chart.figure["data"]:
        if trace.get("mode") != "markers":
            continue
        values, labels = (trace["x"], trace["y"])
        for label, value in zip(labels, values, strict=True):
            rows.setdefault(label.replace("<br>", " "), {})[trace["name"]] = value
    return rows


def test_the_profile_draws_each_competency_from_the_year_before_to_the_latest(timeline):
    competencies = profile.charts(timeline, timeline[-1].by_code["AAA"].scorecard)[0]
    c1 = dumbbell_rows(competencies)["C1 Competency 1"]
    assert (c1["2008/09"], c1["2009/10"]) == (3, 4)
    # 2009/10: SHA Q30 scored 4, 2, 3 -> 3; England 4, 2, 1, 3 -> 2.5.
    assert c1["SHA Q30 median, 2009/10"] == 3
    assert c1["England median, 2009/10"] == 2.5
    assert competencies.title == "PCT AAA: 2 of 2 competencies rose, 2008/09 to 2009/10"


def test_a_competency_not_scored_in_a_year_is_a_gap_not_a_zero(timeline):
    competencies = profile.charts(timeline, timeline[-1].by_code["AAA"].scorecard)[0]
    c3 = dumbbell_rows(competencies)["C3 Competency 3"]
    assert (c3["2008/09"], c3["2009/10"]) == (None, 1)
    bars = competencies.figure["data"][0]
    assert "C3 Competency 3" not in bars["y"]  # no bar joins a score to nothing
    assert not any(r["competency"] == 3 and r["year"] == "2008/09" for r in competencies.records)


def test_scores_are_drawn_on_an_axis_from_1_to_4_never_from_0(timeline):
    pcts = [timeline[-1].by_code[code].scorecard for code in ("AAA", "CCC")]
    competencies = profile.charts(timeline, pcts[0])[0]
    _, mean_score, latest = compare.charts(timeline, pcts)
    for axis in (
        competencies.figure["layout"]["xaxis"],
        mean_score.figure["layout"]["yaxis"],
        latest.figure["layout"]["xaxis"],
    ):
        low, high = axis["range"]
        assert 0.5 < low < 1 and 4 < high < 4.5
        assert axis["tickvals"] == [1, 2, 3, 4]


def test_the_rank_chart_spans_only_the_ranks_shown_with_1_at_the_top(timeline):
    rank = profile.charts(timeline, timeline[-1].by_code["DDD"].scorecard)[1]
    ddd = traces(rank)["PCT DDD"]
    assert ddd["y"] == [None, timeline[1].by_code["DDD"].rank]
    shown = [v for t in rank.figure["data"] for v in t["y"] if v is not None]
    bottom, top = rank.figure["layout"]["yaxis"]["range"]
    assert bottom > top  # inverted: 1 at the top
    assert max(shown) < bottom <= max(shown) + 1 and min(shown) - 1 <= top < min(shown)


def test_the_rank_lines_are_labelled_at_their_ends_only():
    pcts = [result(code, "GGG", (n, n)) for n, code in enumerate(("AAA", "BBB", "CCC"), 1)]
    years = [year("2008/09", pcts), year("2009/10", pcts), year("2010/11", pcts)]
    rank = compare.charts(years, pcts)[0]
    ccc = traces(rank)["PCT CCC"]
    assert ccc["y"] == [1, 1, 1]
    assert ccc["text"] == ["1", "", "1"]
    assert ccc["textposition"][0] == "middle left" and ccc["textposition"][-1] == "middle right"
    assert rank.figure["layout"]["yaxis"]["range"] == [3.5, 0.5]


def test_governance_ratings_are_counted_in_stacked_bars_not_joined_by_lines(timeline):
    governance = profile.charts(timeline, timeline[-1].by_code["DDD"].scorecard)[2]
    bars = traces(governance)
    assert {trace["type"] for trace in governance.figure["data"]} == {"bar"}
    assert governance.figure["layout"]["barmode"] == "stack"
    assert bars["Amber"]["y"] == [0, 2]  # not assessed, then amber strategy and finance
    assert bars["Amber"]["text"][1] == "Strategy<br>Finance"
    assert bars["Red"]["y"] == [0, 1]
    strategy = [r for r in governance.records if r["area"] == "Strategy"]
    assert [r["rating"] for r in strategy] == [None, "Amber"]
    assert [r["england_median"] for r in strategy] == [2, 1]  # G, A, G; then G, R, A, A


def test_the_governance_title_says_which_rating_changed(timeline):
    governance = profile.charts(timeline, timeline[-1].by_code["AAA"].scorecard)[2]
    # GGA -> GGG
    assert governance.title == (
        "PCT AAA: board governance improved from amber to green; strategy stayed green; "
        "finance stayed green"
    )


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


def test_the_overview_draws_its_score_shares_as_a_shaded_table_a_column_group_a_year(timeline):
    scores = overview.charts(timeline)[0]
    assert scores.figure is None
    table = scores.shaded
    assert table.groups == ("2008/09", "2009/10")
    assert table.columns == ("Score 1", "Score 2", "Score 3", "Score 4")
    rows = {row.heading: row.cells for row in table.rows}
    assert list(rows) == ["C1 Competency 1", "C2 Competency 2", "C3 Competency 3"]
    # C1 in 2008/09: 1, 3 and 4 of three PCTs (the CSV's 33.3, as the heatmap showed it).
    assert [cell.text for cell in rows["C1 Competency 1"][:4]] == ["33%", "0%", "33%", "33%"]
    assert [cell.text for cell in rows["C3 Competency 3"][:4]] == ["–"] * 4  # not scored
    assert rows["C3 Competency 3"][0].background is None
    # The same scale for every year: a larger share is darker.
    c2 = rows["C2 Competency 2"]  # 2009/10: 2, 2, 1, 3 -> score 2 is 50%, score 4 is 0%
    assert (c2[5].text, c2[7].text) == ("50%", "0%")
    assert c2[5].background != c2[7].background == rows["C1 Competency 1"][1].background


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
    assert traces(latest)["PCT CCC"]["x"] == [1, 1, 1]
    # CCC: 1st (GGG), then 4th of 4 (AAA, total 3); AAA 2nd, then 1st.
    assert rank.title == "PCT AAA ranks highest in 2009/10 (1st); PCT CCC lost most: 3 places"


def test_titles_say_when_the_data_is_illustrative(timeline):
    illustrative = [
        year(y.label, [r.scorecard for r in y.rows], illustrative=True) for y in timeline
    ]
    for chart in all_charts(illustrative):
        assert chart.title.endswith("(illustrative data)")
        if chart.figure:
            assert chart.figure["layout"]["title"]["text"].endswith("(illustrative data)")
    assert not any("illustrative" in chart.title for chart in all_charts(timeline))


def test_names_are_escaped_because_plotly_reads_html_tags_in_labels():
    sneaky = "<b onmouseover=x>PCT</b>"
    timeline = [year("2009/10", [result("AAA", name=sneaky), result("BBB")])]
    charts = profile.charts(timeline, timeline[0].by_code["AAA"].scorecard)
    names = {trace["name"] for trace in charts[1].figure["data"]}
    assert "&lt;b onmouseover=x&gt;PCT&lt;/b&gt;" in names
    assert "&lt;b" in charts[0].figure["layout"]["title"]["text"]
    assert not any(sneaky in json.dumps(chart.figure) for chart in charts)


def test_table_cells_name_the_pct_or_sha_they_link_to(timeline):
    movers = overview.charts(timeline)[-1]
    first = movers.table_rows()[0]
    assert first[0].pct_code == movers.records[0]["pct_code"]
    assert first[1].sha_code == movers.records[0]["sha_code"]


def line(name, *values):
    return Series(name, list(values), {})


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        (
            lambda: compare.rank_headline(
                [line("A", 1, 4), line("B", 4, 4), line("C", 1, 4)], "2009/10"
            ),
            "A, B and C rank highest in 2009/10 (4th); A and C lost most: 3 places",
        ),
        (
            lambda: compare.rank_headline([line("A", 4, 1), line("B", 1, 4)], "2009/10"),
            "A ranks highest in 2009/10 (1st); A gained most: 3 places; B lost most: 3 places",
        ),
        (
            lambda: compare.mean_score_headline([line("A", 2, 3), line("B", 3, 3)], "2009/10"),
            "A and B share the highest average score in 2009/10 (3.00); 1 of 2 PCTs rose",
        ),
        (
            lambda: compare.latest_scores_headline(
                [
                    {"pct_code": code, "competency": n, "score": 3, "england_median": 2}
                    for code in ("AAA", "BBB")
                    for n in (1, 2)
                ],
                [PCTScorecard("AAA", "A", "Q30", "SHA"), PCTScorecard("BBB", "B", "Q30", "SHA")],
                "2009/10",
            ),
            "A and B scored above England's median on 2 of 2 competencies in 2009/10, "
            "every one of these PCTs alike",
        ),
        (
            lambda: governance.green_headline(
                [green("2009/10", "Strategy", 5), green("2009/10", "Finance", 5),
                 green("2009/10", "Board governance", 2)],
                shares=False,
            ),
            "Strategy and Finance had the most greens in 2009/10: 5 PCTs each",
        ),
        (
            lambda: governance.green_headline(
                [green("2008/09", "Strategy", 2), green("2008/09", "Finance", 8),
                 green("2008/09", "Board governance", 4),
                 green("2009/10", "Strategy", 5), green("2009/10", "Finance", 5),
                 green("2009/10", "Board governance", 5)],
                shares=False,
            ),
            "green strategy ratings rose from 2 to 5 PCTs and green finance ratings fell from 8 "
            "to 5 PCTs, 2008/09 to 2009/10",
        ),
        (
            lambda: overview.movers_headline(
                moved(("A", 3), ("B", 3), ("C", 1), ("D", -2), ("E", -2), ("F", -1)),
                "2008/09",
                "2009/10",
            ),
            "A and B gained most (3 places each); D and E lost most (2 places each), "
            "2008/09 to 2009/10",
        ),
        (
            lambda: overview.movers_headline(
                moved(*((f"P{n:02}", 4) for n in range(12)), ("Z", -1)), "2008/09", "2009/10"
            ),
            # Twelve share the most: more than the chart's ten bars, all named.
            ", ".join(f"P{n:02}" for n in range(11)) + " and P11 gained most (4 places each); "
            "Z lost most (1 place), 2008/09 to 2009/10",
        ),
        (
            lambda: compare.rank_headline([line("A", 9, 53), line("B", None, None)], "2009/10"),
            "A ranks in 2009/10 (53rd); B not ranked in 2009/10; A lost most: 44 places",
        ),
        (
            lambda: compare.mean_score_headline([line("A", 2, 2.36), line("B", None)], "2009/10"),
            "A has an average score of 2.36 in 2009/10; B not scored in 2009/10; 1 of 1 PCTs rose",
        ),
        (
            lambda: compare.latest_scores_headline(
                [
                    {"pct_code": code, "competency": n, "score": score, "england_median": 2}
                    for code, score in (("AAA", 3), ("BBB", None))
                    for n in (1, 2)
                ],
                [PCTScorecard("AAA", "A", "Q30", "SHA"), PCTScorecard("BBB", "B", "Q30", "SHA")],
                "2009/10",
            ),
            "A scored above England's median on 2 of 2 competencies in 2009/10; "
            "B not scored in 2009/10",
        ),
    ],
    ids=[
        "rank, three tied",
        "movers, both ways",
        "average, tied",
        "above the median, all",
        "most greens, two areas",
        "biggest green move, two areas",
        "overview movers, tied both ways",
        "overview movers, more tied than shown",
        "rank, one of two ranked",
        "average, one of two scored",
        "above the median, one of two scored",
    ],
)  # fmt: skip
def test_a_headline_naming_a_best_or_most_names_everyone_who_shares_it(headline, expected):
    assert headline() == expected


def with_intervals(rows, intervals):
    """Ranked rows with hand-set rank intervals (code -> (low, high)) in their standing."""
    from fractions import Fraction

    from leaguetable.explain import Standing
    from leaguetable.intervals import RankInterval, clear_band

    assessed = sum(row.rank is not None for row in rows)
    return [
        replace(
            row,
            standing=Standing(
                {},
                Fraction(0),
                None,
                RankInterval(*intervals[code], clear_band(*intervals[code], assessed)),
            ),
        )
        if (code := row.scorecard.pct_code) in intervals
        else row
        for row in rows
    ]


def test_the_caterpillar_draws_each_rank_with_its_interval_in_rank_order():
    rows = ranking.rank(
        [result("AAA", "GGG", (4, 4)), result("BBB", "GGA", (3, 3)), result("CCC", "AAA", (1, 2)),
         result("DDD", "AAA", (1, 1)), result("EEE", None)],
        ranking.METHODS["governance"],
    )  # fmt: skip
    rows = with_intervals(rows, {"AAA": (1, 1), "BBB": (1, 3), "CCC": (2, 4), "DDD": (4, 4)})
    chart = caterpillar.caterpillar_chart(rows, "England", "2009/10", True, {"BBB", "CCC"}, "Ours")
    assert chart.title == (
        "England, 2009/10: 0 clearly in the top quarter, 0 clearly in the bottom, 2 not placeable "
        "(illustrative data)"
    )  # of BBB and CCC, the PCTs highlighted: both intervals cross a band's edge
    go.Figure(chart.figure)
    assert {trace["type"] for trace in chart.figure["data"]} == {"scatter"}  # the bundle has it
    drawn = traces(chart)
    assert (drawn["Other PCTs"]["x"], drawn["Other PCTs"]["y"]) == ([1, 4], [1, 4])
    assert (drawn["Ours"]["x"], drawn["Ours"]["y"]) == ([2, 3], [2, 3])
    # Error bars from the rank to each end of the interval: BBB 1–3 at 2, CCC 2–4 at 3.
    assert drawn["Ours"]["error_y"]["arrayminus"] == [1, 1]
    assert drawn["Ours"]["error_y"]["array"] == [1, 1]
    assert drawn["Other PCTs"]["error_y"]["array"] == [0, 0]
    # The table and the CSV: every assessed PCT once, in rank order; EEE (not assessed) left out.
    assert [r["pct_code"] for r in chart.records] == ["AAA", "BBB", "CCC", "DDD"]
    assert [r["group"] for r in chart.records] == ["Other PCTs", "Ours", "Ours", "Other PCTs"]
    assert [r["clear_band"] for r in chart.records] == [1, None, None, 4]
    assert [[cell.text for cell in row] for row in chart.table_rows()][1] == ["PCT BBB", "2", "1–3"]


def test_the_caterpillar_is_drawn_for_the_latest_year_with_ranks_only():
    assert caterpillar.of_latest_year([], "England", False) == []


def green(year_label, area, greens):
    return {"year": year_label, "area": area, "green": greens, "green_share": None}


def moved(*moves):
    """Rows of PCTs named by code, each with its places gained (previous rank less rank)."""
    return [
        ranking.RankedRow(PCTScorecard(code, code, "Q30", "SHA"), 20, previous_rank=20 + gained)
        for code, gained in moves
    ]


# Every chart headline function, and whether it can name a best, worst, most or least (and so
# is among the tied cases above); a new one must be placed here.
HEADLINES = {
    (compare, "rank_headline"): True,
    (compare, "mean_score_headline"): True,
    (compare, "latest_scores_headline"): True,
    (governance, "green_headline"): True,
    (overview, "movers_headline"): True,
    (overview, "high_scores_headline"): False,  # shares of scores 3 or 4: no one is named
    (sha, "totals_headline"): False,  # the SHA's median against England's
}


def test_every_chart_headline_is_checked_on_tied_data():
    found = {
        (module, name)
        for module in (compare, governance, overview, profile, sha, headlines)
        for name, value in vars(module).items()
        if name.endswith("_headline") and callable(value) and value.__module__ == module.__name__
    }
    assert found == set(HEADLINES)
    # The functions each tied case above calls, read from its lambda.
    cases = test_a_headline_naming_a_best_or_most_names_everyone_who_shares_it.pytestmark
    checked = {name for headline, _ in cases[0].args[1] for name in headline.__code__.co_names}
    for (_, name), names_a_best in HEADLINES.items():
        assert (name in checked) == names_a_best, name


def test_a_charts_table_body_escapes_names_and_links_pcts_and_shas():
    from leaguetable.charts.chart import Chart, Column

    chart = Chart(
        "x",
        "X",
        "X",
        {},
        (Column("pct_name", "PCT"), Column("sha_name", "SHA"), Column("value", "Value")),
        [{"pct_name": "<b>A&B</b>", "pct_code": "5QL", "sha_name": "S", "sha_code": "Q36",
          "value": 2.5}],
    )  # fmt: skip
    assert chart.body_html == (
        '<tr><th scope="row"><a href="/pct/5QL/">&lt;b&gt;A&amp;B&lt;/b&gt;</a></th>'
        '<td><a href="/sha/Q36/">S</a></td><td>2.5</td></tr>\n'
    )


def test_a_chart_is_drawn_by_plotly_or_as_a_shaded_table_not_both_nor_neither(timeline):
    scores = overview.charts(timeline)[0]
    with pytest.raises(ValueError, match="plotly figure or a shaded table"):
        replace(scores, figure={"data": []})
    with pytest.raises(ValueError, match="plotly figure or a shaded table"):
        replace(scores, shaded=None)


def test_a_chart_read_back_from_the_cache_has_its_table_rendered_already(monkeypatch):
    chart = Chart(
        slug="s",
        heading="h",
        title="t",
        figure={"data": [], "layout": {}},
        columns=(Column("pct_name", "PCT"), Column("total", "Total")),
        records=[{"pct_name": "Somerset PCT", "pct_code": "5QL", "total": 30}],
    )
    again = pickle.loads(pickle.dumps(chart))

    def never_rendered_again(self):
        raise AssertionError("the table's body was rendered again")

    monkeypatch.setattr(Chart, "table_rows", never_rendered_again)
    assert again.body_html == chart.body_html
    assert "Somerset PCT</a></th><td>30</td>" in again.body_html
