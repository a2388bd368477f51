"""The league table: its columns, once, for the page and for every download of it.

django-tables2 builds a BoundRow and BoundCell per cell and resolves accessors through template
rendering; for 152 PCTs x 19 columns that costs 350-420 ms of CPU per request (measured, see
bench/league_page.py). Here django-tables2 still owns the columns, the `?sort=` and `?page=`
parameters and the header, but each column renders its cells straight to escaped HTML.

Each column also says what it puts in a download (`exported`); leaguetable.exports builds CSV,
Excel and JSON from the same columns, so a column added here appears in both.

cells.py renders cells, columns.py defines the columns, league.py the table.
"""

from leaguetable.tables.cells import rag_badge
from leaguetable.tables.columns import ExportField, LeagueColumn
from leaguetable.tables.league import LeagueTable

__all__ = ["ExportField", "LeagueColumn", "LeagueTable", "rag_badge"]
