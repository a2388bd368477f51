"""Hand-worked medians, quartiles, summaries and movers (no database)."""

import pytest

from leaguetable import ranking, trends
from leaguetable.ranking import PCTScorecard, RankedRow
from leaguetable.trends import Quartiles


def result(code, ratings="AAA", scores=(2, 2), sha="Q30"):
    """A PCT's result; ratings=None means not assessed. A score of None means not scored."""
    if ratings is None:
        return PCTScorecard(code, f"PCT {code}", sha, f"SHA {sha}")
    strategy, finance, board = ratings
    numbered = {n: s for n, s in enumerate(scores, start=1) if s is not None}
    return PCTScorecard(code, f"PCT {code}", sha, f"SHA {sha}", strategy, finance, board, numbered)


def ranked(*results):
    return ranking.rank(results, ranking.METHODS["governance"])


@pytest.mark.parametrize(
    ("values", "expected"),
    [([3], 3), ([1, 3, 2], 2), ([1, 2, 3, 4], 2.5), ([4, 1, 1, 4], 2.5), ([], None)],
)
def test_median_takes_the_middle_value_or_the_mean_of_the_middle_two(values, expected):
    assert trends.median(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3, 4, 5], Quartiles(1, 2, 3, 4, 5)),
        ([1, 2, 3, 4], Quartiles(1, 1.75, 2.5, 3.25, 4)),
        ([7], Quartiles(7, 7, 7, 7, 7)),
    ],
)
def test_quartiles_follow_the_inclusive_method(values, expected):
    assert trends.quartiles(values) == expected


def test_quartiles_of_nothing_are_none():
    assert trends.quartiles([]) is None


def test_competency_medians_leave_out_pcts_not_assessed_and_scores_not_given():
    summary = trends.summarise_group(
        ranked(
            result("A", scores=(1, 4)),
            result("B", scores=(2, None)),  # assessed, but competency 2 not scored
            result("C", scores=(4, 1)),
            result("D", scores=(3, 3)),
            result("E", ratings=None),  # not assessed: never a zero
        )
    )
    assert summary.assessed == 4
    assert summary.score_medians == {1: 2.5, 2: 3}  # (2 + 3) / 2; middle of 1, 3, 4
    assert summary.score_counts[2] == {4: 1, 1: 1, 3: 1}


def test_total_rank_and_mean_score_medians_count_only_assessed_pcts():
    rows = ranked(
        result("TOP", "GGG", (4, 4)),  # total 8, rank 1
        result("MID", "GGA", (3, 3)),  # total 6, rank 2
        result("LOW", "GAA", (1, 2)),  # total 3, rank 3
        result("OUT", None),
    )
    summary = trends.summarise_group(rows)
    assert summary.total_median == 6
    assert summary.rank_median == 2
    assert summary.mean_score_median == 3
    assert summary.total_quartiles == Quartiles(3, 4.5, 6, 7, 8)


def test_governance_medians_use_red_0_amber_1_green_2_and_an_even_count_averages():
    summary = trends.summarise_group(ranked(result("A", "GRA"), result("B", "ARA")))
    assert summary.governance_medians == {"strategy": 1.5, "finance": 0, "board_governance": 1}
    assert summary.rag_counts["strategy"] == {"G": 1, "A": 1}
    assert summary.rag_counts["strategy"]["R"] == 0


def test_a_group_with_nobody_assessed_has_no_medians():
    summary = trends.summarise_group(ranked(result("A", None)))
    assert summary.assessed == 0
    assert summary.total_median is None
    assert summary.rank_median is None
    assert summary.governance_medians["finance"] is None
    assert summary.score_medians == {}


def test_a_year_is_summarised_for_england_and_for_each_sha():
    rows = ranked(
        result("A", scores=(1, 1), sha="Q30"),
        result("B", scores=(3, 3), sha="Q30"),
        result("C", scores=(4, 4), sha="Q31"),
    )
    summary = trends.summarise(rows)
    assert summary.england.score_medians[1] == 3
    assert summary.by_sha["Q30"].score_medians[1] == 2
    assert summary.by_sha["Q31"].score_medians[1] == 4
    assert summary.by_sha["Q30"].assessed == 2


def test_the_mean_score_divides_the_total_by_the_competencies_scored():
    assert trends.mean_score(result("A", scores=(1, 2, 4))) == pytest.approx(7 / 3)
    assert trends.mean_score(result("B", None)) is None


def moved(code, previous_rank, rank):
    return RankedRow(result(code), rank, previous_rank=previous_rank)


def test_biggest_movers_are_the_largest_gains_and_losses_ties_by_name():
    rows = [
        moved("UP5", 10, 5),
        moved("UP2", 4, 2),
        moved("B_UP5", 7, 2),
        moved("SAME", 3, 3),
        moved("NEW", None, 1),
        moved("DOWN6", 1, 7),
        moved("DOWN1", 2, 3),
    ]
    risers, fallers = trends.biggest_movers(rows, count=2)
    assert [row.scorecard.pct_code for row in risers] == ["B_UP5", "UP5"]
    assert [row.scorecard.pct_code for row in fallers] == ["DOWN6", "DOWN1"]


@pytest.mark.parametrize(("part", "whole", "expected"), [(1, 3, 33.3), (2, 2, 100.0), (0, 0, None)])
def test_share_is_a_percentage_to_one_place(part, whole, expected):
    assert trends.share(part, whole) == expected


def test_the_biggest_movers_include_everyone_tied_with_the_last_shown():
    rows = [
        ranking.RankedRow(PCTScorecard(code, code, "Q30", "SHA"), 20, previous_rank=20 + gained)
        for code, gained in [("A", 5), ("B", 3), ("C", 3), ("D", 3), ("E", 1), ("F", -2)]
    ]
    risers, fallers = trends.biggest_movers(rows, 2)
    assert [row.scorecard.pct_code for row in risers] == ["A", "B", "C", "D"]  # 2nd is =3 places
    assert [row.scorecard.pct_code for row in fallers] == ["F"]
