"""What admins see of the league table before they act (assurance.preview_hooks): the table a year
would publish, and the ranks an import would move."""

import dataclasses
from collections.abc import Iterable

from django.template.loader import render_to_string

from assurance.decisions import ChangeKind, DecisionChange
from assurance.vocabulary import GOVERNANCE_AREAS
from leaguetable import computed, queries, ranking

SHOWN = 10


def publication_table(request, year) -> str:
    """The top and bottom ten under the default method, as the public would see them."""
    method = ranking.METHODS[ranking.DEFAULT_METHOD]
    rows = [row for row in computed.ranked_rows(year, None, method) if row.rank is not None]
    return render_to_string(
        "leaguetable/_publication_preview.html",
        {
            "method": method,
            "top": rows[:SHOWN],
            "bottom": rows[-SHOWN:] if len(rows) > SHOWN else [],
            "assessed": len(rows),
        },
        request=request,
    )


@dataclasses.dataclass(frozen=True, slots=True)
class RankMove:
    pct_code: str
    pct_name: str
    before: str  # rank labels: "=41", "18", "Not assessed"
    after: str


def rank_moves(
    scorecards: list[ranking.PCTScorecard],
    changes: Iterable[DecisionChange],
    method: ranking.RankingMethod,
) -> list[RankMove]:
    """Each PCT an import would change, with its rank before and after, everything else as is."""
    incoming = {c.pct_code: c.decision for c in changes if c.kind != ChangeKind.UNCHANGED}
    after_import = [
        _with_decision(card, incoming[card.pct_code]) if card.pct_code in incoming else card
        for card in scorecards
    ]
    before = {row.scorecard.pct_code: row for row in ranking.rank(scorecards, method)}
    after = ranking.rank(after_import, method)
    return [
        RankMove(
            row.scorecard.pct_code, row.scorecard.pct_name, before[code].rank_label, row.rank_label
        )
        for row in after
        if (code := row.scorecard.pct_code) in incoming
    ]


def _with_decision(card: ranking.PCTScorecard, decision) -> ranking.PCTScorecard:
    ratings = {area: getattr(decision, area) for area in GOVERNANCE_AREAS}
    return dataclasses.replace(card, scores=dict(decision.scores), **ratings)


def import_rank_moves(request, year, changes) -> str:
    """For a published year, where each changed PCT's rank would move (the default method)."""
    if not year.is_approved:
        return ""
    method = ranking.METHODS[ranking.DEFAULT_METHOD]
    moves = rank_moves(queries.year_scorecards(year), changes, method)
    if not moves:
        return ""
    return render_to_string(
        "leaguetable/_rank_moves.html",
        {"moves": moves, "method": method, "year": year},
        request=request,
    )
