"""Rules for concern that suggest PCTs for directed development: plain Python, thresholds here.

A rule looks at one PCT's row in a year's national table (and its row the year before) and
either finds nothing or says, in numbers, what it found: "total 18 → 13 on the competencies both
years scored"; "band 2 → 4". None hinges on tied ranks: with this many ties, a single point
moved a PCT twenty places, so "places fallen" was noise.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from assurance.vocabulary import AREA_NAMES, GOVERNANCE_AREAS, MIN_SCORE, RAG_WORDS
from leaguetable.ranking import RankedRow

# The thresholds, in one place (the methodology page shows them).
BOTTOM_SHARE = 0.10  # "bottom tenth nationally" by total competency score
TOTAL_DROP_POINTS = 4  # a drop of at least this much, on the competencies both years scored
BAND_FALL = 2  # a fall of at least this many bands (quarters of England's table), …
BOTTOM_BAND = 4  # … into the bottom quarter: a fall within the top three is the table moving


@dataclass(frozen=True, slots=True)
class National:
    """What a rule may compare a PCT with: the whole year's table and the year before."""

    bottom_total_cutoff: int | None  # totals at or below this are in the bottom tenth
    previous: dict[str, RankedRow] = field(default_factory=dict)  # PCT code -> last year's row


def national_picture(
    rows: list[RankedRow],
    previous_rows: list[RankedRow] = (),
    bottom_share: float = BOTTOM_SHARE,
) -> National:
    """The bottom tenth: the lowest ceil(10%) of assessed PCTs by total, ties at the line in."""
    previous = {row.scorecard.pct_code: row for row in previous_rows}
    totals = sorted(row.scorecard.total for row in rows if row.scorecard.assessed)
    if not totals:
        return National(bottom_total_cutoff=None, previous=previous)
    cutoff = totals[math.ceil(len(totals) * bottom_share) - 1]
    return National(bottom_total_cutoff=cutoff, previous=previous)


@dataclass(frozen=True, slots=True)
class Rule:
    slug: str
    name: str
    kind: str  # "governance", "competency" or "table": what the rule is about
    # The evidence in words and numbers when the rule is met; None when it is not.
    evidence: Callable[[RankedRow, RankedRow | None, National], str | None]


def _reds(row: RankedRow) -> list[str]:
    return [
        AREA_NAMES[area].lower() for area in GOVERNANCE_AREAS if getattr(row.scorecard, area) == "R"
    ]


def _triple_red(row, before, national) -> str | None:
    return "red for strategy, finance and board governance" if row.scorecard.is_triple_red else None


def _two_reds(row, before, national) -> str | None:
    reds = _reds(row)
    return f"red for {' and '.join(reds)}" if len(reds) == 2 else None


def _red_finance(row, before, national) -> str | None:
    return "red for finance" if row.scorecard.finance == "R" else None


def _fell_to_red(row, before, national) -> str | None:
    if before is None or not before.scorecard.assessed:
        return None
    fallen = [
        f"{AREA_NAMES[area].lower()} {RAG_WORDS[getattr(before.scorecard, area)].lower()} → red"
        for area in GOVERNANCE_AREAS
        if getattr(row.scorecard, area) == "R" and getattr(before.scorecard, area) != "R"
    ]
    return "; ".join(fallen) or None


def _bottom_tenth(row, before, national) -> str | None:
    cutoff, total = national.bottom_total_cutoff, row.scorecard.total
    if cutoff is None or total is None or total > cutoff:
        return None
    return f"total {total}, at or below {cutoff}, the bottom {BOTTOM_SHARE:.0%} nationally"


def _total_drop(row, before, national) -> str | None:
    """Measured on the competencies both years scored (2009/10 added competency 11)."""
    if before is None or not before.scorecard.assessed:
        return None
    shared = sorted(set(row.scorecard.scores) & set(before.scorecard.scores))
    then = sum(before.scorecard.scores[n] for n in shared)
    now = sum(row.scorecard.scores[n] for n in shared)
    if not shared or then - now < TOTAL_DROP_POINTS:
        return None
    return f"total {then} → {now} on the {len(shared)} competencies both years scored"


def _band_fall(row, before, national) -> str | None:
    """Counted only for a PCT clearly in the bottom quarter: its whole rank interval there
    (leaguetable.intervals), so that the fall is not one resampling of the competencies away
    from undone."""
    fell = _fell_bands(row, before)
    if fell is None or row.clear_band != BOTTOM_BAND:
        return None
    return f"{fell}, clearly in the bottom quarter (likely rank {row.standing.interval.label})"


def _fell_bands(row, before) -> str | None:
    """'band 2 → 4' for a fall of BAND_FALL bands or more into the bottom quarter, however sure."""
    if before is None or before.band is None or row.band is None:
        return None
    fell = row.band - before.band >= BAND_FALL and row.band >= BOTTOM_BAND
    return f"band {before.band} → {row.band}" if fell else None


def _no_competency_above_one(row, before, national) -> str | None:
    scores = row.scorecard.scores.values()
    return f"every competency scored {MIN_SCORE}" if scores and max(scores) <= MIN_SCORE else None


RULES = (
    Rule("triple-red", "Three red governance ratings", "governance", _triple_red),
    Rule("two-reds", "Two red governance ratings", "governance", _two_reds),
    Rule("red-finance", "Red rating for finance", "governance", _red_finance),
    Rule("fell-to-red", "A governance rating fell to red", "governance", _fell_to_red),
    Rule(
        "bottom-tenth",
        f"Total competency score in the bottom {BOTTOM_SHARE:.0%} nationally",
        "competency",
        _bottom_tenth,
    ),
    Rule(
        "total-drop",
        f"Total competency score fell by {TOTAL_DROP_POINTS} or more",
        "competency",
        _total_drop,
    ),
    Rule(
        "band-fall",
        f"Fell {BAND_FALL} band{'s' if BAND_FALL != 1 else ''} or more, clearly into the bottom "
        "quarter of England's table",
        "table",
        _band_fall,
    ),
    Rule(
        "no-competency-above-1",
        "No competency scored above 1",
        "competency",
        _no_competency_above_one,
    ),
)
RULES_BY_SLUG = {rule.slug: rule for rule in RULES}


@dataclass(frozen=True, slots=True)
class Concern:
    row: RankedRow
    rules: tuple[Rule, ...]
    evidence: dict[str, str] = field(default_factory=dict)  # rule slug -> what it found

    @property
    def findings(self) -> list[tuple[Rule, str]]:
        return [(rule, self.evidence[rule.slug]) for rule in self.rules]


def concerns(
    rows: list[RankedRow], sha_code: str | None = None, previous_rows: list[RankedRow] = ()
) -> list[Concern]:
    """The PCTs (of one SHA, or all) that meet at least one rule, in league table order.

    `rows` must be the whole national table (the bottom tenth and bands are England's), and
    `previous_rows` the previous published year's, ranked the same way.
    """
    national = national_picture(rows, previous_rows)
    found = []
    for row in rows:
        if not row.scorecard.assessed or (sha_code and row.scorecard.sha_code != sha_code):
            continue
        before = national.previous.get(row.scorecard.pct_code)
        if evidence := _evidence(row, before, national):
            met = tuple(rule for rule in RULES if rule.slug in evidence)
            found.append(Concern(row, met, evidence))
    return found


def _evidence(row, before, national) -> dict[str, str]:
    """Rule slug -> what it found, for every rule the row meets."""
    evidence = {}
    for rule in RULES:
        if (finding := rule.evidence(row, before, national)) is not None:
            evidence[rule.slug] = finding
    return evidence


def removed_by_clarity(rows: list[RankedRow], previous_rows: list[RankedRow] = ()) -> int:
    """How many PCTs the band rule would have suggested had it not asked for a PCT clearly in
    the bottom quarter, and that meet no rule as it stands: the suggestions that asking removed.
    `rows` and `previous_rows` as for concerns()."""
    national = national_picture(rows, previous_rows)
    removed = 0
    for row in rows:
        before = national.previous.get(row.scorecard.pct_code)
        if row.scorecard.assessed and _fell_bands(row, before) is not None:
            removed += not _evidence(row, before, national)
    return removed
