"""Medians, distributions and movers of ranked rows over the years: plain Python, no Django.

PCTs not assessed in a year are left out of every figure for that year, and a PCT without a
score for a competency is left out of that competency's median: a gap is never a zero.
"""

import heapq
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assurance.vocabulary import GOVERNANCE_AREAS, RAG_POINTS
from leaguetable.pickled import quick_to_pickle
from leaguetable.ranking import PCTScorecard, RankedRow


def median(values: Iterable[float]) -> float | None:
    values = list(values)
    return statistics.median(values) if values else None


@quick_to_pickle
@dataclass(frozen=True, slots=True)
class Quartiles:
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float


def quartiles(values: Iterable[float]) -> Quartiles | None:
    """Quartiles by the inclusive method (Excel's QUARTILE.INC); None for no values."""
    values = sorted(values)
    if not values:
        return None
    if len(values) == 1:
        q1 = q3 = values[0]
    else:
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Quartiles(values[0], q1, statistics.median(values), q3, values[-1])


def mean_score(scorecard: PCTScorecard) -> float | None:
    """The average competency score: comparable across years that scored different numbers."""
    if not scorecard.assessed or not scorecard.scores:
        return None
    return scorecard.total / len(scorecard.scores)


@quick_to_pickle
@dataclass(frozen=True, slots=True)
class GroupSummary:
    """A group of PCTs (England, or one SHA) in one year, counting only the assessed ones."""

    assessed: int
    score_medians: Mapping[int, float]  # competency number -> median score
    score_counts: Mapping[int, Mapping[int, int]]  # competency number -> score -> PCTs
    total_median: float | None
    total_quartiles: Quartiles | None
    rank_median: float | None
    mean_score_median: float | None
    governance_medians: Mapping[str, float | None]  # area -> median of red 0, amber 1, green 2
    rag_counts: Mapping[str, Mapping[str, int]]  # area -> "R"/"A"/"G" -> PCTs


def summarise_group(rows: Iterable[RankedRow]) -> GroupSummary:
    assessed = [row for row in rows if row.scorecard.assessed]
    scores = defaultdict(list)
    for row in assessed:
        for number, score in row.scorecard.scores.items():
            scores[number].append(score)
    totals = [row.scorecard.total for row in assessed]
    ratings = {
        area: [getattr(row.scorecard, area) for row in assessed] for area in GOVERNANCE_AREAS
    }
    return GroupSummary(
        assessed=len(assessed),
        score_medians={number: median(scores[number]) for number in sorted(scores)},
        score_counts={number: Counter(scores[number]) for number in sorted(scores)},
        total_median=median(totals),
        total_quartiles=quartiles(totals),
        rank_median=median(row.rank for row in assessed),
        mean_score_median=median(
            mean_score(row.scorecard) for row in assessed if row.scorecard.scores
        ),
        governance_medians={
            area: median(RAG_POINTS[rating] for rating in area_ratings)
            for area, area_ratings in ratings.items()
        },
        rag_counts={area: Counter(area_ratings) for area, area_ratings in ratings.items()},
    )


@quick_to_pickle
@dataclass(frozen=True, slots=True)
class YearSummary:
    england: GroupSummary
    by_sha: Mapping[str, GroupSummary]  # SHA code -> its PCTs' summary


def summarise(rows: Sequence[RankedRow]) -> YearSummary:
    by_sha = defaultdict(list)
    for row in rows:
        by_sha[row.scorecard.sha_code].append(row)
    return YearSummary(
        england=summarise_group(rows),
        by_sha={code: summarise_group(sha_rows) for code, sha_rows in by_sha.items()},
    )


def share(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`, to one decimal place; None when `whole` is 0."""
    return round(100 * part / whole, 1) if whole else None


def biggest_movers(
    rows: Iterable[RankedRow], count: int = 10
) -> tuple[list[RankedRow], list[RankedRow]]:
    """The `count` PCTs that gained most places and the `count` that lost most (ties by name)."""
    moved = [row for row in rows if row.movement]
    # A heap picks a few from thousands without sorting them all (the overview runs it per request).
    risers = heapq.nsmallest(
        count,
        (r for r in moved if r.movement > 0),
        key=lambda r: (-r.movement, r.scorecard.pct_name),
    )
    fallers = heapq.nsmallest(
        count,
        (r for r in moved if r.movement < 0),
        key=lambda r: (r.movement, r.scorecard.pct_name),
    )
    return risers, fallers
