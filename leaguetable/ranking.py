"""Rank PCTs into a league table: plain Python, no Django, so the rules are quick to test.

Ranks use standard competition ranking: PCTs with equal keys share a rank and the next rank
skips (1, 2, 2, 4). A PCT that was not assessed in a year gets no rank and no total, never zero.
Bands are quarters of England's table: band 1 is the top quarter.

A ranked row carries its Standing (ranks under every method, next step, rank interval): those
types live here, worked out by explain.py and intervals.py, so neither import runs both ways.
"""

import datetime
import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction

from assurance.vocabulary import (
    AREA_NAMES,
    GOVERNANCE_AREAS,
    MAX_SCORE,
    RAG_POINTS,
    RAG_WORDS,
    is_triple_green,
    is_triple_red,
)
from leaguetable.organisations import NO_CHANGES, PCTChanges
from leaguetable.pickled import quick_to_pickle


@quick_to_pickle
@dataclass(frozen=True, slots=True)
class PCTScorecard:
    """One PCT's ratings and scores in one year, as ranking reads them; ratings are None when
    the PCT was not assessed."""

    pct_code: str
    pct_name: str
    sha_code: str
    sha_name: str
    strategy: str | None = None
    finance: str | None = None
    board_governance: str | None = None
    scores: Mapping[int, int] = field(default_factory=dict)
    corrected_on: datetime.date | None = None  # results changed after the year was published
    correction_reason: str = ""  # why, as the admin who corrected them wrote it
    changes: PCTChanges = NO_CHANGES  # the mergers and renamings the PCT took part in
    # Why a PCT without results had none: "Merged into … on …", "Formed on … from …"; "" when it
    # existed that year (then it was simply not assessed).
    organisation_status: str = ""

    # Derived once here: sorting and headline figures read them for every row of large tables.
    assessed: bool = field(init=False)
    greens: int = field(init=False)
    ambers: int = field(init=False)
    reds: int = field(init=False)
    total: int | None = field(init=False)  # None when not assessed, never 0

    def __post_init__(self):
        ratings = self.ratings
        assessed = self.strategy is not None
        object.__setattr__(self, "assessed", assessed)
        object.__setattr__(self, "greens", ratings.count("G"))
        object.__setattr__(self, "ambers", ratings.count("A"))
        object.__setattr__(self, "reds", ratings.count("R"))
        object.__setattr__(self, "total", sum(self.scores.values()) if assessed else None)

    @property
    def ratings(self) -> tuple[str | None, str | None, str | None]:
        return tuple(getattr(self, area) for area in GOVERNANCE_AREAS)

    @property
    def is_triple_green(self) -> bool:
        return is_triple_green(self.ratings)

    @property
    def is_triple_red(self) -> bool:
        return is_triple_red(self.ratings)


@dataclass(frozen=True, slots=True)
class RankingMethod:
    slug: str
    name: str
    description: str
    # Higher keys rank higher; equal keys share a rank. key(scorecard, total) ranks `total` in
    # place of the observed total, as the rank intervals (leaguetable.intervals) do.
    key: Callable[..., tuple]
    key_names: tuple[str, ...]  # what each part of the key is, in words

    @property
    def in_a_sentence(self) -> str:
        """The name inside a sentence: "equal weight (HSJ map style)", its initials kept."""
        return self.name[:1].lower() + self.name[1:]


def governance_first_key(scorecard: PCTScorecard, total: int | None = None) -> tuple:
    return (scorecard.greens, scorecard.total if total is None else total, scorecard.ambers)


def competency_total_key(scorecard: PCTScorecard, total: int | None = None) -> tuple:
    return (scorecard.total if total is None else total,)


def equal_weight_mark(scorecard: PCTScorecard, total: int | None = None) -> Fraction:
    """HSJ map style: governance (R0/A1/G2) and competencies each out of 100, weighted equally.

    `total` in place of the observed total keeps the competencies scored: the mark's competency
    half is `total` out of 4 for each of them."""
    total = scorecard.total if total is None else total
    points = sum(RAG_POINTS[r] for r in scorecard.ratings)
    best_points = max(RAG_POINTS.values()) * len(GOVERNANCE_AREAS)
    scored = len(scorecard.scores)
    if not scored:
        return Fraction(50 * points, best_points)
    # (100 points/best + 100 total/(4 x scored)) / 2 over one common denominator: one Fraction
    # rather than five, as the next step works out a mark for every possible step of every PCT.
    best_total = MAX_SCORE * scored
    return Fraction(50 * (points * best_total + total * best_points), best_points * best_total)


def equal_weight_key(scorecard: PCTScorecard, total: int | None = None) -> tuple:
    return (equal_weight_mark(scorecard, total),)


METHODS = {
    method.slug: method
    for method in (
        RankingMethod(
            slug="governance",
            name="Governance first",
            description="Most green governance ratings, then highest total competency score, "
            "then most amber ratings.",
            key=governance_first_key,
            key_names=("green ratings", "total competency score", "amber ratings"),
        ),
        RankingMethod(
            slug="competency",
            name="Competency total",
            description="Highest total competency score only; governance ratings ignored.",
            key=competency_total_key,
            key_names=("total competency score",),
        ),
        RankingMethod(
            slug="equal-weight",
            name="Equal weight (HSJ map style)",
            description="Governance (red 0, amber 1, green 2 points) and competency scores each "
            "turned into a mark out of 100, then averaged.",
            key=equal_weight_key,
            key_names=("mark out of 100",),
        ),
    )
}
DEFAULT_METHOD = "governance"

BANDS = (1, 2, 3, 4)  # quarters of England's table, band 1 the top quarter


def band(rank: int, assessed: int) -> int:
    """The quarter of the table `rank` falls in among `assessed` ranked PCTs: 1 (top) to 4."""
    return 1 + len(BANDS) * (rank - 1) // assessed


# A PCT whose best and worst ranks across the methods are at least this many places apart is
# marked as ranked very differently depending on method: a fifth of a 152-PCT table.
WIDE_RANK_SPREAD = 30


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, …, 21st."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def rank_label(rank: int, tied: bool) -> str:
    return f"={rank}" if tied else str(rank)


@quick_to_pickle
@dataclass(frozen=True, slots=True)
class RankInterval:
    """Where 90% of an assessed PCT's resampled ranks fall under one method."""

    rank_low: int  # the better end (the smaller number)
    rank_high: int
    clear_band: int | None  # the band both ends fall in; None when they differ

    @property
    def label(self) -> str:
        """'1–9', or '4' when both ends are the same rank."""
        if self.rank_low == self.rank_high:
            return str(self.rank_low)
        return f"{self.rank_low}–{self.rank_high}"


@quick_to_pickle
@dataclass(frozen=True, slots=True)
class NextStep:
    """One result raised one step, and the rank it would have given under the shown method."""

    field: str  # the export column that changes: c4, strategy, finance, board_governance
    before: int | str  # a score, or a rating's code
    after: int | str
    rank_before: int
    tied_before: bool
    rank_after: int
    tied_after: bool

    @property
    def places_gained(self) -> int:
        return self.rank_before - self.rank_after

    def describe(self, competency_names: Mapping[int, str]) -> str:
        """The step in words: 'Amber → green for finance would have moved it from =41 to =18'."""
        if self.field in GOVERNANCE_AREAS:
            change = (
                f"{RAG_WORDS[self.before]} → {RAG_WORDS[self.after].lower()} "
                f"for {AREA_NAMES[self.field].lower()}"
            )
        else:
            number = int(self.field.removeprefix("c"))
            name = competency_names.get(number)
            named = f"competency {number}" + (f" ({name})" if name else "")
            change = f"A score of {self.after} rather than {self.before} on {named}"
        return (
            f"{change} would have moved it from {rank_label(self.rank_before, self.tied_before)} "
            f"to {rank_label(self.rank_after, self.tied_after)}"
        )


@quick_to_pickle
@dataclass(frozen=True, slots=True)
class Standing:
    """An assessed PCT's national ranks under every method, its mark and its next step."""

    ranks: Mapping[str, int]  # method slug -> national rank, in METHODS order
    # The equal-weight mark out of 100, shown and sorted by: float(the exact mark), as every
    # cell and download showed it; a Fraction here cost a restarted worker 2 µs a row to read.
    mark: float
    next_step: NextStep | None  # None when no single step improves the rank
    # How sure its rank under the shown method is (leaguetable.intervals); None if not worked out.
    interval: RankInterval | None = None

    @property
    def best_rank(self) -> int:
        return min(self.ranks.values())

    @property
    def worst_rank(self) -> int:
        return max(self.ranks.values())

    @property
    def varies_widely(self) -> bool:
        return self.worst_rank - self.best_rank >= WIDE_RANK_SPREAD

    @property
    def rank_range(self) -> str:
        """'ranked 12th–40th depending on method'."""
        best, worst = ordinal(self.best_rank), ordinal(self.worst_rank)
        return f"ranked {best}–{worst} depending on method"


@quick_to_pickle
@dataclass(frozen=True, slots=True)
class RankedRow:
    """A PCT's place in one year's league table."""

    scorecard: PCTScorecard
    rank: int | None  # None when not assessed
    tied: bool = False
    previous_rank: int | None = None
    band: int | None = None  # None when not assessed
    # Ranks under every method and the next step (leaguetable.explain); None when not assessed
    # or not worked out.
    standing: Standing | None = None

    @property
    def movement(self) -> int | None:
        """Places gained since the previous year (negative: places lost); None if not comparable."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def rank_label(self) -> str:
        if self.rank is None:
            return self.scorecard.organisation_status or "Not assessed"
        return f"={self.rank}" if self.tied else str(self.rank)

    @property
    def clear_band(self) -> int | None:
        """The band its whole rank interval lies in under the table's method
        (leaguetable.intervals); None when the interval crosses a band's edge or is unknown."""
        interval = self.standing.interval if self.standing is not None else None
        return None if interval is None else interval.clear_band


def _by_name(scorecard: PCTScorecard) -> tuple[str, str]:
    return scorecard.pct_name, scorecard.pct_code


def rank(scorecards: Iterable[PCTScorecard], method: RankingMethod) -> list[RankedRow]:
    """Assessed PCTs in rank order (ties by PCT name), then the not-assessed ones by name.

    Names that are the same (generated data) fall back to the code, so the same results always
    rank in the same order: processes sharing rankings read some rows ranked by another.
    """
    assessed = [r for r in scorecards if r.assessed]
    not_assessed = sorted((r for r in scorecards if not r.assessed), key=_by_name)
    keys = {r.pct_code: method.key(r) for r in assessed}
    assessed.sort(key=_by_name)
    assessed.sort(key=lambda r: keys[r.pct_code], reverse=True)

    key_counts: dict[tuple, int] = {}
    for key in keys.values():
        key_counts[key] = key_counts.get(key, 0) + 1

    ranked = []
    position_of_key: dict[tuple, int] = {}
    for position, scorecard in enumerate(assessed, start=1):
        key = keys[scorecard.pct_code]
        shared_rank = position_of_key.setdefault(key, position)
        tied = key_counts[key] > 1
        ranked.append(RankedRow(scorecard, shared_rank, tied, band=band(shared_rank, len(keys))))
    return ranked + [RankedRow(r, None) for r in not_assessed]


def with_movement(current: list[RankedRow], previous: list[RankedRow]) -> list[RankedRow]:
    """The current rows, each with its rank in the previous year (matched by PCT code)."""
    previous_ranks = {row.scorecard.pct_code: row.rank for row in previous}
    return [
        replace(row, previous_rank=previous_ranks.get(row.scorecard.pct_code)) for row in current
    ]


@dataclass(frozen=True, slots=True)
class Headline:
    pcts: int
    assessed: int
    triple_green: int
    triple_red: int
    median_total: float | None
    band_counts: Mapping[int, int] = field(default_factory=dict)  # band -> PCTs shown in it
    changed: int = 0  # PCTs without results because they had merged into another

    @property
    def not_assessed(self) -> int:
        return self.pcts - self.assessed - self.changed


def headline(rows: Iterable[RankedRow]) -> Headline:
    """The figures above the table, in one pass over the rows (15,000 of them at the most)."""
    all_areas = len(GOVERNANCE_AREAS)
    pcts = triple_green = triple_red = changed = 0
    totals = []
    band_counts = dict.fromkeys(BANDS, 0)
    for row in rows:
        pcts += 1
        scorecard = row.scorecard
        if scorecard.assessed:
            totals.append(scorecard.total)
        elif scorecard.organisation_status:
            changed += 1
        # All three areas green (or red): the same test as is_triple_green, on counts kept.
        triple_green += scorecard.greens == all_areas
        triple_red += scorecard.reds == all_areas
        if row.band in band_counts:
            band_counts[row.band] += 1
    return Headline(
        pcts=pcts,
        assessed=len(totals),
        triple_green=triple_green,
        triple_red=triple_red,
        median_total=statistics.median(totals) if totals else None,
        band_counts=band_counts,
        changed=changed,
    )


# Sorting by a column puts PCTs without a value (not assessed, not scored) last in either
# direction: an analyst sorting by a competency wants the scored PCTs together.
def sort_rows(rows: list[RankedRow], value: Callable[[RankedRow], object], descending: bool):
    present = [row for row in rows if value(row) is not None]
    missing = [row for row in rows if value(row) is None]
    present.sort(key=value, reverse=descending)
    return present + missing
