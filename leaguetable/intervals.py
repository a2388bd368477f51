"""How sure each rank is: rank intervals from resampling a year's competencies (issue 25).

Plain Python and numpy, no Django. The method, exactly, so that anyone can reproduce it: for a
year with K competencies in their order, `numpy.random.default_rng(start_year)` draws 2,000
replicates of K competency positions with replacement. A PCT's replicate total is the sum of its
scores at those positions (a position drawn twice counts twice; a competency it was not scored
on adds nothing). Each method's key is recomputed with the replicate total in place of the
observed one (governance ratings do not change), the assessed PCTs are ranked in every
replicate as the league ranks them (1, 2, 2, 4), and a PCT's interval is the 5% and 95%
quantiles of its 2,000 ranks (`method="inverted_cdf"`, so both ends are ranks it had).
"""

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from assurance.vocabulary import MAX_SCORE
from leaguetable.ranking import (
    BANDS,
    METHODS,
    PCTScorecard,
    RankedRow,
    RankingMethod,
    RankInterval,
    band,
)

REPLICATES = 2000
QUANTILES = (0.05, 0.95)  # a 90% interval


@dataclass(frozen=True, slots=True)
class ResampledRanks:
    """Every assessed PCT's rank in each replicate under one method: `ranks[i, b]` is the rank
    of `pct_codes[i]` in replicate b."""

    method_slug: str
    pct_codes: tuple[str, ...]
    ranks: np.ndarray  # (assessed PCTs, replicates)

    def intervals(self) -> dict[str, RankInterval]:
        """PCT code -> its interval, in the order of `pct_codes`."""
        assessed = len(self.pct_codes)
        return {
            code: RankInterval(low, high, clear_band(low, high, assessed))
            for code, low, high in zip(self.pct_codes, *interval_ends(self.ranks), strict=True)
        }

    def share_above(self, code: str, other: str) -> float:
        """The share of replicates (0 to 1) in which `code` ranks strictly above `other`; in a
        replicate where they tie, neither is above."""
        return float(self.shares_above([code, other])[0, 1])

    def shares_above(self, codes: Sequence[str]) -> np.ndarray:
        """`shares[i, j]`: the share of replicates (0 to 1) in which codes[i] ranks strictly
        above codes[j], every pair at once from the same replicates (0 on the diagonal, and
        for a pair tied in a replicate neither is above)."""
        row = {c: i for i, c in enumerate(self.pct_codes)}
        ranks = self.ranks[[row[code] for code in codes]]  # (len(codes), replicates)
        above = ranks[:, None, :] < ranks[None, :, :]
        return np.count_nonzero(above, axis=2) / self.ranks.shape[1]


@dataclass(frozen=True, slots=True)
class PairShares:
    """Two PCTs from one year's resamplings: how often each ranked above the other (0 to 1)."""

    first: str  # the PCT code above more often (the first given, when as often)
    second: str
    first_above: float
    second_above: float

    @property
    def level(self) -> float:
        """The share of replicates in which they shared a rank."""
        return max(0.0, 1 - self.first_above - self.second_above)


def pair_shares(codes: Sequence[str], shares: np.ndarray) -> list[PairShares]:
    """Every pair of `codes` (in their order) from `shares` (ResampledRanks.shares_above), the
    PCT above more often first."""
    pairs = []
    for i, j in itertools.combinations(range(len(codes)), 2):
        if shares[j, i] > shares[i, j]:
            i, j = j, i
        pairs.append(PairShares(codes[i], codes[j], float(shares[i, j]), float(shares[j, i])))
    return pairs


@dataclass(frozen=True, slots=True)
class IntervalHeadline:
    """The figures above the table: how many PCTs are clearly in each quarter, and how many
    cannot be placed in one (their interval crosses a band boundary)."""

    clearly_in_band: Mapping[int, int]  # band -> PCTs whose interval lies within it
    not_placeable: int


def resample(
    scorecards: Iterable[PCTScorecard],
    competencies: Sequence[int],
    start_year: int,
    methods: Iterable[str] = tuple(METHODS),
) -> Iterator[ResampledRanks]:
    """The assessed PCTs' ranks in every replicate under each of `methods` (slugs), in turn.

    `competencies` are the year's competency numbers in their order (c1 … cK): the positions
    drawn. The replicate totals are worked out once and ranked under each method. One method at
    a time, so that a caller keeps only what it needs: at 1,500 PCTs a method's ranks take 6 MB
    and ranking them 50 MB more for a moment (ten times that at 15,000).
    """
    assessed = [scorecard for scorecard in scorecards if scorecard.assessed]
    totals = replicate_totals(assessed, competencies, start_year)
    top = MAX_SCORE * len(competencies)  # no replicate total can exceed this
    codes = tuple(scorecard.pct_code for scorecard in assessed)
    for slug in methods:
        ranks = replicate_ranks(key_codes(assessed, METHODS[slug], top), totals)
        yield ResampledRanks(slug, codes, ranks)


def rank_intervals(
    scorecards: Iterable[PCTScorecard], competencies: Sequence[int], start_year: int
) -> dict[str, dict[str, RankInterval]]:
    """Method slug -> PCT code -> its RankInterval, for every assessed PCT and every method."""
    return {
        resampled.method_slug: resampled.intervals()
        for resampled in resample(scorecards, competencies, start_year)
    }


def headline(intervals: Mapping[str, RankInterval]) -> IntervalHeadline:
    """The headline of one method's intervals (PCT code -> RankInterval)."""
    clearly = dict.fromkeys(BANDS, 0)
    for interval in intervals.values():
        if interval.clear_band is not None:
            clearly[interval.clear_band] += 1
    return IntervalHeadline(clearly, len(intervals) - sum(clearly.values()))


def rows_headline(rows: Iterable[RankedRow]) -> IntervalHeadline:
    """The headline of the ranked rows shown: the intervals of those assessed."""
    return headline(
        {
            row.scorecard.pct_code: row.standing.interval
            for row in rows
            if row.standing is not None and row.standing.interval is not None
        }
    )


def clear_band(rank_low: int, rank_high: int, assessed: int) -> int | None:
    """The band both ends of an interval fall in among `assessed` PCTs; None when they differ."""
    low_band = band(rank_low, assessed)
    return low_band if low_band == band(rank_high, assessed) else None


def replicate_draws(competency_count: int, start_year: int) -> np.ndarray:
    """The competency positions (0 … K-1) drawn in each replicate: (REPLICATES, K)."""
    rng = np.random.default_rng(start_year)
    return rng.integers(0, competency_count, size=(REPLICATES, competency_count))


def replicate_totals(
    assessed: Sequence[PCTScorecard], competencies: Sequence[int], start_year: int
) -> np.ndarray:
    """Each assessed PCT's total in each replicate: (PCTs, REPLICATES) integers."""
    drawable = set(competencies)
    for scorecard in assessed:
        if not scorecard.scores.keys() <= drawable:
            # Its observed total would count a score no replicate could draw.
            raise ValueError(f"{scorecard.pct_code} has scores outside the year's competencies")
    if not competencies:  # nothing to draw: every total is 0, as observed
        return np.zeros((len(assessed), REPLICATES), dtype=np.int16)
    k = len(competencies)
    if MAX_SCORE * k > np.iinfo(np.int16).max:
        raise ValueError(f"{k} competencies: totals too large to add up in 16 bits")
    scores = np.array(
        [[scorecard.scores.get(number, 0) for number in competencies] for scorecard in assessed],
        dtype=np.int16,
    ).reshape(len(assessed), k)
    # How many times each position was drawn in each replicate; each total is then a sum of
    # scores times those counts. In 16-bit integers, with the counts one replicate after another,
    # numpy adds them up with SIMD in a few milliseconds; a floating-point matrix product goes
    # through BLAS, whose threads cost ten times that on a busy machine.
    draws = replicate_draws(k, start_year)
    times_drawn = np.bincount(
        (draws + k * np.arange(REPLICATES)[:, None]).ravel(), minlength=REPLICATES * k
    ).reshape(REPLICATES, k)
    return np.einsum("pk,kb->pb", scores, np.ascontiguousarray(times_drawn.T, dtype=np.int16))


def key_codes(assessed: Sequence[PCTScorecard], method: RankingMethod, top: int) -> np.ndarray:
    """`codes[i, t]`: where PCT i's key with total t (0 … top) stands among every such key, as
    a whole number; a greater code is a greater key, equal codes equal keys.

    The keys come from ranking.py's own key functions. Every part of every method's key is
    affine in the total (a count of ratings, the total itself, or the mark, whose competency
    half is proportional to it), so the keys at totals 0 and 1 give the key at every total,
    exactly, and the key at the top total checks that. Sorting the keys then gives the codes.
    """
    if not assessed:
        return np.zeros((0, top + 1), dtype=np.int64)
    evaluated = [method.key(scorecard, total) for total in (0, 1, top) for scorecard in assessed]
    at_zero, at_one, at_top = whole_numbers(evaluated).reshape(3, len(assessed), -1)
    slopes = at_one - at_zero
    if (at_zero + slopes * top != at_top).any():
        raise ValueError(f"The {method.slug} key is not affine in the total: cannot resample it")
    totals = np.arange(top + 1)[None, :, None]
    keys = at_zero[:, None, :] + slopes[:, None, :] * totals  # (PCT, total, part of the key)
    return places(keys.reshape(-1, keys.shape[-1])).reshape(len(assessed), top + 1)


def places(keys: np.ndarray) -> np.ndarray:
    """Each row's place among the distinct rows of `keys`, compared part by part as tuples are:
    0 for the least. (np.unique(axis=0) gives the same, three times slower.)"""
    order = np.lexsort(keys.T[::-1])  # lexsort's primary key is its last
    ordered = keys[order]
    starts_new = np.any(ordered[1:] != ordered[:-1], axis=1)
    codes = np.empty(len(keys), dtype=np.int64)
    codes[order] = np.concatenate(([0], np.cumsum(starts_new)))
    return codes


def whole_numbers(keys: list[tuple]) -> np.ndarray:
    """The keys as a (key, part) array of whole numbers: each part times the common denominator
    of its Fractions, so equal keys stay equal, order is kept, and numpy compares integers
    exactly (floats could split a tie)."""
    columns = []
    for column in zip(*keys, strict=True):
        scale = math.lcm(*{value.denominator for value in column})  # an int's is 1
        # Integer arithmetic: multiplying a Fraction costs ten times as much.
        columns.append([value.numerator * (scale // value.denominator) for value in column])
    return np.array(columns, dtype=np.int64).T


def replicate_ranks(codes: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Each PCT's rank in each replicate, ties sharing the best rank (1, 2, 2, 4): 1 + the number
    of PCTs whose key is greater in that replicate. (PCTs, replicates), `codes` from key_codes,
    `totals` from replicate_totals.

    One histogram of key codes per replicate, all replicates at once: the PCTs at or below a
    code are a cumulative sum, so no replicate is sorted. Gathers go through flat indices,
    several times quicker than numpy's two-dimensional fancy indexing.
    """
    assessed, replicates = totals.shape
    if not assessed:
        return np.zeros((0, replicates), dtype=np.int16)
    per_pct = codes.shape[1]  # codes for totals 0 … top
    distinct = int(codes.max()) + 1
    # A slot for each (code, replicate), one replicate after another: a PCT's totals, and so its
    # codes, stay close, so counting walks memory in order. Every sum and product that can be
    # done on the small tables (codes, counts) is done there rather than on the 2,000 × PCTs.
    first_slots = (codes * replicates).ravel()
    slots = first_slots.take(totals + per_pct * np.arange(assessed)[:, None])
    slots += np.arange(replicates)[None, :]
    per_code = np.bincount(slots.ravel(), minlength=distinct * replicates)
    at_or_below = np.cumsum(per_code.reshape(distinct, replicates), axis=0)
    # The smallest integer type that holds every rank: sorting them (interval_ends) is quicker.
    rank_type = np.int16 if assessed < np.iinfo(np.int16).max else np.int32
    rank_in_slot = (1 + assessed - at_or_below).astype(rank_type).ravel()
    return rank_in_slot.take(slots)


# The positions in 2,000 sorted ranks that numpy.quantile(..., method="inverted_cdf") picks for
# the 5% and 95% quantiles (the 100th and 1,900th): asked of numpy itself, on the positions.
INTERVAL_POSITIONS = tuple(
    int(p) for p in np.quantile(np.arange(REPLICATES), QUANTILES, method="inverted_cdf")
)


def interval_ends(ranks: np.ndarray) -> tuple[list[int], list[int]]:
    """Each PCT's 5% and 95% quantiles of its ranks (a row of `ranks`), as
    numpy.quantile(row, QUANTILES, method="inverted_cdf") gives them: (rank_low, rank_high).

    Sorting each row and reading two positions gives the same, in a tenth of the time.
    """
    ordered = np.sort(ranks, axis=1)
    low, high = INTERVAL_POSITIONS
    return ordered[:, low].tolist(), ordered[:, high].tolist()
