"""Hand-worked cases for the ranking rules (no database)."""

from fractions import Fraction

import pytest

from leaguetable import ranking
from leaguetable.ranking import PCTScorecard, RankedRow

GOVERNANCE = ranking.METHODS["governance"]
COMPETENCY = ranking.METHODS["competency"]
EQUAL_WEIGHT = ranking.METHODS["equal-weight"]


def result(code, ratings="AAA", scores=(2, 2), name=None, sha="Q30"):
    """A PCT's result; ratings=None means not assessed."""
    if ratings is None:
        return PCTScorecard(code, name or f"PCT {code}", sha, f"SHA {sha}")
    strategy, finance, board = ratings
    return PCTScorecard(
        pct_code=code,
        pct_name=name or f"PCT {code}",
        sha_code=sha,
        sha_name=f"SHA {sha}",
        strategy=strategy,
        finance=finance,
        board_governance=board,
        scores=dict(enumerate(scores, start=1)),
    )


def ranks(rows):
    return [(row.scorecard.pct_code, row.rank_label) for row in rows]


def test_greens_come_before_competency_totals():
    rows = ranking.rank([result("LOW", "GGA", (4, 4)), result("TOP", "GGG", (1, 1))], GOVERNANCE)
    assert ranks(rows) == [("TOP", "1"), ("LOW", "2")]


def test_equal_greens_are_split_by_total_then_by_ambers():
    rows = ranking.rank(
        [
            result("A", "GRR", (3, 3)),  # 1 green, total 6, 0 ambers
            result("B", "GAA", (3, 3)),  # 1 green, total 6, 2 ambers
            result("C", "GAA", (4, 3)),  # 1 green, total 7
        ],
        GOVERNANCE,
    )
    assert ranks(rows) == [("C", "1"), ("B", "2"), ("A", "3")]


def test_ties_share_a_rank_and_the_next_rank_skips():
    rows = ranking.rank(
        [
            result("D", "AAA", (1, 1)),
            result("B", "GAA", (2, 2)),
            result("C", "GAA", (2, 2)),
            result("A", "GGA", (2, 2)),
        ],
        GOVERNANCE,
    )
    assert ranks(rows) == [("A", "1"), ("B", "=2"), ("C", "=2"), ("D", "4")]
    assert [row.tied for row in rows] == [False, True, True, False]


def test_tied_pcts_are_listed_by_name():
    rows = ranking.rank([result("X1", name="Zed PCT"), result("X2", name="Abbey PCT")], GOVERNANCE)
    assert [row.scorecard.pct_name for row in rows] == ["Abbey PCT", "Zed PCT"]


def test_all_equal_pcts_share_rank_one():
    rows = ranking.rank([result(code) for code in "ABCDE"], GOVERNANCE)
    assert {row.rank for row in rows} == {1}
    assert all(row.rank_label == "=1" for row in rows)


def test_a_single_pct_is_ranked_first_without_a_tie():
    assert ranks(ranking.rank([result("A")], GOVERNANCE)) == [("A", "1")]


def test_no_pcts_give_an_empty_table():
    assert ranking.rank([], GOVERNANCE) == []


def test_not_assessed_pcts_get_no_rank_and_no_total_and_come_last():
    rows = ranking.rank([result("N", None), result("A", "RRR", (1, 1))], GOVERNANCE)
    assert ranks(rows) == [("A", "1"), ("N", "Not assessed")]
    assert rows[1].rank is None
    assert rows[1].scorecard.total is None  # never zero


def test_competency_method_ignores_governance():
    rows = ranking.rank(
        [result("G", "GGG", (1, 1)), result("R", "RRR", (3, 2)), result("S", "AAA", (2, 3))],
        COMPETENCY,
    )
    assert ranks(rows) == [("R", "=1"), ("S", "=1"), ("G", "3")]


def test_equal_weight_mark_is_the_mean_of_two_marks_out_of_100():
    # Governance G, A, R = 2 + 1 + 0 = 3 of 6 points -> 50; competencies 3 + 4 = 7 of 8 -> 87.5.
    assert ranking.equal_weight_mark(result("A", "GAR", (3, 4))) == Fraction(275, 4)  # 68.75


def test_equal_weight_can_disagree_with_governance_first():
    greens = result("GREEN", "GGR", (1, 1))  # marks: 4/6 -> 66.7, 2/8 -> 25: mean 45.8
    scores = result("SCORES", "GAA", (4, 4))  # marks: 4/6 -> 66.7, 8/8 -> 100: mean 83.3
    assert ranks(ranking.rank([greens, scores], GOVERNANCE))[0] == ("GREEN", "1")
    assert ranks(ranking.rank([greens, scores], EQUAL_WEIGHT))[0] == ("SCORES", "1")


@pytest.mark.parametrize(
    ("method", "key"),
    [
        (GOVERNANCE, (1, 5, 1)),  # greens, the given total, ambers
        (COMPETENCY, (5,)),
        # Governance 3 of 6 points -> 50; competencies 5 of 8 (two scored) -> 62.5.
        (EQUAL_WEIGHT, (Fraction(225, 4),)),
    ],
)
def test_a_key_given_a_total_ranks_it_in_place_of_the_observed_one(method, key):
    # The rank intervals (leaguetable.intervals) rank resampled totals by these keys.
    scorecard = result("A", "GAR", (3, 4))
    assert method.key(scorecard, 5) == key
    assert method.key(scorecard) == method.key(scorecard, 7)


@pytest.mark.parametrize(
    ("previous_rank", "rank", "movement"),
    [(5, 2, 3), (2, 5, -3), (4, 4, 0), (None, 1, None)],
)
def test_movement_is_places_gained_since_last_year(previous_rank, rank, movement):
    row = RankedRow(result("A"), rank, previous_rank=previous_rank)
    assert row.movement == movement


def test_with_movement_matches_pcts_by_code_across_years():
    last_year = ranking.rank(
        [result("A", "GGG"), result("B", "AAA"), result("GONE", "RRR")], GOVERNANCE
    )
    this_year = ranking.rank(
        [result("B", "GGG"), result("A", "AAA"), result("NEW", "GAA")], GOVERNANCE
    )
    moved = {row.scorecard.pct_code: row for row in ranking.with_movement(this_year, last_year)}
    assert (moved["B"].previous_rank, moved["B"].movement) == (2, 1)
    assert (moved["A"].previous_rank, moved["A"].movement) == (1, -2)
    assert moved["NEW"].movement is None


def test_a_pct_not_assessed_last_year_has_no_movement():
    last_year = ranking.rank([result("A", None), result("B")], GOVERNANCE)
    this_year = ranking.rank([result("A"), result("B")], GOVERNANCE)
    moved = {row.scorecard.pct_code: row for row in ranking.with_movement(this_year, last_year)}
    assert moved["A"].movement is None
    assert moved["B"].movement == 0


def test_headline_counts_triple_ratings_and_takes_the_median_total():
    rows = ranking.rank(
        [
            result("A", "GGG", (4, 4)),  # total 8
            result("B", "RRR", (1, 1)),  # total 2
            result("C", "GGG", (2, 3)),  # total 5
            result("D", "GAR", (3, 3)),  # total 6
            result("E", None),
        ],
        GOVERNANCE,
    )
    headline = ranking.headline(rows)
    assert (headline.pcts, headline.assessed, headline.not_assessed) == (5, 4, 1)
    assert (headline.triple_green, headline.triple_red) == (2, 1)
    assert headline.median_total == 5.5  # median of 2, 5, 6, 8


def test_headline_of_no_rows_has_no_median():
    assert ranking.headline([]).median_total is None


@pytest.mark.parametrize("descending", [False, True])
def test_sorting_puts_missing_values_last_in_either_direction(descending):
    rows = ranking.rank(
        [result("A", scores=(1,)), result("N", None), result("B", scores=(3,))], GOVERNANCE
    )
    ordered = ranking.sort_rows(rows, lambda row: row.scorecard.total, descending)
    codes = [row.scorecard.pct_code for row in ordered]
    assert codes == (["B", "A", "N"] if descending else ["A", "B", "N"])
