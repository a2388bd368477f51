"""The league table: its columns, once, for the page and for every download of it.

django-tables2 builds a BoundRow and BoundCell per cell and resolves accessors through template
rendering; for 152 PCTs x 19 columns that costs 350-420 ms of CPU per request (measured, see
bench/league_page.py). Here django-tables2 still owns the columns, the `?sort=` and `?page=`
parameters and the header, but each column renders its cells straight to escaped HTML.

Each column also says what it puts in a download (`exported`); leaguetable.exports builds CSV,
Excel and JSON from the same columns, so a column added here appears in both.
"""

import functools
import html
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from urllib.parse import quote

import django_tables2 as tables
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe
from django_tables2.data import TableListData
from django_tables2.utils import OrderBy

from assurance.vocabulary import (
    AREA_NAMES,
    GOVERNANCE_AREAS,
    RAG_POINTS,
    RAG_WORDS,
    competency_column,
)
from leaguetable import explain, ranking
from leaguetable.ranking import RankedRow

MISSING = '<span class="muted">–</span>'
# The letter is visible; the rest of the word is for screen readers, so colour is never the only
# signal.
RAG_BADGES = {
    rating: f'<span class="rag rag-{rating}" title="{word}">{rating}'
    f'<span class="sr-only">{word[1:]}</span></span>'
    for rating, word in RAG_WORDS.items()
} | {None: MISSING}


def rag_badge(rating: str | None) -> str:
    return RAG_BADGES[rating]


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


def corrected_marker(corrected_on) -> str:
    """Results changed after publication say so, with the date, beside the PCT's name."""
    if corrected_on is None:
        return ""
    return f' <span class="corrected">corrected on {corrected_on:%-d %b %Y}</span>'


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
        f'<span class="code">{code}</span>{corrected_marker(row.scorecard.corrected_on)}'
    )


def sha_cell(row: RankedRow) -> str:
    url = url_for("leaguetable:sha", row.scorecard.sha_code)
    return f'<a href="{url}">{html.escape(row.scorecard.sha_name)}</a>'


@dataclass(frozen=True, slots=True)
class ExportField:
    """One column of a download: its name, its value for a row, whether it is a whole number,
    and what it means (the data dictionary of the Excel download)."""

    name: str
    value: Callable[[RankedRow], object]
    whole_number: bool = False
    meaning: str = ""


class LeagueColumn(tables.Column):
    """A column that knows its value (for sorting), its cell's HTML and its download fields.

    `exported` None: the download has one field, the column's name and value; () leaves the
    column out of downloads.
    """

    def __init__(
        self,
        verbose_name: str,
        *,
        value: Callable[[RankedRow], object],
        cell_html: Callable[[RankedRow], str] | None = None,
        numeric: bool = False,
        header_th: bool = False,
        exported: tuple[ExportField, ...] | None = None,
        **kwargs,
    ):
        css = "num" if numeric else ""
        kwargs.setdefault("attrs", {"th": {"class": css, "scope": "col"}})
        super().__init__(verbose_name=verbose_name, empty_values=(), **kwargs)
        self.value = value
        self.numeric = numeric
        self.exported = exported
        self.cell_html = cell_html or (lambda row: plain(value(row)))
        self.open_tag = f'<th scope="row" class="{css}">' if header_th else f'<td class="{css}">'
        self.close_tag = "</th>" if header_th else "</td>"

    def cell(self, row: RankedRow) -> str:
        return f"{self.open_tag}{self.cell_html(row)}{self.close_tag}"

    def export_fields(self, name: str) -> tuple[ExportField, ...]:
        if self.exported is None:
            meaning = self.attrs.get("th", {}).get("title") or str(self.verbose_name)
            return (ExportField(name, self.value, whole_number=self.numeric, meaning=meaning),)
        return self.exported


def rating_column(area: str, heading: str | None = None) -> LeagueColumn:
    """A governance area: sorted red < amber < green, shown as a badge, exported as R/A/G."""

    def rating(row: RankedRow) -> str | None:
        return getattr(row.scorecard, area)

    title = {} if heading is None else {"title": AREA_NAMES[area]}
    return LeagueColumn(
        heading or AREA_NAMES[area],
        value=lambda row: RAG_POINTS.get(rating(row)),
        cell_html=lambda row: rag_badge(rating(row)),
        exported=(
            ExportField(
                area, rating, meaning=f"{AREA_NAMES[area]} rating: R red, A amber, G green"
            ),
        ),
        attrs={"th": {"class": "", "scope": "col", **title}},
    )


def score_column(number: int, name: str) -> LeagueColumn:
    return LeagueColumn(
        f"C{number}",
        value=lambda row: row.scorecard.scores.get(number),
        numeric=True,
        attrs={"th": {"class": "num", "scope": "col", "title": f"Competency {number}: {name}"}},
    )


# Ranks under every method, the mark, the band and the next step: all from the row's Standing
# (leaguetable.explain), None for a PCT not assessed.


def standing_value(read: Callable[[explain.Standing], object]) -> Callable[[RankedRow], object]:
    return lambda row: None if row.standing is None else read(row.standing)


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
    return f'{ranks} <span class="spread" title="{spread}">↕<span class="sr-only"> {spread}</span></span>'


def method_rank_fields() -> tuple[ExportField, ...]:
    return tuple(
        ExportField(
            f"rank_{slug.replace('-', '_')}",
            standing_value(lambda standing, slug=slug: standing.ranks[slug]),
            whole_number=True,
            meaning=f"National rank under {method.name.lower()}: {method.description}",
        )
        for slug, method in ranking.METHODS.items()
    )


def mark_cell(row: RankedRow) -> str:
    return MISSING if row.standing is None else f"{float(row.standing.mark):.1f}"


def next_step_value(read: Callable[[explain.NextStep], object]) -> Callable[[RankedRow], object]:
    def value(row: RankedRow):
        step = None if row.standing is None else row.standing.next_step
        return None if step is None else read(step)

    return value


NEXT_STEP_FIELDS = (
    ExportField(
        "next_step_field",
        next_step_value(lambda step: step.field),
        meaning="The one result whose rise by one step (a score up by one, or red to amber, "
        "amber to green) would have gained most places under the shown method, everything else "
        "unchanged; blank when no single step improves the rank",
    ),
    ExportField(
        "next_step_from",
        # As text: a score or a rating's letter, and a column of scores alone stays "2", not 2.0.
        next_step_value(lambda step: str(step.before)),
        meaning="Its value now: a score, or R, A or G",
    ),
    ExportField(
        "next_step_to",
        next_step_value(lambda step: str(step.after)),
        meaning="Its value after the step",
    ),
    ExportField(
        "next_step_rank",
        next_step_value(lambda step: step.rank_after),
        whole_number=True,
        meaning="The national rank the step would have given under the shown method",
    ),
)


class LeagueRows(TableListData):
    """Ranked rows sorted by each column's own value, PCTs without a value last."""

    def order_by(self, aliases):
        # Stable sorts from the least significant key up give a multi-column order.
        for alias in reversed(list(aliases)):
            column = self.table.columns[OrderBy(alias).bare].column
            self.data = ranking.sort_rows(self.data, column.value, alias.startswith("-"))


class LeagueTable(tables.Table):
    rank = LeagueColumn(
        "Rank",
        value=lambda row: row.rank,
        cell_html=lambda row: row.rank_label,
        numeric=True,
        exported=(
            ExportField(
                "rank",
                lambda row: row.rank,
                whole_number=True,
                meaning="National rank under the shown method (blank: not assessed)",
            ),
            ExportField(
                "rank_shared", lambda row: row.tied, meaning="True when the rank is shared (=)"
            ),
        ),
    )
    movement = LeagueColumn(
        "Move",
        value=lambda row: row.movement,
        cell_html=movement_cell,
        numeric=True,
        exported=(
            ExportField(
                "movement",
                lambda row: row.movement,
                whole_number=True,
                meaning="Places gained since the previous published year (negative: lost)",
            ),
        ),
    )
    # Sorting by the ranks under every method puts the widest spread first (descending).
    method_ranks = LeagueColumn(
        "By method",
        value=standing_value(lambda standing: standing.worst_rank - standing.best_rank),
        cell_html=method_ranks_cell,
        exported=method_rank_fields(),
        attrs={
            "th": {
                "class": "num",
                "scope": "col",
                "title": "National rank under "
                + ", ".join(m.name.lower() for m in ranking.METHODS.values()),
            }
        },
    )
    mark = LeagueColumn(
        "Mark",
        value=standing_value(lambda standing: standing.mark),
        cell_html=mark_cell,
        numeric=True,
        exported=(
            ExportField(
                "mark_equal_weight",
                standing_value(lambda standing: round(float(standing.mark), 2)),
                meaning="Equal-weight mark out of 100: governance and competency marks averaged",
            ),
        ),
        attrs={"th": {"class": "num", "scope": "col", "title": "Equal-weight mark out of 100"}},
    )
    band = LeagueColumn(
        "Band",
        value=lambda row: row.band,
        numeric=True,
        exported=(
            ExportField(
                "band",
                lambda row: row.band,
                whole_number=True,
                meaning="Quarter of England's table under the shown method: 1 (top) to 4",
            ),
        ),
        attrs={"th": {"class": "num", "scope": "col", "title": "Quarter of England's table"}},
    )
    # In downloads only: the profile puts the next step in words.
    next_step = LeagueColumn(
        "Next step",
        value=next_step_value(lambda step: step.places_gained),
        exported=NEXT_STEP_FIELDS,
        visible=False,
    )
    pct = LeagueColumn(
        "PCT",
        value=lambda row: row.scorecard.pct_name,
        cell_html=pct_cell,
        header_th=True,
        exported=(
            ExportField(
                "pct_code", lambda row: row.scorecard.pct_code, meaning="The PCT's ODS code"
            ),
            ExportField("pct_name", lambda row: row.scorecard.pct_name, meaning="The PCT's name"),
        ),
    )
    sha = LeagueColumn(
        "SHA",
        value=lambda row: row.scorecard.sha_name,
        cell_html=sha_cell,
        exported=(
            ExportField(
                "sha_code", lambda row: row.scorecard.sha_code, meaning="Its SHA's ODS code"
            ),
            ExportField("sha_name", lambda row: row.scorecard.sha_name, meaning="Its SHA's name"),
        ),
    )
    total = LeagueColumn(
        "Total",
        value=lambda row: row.scorecard.total,
        numeric=True,
        attrs={"th": {"class": "num", "scope": "col", "title": "Total competency score"}},
    )
    strategy = rating_column("strategy")
    finance = rating_column("finance")
    board_governance = rating_column("board_governance", heading="Board")

    class Meta:
        template_name = "leaguetable/_league_table.html"
        order_by_field = "sort"
        attrs = {"class": "league"}

    def __init__(self, rows: list[RankedRow], competencies, extra_columns=(), **kwargs):
        """`extra_columns`, (name, LeagueColumn) pairs that other apps add (see
        leaguetable.extensions), follow the PCT's name."""
        competency_columns = [
            (competency_column(c.number), score_column(c.number, c.name)) for c in competencies
        ]
        extra_columns = list(extra_columns)
        super().__init__(
            data=LeagueRows(rows),
            extra_columns=competency_columns + extra_columns,
            sequence=[
                "rank",
                "movement",
                "method_ranks",
                "mark",
                "band",
                "next_step",
                "pct",
                *(name for name, _ in extra_columns),
                "sha",
                *(name for name, _ in competency_columns),
                "total",
                *GOVERNANCE_AREAS,
            ],
            **kwargs,
        )

    def header_cells(self, query) -> list[dict]:
        """Each column's heading, sort link and aria-sort, from the request's query (QueryDict)."""
        cells = []
        for bound in self.columns:
            link = query.copy()
            link[self.order_by_field] = bound.order_by_alias.next
            for name in ("page", "_export"):
                link.pop(name, None)
            sorted_as = None
            if bound.is_ordered:
                sorted_as = "descending" if bound.order_by_alias.is_descending else "ascending"
            cells.append(
                {
                    "label": bound.header,
                    "attrs": bound.attrs["th"].as_html(),
                    "href": "?" + link.urlencode(),
                    "sorted": sorted_as,
                }
            )
        return cells

    def visible_rows(self) -> list[RankedRow]:
        """The rows on the current page (all rows when not paginated), in display order."""
        if hasattr(self, "page"):
            return [bound_row.record for bound_row in self.page.object_list]
        return list(self.data)

    def body_html(self) -> str:
        columns = [bound.column for bound in self.columns]
        return mark_safe(
            "".join(
                chain.from_iterable(
                    ("<tr>", *(column.cell(row) for column in columns), "</tr>")
                    for row in self.visible_rows()
                )
            )
        )

    def transposed(self) -> list[tuple[str, list[str]]]:
        """Every column but PCT and SHA as (heading, one cell per row): to set a few PCTs, or one
        PCT's years, side by side."""
        rows = list(self.data)
        return [
            (
                bound.attrs["th"].get("title") or bound.header,
                [mark_safe(bound.column.cell_html(row)) for row in rows],
            )
            for bound in self.columns
            if bound.name not in ("pct", "sha")
        ]
