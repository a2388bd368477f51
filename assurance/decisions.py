"""What a panel decided for one PCT in one year, and how that compares with the record.

Plain records shared by the entry form, the importer, the demo generator and the actions.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from assurance.vocabulary import GOVERNANCE_AREAS, competency_column


@dataclass(frozen=True)
class PanelDecision:
    """What one assurance panel decided for one PCT in one year, before it is written."""

    pct_code: str
    strategy: str
    finance: str
    board_governance: str
    scores: dict[int, int] = field(default_factory=dict)  # competency number -> 1..4
    panel_date: datetime.date | None = None
    notes: str = ""

    @property
    def ratings(self) -> tuple[str, str, str]:
        return tuple(getattr(self, area) for area in GOVERNANCE_AREAS)

    def values(self) -> dict[str, object]:
        """Every value by the name it has in a spreadsheet: strategy, …, c1, c2, …"""
        return {
            **{area: getattr(self, area) for area in GOVERNANCE_AREAS},
            **{competency_column(number): score for number, score in sorted(self.scores.items())},
            "panel_date": self.panel_date,
            "notes": self.notes,
        }


class ChangeKind(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class FieldChange:
    column: str
    old: object
    new: object


@dataclass(frozen=True)
class DecisionChange:
    """What writing `decision` would do to the record: create, change (which fields) or nothing."""

    decision: PanelDecision
    kind: ChangeKind
    fields: tuple[FieldChange, ...] = ()

    @property
    def pct_code(self) -> str:
        return self.decision.pct_code


def compare(
    current: Mapping[str, PanelDecision], incoming: Iterable[PanelDecision]
) -> list[DecisionChange]:
    """Each incoming decision against the recorded one for the same PCT, if any."""
    changes = []
    for decision in incoming:
        before = current.get(decision.pct_code)
        if before is None:
            changes.append(DecisionChange(decision, ChangeKind.NEW))
            continue
        old, new = before.values(), decision.values()
        fields = tuple(
            FieldChange(column, old.get(column), new.get(column))
            for column in dict.fromkeys([*old, *new])
            if old.get(column) != new.get(column)
        )
        kind = ChangeKind.CHANGED if fields else ChangeKind.UNCHANGED
        changes.append(DecisionChange(decision, kind, fields))
    return changes


def count_kinds(changes: Iterable[DecisionChange]) -> dict[ChangeKind, int]:
    counts = dict.fromkeys(ChangeKind, 0)
    for change in changes:
        counts[change.kind] += 1
    return counts
