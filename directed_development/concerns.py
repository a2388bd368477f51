"""Rules for concern that suggest PCTs for directed development: plain Python, thresholds here.

A rule is a name shown to SHA staff and a test of one ranked row against the national picture
for that year. Adding a rule is a few lines in RULES.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

from assurance.vocabulary import MIN_SCORE
from leaguetable.ranking import RankedRow

# The thresholds, in one place.
BOTTOM_SHARE = 0.10  # "bottom tenth nationally" by total competency score
RANK_FALL_PLACES = 20  # a fall of more than this many places since the previous year


@dataclass(frozen=True, slots=True)
class National:
    """What a rule may compare a PCT with: the whole year's league table."""

    bottom_total_cutoff: int | None  # totals at or below this are in the bottom tenth


def national_picture(rows: list[RankedRow], bottom_share: float = BOTTOM_SHARE) -> National:
    """The bottom tenth: the lowest ceil(10%) of assessed PCTs by total, ties at the line in."""
    totals = sorted(row.scorecard.total for row in rows if row.scorecard.assessed)
    if not totals:
        return National(bottom_total_cutoff=None)
    return National(bottom_total_cutoff=totals[math.ceil(len(totals) * bottom_share) - 1])


@dataclass(frozen=True, slots=True)
class Rule:
    slug: str
    name: str
    applies: Callable[[RankedRow, National], bool]


def _in_bottom_tenth(row: RankedRow, national: National) -> bool:
    cutoff = national.bottom_total_cutoff
    return cutoff is not None and row.scorecard.total is not None and row.scorecard.total <= cutoff


def _fell_sharply(row: RankedRow, national: National) -> bool:
    return row.movement is not None and -row.movement > RANK_FALL_PLACES


def _no_competency_above_one(row: RankedRow, national: National) -> bool:
    scores = row.scorecard.scores.values()
    return bool(scores) and max(scores) <= MIN_SCORE


RULES = (
    Rule("triple-red", "Three red governance ratings", lambda row, _: row.scorecard.is_triple_red),
    Rule("two-reds", "Two red governance ratings", lambda row, _: row.scorecard.reds == 2),
    Rule("red-finance", "Red rating for finance", lambda row, _: row.scorecard.finance == "R"),
    Rule(
        "bottom-tenth",
        f"Total competency score in the bottom {BOTTOM_SHARE:.0%} nationally",
        _in_bottom_tenth,
    ),
    Rule("rank-fall", f"Fell more than {RANK_FALL_PLACES} places in rank", _fell_sharply),
    Rule("no-competency-above-1", "No competency scored above 1", _no_competency_above_one),
)
RULES_BY_SLUG = {rule.slug: rule for rule in RULES}


@dataclass(frozen=True, slots=True)
class Concern:
    row: RankedRow
    rules: tuple[Rule, ...]


def concerns(rows: list[RankedRow], sha_code: str | None = None) -> list[Concern]:
    """The PCTs (of one SHA, or all) that meet at least one rule, in league table order.

    `rows` must be the whole national table: the bottom tenth is measured against England.
    """
    national = national_picture(rows)
    found = []
    for row in rows:
        if not row.scorecard.assessed or (sha_code and row.scorecard.sha_code != sha_code):
            continue
        met = tuple(rule for rule in RULES if rule.applies(row, national))
        if met:
            found.append(Concern(row, met))
    return found
