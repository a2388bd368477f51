"""Plain records of what a panel decided, shared by the demo generator, importers and actions."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

RAG_CODES = ("R", "A", "G")


@dataclass(frozen=True)
class PanelResult:
    """One PCT's results for one year, before they are written to the database."""

    pct_code: str
    strategy: str
    finance: str
    board_governance: str
    scores: dict[int, int] = field(default_factory=dict)  # competency number -> 1..4
    panel_date: datetime.date | None = None
    notes: str = ""

    @property
    def ratings(self) -> tuple[str, str, str]:
        return (self.strategy, self.finance, self.board_governance)

    def values(self) -> dict[str, object]:
        """Every value by the name it has in a spreadsheet: strategy, …, c1, c2, …"""
        return {
            "strategy": self.strategy,
            "finance": self.finance,
            "board_governance": self.board_governance,
            **{f"c{number}": score for number, score in sorted(self.scores.items())},
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
class ResultChange:
    """What writing `result` would do to the record: create, change (which fields) or nothing."""

    result: PanelResult
    kind: ChangeKind
    fields: tuple[FieldChange, ...] = ()

    @property
    def pct_code(self) -> str:
        return self.result.pct_code


def compare(
    current: Mapping[str, PanelResult], incoming: Iterable[PanelResult]
) -> list[ResultChange]:
    """Each incoming result against the recorded one for the same PCT, if any."""
    changes = []
    for result in incoming:
        before = current.get(result.pct_code)
        if before is None:
            changes.append(ResultChange(result, ChangeKind.NEW))
            continue
        old, new = before.values(), result.values()
        fields = tuple(
            FieldChange(column, old.get(column), new.get(column))
            for column in dict.fromkeys([*old, *new])
            if old.get(column) != new.get(column)
        )
        kind = ChangeKind.CHANGED if fields else ChangeKind.UNCHANGED
        changes.append(ResultChange(result, kind, fields))
    return changes


def count_kinds(changes: Iterable[ResultChange]) -> dict[ChangeKind, int]:
    counts = dict.fromkeys(ChangeKind, 0)
    for change in changes:
        counts[change.kind] += 1
    return counts
