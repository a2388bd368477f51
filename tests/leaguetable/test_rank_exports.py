"""Downloads that stand alone: ranks under every method, mark, band, rank interval and next step,
checked against brute-force recomputations (the whole table ranked again for every possible step;
every replicate of the rank intervals ranked apart)."""

import io
import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from assurance.models import AssessmentYear, Competency
from leaguetable import queries, ranking
from tests import pages

pytestmark = pytest.mark.django_db

NEW_COLUMNS = [
    "rank_governance",
    "rank_competency",
    "rank_equal_weight",
    "mark_equal_weight",
    "band",
    "rank_low",
    "rank_high",
    "clear_band",
    "next_step_field",
    "next_step_from",
    "next_step_to",
    "next_step_rank",
]
EXPORT_NAMES = {"governance": "rank_governance", "competency": "rank_competency"} | {
    "equal-weight": "rank_equal_weight"
}
UP = {"R": "A", "A": "G"}


def rank_of(scorecards, code, method) -> int:
    return next(r.rank for r in ranking.rank(scorecards, method) if r.scorecard.pct_code == code)


def mark(scorecard) -> float:
    """Equal weight, worked independently: R0 A1 G2 of 6, and the total of 4 x scored, each /100."""
    points = sum({"R": 0, "A": 1, "G": 2}[rating] for rating in scorecard.ratings)
    return (points / 6 * 100 + scorecard.total / (4 * len(scorecard.scores)) * 100) / 2


def brute_force_next_step(scorecards, index, method):
    """Re-rank the whole table with each possible step applied; the best strict improvement,
    the first in column order on a tie: (field, from, to, rank) or None."""
    scorecard = scorecards[index]
    rank = rank_of(scorecards, scorecard.pct_code, method)
    candidates = [
        (f"c{n}", s, s + 1, replace(scorecard, scores={**scorecard.scores, n: s + 1}))
        for n, s in sorted(scorecard.scores.items())
        if s < 4
    ] + [
        (area, getattr(scorecard, area), UP[getattr(scorecard, area)], None)
        for area in ("strategy", "finance", "board_governance")
        if getattr(scorecard, area) in UP
    ]
    best = None
    for field, before, after, changed in candidates:
        changed = changed or replace(scorecard, **{field: after})
        table = [*scorecards[:index], changed, *scorecards[index + 1 :]]
        new_rank = rank_of(table, scorecard.pct_code, method)
        if new_rank < rank and (best is None or new_rank < best[3]):
            best = (field, str(before), str(after), new_rank)
    return best and (*best[:3], str(best[3]))


@pytest.mark.parametrize("slug", ["2008-09", "2009-10"])
def test_every_download_column_agrees_with_a_brute_force_recomputation(client, demo_data, slug):
    year = AssessmentYear.objects.get(start_year=int(slug[:4]))
    scorecards = [s for s in queries.year_scorecards(year) if s.assessed]
    ranks = {
        slug_: {r.scorecard.pct_code: r.rank for r in ranking.rank(scorecards, method)}
        for slug_, method in ranking.METHODS.items()
    }
    for method_slug, method in ranking.METHODS.items():
        frame = pages.csv_rows(client.get(f"/league/{slug}/?method={method_slug}&_export=csv"))
        every = {row["pct_code"]: row for row in frame.to_dict("records")}
        # The PCTs not assessed that year are in the file, with every rank column blank.
        rows = {code: row for code, row in every.items() if row["rank"]}
        assert set(rows) == {s.pct_code for s in scorecards}
        assert all(
            row[column] == ""
            for code, row in every.items()
            if code not in rows
            for column in ("rank_governance", "rank_competency", "rank_equal_weight", "band")
        )
        for index, scorecard in enumerate(scorecards):
            row = rows[scorecard.pct_code]
            assert (row["year"], row["method"]) == (year.label, method_slug)
            for name, export_name in EXPORT_NAMES.items():
                assert row[export_name] == str(ranks[name][scorecard.pct_code])
            assert float(row["mark_equal_weight"]) == pytest.approx(mark(scorecard), abs=0.005)
            own_rank = ranks[method_slug][scorecard.pct_code]
            assert row["band"] == str(1 + 4 * (own_rank - 1) // len(scorecards))
            shown = tuple(row[c] for c in NEW_COLUMNS[-4:])
            expected = brute_force_next_step(scorecards, index, method)
            assert shown == (expected or ("", "", "", "")), scorecard.pct_code


def resampled_intervals(scorecards, competencies, start_year, method):
    """PCT code -> (rank_low, rank_high), worked out apart from leaguetable.intervals, as the
    issue words it: each replicate's totals summed from its draws, the method's own key at each
    total, every PCT compared with every other, and numpy.quantile."""
    ranks = resampled_ranks(scorecards, competencies, start_year, method)
    low, high = np.quantile(ranks, [0.05, 0.95], axis=1, method="inverted_cdf")
    return {s.pct_code: (int(lo), int(hi)) for s, lo, hi in zip(scorecards, low, high, strict=True)}


def resampled_ranks(scorecards, competencies, start_year, method) -> np.ndarray:
    """Each PCT's rank (a row, in the order of `scorecards`) in each of the 2,000 replicates,
    worked out apart from leaguetable.intervals."""
    k = len(competencies)
    draws = np.random.default_rng(start_year).integers(0, k, size=(2000, k))
    scores = np.array([[s.scores.get(number, 0) for number in competencies] for s in scorecards])
    totals = scores[:, draws].sum(axis=2)  # (PCT, replicate)
    # Keys put in order once, so that each replicate compares whole numbers.
    keys = {
        (index, int(total)): method.key(scorecard, int(total))
        for index, scorecard in enumerate(scorecards)
        for total in set(totals[index].tolist())
    }
    order = {key: place for place, key in enumerate(sorted(set(keys.values())))}
    codes = np.array(
        [[order[keys[index, int(t)]] for t in row] for index, row in enumerate(totals)]
    )
    above = (codes[None, :, :] > codes[:, None, :]).sum(axis=1)  # PCTs above, per replicate
    return 1 + above


@pytest.mark.parametrize("slug", ["2008-09", "2009-10"])
def test_the_rank_intervals_agree_with_a_separate_recomputation(client, demo_data, slug):
    year = AssessmentYear.objects.get(start_year=int(slug[:4]))
    scorecards = [s for s in queries.year_scorecards(year) if s.assessed]
    competencies = [c.number for c in queries.year_competencies(year)]
    for method_slug, method in ranking.METHODS.items():
        frame = pages.csv_rows(client.get(f"/league/{slug}/?method={method_slug}&_export=csv"))
        rows = {row["pct_code"]: row for row in frame.to_dict("records")}
        expected = resampled_intervals(scorecards, competencies, year.start_year, method)
        for code, (low, high) in expected.items():
            row = rows[code]
            low_band, high_band = (1 + 4 * (r - 1) // len(scorecards) for r in (low, high))
            clear = str(low_band) if low_band == high_band else ""
            assert (row["rank_low"], row["rank_high"], row["clear_band"]) == (
                str(low),
                str(high),
                clear,
            ), code
        assert all(
            (row["rank_low"], row["rank_high"], row["clear_band"]) == ("", "", "")
            for code, row in rows.items()
            if code not in expected
        )


def test_the_new_columns_follow_movement_in_order_and_year_and_method_lead(client, demo_data):
    columns = list(pages.csv_rows(client.get("/?_export=csv")).columns)
    assert columns[:2] == ["year", "method"]
    after = columns.index("movement") + 1
    assert columns[after] == "previous_rank"  # beside the movement it is worked out from
    assert columns[after + 1 : after + 1 + len(NEW_COLUMNS)] == NEW_COLUMNS


def test_some_pcts_have_a_next_step_and_some_do_not(client, demo_data):
    frame = pages.csv_rows(client.get("/league/2008-09/?_export=csv"))
    assert (frame["next_step_field"] == "").any() and (frame["next_step_field"] != "").any()
    assert frame.loc[frame["rank"] == "1", "next_step_field"].eq("").all()


def test_the_excel_download_has_a_data_dictionary(client, demo_data):
    response = client.get("/league/2009-10/?_export=xlsx")
    book = io.BytesIO(response.content)
    table = pd.read_excel(book, sheet_name="League table", engine="openpyxl")
    dictionary = pd.read_excel(book, sheet_name="Data dictionary", engine="openpyxl")
    meanings = dict(zip(dictionary["column"], dictionary["meaning"], strict=True))
    assert set(table.columns) <= set(meanings)
    for competency in Competency.objects.all():
        assert competency.name in meanings[f"c{competency.number}"]
    assert "1 (lowest) to 4" in meanings["scores"]
    assert "G green (2 points)" in meanings["ratings"]
    assert all(isinstance(text, str) and text for text in meanings.values())


def test_an_sha_pages_download_stands_alone_too(client, demo_data):
    response = client.get("/sha/Q36/?year=2008-09&method=equal-weight&_export=json")
    rows = json.loads(response.content)["rows"]
    assert len(rows) == 31
    assert {(row["year"], row["method"]) for row in rows} == {("2008/09", "equal-weight")}
    assert all(set(NEW_COLUMNS) <= set(row) for row in rows)
