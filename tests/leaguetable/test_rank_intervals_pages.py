"""Rank intervals on the pages (issue 25): the league table's likely rank, its filters and
headline, checked against the separate recomputation of tests/leaguetable/test_rank_exports.py."""

import numpy as np
import pytest

from assurance.models import AssessmentYear
from leaguetable import computed, queries, ranking
from tests import pages
from tests.leaguetable.test_rank_exports import resampled_intervals, resampled_ranks

pytestmark = pytest.mark.django_db


def recomputed(slug: str, method_slug: str) -> tuple[dict[str, tuple[int, int]], int]:
    """PCT code -> (rank_low, rank_high) worked out apart, and how many PCTs were assessed."""
    year = AssessmentYear.objects.get(start_year=int(slug[:4]))
    scorecards = [s for s in queries.year_scorecards(year) if s.assessed]
    competencies = [c.number for c in queries.year_competencies(year)]
    method = ranking.METHODS[method_slug]
    return resampled_intervals(scorecards, competencies, year.start_year, method), len(scorecards)


def band_of(rank: int, assessed: int) -> int:
    return 1 + 4 * (rank - 1) // assessed


def clear_bands(expected: dict[str, tuple[int, int]], assessed: int) -> dict[str, int | None]:
    return {
        code: band_of(low, assessed) if band_of(low, assessed) == band_of(high, assessed) else None
        for code, (low, high) in expected.items()
    }


def headline_figures(response) -> dict[str, str]:
    soup = pages.soup(response)
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in soup.select(".headline dt")
    }


def test_every_pct_shows_its_likely_rank_with_its_interval(client, demo_data):
    expected, _ = recomputed("2009-10", "governance")
    shown = pages.table_rows(client.get("/league/2009-10/?per_page=200"))
    assert len(shown) == 152
    for row in shown:
        if row["code"] not in expected:
            assert row["Likely rank"] == "–"
            continue
        low, high = expected[row["code"]]
        interval = str(low) if low == high else f"{low}–{high}"
        assert row["Likely rank"] == f"{row['Rank']} ({interval})", row["code"]


@pytest.mark.parametrize(
    ("method_slug", "top", "bottom", "not_placeable"),
    # The demo's 2009/10 figures as first worked out for issue 25 (docs/rank-intervals.md).
    [("governance", 35, 28, 32), ("competency", 26, 11, 108), ("equal-weight", 31, 31, 37)],
)
def test_the_headline_counts_pcts_clearly_in_each_quarter_and_those_not_placeable(
    client, demo_data, method_slug, top, bottom, not_placeable
):
    expected, assessed = recomputed("2009-10", method_slug)
    clear = list(clear_bands(expected, assessed).values())
    assert (clear.count(1), clear.count(4), clear.count(None)) == (top, bottom, not_placeable)
    figures = headline_figures(client.get(f"/league/2009-10/?method={method_slug}"))
    for band in ranking.BANDS:
        label = next(label for label in figures if label.startswith(f"Band {band}"))
        assert figures[label].endswith(f", {clear.count(band)} clearly")
    assert figures["Cannot be placed in a quarter"] == str(not_placeable)


@pytest.mark.parametrize(("clearly", "band"), [("top", 1), ("bottom", 4)])
def test_the_clearly_filters_keep_the_pcts_whose_whole_interval_lies_in_that_quarter(
    client, demo_data, clearly, band
):
    expected, assessed = recomputed("2008-09", "competency")
    wanted = {code for code, clear in clear_bands(expected, assessed).items() if clear == band}
    response = client.get(f"/league/2008-09/?method=competency&clearly={clearly}")
    shown = pages.table_rows(response)
    assert wanted and {row["code"] for row in shown} == wanted
    # In the table's own order, and the headline describes the rows shown.
    ranks = [int(row["Rank"].lstrip("=")) for row in shown]
    assert ranks == sorted(ranks)
    figures = headline_figures(response)
    assert figures["PCTs shown"] == str(len(wanted))
    assert figures["Cannot be placed in a quarter"] == "0"


def test_an_unknown_clearly_value_is_reported_and_shows_no_rows(client, demo_data):
    response = client.get("/?clearly=sideways")
    assert "Select a valid choice" in response.content.decode()
    assert pages.table_rows(response) == []


def test_the_likely_rank_is_not_a_download_column_of_its_own(client, demo_data):
    columns = list(pages.csv_rows(client.get("/?_export=csv")).columns)
    assert "likely_rank" not in columns
    assert columns.index("rank_low") == columns.index("band") + 1


def ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


# 5LA is the last triple green PCT of 2009/10: governance first keeps the PCTs below it, with two
# greens, clearly below it in every resampling.
@pytest.mark.parametrize("code", ["5QL", "5C4", "5K5", "5LA"])
def test_the_profile_gives_the_interval_and_whether_the_neighbours_are_clearly_apart(
    client, demo_data, code
):
    expected, _ = recomputed("2009-10", "governance")
    years = queries.public_years()
    rows = computed.ranked_rows(years[-1], years[-2], ranking.METHODS["governance"])
    row = next(r for r in rows if r.scorecard.pct_code == code)
    low, high = expected[code]
    ranked = ordinal(low) if low == high else f"between {ordinal(low)} and {ordinal(high)}"
    section = pages.soup(client.get(f"/pct/{code}/")).select_one(
        "section:has(> h3#explain-2009-10)"
    )
    facts = {
        dt.get_text(" ", strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in section.select("dl.facts dt")
    }
    assert facts["How sure the rank is"].startswith(
        f"In 90% of 2,000 resamplings of the competencies, {row.scorecard.pct_name} ranked "
        f"{ranked} (governance first)"
    )
    for label, nearer, apart in (
        ("Just above", max, lambda them: expected[them][1] < low),
        ("Just below", min, lambda them: expected[them][0] > high),
    ):
        ranks = [
            r.rank
            for r in rows
            if r.rank is not None and r.rank != row.rank and (r.rank < row.rank) == (nearer is max)
        ]
        if not ranks:
            assert facts[label] == "None"
            continue
        group = [r.scorecard.pct_code for r in rows if r.rank == nearer(ranks)]
        words = "clearly above it" if nearer is max else "clearly below it"
        if all(apart(them) for them in group):
            assert words in facts[label]
        else:
            assert "not clearly different from it" in facts[label]


def test_compare_says_how_often_each_pct_ranked_above_the_other(client, demo_data):
    year = AssessmentYear.objects.get(start_year=2009)
    scorecards = [s for s in queries.year_scorecards(year) if s.assessed]
    competencies = [c.number for c in queries.year_competencies(year)]
    ranks = resampled_ranks(scorecards, competencies, 2009, ranking.METHODS["governance"])
    row = {s.pct_code: i for i, s in enumerate(scorecards)}
    name = {s.pct_code: s.pct_name for s in scorecards}

    def percent_above(code, other) -> int:
        return round(100 * np.mean(ranks[row[code]] < ranks[row[other]]))

    page = pages.soup(client.get("/compare/?pct=5C4&pct=5QL&pct=5K5"))
    shown = [li.get_text(" ", strip=True) for li in page.select("ul.rank-shares li")]
    assert len(shown) == 3  # every pair once
    for code, other in (("5C4", "5QL"), ("5C4", "5K5"), ("5QL", "5K5")):
        first, second = (code, other)
        if percent_above(other, code) > percent_above(code, other):
            first, second = other, code
        above, below = percent_above(first, second), percent_above(second, first)
        sentence = f"{name[first]} above {name[second]} in {above}% of resamplings"
        assert any(text.startswith(sentence) for text in shown), sentence
        if below:
            assert any(f"{sentence}, below it in {below}%" in text for text in shown)


def caterpillar_records(response) -> list[dict[str, str]]:
    """The caterpillar's data table, and its figure's traces by name."""
    table = pages.soup(response).select_one("#chart-rank-intervals-caption").find_parent("table")
    return [
        [cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])]
        for tr in table.select("tbody tr")
    ]


def figure(response) -> dict:
    import json

    script = pages.soup(response).select_one("#chart-rank-intervals-data")
    return {trace["name"]: trace for trace in json.loads(script.string)["data"]}


@pytest.mark.parametrize(
    ("url", "highlighted"),
    [
        ("/league/2009-10/", None),  # the whole table: nothing stands out
        ("/overview/", None),
        ("/league/2009-10/?sha=Q36", "PCTs shown"),
        ("/league/2009-10/?clearly=bottom", "PCTs shown"),
        ("/sha/Q36/", "London SHA's PCTs"),
    ],
)
def test_the_caterpillar_draws_every_assessed_pct_with_its_interval(
    client, demo_data, url, highlighted
):
    expected, assessed = recomputed("2009-10", "governance")
    response = client.get(url)
    table = caterpillar_records(response)
    assert len(table) == assessed
    years = queries.public_years()
    rows = computed.ranked_rows(years[-1], years[-2], ranking.METHODS["governance"])
    in_order = [row for row in rows if row.rank is not None]
    assert [r[0] for r in table] == [row.scorecard.pct_name for row in in_order]
    for row, (_, rank, between) in zip(in_order, table, strict=True):
        low, high = expected[row.scorecard.pct_code]
        assert (rank, between) == (str(row.rank), f"{low}–{high}" if low != high else str(low))
    drawn = figure(response)
    assert all(trace["type"] == "scatter" for trace in drawn.values())
    if highlighted is None:
        assert len(drawn) == 1
        return
    shown = {row["code"] for row in pages.table_rows(response)}
    chosen = drawn[highlighted]
    by_place = {i + 1: row.scorecard.pct_code for i, row in enumerate(in_order)}
    assert {by_place[x] for x in chosen["x"]} == shown & set(expected)
    assert len(drawn["Other PCTs"]["x"]) == assessed - len(chosen["x"])


def test_the_caterpillar_csv_holds_every_record(client, demo_data):
    expected, assessed = recomputed("2009-10", "competency")
    frame = pages.csv_rows(
        client.get("/league/2009-10/charts/rank-intervals.csv?method=competency&clearly=top")
    )
    assert len(frame) == assessed
    assert {
        row["pct_code"]: (int(row["rank_low"]), int(row["rank_high"]))
        for _, row in frame.iterrows()
    } == expected
    top = clear_bands(expected, assessed)
    assert set(frame.loc[frame["group"] == "PCTs shown", "pct_code"]) == {
        code for code, band in top.items() if band == 1
    }
    assert frame["data_status"].str.startswith("ILLUSTRATIVE").all()
    assert client.get("/charts/rank-intervals.csv").status_code == 200
    assert client.get("/charts/no-such-chart.csv").status_code == 404


def test_the_methodology_page_gives_the_method_as_the_code_runs_it(client, db):
    section = pages.soup(client.get("/methodology/")).select_one("h2#intervals")
    text = []
    for sibling in section.find_next_siblings():
        if sibling.name == "h2":
            break
        text.append(sibling.get_text(" ", strip=True))
    text = " ".join(" ".join(text).split())
    # The positions numpy's inverted_cdf picks among 2,000 sorted ranks, asked of numpy here.
    first, last = (
        int(p) + 1 for p in np.quantile(np.arange(2000), [0.05, 0.95], method="inverted_cdf")
    )
    assert (first, last) == (100, 1900)
    assert "runs from the 100th of them to the 1,900th (the 5% and 95% points)" in text
    assert "in at least 90% of 2,000 resamplings" in text
    assert "numpy.random.default_rng(2008).integers(0, K, size=(2000, K))" in text
    assert 'numpy.quantile(ranks, [0.05, 0.95], method="inverted_cdf")' in text
    for cited in (
        "Goldstein and Spiegelhalter",
        "Journal of the Royal Statistical Society, Series A , 1996",
        "Marshall and Spiegelhalter",
        "Adab and colleagues",
        "BMJ , 2002",
        "The panel's judgement of each score.",
    ):
        assert cited in text, cited
