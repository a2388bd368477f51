"""The league table: django-tables2 owns sorting, paging and the header; rows render here."""

import html

import django_tables2 as tables
from django.urls import get_script_prefix
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django_tables2.data import TableListData
from django_tables2.utils import AttributeDict, OrderBy

from assurance.vocabulary import (
    GOVERNANCE_AREAS,
    competency_column,
)
from leaguetable import ranking
from leaguetable.ranking import RankedRow
from leaguetable.tables.cells import (
    likely_rank_cell,
    mark_cell,
    method_ranks_cell,
    movement_cell,
    pct_cell,
    rank_cell,
    sha_cell,
)
from leaguetable.tables.columns import (
    INTERVAL_FIELDS,
    NEXT_STEP_FIELDS,
    ExportField,
    LeagueColumn,
    method_rank_fields,
    rating_column,
    score_column,
    standing_part,
    standing_value,
)

ARROWS = {
    "ascending": '<span aria-hidden="true"> ▲</span>',
    "descending": '<span aria-hidden="true"> ▼</span>',
}


def _attributes_html(attrs: AttributeDict) -> str:
    """AttributeDict.as_html() with the standard library's escape (which Django's wraps): the
    same attributes at a tenth of the cost, for every heading of every page."""
    return mark_safe(
        " ".join(f'{name}="{html.escape(str(value))}"' for name, value in attrs._iteritems())
    )


def _row_html(row: RankedRow, columns) -> str:
    return "".join(("<tr>", *(column.cell(row) for column in columns), "</tr>"))


class LeagueRows(TableListData):
    """Ranked rows sorted by each column's own value, PCTs without a value last."""

    def order_by(self, aliases):
        aliases = list(aliases)
        if (presorted := self.table.presorted(aliases, self.data)) is not None:
            self.data = presorted
            return
        # Stable sorts from the least significant key up give a multi-column order.
        for alias in reversed(aliases):
            column = self.table.columns[OrderBy(alias).bare].column
            self.data = ranking.sort_rows(self.data, column.value, alias.startswith("-"))


def assessment_status(row: RankedRow) -> str:
    if row.rank is not None:
        return "assessed"
    return row.scorecard.organisation_status or "not assessed"


def _iso(day) -> str:
    return day.isoformat() if day else ""


class LeagueTable(tables.Table):
    rank = LeagueColumn(
        "Rank",
        value=lambda row: row.rank,
        cell_html=rank_cell,
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
            ExportField(
                "assessment_status",
                assessment_status,
                meaning="assessed; not assessed; or, for a PCT that had merged (or was not yet "
                "formed), when and into (or from) what",
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
            ExportField(
                "previous_rank",
                lambda row: row.previous_rank,
                whole_number=True,
                meaning="National rank in the previous published year under the shown method "
                "(blank: none, or not assessed then); movement is previous_rank less rank",
            ),
        ),
    )
    # Sorting by the ranks under every method puts the widest spread first (descending).
    method_ranks = LeagueColumn(
        "By method",
        value=standing_value(lambda standing: standing.worst_rank - standing.best_rank),
        cell_html=method_ranks_cell,
        numeric=True,
        exported=method_rank_fields(),
        attrs={
            "th": {
                "class": "num",
                "scope": "col",
                "title": "National rank under "
                + ", ".join(m.in_a_sentence for m in ranking.METHODS.values()),
            }
        },
    )
    mark = LeagueColumn(
        "Mark",
        value=standing_value(lambda standing: standing.mark),
        cell_html=mark_cell,
        numeric=True,
        higher_is_better=True,
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
            *INTERVAL_FIELDS,
        ),
        attrs={"th": {"class": "num", "scope": "col", "title": "Quarter of England's table"}},
    )
    # How sure the rank is (leaguetable.intervals). Not downloaded as such: the downloads carry
    # rank_low, rank_high and clear_band after the band. Sorted by the better end, then the worse.
    likely_rank = LeagueColumn(
        "Likely rank",
        value=standing_part("interval", lambda interval: (interval.rank_low, interval.rank_high)),
        cell_html=likely_rank_cell,
        numeric=True,
        exported=(),
        # Two short lines, the interval beneath the rank, so the table still fits 1280 px.
        classes="likely",
        attrs={
            "th": {
                "class": "num likely",
                "scope": "col",
                "title": "The rank, and the ranks it fell between in 90% of 2,000 resamplings "
                "of the competencies",
            }
        },
    )
    # In downloads only: the profile puts the next step in words.
    next_step = LeagueColumn(
        "Next step",
        value=standing_part("next_step", lambda step: step.places_gained),
        exported=NEXT_STEP_FIELDS,
        visible=False,
    )
    pct = LeagueColumn(
        "PCT",
        value=lambda row: row.scorecard.pct_name,
        cell_html=pct_cell,
        header_th=True,
        wraps=True,
        attrs={"th": {"class": "wraps name", "scope": "col"}},
        exported=(
            ExportField(
                "pct_code", lambda row: row.scorecard.pct_code, meaning="The PCT's ODS code"
            ),
            ExportField("pct_name", lambda row: row.scorecard.pct_name, meaning="The PCT's name"),
            ExportField(
                "corrected_on",
                lambda row: _iso(row.scorecard.corrected_on),
                meaning="When the PCT's results were last corrected after publication (or blank)",
            ),
            ExportField(
                "correction_reason",
                lambda row: row.scorecard.correction_reason,
                meaning="Why, as the assurance admin who corrected them wrote it",
            ),
        ),
    )
    sha = LeagueColumn(
        "SHA",
        value=lambda row: row.scorecard.sha_name,
        cell_html=sha_cell,
        wraps=True,
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
        higher_is_better=True,
        attrs={"th": {"class": "num", "scope": "col", "title": "Total competency score"}},
    )
    strategy = rating_column("strategy")
    finance = rating_column("finance")
    board_governance = rating_column("board_governance", heading="Board")

    class Meta:
        template_name = "leaguetable/_league_table.html"
        order_by_field = "sort"
        attrs = {"class": "league"}

    def __init__(
        self, rows: list[RankedRow], competencies, extra_columns=(), *, whole=None, **kwargs
    ):
        """`extra_columns`, (name, LeagueColumn) pairs that other apps add (see
        leaguetable.extensions), follow the PCT's name. `whole`, the year's whole RankedTable
        (leaguetable.ranked_table) that `rows` are all or some of, in its order, keeps each
        column's sort order from one request to the next."""
        competency_columns = [
            (competency_column(c.number), score_column(c.number, c.name)) for c in competencies
        ]
        extra_columns = list(extra_columns)
        self.whole = whole
        self.added_names = {name for name, _ in extra_columns}
        added = [name for name, _ in extra_columns]
        competencies = [name for name, _ in competency_columns]
        # Downloads keep the order their readers' scripts know, whatever the page shows first.
        self.export_sequence = [
            "rank", "movement", "method_ranks", "mark", "band", "likely_rank", "next_step", "pct",
            *added,
            "sha", *competencies, "total", *GOVERNANCE_AREAS,
        ]  # fmt: skip
        super().__init__(
            data=LeagueRows(rows),
            extra_columns=competency_columns + extra_columns,
            # What a phone shows first: the rank, the PCT's name (a sticky column,
            # static/css/wcc.css), its band and ratings; the rest scrolls beside them.
            sequence=[
                "rank",
                "pct",
                *added,
                "band",
                *GOVERNANCE_AREAS,
                "likely_rank",
                "movement",
                "method_ranks",
                "mark",
                "next_step",
                "sha",
                *competencies,
                "total",
            ],
            **kwargs,
        )

    def export_columns(self) -> list:
        """Every column, shown or not, in the downloads' order."""
        place = {name: index for index, name in enumerate(self.export_sequence)}
        return sorted(self.columns.iterall(), key=lambda bound: place[bound.name])

    def presorted(self, aliases, rows: list[RankedRow]) -> list[RankedRow] | None:
        """`rows` sorted by one column from the whole table's kept order, or None when there
        is none to use (no whole table, several columns, a column another app added).

        `rows` keep the whole table's order, and sorts are stable, so the whole table sorted
        and then narrowed to `rows` is `rows` sorted: one pass, not a sort, per request.
        """
        if self.whole is None or len(aliases) != 1:
            return None
        alias = str(aliases[0])
        name = OrderBy(alias).bare
        if name in self.added_names:
            return None
        order = self.whole.sorted_by(alias, self.columns[name].column.value)
        if rows is self.whole.rows:
            return order
        kept = {id(row) for row in rows}
        return [row for row in order if id(row) in kept]

    def header_cells(self, query) -> list[dict]:
        """Each column's heading, sort link and aria-sort, from the request's query (QueryDict)."""
        # One copy of the query, its sort set anew for each column: the same links as a copy per
        # column (a sort already asked for keeps its place; otherwise it comes last).
        link = query.copy()
        for name in ("page", "_export"):
            link.pop(name, None)
        cells = []
        for bound in self.columns:
            link[self.order_by_field] = self._next_sort(bound)
            sorted_as = None
            if bound.is_ordered:
                sorted_as = "descending" if bound.order_by_alias.is_descending else "ascending"
            cells.append(
                {
                    "label": bound.header,
                    "attrs": _attributes_html(bound.attrs["th"]),
                    "href": "?" + link.urlencode(),
                    "sorted": sorted_as,
                }
            )
        return cells

    @staticmethod
    def _next_sort(bound) -> str:
        """The sort a click on the heading asks for: the opposite of the column's sort when the
        table is sorted by it; else best first (django-tables2 would sort ascending first)."""
        if not bound.is_ordered and getattr(bound.column, "higher_is_better", False):
            return f"-{bound.name}"
        return str(bound.order_by_alias.next)

    def header_html(self, query) -> str:
        """The heading row's cells as templates/leaguetable/_league_table.html once rendered
        them from header_cells, built here: a template loop over 22 headings cost more than
        every cached row of the body."""
        html = []
        for cell in self.header_cells(query):
            sorted_as = cell["sorted"]
            aria = f' aria-sort="{sorted_as}"' if sorted_as else ""
            arrow = ARROWS.get(sorted_as, "")
            label = conditional_escape(cell["label"])
            html.append(
                f'\n      <th {cell["attrs"]}{aria}><a href="{escape(cell["href"])}">{label}'
                f"{arrow}</a></th>\n    "
            )
        return mark_safe("".join(html))

    def visible_rows(self) -> list[RankedRow]:
        """The rows on the current page (all rows when not paginated), in display order."""
        if hasattr(self, "page"):
            return [bound_row.record for bound_row in self.page.object_list]
        return list(self.data)

    def body_html(self) -> str:
        columns = [bound.column for bound in self.columns]
        rows = self.visible_rows()
        if self.whole is None or self.added_names:
            return mark_safe("".join(_row_html(row, columns) for row in rows))
        # A row's cells depend on the row and the columns alone (links on the script prefix too):
        # each row shown is rendered once per revision, then reused by every request.
        names = (tuple(bound.name for bound in self.columns), get_script_prefix())
        if self.data.data is self.whole.rows and rows:
            # The whole table in its own order (no filter, no sort): this page's rows are one
            # stretch of it, rendered once per revision by whichever process showed them first.
            start = self.page.start_index() - 1 if hasattr(self, "page") else 0
            self.whole.share_rows_html(names, start, rows, lambda row: _row_html(row, columns))
        rendered = self.whole.rows_html(names)
        html = []
        for row in rows:
            if (tr := rendered.get(id(row))) is None:
                tr = rendered[id(row)] = _row_html(row, columns)
            html.append(tr)
        return mark_safe("".join(html))

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
