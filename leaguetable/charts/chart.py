"""A chart as the pages use it: a plotly figure (or a shaded table), the records it draws, and
those as a table."""

import functools
import html
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from leaguetable.charts.shading import ShadedTable
from leaguetable.tables.cells import url_for

ILLUSTRATIVE = "illustrative data"


def titled(title: str, illustrative: bool) -> str:
    """The title says so when the data is illustrative, so a downloaded PNG says so too."""
    return f"{title} ({ILLUSTRATIVE})" if illustrative else title


def display(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    heading: str


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell's text, and the PCT or SHA it names (the template links it)."""

    text: str
    pct_code: str | None = None
    sha_code: str | None = None


@dataclass(frozen=True)
class Chart:
    """One figure and its data: the same records feed the figure, its table and its CSV.

    A chart is drawn by plotly from `figure`, or, given `shaded` instead, is a table of shaded
    cells needing no JavaScript (leaguetable/charts/shading.py); its records still make its CSV.
    """

    slug: str  # names its CSV (?chart=) and its HTML ids
    heading: str  # the page section's heading
    title: str  # the figure's title, saying whether the data is illustrative
    figure: dict | None
    columns: tuple[Column, ...]
    records: list[dict]
    shaded: ShadedTable | None = None

    def __post_init__(self):
        if (self.figure is None) == (self.shaded is None):
            raise ValueError(f"Chart {self.slug!r} needs a plotly figure or a shaded table.")

    @property
    def element_id(self) -> str:
        return f"chart-{self.slug}"

    @property
    def data_id(self) -> str:
        return f"chart-{self.slug}-data"

    def table_rows(self) -> list[list[Cell]]:
        return [[_cell(record, column.key) for column in self.columns] for record in self.records]

    @functools.cached_property
    def body_html(self) -> SafeString:
        """The table's body rows, the first cell a row heading, names linked to their pages:
        built here: a template loop over them cost seven times the whole chart's include at
        1,500 PCTs (bench/caterpillar_table.py, docs/benchmarks.md). Kept with the chart, which
        a whole table keeps (ranked_table.RankedTable.interval_chart)."""
        return mark_safe("".join(f"<tr>{_cells_html(row)}</tr>\n" for row in self.table_rows()))

    def __getstate__(self):
        # Shared with its table's body rendered, so a restarted worker reads it rather than
        # rendering it: the overview's 1,500-row table was two thirds of its first page. A shaded
        # chart is its own table and shows no other.
        if self.shaded is None:
            self.body_html  # noqa: B018
        return self.__dict__


def _cells_html(row: list[Cell]) -> str:
    cells = []
    for index, cell in enumerate(row):
        text = html.escape(cell.text)
        if cell.pct_code:
            text = f'<a href="{url_for("leaguetable:pct", cell.pct_code)}">{text}</a>'
        elif cell.sha_code:
            text = f'<a href="{url_for("leaguetable:sha", cell.sha_code)}">{text}</a>'
        cells.append(f'<th scope="row">{text}</th>' if index == 0 else f"<td>{text}</td>")
    return "".join(cells)


def _cell(record: dict, key: str) -> Cell:
    text = display(record[key])
    if key == "pct_name":
        return Cell(text, pct_code=record.get("pct_code"))
    if key == "sha_name":
        return Cell(text, sha_code=record.get("sha_code"))
    return Cell(text)


def aligned(records: list[dict], x: list[str], value_key: str, **where) -> list:
    """`value_key` of the records matching `where`, one per year in `x`; None where none is."""
    found = {
        record["year"]: record[value_key]
        for record in records
        if all(record[key] == value for key, value in where.items())
    }
    return [found.get(label) for label in x]
