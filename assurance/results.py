"""Plain records of what a panel decided, shared by the demo generator, importers and actions."""

import datetime
from dataclasses import dataclass, field

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
