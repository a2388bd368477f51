"""Hand-worked cases for the rank intervals (leaguetable.intervals), no database."""

import json
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaguetable import intervals
from leaguetable.ranking import METHODS, PCTScorecard, RankingMethod, RankInterval

ROOT = Path(__file__).resolve().parents[2]


def pct(code, scores, ratings="AAA"):
    """An assessed PCT scored on competencies 1, 2, … in order; None leaves one unscored."""
    strategy, finance, board = ratings
    return PCTScorecard(
        code,
        f"PCT {code}",
        "Q30",
        "SHA Q30",
        strategy,
        finance,
        board,
        scores={n: s for n, s in enumerate(scores, start=1) if s is not None},
    )


def not_assessed(code):
    return PCTScorecard(code, f"PCT {code}", "Q30", "SHA Q30")


def by_method(table, competencies, start_year):
    """Method slug -> its ResampledRanks."""
    found = intervals.resample(table, competencies, start_year)
    return {resampled.method_slug: resampled for resampled in found}


def ends(found):
    """PCT code -> (rank_low, rank_high)."""
    return {code: (i.rank_low, i.rank_high) for code, i in found.items()}


# K = 2 in 2008/09: each replicate draws one of four pairs of positions. How often each pair is
# drawn is a fact of numpy's generator, seeded with the year.
PAIRS_2008 = {(0, 0): 510, (0, 1): 511, (1, 0): 462, (1, 1): 517}


def test_the_2008_draws_of_two_competencies_are_these_pairs():
    draws = np.random.default_rng(2008).integers(0, 2, size=(2000, 2))
    assert Counter(map(tuple, draws.tolist())) == PAIRS_2008
    assert (intervals.replicate_draws(2, 2008) == draws).all()


def test_a_competency_a_pct_was_not_scored_on_adds_nothing():
    # Scored 3 on c1 only: 6 when c1 is drawn twice, 3 when once, 0 when c2 is drawn twice.
    totals = intervals.replicate_totals([pct("A", (3, None))], [1, 2], 2008)
    assert Counter(totals[0].tolist()) == {6: 510, 3: 511 + 462, 0: 517}


# Competency totals of three PCTs in each pair of draws, worked out by hand:
#   A (4, 1): 8 | 5 | 2      ranks (0, 0): A 1, C 2, B 3
#   B (2, 3): 4 | 5 | 6            mixed:  C 1, A =2, B =2
#   C (3, 3): 6 | 6 | 6            (1, 1): B =1, C =1, A 3
# A: rank 1 in 510 replicates, 2 in 973, 3 in 517; B: 1 in 517, 2 in 973, 3 in 510; C: 1 in
# 1,490, 2 in 510. Every pair is drawn in more than 100 (5%) of the 2,000, so each interval
# runs from the PCT's best rank to its worst. All three are rated amber throughout, so every
# method ranks them by their totals.
THREE_PCTS = [pct("A", (4, 1)), pct("B", (2, 3)), pct("C", (3, 3))]


@pytest.mark.parametrize("method", list(METHODS))
def test_with_two_competencies_every_interval_is_worked_out_by_hand(method):
    found = intervals.rank_intervals(THREE_PCTS, [1, 2], 2008)[method]
    assert ends(found) == {"A": (1, 3), "B": (1, 3), "C": (1, 2)}
    # Bands of 3 PCTs: rank 1 -> 1, rank 2 -> 2, rank 3 -> 3: no interval stays in one.
    assert [i.clear_band for i in found.values()] == [None, None, None]


@pytest.mark.parametrize(
    ("code", "other", "replicates"),
    [
        ("A", "B", 510),  # only when c1 is drawn twice; tied when mixed
        ("B", "A", 517),  # only when c2 is drawn twice
        ("C", "A", 511 + 462 + 517),
        ("A", "C", 510),
        ("B", "C", 0),  # at best tied with C
    ],
)
def test_the_share_above_counts_replicates_ranked_strictly_above(code, other, replicates):
    resampled = by_method(THREE_PCTS, [1, 2], 2008)["competency"]
    assert resampled.share_above(code, other) == replicates / 2000


def test_every_pairs_share_above_at_once_is_worked_out_by_hand():
    # From the table above: C above B when B totals 4 or 5 (pairs (0, 0) and mixed), tied else.
    resampled = by_method(THREE_PCTS, [1, 2], 2008)["competency"]
    shares = resampled.shares_above(["A", "B", "C"]) * 2000
    assert shares.tolist() == [[0, 510, 510], [517, 0, 0], [1490, 510 + 511 + 462, 0]]
    pairs = intervals.pair_shares(["A", "B", "C"], shares / 2000)
    assert [(p.first, p.second, p.first_above * 2000, p.second_above * 2000) for p in pairs] == [
        ("B", "A", 517, 510),  # B above more often: named first
        ("C", "A", 1490, 510),
        ("C", "B", 1483, 0),
    ]
    assert pairs[0].level == pytest.approx((511 + 462) / 2000)  # tied when the draw is mixed


@pytest.mark.parametrize("method", list(METHODS))
def test_pcts_tied_in_every_replicate_share_every_rank(method):
    twins = [pct("T1", (3, 1, 2), "GAR"), pct("T2", (3, 1, 2), "GAR")]
    resampled = by_method([pct("X", (2, 4, 1)), *twins], [1, 2, 3], 2009)[method]
    ranks = dict(zip(resampled.pct_codes, resampled.ranks, strict=True))
    assert (ranks["T1"] == ranks["T2"]).all()
    assert resampled.share_above("T1", "T2") == resampled.share_above("T2", "T1") == 0
    found = resampled.intervals()
    assert found["T1"] == found["T2"]


@pytest.mark.parametrize("method", list(METHODS))
def test_a_pct_first_in_every_replicate_has_the_interval_1_to_1(method):
    # Green throughout and never below any other PCT's best score.
    table = [pct("TOP", (4, 4, 4), "GGG"), pct("B", (3, 1, 2), "GGA"), pct("C", (1, 2, 3))]
    found = intervals.rank_intervals(table, [1, 2, 3], 2009)[method]
    assert found["TOP"] == RankInterval(1, 1, clear_band=1)


@pytest.mark.parametrize("method", list(METHODS))
def test_when_every_pct_has_the_same_results_every_interval_is_1_to_1(method):
    table = [pct(code, (3, 1, 4, 2), "GAR") for code in ("A", "B", "C", "D", "E")]
    found = intervals.rank_intervals(table, [1, 2, 3, 4], 2008)[method]
    assert set(found.values()) == {RankInterval(1, 1, clear_band=1)}


@pytest.mark.parametrize("method", list(METHODS))
def test_pcts_scoring_the_same_on_every_competency_keep_their_rank(method):
    # Every replicate total is K times the one score: nothing moves, ties included.
    table = [pct("A", (2, 2), "GAA"), pct("B", (3, 3), "AAA"), pct("C", (3, 3), "AAA")]
    found = intervals.rank_intervals(table, [1, 2], 2008)[method]
    observed = {"governance": (1, 2, 2), "competency": (3, 1, 1), "equal-weight": (3, 1, 1)}
    assert [i.rank_low for i in found.values()] == list(observed[method])
    assert [i.rank_high for i in found.values()] == list(observed[method])


def test_pcts_not_assessed_get_no_interval_and_are_not_counted():
    found = intervals.rank_intervals(
        [pct("A", (4, 4)), not_assessed("N"), pct("B", (1, 1))], [1, 2], 2008
    )["governance"]
    assert found == {"A": RankInterval(1, 1, 1), "B": RankInterval(2, 2, 3)}


@pytest.mark.parametrize(
    ("ranks", "expected"),
    [
        # 2,000 ranks: rank_low is the 100th smallest, rank_high the 1,900th.
        ({1: 100, 2: 1900}, (1, 2)),
        ({1: 99, 2: 1901}, (2, 2)),
        ({1: 1900, 5: 100}, (1, 1)),
        ({1: 1899, 5: 101}, (1, 5)),
        ({3: 2000}, (3, 3)),
        ({1: 99, 4: 1, 6: 1800, 9: 100}, (4, 6)),
    ],
)
def test_interval_ends_are_the_100th_and_1900th_smallest_of_2000_ranks(ranks, expected):
    row = np.repeat(list(ranks), list(ranks.values()))
    np.random.default_rng(0).shuffle(row)
    low, high = intervals.interval_ends(row[None, :])
    assert (low[0], high[0]) == expected
    quantiles = np.quantile(row, [0.05, 0.95], method="inverted_cdf")
    assert tuple(quantiles) == expected


@pytest.mark.parametrize(
    ("interval", "assessed", "clear_band"),
    [
        ((1, 38), 152, 1),  # band 1 is ranks 1-38 of 152
        ((1, 39), 152, None),
        ((115, 152), 152, 4),  # band 4 is ranks 115-152
        ((114, 152), 152, None),
        ((40, 76), 152, 2),
    ],
)
def test_a_pct_is_clearly_in_a_band_when_both_ends_are_in_it(interval, assessed, clear_band):
    assert intervals.clear_band(*interval, assessed) == clear_band


@pytest.mark.parametrize(
    ("interval", "label"), [(RankInterval(1, 9, None), "1–9"), (RankInterval(4, 4, 1), "4")]
)
def test_an_interval_reads_as_its_two_ends_or_one_rank(interval, label):
    assert interval.label == label


def test_the_headline_counts_pcts_clearly_in_each_quarter_and_the_rest():
    found = {
        "A": RankInterval(1, 2, 1),
        "B": RankInterval(1, 9, None),
        "C": RankInterval(3, 4, 1),
        "D": RankInterval(14, 15, 4),
    }
    assert intervals.headline(found) == intervals.IntervalHeadline({1: 2, 2: 0, 3: 0, 4: 1}, 1)


def test_scores_outside_the_years_competencies_are_refused():
    with pytest.raises(ValueError, match="A has scores outside"):
        intervals.rank_intervals([pct("A", (1, 2, 3))], [1, 2], 2008)


def test_a_key_that_is_not_affine_in_the_total_is_refused():
    squared = RankingMethod("squared", "Squared", "", lambda s, t=None: (t * t,), ("t²",))
    with pytest.raises(ValueError, match="not affine"):
        intervals.key_codes([pct("A", (1, 2))], squared, 8)


SCRIPT = """
import json
from leaguetable import intervals
from leaguetable.ranking import PCTScorecard
table = [
    PCTScorecard(code, code, "Q30", "SHA", *ratings, scores=dict(enumerate(scores, start=1)))
    for code, ratings, scores in json.loads(input())
]
found = intervals.rank_intervals(table, [1, 2, 3, 4, 5], 2009)
ends = {m: {c: [i.rank_low, i.rank_high] for c, i in f.items()} for m, f in found.items()}
print(json.dumps(ends))
"""


def test_the_same_seed_gives_the_same_intervals_in_another_process():
    rng = np.random.default_rng(7)
    rows = [
        (f"P{n}", "".join(rng.choice(list("RAG"), 3)), rng.integers(1, 5, 5).tolist())
        for n in range(30)
    ]
    table = [pct(code, scores, ratings) for code, ratings, scores in rows]
    here = intervals.rank_intervals(table, [1, 2, 3, 4, 5], 2009)
    there = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        input=json.dumps(rows),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert json.loads(there.stdout) == {
        method: {code: [i.rank_low, i.rank_high] for code, i in found.items()}
        for method, found in here.items()
    }


# A separate recomputation, in plain Python loops over the replicates and PCTs, as the issue
# words the method.


def brute_force(table, competencies, start_year):
    """Method slug -> PCT code -> ((rank_low, rank_high), its 2,000 ranks)."""
    draws = np.random.default_rng(start_year).integers(
        0, len(competencies), size=(2000, len(competencies))
    )
    assessed = [s for s in table if s.assessed]
    found = {}
    for slug, method in METHODS.items():
        ranks = {s.pct_code: [] for s in assessed}
        for positions in draws.tolist():
            keys = {}
            for scorecard in assessed:
                total = sum(scorecard.scores.get(competencies[p], 0) for p in positions)
                keys[scorecard.pct_code] = method.key(scorecard, total)
            for code, key in keys.items():
                ranks[code].append(1 + sum(other > key for other in keys.values()))
        # Inverted CDF: the smallest rank with at least 5% (95%) of the 2,000 at or below it.
        low, high = math.ceil(2000 * 5 / 100) - 1, math.ceil(2000 * 95 / 100) - 1
        found[slug] = {code: ((sorted(r)[low], sorted(r)[high]), r) for code, r in ranks.items()}
    return found


@st.composite
def years(draw):
    competencies = draw(st.integers(min_value=1, max_value=4))
    score = st.one_of(st.none(), st.integers(min_value=1, max_value=4))
    results = st.one_of(
        st.none(),
        st.tuples(
            st.text("RAG", min_size=3, max_size=3),
            st.lists(score, min_size=competencies, max_size=competencies),
        ),
    )
    table = [
        not_assessed(f"N{n}") if result is None else pct(f"P{n}", result[1], result[0])
        for n, result in enumerate(draw(st.lists(results, min_size=1, max_size=6)))
    ]
    return table, list(range(1, competencies + 1)), draw(st.sampled_from([2008, 2009]))


@settings(max_examples=15, deadline=None)
@given(year=years())
def test_the_vectorised_intervals_agree_with_a_plain_recomputation(year):
    table, competencies, start_year = year
    expected = brute_force(table, competencies, start_year)
    for slug, found in by_method(table, competencies, start_year).items():
        assert ends(found.intervals()) == {c: e for c, (e, _) in expected[slug].items()}
        for code, (_, ranks) in expected[slug].items():
            for other, (_, other_ranks) in expected[slug].items():
                above = sum(r < o for r, o in zip(ranks, other_ranks, strict=True))
                assert found.share_above(code, other) == above / 2000
