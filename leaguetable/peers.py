"""Which PCTs to compare a PCT with: its SHA's PCTs, the PCTs whose competency scores were
nearest its own the year before, and the PCTs tied with it: plain Python, no Django.

Nearest means the smallest Euclidean distance between two PCTs' scores over the competencies
both were scored on that year (the square root of the summed squared differences); equal
distances go by ODS code, so the list never depends on the order rows arrive in.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from leaguetable.ranking import PCTScorecard, RankedRow

SIMILAR_SHOWN = 5
# /compare/ takes two to six PCTs: the PCT and five others.
MOST_COMPARED = 6
METHOD = (
    "Euclidean distance between the competency scores both PCTs had in {year} (the square root "
    "of the summed squared differences, over the competencies both were scored on), nearest "
    "first; equal distances by ODS code."
)


def distance(own: Mapping[int, int], other: Mapping[int, int]) -> float | None:
    """Euclidean distance over the competencies both were scored on; None if they share none."""
    shared = own.keys() & other.keys()
    if not shared:
        return None
    return math.sqrt(sum((own[number] - other[number]) ** 2 for number in shared))


@dataclass(frozen=True, slots=True)
class Neighbour:
    scorecard: PCTScorecard
    distance: float


def nearest(
    own: PCTScorecard, others: Iterable[PCTScorecard], count: int = SIMILAR_SHOWN
) -> list[Neighbour]:
    """The `count` assessed PCTs whose scores lie nearest `own`'s, ties by code."""
    found = []
    for other in others:
        if other.pct_code == own.pct_code or not other.assessed:
            continue
        if (apart := distance(own.scores, other.scores)) is not None:
            found.append(Neighbour(other, apart))
    found.sort(key=lambda neighbour: (neighbour.distance, neighbour.scorecard.pct_code))
    return found[:count]


def same_sha(own: PCTScorecard, others: Iterable[PCTScorecard]) -> list[PCTScorecard]:
    """The other PCTs of `own`'s SHA, by name."""
    peers = [o for o in others if o.sha_code == own.sha_code and o.pct_code != own.pct_code]
    return sorted(peers, key=lambda scorecard: scorecard.pct_name.casefold())


def tied_with(code: str, rows: Iterable[RankedRow]) -> list[RankedRow]:
    """The rows sharing the PCT's rank (none when it was not ranked), by name."""
    rows = list(rows)
    own = next((row for row in rows if row.scorecard.pct_code == code), None)
    if own is None or own.rank is None:
        return []
    tied = [r for r in rows if r.rank == own.rank and r.scorecard.pct_code != code]
    return sorted(tied, key=lambda row: row.scorecard.pct_name.casefold())


@dataclass(frozen=True, slots=True)
class PeerGroup:
    """PCTs to compare with, and the year and rule that picked them."""

    name: str
    how: str
    pcts: Sequence[PCTScorecard]
    distances: Sequence[float] = ()

    def compare_codes(self, own_code: str) -> list[str] | None:
        """The codes for one comparison of the PCT with the whole group, if /compare/ takes
        that many; None if the group is empty or too big (each PCT still links on its own)."""
        if not self.pcts or len(self.pcts) + 1 > MOST_COMPARED:
            return None
        return [own_code, *(pct.pct_code for pct in self.pcts)]


def peer_groups(
    own_code: str, latest_rows: Sequence[RankedRow], latest_label: str, before=None
) -> list[PeerGroup]:
    """Its SHA's PCTs and the PCTs tied with it in the latest year, and the PCTs nearest it by
    competency scores in `before` (rows, label) or, with no year before, in the latest year.
    Only PCTs in the latest year are offered: the comparison finds PCTs there, and a PCT not in
    that year's table (formed by a merger since) has no peers yet."""
    latest = {row.scorecard.pct_code: row.scorecard for row in latest_rows}
    if own_code not in latest:
        return []
    own = latest[own_code]
    rows, label = before if before is not None else (latest_rows, latest_label)
    earlier = {row.scorecard.pct_code: row.scorecard for row in rows}
    similar = []
    if own_code in earlier and earlier[own_code].assessed:
        candidates = (earlier[code] for code in earlier if code in latest)
        similar = nearest(earlier[own_code], candidates)
    tied = tied_with(own_code, latest_rows)
    return [
        PeerGroup(
            f"Most similar competency scores in {label}",
            METHOD.format(year=label),
            [latest[n.scorecard.pct_code] for n in similar],
            [n.distance for n in similar],
        ),
        PeerGroup(
            f"Tied with it in {latest_label}",
            "The PCTs sharing its rank under the ranking method shown.",
            [row.scorecard for row in tied],
        ),
        PeerGroup(
            f"The other PCTs of {own.sha_name}",
            "Each links to a comparison of the two.",
            same_sha(own, latest.values()),
        ),
    ]
