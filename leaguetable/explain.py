"""Why each PCT ranks where it does: its rank under every method, and its best next step.

Plain Python, no Django. The next step is the one change of one result (a competency score up by
one, or a governance rating up one step) that would have gained the PCT most places, everything
else unchanged. A changed key's rank is 1 + the number of other PCTs whose key is strictly
greater, which a bisection of the year's sorted keys gives without ranking the table again:
O(n·k·log n) for n PCTs and k possible steps each.
"""

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import pairwise

from assurance.vocabulary import (
    AREA_NAMES,
    GOVERNANCE_AREAS,
    MAX_SCORE,
    RAG_CODES,
    RAG_WORDS,
    competency_column,
)
from leaguetable.intervals import QUANTILES, REPLICATES
from leaguetable.ranking import (
    METHODS,
    NextStep,
    PCTScorecard,
    RankedRow,
    RankingMethod,
    RankInterval,
    Standing,
    band,
    equal_weight_mark,
    ordinal,
)

# A rating's next step up: red -> amber, amber -> green (RAG_CODES runs worst to best).
RATING_UP = dict(pairwise(RAG_CODES))


def steps_up(scorecard: PCTScorecard) -> list[tuple[str, int | str, int | str, PCTScorecard]]:
    """Every one-step improvement of an assessed PCT's results, in column order (c1 … cN,
    strategy, finance, board governance): (field, before, after, the changed scorecard)."""
    steps = []
    ratings = dict(zip(GOVERNANCE_AREAS, scorecard.ratings, strict=True))
    for number in sorted(scorecard.scores):
        score = scorecard.scores[number]
        if score < MAX_SCORE:
            changed = changed_scorecard(scorecard, ratings, scorecard.scores | {number: score + 1})
            steps.append((competency_column(number), score, score + 1, changed))
    for area, rating in ratings.items():
        if rating in RATING_UP:
            raised = ratings | {area: RATING_UP[rating]}
            changed = changed_scorecard(scorecard, raised, scorecard.scores)
            steps.append((area, rating, RATING_UP[rating], changed))
    return steps


def changed_scorecard(scorecard: PCTScorecard, ratings: dict, scores) -> PCTScorecard:
    # Built directly: dataclasses.replace costs three times as much, for 15 steps a PCT.
    return PCTScorecard(
        scorecard.pct_code,
        scorecard.pct_name,
        scorecard.sha_code,
        scorecard.sha_name,
        **ratings,
        scores=scores,
    )


def next_steps(scorecards: Iterable[PCTScorecard], method: RankingMethod) -> dict[str, NextStep]:
    """PCT code -> the step that gains most places under `method`; PCTs with none left out.

    Ties between steps go to the first in column order; a step counts only if the rank number
    strictly improves (one that merely joins a tie above does not).
    """
    assessed = [scorecard for scorecard in scorecards if scorecard.assessed]
    candidates = [
        [(field, before, after, method.key(changed)) for field, before, after, changed in steps]
        for steps in map(steps_up, assessed)
    ]
    own_keys, candidate_keys = whole_number_keys(
        [method.key(scorecard) for scorecard in assessed],
        [[key for *_, key in steps] for steps in candidates],
    )
    ordered = sorted(own_keys)
    count = len(ordered)
    found = {}
    for scorecard, own, steps, keys in zip(
        assessed, own_keys, candidates, candidate_keys, strict=True
    ):
        rank = 1 + count - bisect_right(ordered, own)
        tied = bisect_right(ordered, own) - bisect_left(ordered, own) > 1
        best = None
        for (field, before, after, _), key in zip(steps, keys, strict=True):
            # Other PCTs above the changed key: all keys above it, less the PCT's own if above.
            new_rank = 1 + count - bisect_right(ordered, key) - (own > key)
            if new_rank < rank and (best is None or new_rank < best.rank_after):
                equal_others = bisect_right(ordered, key) - bisect_left(ordered, key)
                equal_others -= own == key
                best = NextStep(field, before, after, rank, tied, new_rank, equal_others > 0)
        if best is not None:
            found[scorecard.pct_code] = best
    return found


# A band edge is "in reach" when this many more competency points, or one rating step, would
# cross it: more than one competency could rise by (a score runs 1 to 4), few enough to plan for.
BAND_REACH_POINTS = 4


@dataclass(frozen=True, slots=True)
class BandReach:
    """How far an assessed PCT is from the band above its own: `points` more competency points
    (None: no number within reach does it), or `rating_step` (field, before, after), one
    governance rating up a step, which alone would do it (None: none would)."""

    band: int
    points: int | None
    rating_step: tuple[str, str, str] | None

    def describe(self) -> str:
        """'3 more competency points (or one rating step up) would reach band 2.'"""
        if self.points is not None:
            unit = "point" if self.points == 1 else "points"
            either = " (or one rating step up)" if self.rating_step else ""
            return f"{self.points} more competency {unit}{either} would reach band {self.band}."
        field, before, after = self.rating_step
        change = f"{RAG_WORDS[before]} → {RAG_WORDS[after].lower()} for {AREA_NAMES[field].lower()}"
        return f"One rating step up ({change}) would reach band {self.band}."


def band_reach(row: RankedRow, rows: list[RankedRow], method: RankingMethod) -> BandReach | None:
    """The distance from `row`'s band to the one above, under `method`, where it is in reach
    (BAND_REACH_POINTS, or one rating step); None in band 1, when not assessed or out of reach.

    The PCT reaches band B when its new rank, 1 + the other PCTs with a strictly greater key,
    is no worse than the last rank of band B: when its key is at least that of the other PCT
    that far down the table.
    """
    if row.rank is None or row.band is None or row.band == 1:
        return None
    others = sorted(
        (method.key(r.scorecard) for r in rows if r.rank is not None and r is not row),
        reverse=True,
    )
    target_band = row.band - 1
    last_rank = max(r for r in range(1, len(others) + 2) if band(r, len(others) + 1) <= target_band)
    needed = others[last_rank - 1]
    scorecard = row.scorecard
    most = MAX_SCORE * len(scorecard.scores)
    points = next(
        (
            extra
            for extra in range(1, BAND_REACH_POINTS + 1)
            if scorecard.total + extra <= most
            and method.key(scorecard, scorecard.total + extra) >= needed
        ),
        None,
    )
    rating_step = next(
        (
            (field, before, after)
            for field, before, after, changed in steps_up(scorecard)
            if field in GOVERNANCE_AREAS and method.key(changed) >= needed
        ),
        None,
    )
    if points is None and rating_step is None:
        return None
    return BandReach(target_band, points, rating_step)


def whole_number_keys(own: list[tuple], candidates: list[list[tuple]]):
    """The same keys in the same order, with every part a whole number: each part times the
    common denominator of every Fraction among them.

    Exact, so ties stay ties; and bisection then compares in C rather than through Fraction's
    Python methods, which cost four fifths of the time for the equal-weight mark.
    """
    every = [*own, *(key for keys in candidates for key in keys)]
    denominators = {part.denominator for key in every for part in key if type(part) is Fraction}
    if not denominators:
        return own, candidates
    scale = math.lcm(*denominators)

    def whole(key: tuple) -> tuple:
        return tuple(part.numerator * (scale // part.denominator) for part in key)

    return [whole(key) for key in own], [[whole(key) for key in keys] for keys in candidates]


def with_standing(
    rows: list[RankedRow],
    ranks_by_method: Mapping[str, Mapping[str, int]],
    steps: Mapping[str, NextStep],
    intervals: Mapping[str, RankInterval] | None = None,
) -> list[RankedRow]:
    """The rows, each assessed one with its Standing: `ranks_by_method` maps method slug ->
    PCT code -> rank; `steps` PCT code -> next step (from next_steps); `intervals` PCT code ->
    its rank interval under the rows' method (from leaguetable.intervals)."""
    intervals = intervals or {}
    explained = []
    for row in rows:
        code = row.scorecard.pct_code
        if row.rank is not None:
            standing = Standing(
                ranks={slug: ranks_by_method[slug][code] for slug in METHODS},
                mark=float(equal_weight_mark(row.scorecard)),
                next_step=steps.get(code),
                interval=intervals.get(code),
            )
            row = replace(row, standing=standing)
        explained.append(row)
    return explained


# Explain one PCT's rank ----------------------------------------------------------------------


def key_value(value) -> str:
    """A part of a ranking key as shown: marks to one decimal place, counts as they are."""
    return f"{float(value):.1f}" if isinstance(value, Fraction) else str(value)


@dataclass(frozen=True, slots=True)
class Neighbours:
    """The PCTs at the nearest rank above (or below) and the part of the key that separates
    them: (what it is, their value, this PCT's value)."""

    rows: list[RankedRow]
    separated_by: tuple[str, str, str]
    # Whether every one of them is clearly apart from the PCT: their rank intervals and its do
    # not overlap (leaguetable.intervals). None when an interval is unknown.
    clearly_apart: bool | None = None


@dataclass(frozen=True, slots=True)
class RankExplanation:
    """Why a PCT ranks where it does in one year under one method."""

    row: RankedRow
    method: RankingMethod
    keys: list[tuple[str, str]]  # (what, value) for each part of the method's key
    ties: list[RankedRow]  # the other PCTs sharing its rank
    above: Neighbours | None
    below: Neighbours | None
    next_step: str  # in words
    sentence: str  # for a board paper

    @property
    def interval_sentence(self) -> str:
        """'In 90% of 2,000 resamplings of the competencies, Somerset PCT ranked between 1st
        and 6th (governance first)'; "" when the interval is unknown."""
        interval = self.row.standing.interval
        if interval is None:
            return ""
        low, high = interval.rank_low, interval.rank_high
        ranked = ordinal(low) if low == high else f"between {ordinal(low)} and {ordinal(high)}"
        share = f"{QUANTILES[1] - QUANTILES[0]:.0%}"
        method = self.method.name[0].lower() + self.method.name[1:]
        return (
            f"In {share} of {REPLICATES:,} resamplings of the competencies, "
            f"{self.row.scorecard.pct_name} ranked {ranked} ({method})"
        )

    @property
    def method_ranks(self) -> list[tuple[str, int]]:
        """(method name, national rank) for every method, in METHODS order."""
        return [(m.name, self.row.standing.ranks[slug]) for slug, m in METHODS.items()]

    @property
    def neighbour_groups(self) -> list[tuple[str, Neighbours | None]]:
        return [("Just above", self.above), ("Just below", self.below)]


def separation(method: RankingMethod, own: PCTScorecard, other: PCTScorecard):
    """The first part of the key in which `other` differs from `own`."""
    for name, theirs, ours in zip(
        method.key_names, method.key(other), method.key(own), strict=True
    ):
        if theirs != ours:
            return (name, key_value(theirs), key_value(ours))
    return None


def neighbours(
    rows: list[RankedRow], row: RankedRow, method: RankingMethod, above: bool
) -> Neighbours | None:
    """The PCTs at the nearest rank above `row` (or below it), from a year's ranked rows."""
    ranks = {r.rank for r in rows if r.rank is not None}
    if above:
        nearest = max((rank for rank in ranks if rank < row.rank), default=None)
    else:
        nearest = min((rank for rank in ranks if rank > row.rank), default=None)
    if nearest is None:
        return None
    group = [r for r in rows if r.rank == nearest]
    return Neighbours(
        group,
        separation(method, row.scorecard, group[0].scorecard),
        clearly_apart(row, group, above),
    )


def clearly_apart(row: RankedRow, others: list[RankedRow], above: bool) -> bool | None:
    """Whether every one of `others` ranks clearly above `row` (or clearly below it): its rank
    interval ends before `row`'s begins. None when an interval is unknown."""
    own = row.standing.interval if row.standing else None
    theirs = [other.standing.interval if other.standing else None for other in others]
    if own is None or None in theirs:
        return None
    if above:
        return all(interval.rank_high < own.rank_low for interval in theirs)
    return all(interval.rank_low > own.rank_high for interval in theirs)


def governance_clause(row: RankedRow, rows: list[RankedRow]) -> str:
    """'one of 27 PCTs rated green for strategy, finance and board governance', or the ratings."""
    scorecard = row.scorecard
    if scorecard.is_triple_green or scorecard.is_triple_red:
        same = sum(r.scorecard.ratings == scorecard.ratings for r in rows)
        word = RAG_WORDS[scorecard.strategy].lower()
        which = "the only PCT" if same == 1 else f"one of {same} PCTs"
        return f"{which} rated {word} for strategy, finance and board governance"
    parts = [
        f"{RAG_WORDS[getattr(scorecard, area)].lower()} for {AREA_NAMES[area].lower()}"
        for area in GOVERNANCE_AREAS
    ]
    return f"rated {', '.join(parts[:-1])} and {parts[-1]}"


def explain_rank(
    row: RankedRow,
    rows: list[RankedRow],
    method: RankingMethod,
    *,
    year_label: str,
    competency_names: Mapping[int, str],
    median_total: float | None,
) -> RankExplanation | None:
    """Why `row` ranks where it does among the year's `rows` under `method`; None when the PCT
    was not assessed."""
    if row.rank is None or row.standing is None:
        return None
    assessed = sum(r.rank is not None for r in rows)
    code = row.scorecard.pct_code
    keys = [
        (name, key_value(value))
        for name, value in zip(method.key_names, method.key(row.scorecard), strict=True)
    ]
    step = row.standing.next_step
    if step is None:
        next_step = f"No single step up would have improved its rank under {method.in_a_sentence}."
    else:
        next_step = step.describe(competency_names) + "."
    if (reach := band_reach(row, rows, method)) is not None:
        next_step += " " + reach.describe()
    place = ("=" if row.tied else "") + ordinal(row.rank)
    median = "" if median_total is None else f" (England's median {median_total:g})"
    sentence = (
        f"{row.scorecard.pct_name} ranked {place} of {assessed} in {year_label} by "
        f"{method.in_a_sentence}, {governance_clause(row, rows)}, with a total competency score "
        f"of {row.scorecard.total}{median}; band {row.band} of 4"
        + (f", and {row.standing.rank_range}." if row.standing.varies_widely else ".")
    )
    return RankExplanation(
        row=row,
        method=method,
        keys=keys,
        ties=[r for r in rows if r.rank == row.rank and r.scorecard.pct_code != code],
        above=neighbours(rows, row, method, above=True),
        below=neighbours(rows, row, method, above=False),
        next_step=next_step,
        sentence=sentence,
    )
