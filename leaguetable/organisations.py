"""PCTs that merged or were renamed: what the read side says of them in each year (plain Python).

A PCT with no results in a year after it ceased is not "not assessed": it no longer existed.
Nor is its successor in the years before it was formed. Tables say which, and profiles link
predecessor and successor both ways.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from leaguetable.pickled import quick_to_pickle

MERGER, RENAMING = "merger", "renaming"


@quick_to_pickle
@dataclass(frozen=True, slots=True)
class PCTRef:
    code: str
    name: str

    def __str__(self):
        return f"{self.name} ({self.code})"


@quick_to_pickle
@dataclass(frozen=True, slots=True)
class OrganisationChange:
    """One predecessor ceasing into its successor on `effective` (a row of the record)."""

    predecessor: PCTRef
    successor: PCTRef
    kind: str
    effective: datetime.date


@quick_to_pickle
@dataclass(frozen=True, slots=True)
class PCTChanges:
    """What happened to one PCT: what it became (if it ceased), what it was formed from."""

    became: OrganisationChange | None = None
    formed_from: tuple[OrganisationChange, ...] = ()

    @property
    def ceased_on(self) -> datetime.date | None:
        return self.became.effective if self.became else None

    @property
    def formed_on(self) -> datetime.date | None:
        return self.formed_from[0].effective if self.formed_from else None

    def status_in_year(self, year_starts: datetime.date) -> str:
        """Why the PCT has no results in the year starting on `year_starts`; "" when it existed."""
        if self.ceased_on is not None and self.ceased_on <= year_starts:
            return ceased_sentence(self.became)
        if self.formed_on is not None and self.formed_on > year_starts:
            return formed_sentence(self.formed_from)
        return ""


NO_CHANGES = PCTChanges()


def day(date: datetime.date) -> str:
    return f"{date.day} {date:%B %Y}"


def ceased_sentence(change: OrganisationChange) -> str:
    """ "Merged into Hertfordshire PCT (5QV) on 1 April 2010" """
    verb = "Merged into" if change.kind == MERGER else "Renamed"
    return f"{verb} {change.successor} on {day(change.effective)}"


def formed_sentence(changes: tuple[OrganisationChange, ...]) -> str:
    """ "Formed on 1 April 2010 from A PCT (5P3) and B PCT (5P4)" """
    if changes[0].kind == RENAMING:
        return f"Named so on {day(changes[0].effective)}; formerly {changes[0].predecessor}"
    names = [str(change.predecessor) for change in changes]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Formed on {day(changes[0].effective)} from {joined}"


def by_pct(changes: Iterable[OrganisationChange]) -> dict[str, PCTChanges]:
    """Each PCT code that a change touches, with what happened to it."""
    became = {change.predecessor.code: change for change in changes}
    formed = defaultdict(list)
    for change in became.values():
        formed[change.successor.code].append(change)
    return {
        code: PCTChanges(
            became=became.get(code),
            formed_from=tuple(sorted(formed.get(code, ()), key=lambda c: c.predecessor.name)),
        )
        for code in became.keys() | formed.keys()
    }


def financial_year_start(start_year: int) -> datetime.date:
    """The NHS year 2010/11 starts on 1 April 2010."""
    return datetime.date(start_year, 4, 1)
