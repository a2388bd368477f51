"""The league table's cells as escaped HTML, straight from a ranked row."""

import functools
import html
from urllib.parse import quote

from django.urls import get_script_prefix, reverse

from assurance.vocabulary import (
    RAG_WORDS,
)
from leaguetable import ranking
from leaguetable.ranking import RankedRow

MISSING = '<span class="muted">–</span>'
# The letter is seen (drawn by static/css/wcc.css, with no text for screen readers); screen
# readers hear the whole word, never "G", "reen" as two fragments. Colour is never the only
# signal, and a page without its stylesheet shows the word.
RAG_BADGES = {
    rating: f'<span class="rag rag-{rating}" title="{word}">'
    f'<span class="sr-only">{word}</span></span>'
    for rating, word in RAG_WORDS.items()
} | {None: MISSING}


def rag_badge(rating: str | None) -> str:
    return RAG_BADGES[rating]


def rank_cell(row: RankedRow) -> str:
    if row.rank is None and row.scorecard.organisation_status:
        # A merged PCT's row says so in words, where its rank would be.
        return f'<span class="organisation-change">{html.escape(row.rank_label)}</span>'
    if row.rank is None:
        # Two words that may wrap, so a year with PCTs not assessed keeps the table's width.
        return f'<span class="unranked">{html.escape(row.rank_label)}</span>'
    return row.rank_label


def likely_rank_cell(row: RankedRow) -> str:
    """'=3 (1–9)': the rank, and between which ranks it fell in 90% of the resamplings."""
    interval = row.standing.interval if row.standing is not None else None
    if interval is None:
        return MISSING
    return f"{row.rank_label} ({interval.label})"


def movement_cell(row: RankedRow) -> str:
    move = row.movement
    if move is None:
        return '<span class="muted" title="No rank to compare with">–</span>'
    if move == 0:
        return '<span class="move same" title="Same rank as last year">=</span>'
    direction, arrow = ("up", "▲") if move > 0 else ("down", "▼")
    return (
        f'<span class="move {direction}" title="{direction.title()} {abs(move)} places">'
        f'<span aria-hidden="true">{arrow}</span><span class="sr-only">{direction}</span>'
        f" {abs(move)}</span>"
    )


def corrected_marker(scorecard) -> str:
    """Results changed after publication say so beside the PCT's name: when, and why."""
    if scorecard.corrected_on is None:
        return ""
    reason = html.escape(scorecard.correction_reason)
    why = f'<span class="correction-reason">: {reason}</span>' if reason else ""
    return f' <span class="corrected">corrected on {scorecard.corrected_on:%-d %b %Y}{why}</span>'


def plain(value) -> str:
    # The standard library's escape: Django's lazy-aware wrapper costs 5x more per cell.
    if value is None:
        return MISSING
    return str(value) if isinstance(value, int) else html.escape(value)


URL_SLOT = "__code__"


@functools.lru_cache(maxsize=16)
def _url_pattern(name: str, script_prefix: str) -> str:
    return reverse(name, args=[URL_SLOT])


def url_for(name: str, code: str) -> str:
    """reverse(name, args=[code]) at the cost of a string replace: it runs once per row."""
    return _url_pattern(name, get_script_prefix()).replace(URL_SLOT, quote(code, safe=""))


def pct_cell(row: RankedRow) -> str:
    """The PCT's name, linked to its profile, with a box to tick it for comparison."""
    code, name = html.escape(row.scorecard.pct_code), html.escape(row.scorecard.pct_name)
    return (
        f'<input type="checkbox" name="pct" value="{code}" form="compare-form" '
        f'aria-label="Compare {name}"> '
        f'<a href="{url_for("leaguetable:pct", row.scorecard.pct_code)}">{name}</a> '
        f'<span class="code">{code}</span>{corrected_marker(row.scorecard)}'
    )


def sha_cell(row: RankedRow) -> str:
    url = url_for("leaguetable:sha", row.scorecard.sha_code)
    return f'<a href="{url}">{html.escape(row.scorecard.sha_name)}</a>'


def method_ranks_cell(row: RankedRow) -> str:
    """The rank under each method, and a marker with the range when they differ a lot."""
    if row.standing is None:
        return MISSING
    ranks = " · ".join(
        f'<span title="{html.escape(method.name)}">{row.standing.ranks[slug]}</span>'
        for slug, method in ranking.METHODS.items()
    )
    if not row.standing.varies_widely:
        return ranks
    spread = row.standing.rank_range
    marker = f'↕<span class="sr-only"> {spread}</span>'
    return f'{ranks} <span class="spread" title="{spread}">{marker}</span>'


def mark_cell(row: RankedRow) -> str:
    return MISSING if row.standing is None else f"{float(row.standing.mark):.1f}"
