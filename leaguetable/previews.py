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
    top, bottom = top_and_bottom(rows, SHOWN)
    return render_to_string(
        "leaguetable/_publication_preview.html",
        {"method": method, "top": top, "bottom": bottom, "assessed": len(rows)},
        request=request,
    )


def top_and_bottom(rows: list[ranking.RankedRow], shown: int):
    """The first `shown` ranked rows and the last `shown`, each with every row tied with its
    edge (a top ten may be eleven when 10th is shared), never one of a tie left out; no bottom
    when there are no more rows than `shown`."""
    if len(rows) <= shown:
        return rows, []
    top = [row for row in rows if row.rank <= rows[shown - 1].rank]
    bottom = [row for row in rows if row.rank >= rows[-shown].rank]
    return top, bottom


@dataclasses.dataclass(frozen=True, slots=True)
class RankMove:
    pct_code: str
    pct_name: str
    before: str  # rank labels: "=41", "18", "Not assessed"
    after: str
    knock_on: bool = False  # its own results are unchanged: others' changes move it


def rank_moves(
    scorecards: list[ranking.PCTScorecard],
    changes: Iterable[DecisionChange],
    method: ranking.RankingMethod,
) -> list[RankMove]:
    """Every PCT whose rank an import would change, everything else as is, in the order of the
    table after it: those whose results it changes, and those they push down (=4 to =5) or
    let up. A PCT whose results change keeps its place in the list even if its rank holds."""
    incoming = {c.pct_code: c.decision for c in changes if c.kind != ChangeKind.UNCHANGED}
    after_import = [
        _with_decision(card, incoming[card.pct_code]) if card.pct_code in incoming else card
        for card in scorecards
    ]
    before = {row.scorecard.pct_code: row for row in ranking.rank(scorecards, method)}
    moves = []
    for row in ranking.rank(after_import, method):
        code = row.scorecard.pct_code
        was = before[code].rank_label
        if code in incoming or was != row.rank_label:
            moves.append(
                RankMove(code, row.scorecard.pct_name, was, row.rank_label, code not in incoming)
            )
    return moves


def _with_decision(card: ranking.PCTScorecard, decision) -> ranking.PCTScorecard:
    ratings = {area: getattr(decision, area) for area in GOVERNANCE_AREAS}
    return dataclasses.replace(card, scores=dict(decision.scores), **ratings)


def import_rank_moves(request, year, changes) -> str:
    """Where the import would move each PCT's rank (the default method): in a published year,
    the ranks readers see; in a draft, the ranks it would give once published."""
    method = ranking.METHODS[ranking.DEFAULT_METHOD]
    moves = rank_moves(queries.year_scorecards(year), changes, method)
    if not moves:
        return ""
    return render_to_string(
        "leaguetable/_rank_moves.html",
        {
            "moves": moves,
            "knock_on": sum(move.knock_on for move in moves),
            "method": method,
            "year": year,
        },
        request=request,
    )
