"""Hand-worked cases for bands, ranks under every method and the next step (no database)."""

import random
from fractions import Fraction

import pytest

from leaguetable import explain, ranking
from leaguetable.intervals import clear_band
from leaguetable.ranking import NextStep, RankInterval
from tests.leaguetable.test_ranking import COMPETENCY, EQUAL_WEIGHT, GOVERNANCE, result


@pytest.mark.parametrize(
    ("rank", "assessed", "band"),
    [
        (1, 152, 1),
        (38, 152, 1),  # 4 x 37 // 152 = 0
        (39, 152, 2),  # 4 x 38 // 152 = 1: the first of the second quarter
        (76, 152, 2),
        (77, 152, 3),
        (115, 152, 4),
        (152, 152, 4),
        (1, 1, 1),
        (2, 3, 2),  # 4 x 1 // 3 = 1
        (3, 3, 3),  # 4 x 2 // 3 = 2: with three PCTs no one is in band 4
        (4, 5, 3),
        (5, 5, 4),
    ],
)
def test_a_band_is_the_quarter_of_the_table_a_rank_falls_in(rank, assessed, band):
    assert ranking.band(rank, assessed) == band


def test_pcts_tied_across_a_band_boundary_share_the_band_of_their_shared_rank():
    # Eight PCTs: ranks 1, =2, =2, =2, 5, 6, 7, 8. Positions 3 and 4 would be band 2 alone,
    # but their rank is 2, so they share band 1 with the other PCTs at =2.
    scorecards = [
        result("A", "GGG"),
        *(result(code, "GGA") for code in "BCD"),
        *(result(code, "AAA", (2, 2 - i % 2)) for i, code in enumerate("EFGH")),
    ]
    rows = ranking.rank(scorecards, GOVERNANCE)
    assert [(row.rank, row.band) for row in rows[:5]] == [(1, 1), (2, 1), (2, 1), (2, 1), (5, 3)]


def test_the_headline_counts_each_band():
    rows = ranking.rank([result(code, "AAA", (1, n)) for n, code in enumerate("ABCD")], COMPETENCY)
    assert ranking.headline(rows).band_counts == {1: 1, 2: 1, 3: 1, 4: 1}


def test_not_assessed_pcts_have_no_band():
    rows = ranking.rank([result("A"), result("N", None)], GOVERNANCE)
    assert rows[-1].band is None


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (111, "111th"),
    ],
)
def test_ordinals(number, text):
    assert ranking.ordinal(number) == text


def steps(scorecards, method):
    return explain.next_steps(scorecards, method)


def test_a_pct_already_first_has_no_next_step():
    found = steps([result("TOP", "GGG", (3, 3)), result("LOW", "AAA", (1, 1))], GOVERNANCE)
    assert "TOP" not in found


def test_a_pct_at_the_maximum_everywhere_has_no_step_to_take():
    maxed = result("MAX", "GGG", (4, 4))
    assert explain.steps_up(maxed) == []
    assert "MAX" not in steps([maxed, result("B", "GGG", (4, 4))], GOVERNANCE)


def test_a_step_that_only_breaks_a_tie_is_not_an_improvement():
    # Both PCTs are =1; one more point makes X first alone, but its rank number stays 1.
    tied = [result("X", "AAA", (3, 3)), result("Y", "AAA", (3, 3))]
    assert steps(tied, COMPETENCY) == {}


def test_a_step_that_reaches_a_shared_rank_counts_and_says_it_is_shared():
    # LOW (total 5) is 2nd; a point on c1 or c2 ties TOP (total 6) at =1. c1 comes first.
    found = steps([result("TOP", "AAA", (3, 3)), result("LOW", "AAA", (3, 2))], COMPETENCY)
    assert found["LOW"] == NextStep("c1", 3, 4, 2, False, 1, True)


def test_governance_steps_do_not_count_under_the_competency_total():
    found = steps([result("TOP", "GGG", (4, 4)), result("LOW", "RRR", (4, 3))], COMPETENCY)
    assert found["LOW"].field == "c2"
    level = [result("TOP", "GGG", (4, 4)), result("LOW", "RRR", (4, 4))]
    assert steps(level, COMPETENCY) == {}


def test_a_step_that_changes_the_leading_key_beats_the_totals_beneath_it():
    # Governance first: AMB is 3rd on 1 green despite the highest total. Amber -> green for
    # finance gives it 2 greens, and its total 7 then beats P's 4 and Q's 3: 1st.
    scorecards = [
        result("P", "GGR", (2, 2)),  # 2 greens, total 4
        result("Q", "GGR", (2, 1)),  # 2 greens, total 3
        result("AMB", "GAA", (4, 3)),  # 1 green, total 7
    ]
    found = steps(scorecards, GOVERNANCE)
    assert found["AMB"] == NextStep("finance", "A", "G", 3, False, 1, False)


def test_ties_between_steps_go_to_the_first_in_column_order():
    # Competency total: TOP 6, MID 5, LOW 5 (=2). A point on c1 or on c2 takes LOW to =1: c1.
    # Equal weight: TOP 62.5, MID 56.25, LOW 47.9. Strategy red -> amber gives 56.25 (=2); a
    # competency point only 54.2 (still 3rd): strategy.
    scorecards = [
        result("TOP", "AAA", (3, 3)),
        result("MID", "AAA", (3, 2)),
        result("LOW", "RAA", (3, 2)),
    ]
    assert steps(scorecards, COMPETENCY)["LOW"] == NextStep("c1", 3, 4, 2, True, 1, True)
    assert steps(scorecards, EQUAL_WEIGHT)["LOW"] == NextStep(
        "strategy", "R", "A", 3, False, 2, True
    )


def test_the_step_is_the_one_that_gains_most_places_not_the_first_that_gains_any():
    scorecards = [
        result("A", "GGG", (3, 3)),  # 1st
        result("B", "GGA", (3, 3)),  # 2nd: 2 greens
        result("E", "GAA", (3, 3)),  # 3rd: 1 green, total 6
        result("C", "GAA", (2, 2)),  # 4th: 1 green, total 4
        result("ME", "GAA", (1, 2)),  # 5th: 1 green, total 3
    ]
    # c1 up ties C at =4 (one place); finance up gives 2 greens, behind B only: 3rd (two).
    found = steps(scorecards, GOVERNANCE)
    assert found["ME"] == NextStep("finance", "A", "G", 5, False, 3, False)


def test_the_step_is_described_in_words():
    step = NextStep("finance", "A", "G", 41, True, 18, True)
    assert step.describe({}) == "Amber → green for finance would have moved it from =41 to =18"
    step = NextStep("c4", 2, 3, 7, False, 3, False)
    assert step.describe({4: "Collaborate with clinicians"}) == (
        "A score of 3 rather than 2 on competency 4 (Collaborate with clinicians) would have "
        "moved it from 7 to 3"
    )


def test_ranks_under_every_method_and_a_wide_spread_are_marked():
    rows = ranking.rank([result("A", "GGG", (1, 1)), result("B", "RRR", (4, 4))], GOVERNANCE)
    ranks = {
        "governance": {"A": 1, "B": 2},
        "competency": {"A": 2, "B": 1},
        "equal-weight": {"A": 1, "B": 2},
    }
    explained = explain.with_standing(rows, ranks, {})
    standing = explained[0].standing
    assert standing.ranks == {"governance": 1, "competency": 2, "equal-weight": 1}
    assert standing.rank_range == "ranked 1st–2nd depending on method"
    assert not standing.varies_widely


@pytest.mark.parametrize(
    ("best", "worst", "wide"), [(12, 40, False), (12, 42, True), (1, 152, True)]
)
def test_a_spread_of_at_least_the_threshold_is_wide(best, worst, wide):
    standing = ranking.Standing(
        {"governance": best, "competency": worst, "equal-weight": best}, 0, None
    )
    assert ranking.WIDE_RANK_SPREAD == 30
    assert standing.varies_widely is wide


def explained_table():
    """Five PCTs under governance first: TOP 1st, =2nd A and B, ME 4th, LOW 5th."""
    scorecards = [
        result("TOP", "GGG", (3, 3), name="Top PCT"),
        result("A", "GGA", (3, 3), name="A PCT"),
        result("B", "GGA", (3, 3), name="B PCT"),
        result("ME", "GGA", (3, 1), name="Me PCT"),
        result("LOW", "RRR", (1, 1), name="Low PCT"),
    ]
    rows = ranking.rank(scorecards, GOVERNANCE)
    ranks = {
        slug: {r.scorecard.pct_code: r.rank for r in ranking.rank(scorecards, method)}
        for slug, method in ranking.METHODS.items()
    }
    return explain.with_standing(rows, ranks, explain.next_steps(scorecards, GOVERNANCE))


def explanation(code, rows=None):
    rows = rows or explained_table()
    row = next(r for r in rows if r.scorecard.pct_code == code)
    return explain.explain_rank(
        row, rows, GOVERNANCE, year_label="2008/09", competency_names={}, median_total=6
    )


def test_the_explanation_names_the_keys_ties_and_neighbours():
    why = explanation("A")
    assert why.keys == [
        ("green ratings", "2"),
        ("total competency score", "6"),
        ("amber ratings", "1"),
    ]
    assert [r.scorecard.pct_code for r in why.ties] == ["B"]
    assert [r.scorecard.pct_code for r in why.above.rows] == ["TOP"]
    assert why.above.separated_by == ("green ratings", "3", "2")
    assert [r.scorecard.pct_code for r in why.below.rows] == ["ME"]
    assert why.below.separated_by == ("total competency score", "4", "6")


def test_the_first_and_last_pcts_have_no_one_above_or_below():
    rows = explained_table()
    assert explanation("TOP", rows).above is None
    assert explanation("LOW", rows).below is None


def test_the_board_paper_sentence():
    assert explanation("TOP").sentence == (
        "Top PCT ranked 1st of 5 in 2008/09 by governance first, the only PCT rated green for "
        "strategy, finance and board governance, with a total competency score of 6 "
        "(England's median 6); band 1 of 4."
    )
    assert explanation("A").sentence.startswith(
        "A PCT ranked =2nd of 5 in 2008/09 by governance first, rated green for strategy, "
        "green for finance and amber for board governance, with a total competency score of 6"
    )


def test_the_next_step_in_words_or_none():
    # ME (4th, total 4): a point on c2 gives 5, still behind A and B on 6: no gain. Amber ->
    # green for board governance gives 3 greens, level with TOP on greens but behind on total:
    # 2nd.
    # Band: of five PCTs, rank 4 is band 3 and ranks 1-3 bands 1-2. Reaching band 2 (rank 3 at
    # worst) needs a key no lower than B's (2 greens, total 6, 1 amber): 2 more points (4 -> 6),
    # or the same amber -> green.
    assert explanation("ME").next_step == (
        "Amber → green for board governance would have moved it from 4 to 2. "
        "2 more competency points (or one rating step up) would reach band 2."
    )
    assert explanation("TOP").next_step == (
        "No single step up would have improved its rank under governance first."
    )


def reach(scorecards, method, code):
    rows = ranking.rank(scorecards, method)
    row = next(r for r in rows if r.scorecard.pct_code == code)
    found = explain.band_reach(row, rows, method)
    return None if found is None else found.describe()


FOUR_BY_TOTAL = [
    result("T8", "AAA", (4, 4)),
    result("T6", "AAA", (3, 3)),
    result("T5", "AAA", (3, 2)),
    result("T2", "AAA", (1, 1)),
]


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        # Four PCTs, one a band. T5 (3rd) must tie T6 (6) to be 2nd: 1 point.
        ("T5", "1 more competency point would reach band 2."),
        # T2 (4th) must tie T5 (5) to be 3rd: 3 points; the ratings count for nothing here.
        ("T2", "3 more competency points would reach band 3."),
        ("T6", "2 more competency points would reach band 1."),
        ("T8", None),  # band 1 already
    ],
)
def test_the_distance_to_the_band_above_in_competency_points(code, sentence):
    assert reach(FOUR_BY_TOTAL, COMPETENCY, code) == sentence


def test_a_band_out_of_reach_is_not_offered():
    # Two PCTs: 1st is band 1, 2nd band 3. LOW needs 9 more points to tie 12: beyond 4.
    scorecards = [result("HIGH", "AAA", (4, 4, 4)), result("LOW", "AAA", (1, 1, 1))]
    assert explain.BAND_REACH_POINTS == 4
    assert reach(scorecards, COMPETENCY, "LOW") is None


def test_a_band_only_a_rating_step_reaches_names_the_step():
    # Governance first: SECOND (2 greens) cannot catch FIRST (3 greens) on points, as both score
    # the most; amber -> green for board governance ties it.
    scorecards = [result("FIRST", "GGG", (4, 4)), result("SECOND", "GGA", (4, 4))]
    assert reach(scorecards, GOVERNANCE, "SECOND") == (
        "One rating step up (Amber → green for board governance) would reach band 2."
    )


def test_the_equal_weight_band_reach_counts_points_on_the_mark():
    # Marks: HIGH (GGG, 8 of 8) 100; LOW (GGG, 5 of 8): (100 + 62.5) / 2 = 81.25. LOW needs
    # 3 points to tie HIGH; each point adds 6.25 to the mark.
    scorecards = [result("HIGH", "GGG", (4, 4)), result("LOW", "GGG", (3, 2))]
    assert reach(scorecards, EQUAL_WEIGHT, "LOW") == "3 more competency points would reach band 2."


def test_whole_number_keys_keep_order_and_ties_exactly():
    own = [(Fraction(1, 3),), (Fraction(1, 2),), (Fraction(2, 6),)]
    candidates = [[(Fraction(5, 12),)], [], [(Fraction(1, 2),)]]
    whole_own, whole_candidates = explain.whole_number_keys(own, candidates)
    assert whole_own == [(4,), (6,), (4,)]  # over 12: 1/3 = 4/12 = 2/6, 1/2 = 6/12
    assert whole_candidates == [[(5,)], [], [(6,)]]
    assert explain.whole_number_keys([(2, 3, 1)], [[(2, 4, 1)]]) == ([(2, 3, 1)], [[(2, 4, 1)]])


def brute_force(scorecards, method):
    """Every step tried by ranking the whole table again: the reference for next_steps."""
    found = {}
    for index, scorecard in enumerate(scorecards):
        rows = ranking.rank(scorecards, method)
        rank = next(r.rank for r in rows if r.scorecard is scorecard)
        best = None
        for field, before, after, changed in explain.steps_up(scorecard):
            table = [*scorecards[:index], changed, *scorecards[index + 1 :]]
            new_rank = next(r.rank for r in ranking.rank(table, method) if r.scorecard is changed)
            if new_rank < rank and (best is None or new_rank < best[3]):
                best = (field, before, after, new_rank)
        if best is not None:
            found[scorecard.pct_code] = best
    return found


@pytest.mark.parametrize("method", ranking.METHODS.values(), ids=lambda m: m.slug)
@pytest.mark.parametrize("seed", range(10))
def test_next_steps_agree_with_re_ranking_the_whole_table(seed, method):
    # Small tables on three competencies, so ties are everywhere.
    rng = random.Random(seed)
    scorecards = [
        result(f"P{n}", "".join(rng.choice("RAG") for _ in range(3)), rng.choices(range(1, 5), k=3))
        for n in range(12)
    ]
    found = {
        code: (step.field, step.before, step.after, step.rank_after)
        for code, step in explain.next_steps(scorecards, method).items()
    }
    assert found == brute_force(scorecards, method)


def table_with_intervals(intervals: dict[str, tuple[int, int]]):
    """explained_table() with hand-set rank intervals (clear bands among five PCTs)."""
    scorecards = [row.scorecard for row in explained_table()]
    rows = ranking.rank(scorecards, GOVERNANCE)
    ranks = {
        slug: {r.scorecard.pct_code: r.rank for r in ranking.rank(scorecards, method)}
        for slug, method in ranking.METHODS.items()
    }
    known = {
        code: RankInterval(low, high, clear_band(low, high, len(scorecards)))
        for code, (low, high) in intervals.items()
    }
    steps = explain.next_steps(scorecards, GOVERNANCE)
    return explain.with_standing(rows, ranks, steps, known)


def test_the_profile_says_where_90_percent_of_the_resampled_ranks_fell():
    rows = table_with_intervals({"TOP": (1, 1), "A": (2, 3), "B": (2, 3), "ME": (4, 4)})
    assert explanation("A", rows).interval_sentence == (
        "In 90% of 2,000 resamplings of the competencies, A PCT ranked between 2nd and 3rd "
        "(governance first)"
    )
    assert explanation("TOP", rows).interval_sentence.endswith(
        "Top PCT ranked 1st (governance first)"
    )
    assert explanation("LOW", rows).interval_sentence == ""  # its interval is unknown


@pytest.mark.parametrize(
    ("intervals", "above", "below"),
    [
        # A at 2–3: TOP (1–1) ends before it begins; ME (4–4) begins after it ends.
        ({"TOP": (1, 1), "A": (2, 3), "B": (2, 3), "ME": (4, 4)}, True, True),
        # TOP reaches 2nd and ME 3rd: both overlap A's 2–3.
        ({"TOP": (1, 2), "A": (2, 3), "B": (2, 3), "ME": (3, 4)}, False, False),
        # ME's interval unknown: nothing is said of the PCTs below.
        ({"TOP": (1, 1), "A": (2, 3), "B": (2, 3)}, True, None),
    ],
)
def test_neighbours_are_clearly_apart_only_when_the_intervals_do_not_overlap(
    intervals, above, below
):
    why = explanation("A", table_with_intervals(intervals))
    assert (why.above.clearly_apart, why.below.clearly_apart) == (above, below)


def test_tied_neighbours_are_clearly_apart_only_if_every_one_is():
    rows = table_with_intervals({"TOP": (1, 1), "A": (2, 3), "B": (1, 3)})
    assert explanation("TOP", rows).below.clearly_apart is False  # B reaches 1st
    rows = table_with_intervals({"TOP": (1, 1), "A": (2, 3), "B": (2, 2)})
    assert explanation("TOP", rows).below.clearly_apart is True
