"""One year's whole league table and what every request for it shares, kept with its rows.

None of these depends on the request when the table is shown whole: the headline figures, each
column's sort, each row's HTML and the <datalist> of every PCT's name. They are worked out on
first use and kept, in this process, with the table (assurance.cache.cached, per revision).
The rows themselves are read only as far as a page needs them (TableRows).
"""

import functools
import hashlib
import html
from collections.abc import Callable, Sequence

from django.utils.safestring import SafeString, mark_safe

from assurance import cache
from leaguetable import computed, intervals, ranking, search
from leaguetable.charts import caterpillar
from leaguetable.charts.chart import Chart

# The rows a league page shows unless asked for more (?per_page=). 152 PCTs fit on one page;
# the paging only matters for large generated data sets.
ROWS_PER_PAGE = 200


class TableRows(Sequence):
    """A year's whole table in rank order, read from the cache only as far as it is used: its
    length and first page come from one small shared value, every other use reads all its rows.

    The first page of the whole table, in its own order, is what most readers ask for; a
    restarted worker (or one that has not yet read a correction) serves it without unpickling
    the year's rows: at 1,500 PCTs that was 15 of its 33 ms (docs/decisions.md).
    """

    def __init__(self, read_first: Callable[[], tuple], read_all: Callable[[], list]):
        self._read_first = read_first  # () -> (how many rows, the first ROWS_PER_PAGE)
        self._read_all = read_all

    @functools.cached_property
    def _first(self) -> tuple[int, list[ranking.RankedRow]]:
        return self._read_first()

    @functools.cached_property
    def all(self) -> list[ranking.RankedRow]:
        return self._read_all()

    def __len__(self) -> int:
        # From the small value even when every row is here: whoever renders a page (the warming
        # task after a correction) stores it for the workers that have not read the rows.
        return self._first[0]

    def __getitem__(self, index):
        if isinstance(index, slice) and "all" not in self.__dict__:
            count, first = self._first
            start, stop, step = index.indices(count)
            if step == 1 and stop <= len(first):
                return first[start:stop]
        return self.all[index]

    def __iter__(self):
        return iter(self.all)


class RankedTable:
    """One year's ranked rows (under one method, with movement against one previous year) and
    what is derived from them alone: each worked out on first use, then kept."""

    def __init__(self, rows: Sequence[ranking.RankedRow], name: str, years: list):
        self.rows = rows
        self.name = name  # what the table is, and its years: the key of what it shares
        self.years = years
        self._orders: dict[str, list[ranking.RankedRow]] = {}
        self._rows_html: dict[tuple, dict[int, str]] = {}

    @functools.cached_property
    def headline(self) -> ranking.Headline:
        return cache.cached(
            f"{self.name}:headline", self.years, lambda: ranking.headline(self.rows)
        )

    @functools.cached_property
    def interval_headline(self) -> intervals.IntervalHeadline:
        """How many PCTs are clearly in each quarter, and how many cannot be placed."""
        return cache.cached(
            f"{self.name}:interval-headline", self.years, lambda: intervals.rows_headline(self.rows)
        )

    @functools.cached_property
    def interval_chart(self) -> Chart:
        """The rank intervals' chart of the whole table, no PCT highlighted, with its table's
        body (a row per PCT) rendered: shared, as drawing it was most of a restarted worker's
        first league page at 1,500 PCTs (docs/decisions.md, "One cache, one key scheme")."""
        year = self.years[0]

        return cache.cached(
            f"{self.name}:interval-chart",
            self.years,
            lambda: caterpillar.caterpillar_chart(
                self.rows, "England", year.label, year.is_illustrative
            ),
        )

    @functools.cached_property
    def candidates(self) -> list[search.Candidate]:
        """The PCTs, to search or to offer as the reader types, in name order."""
        pcts = (
            search.Candidate(row.scorecard.pct_code, row.scorecard.pct_name) for row in self.rows
        )
        return sorted(pcts, key=lambda pct: pct.name.casefold())

    @functools.cached_property
    def shas(self) -> list[tuple[str, str]]:
        """(code, name) of each SHA with a PCT in the table, by name: the SHA filter's choices."""

        def build() -> list[tuple[str, str]]:
            named = {row.scorecard.sha_code: row.scorecard.sha_name for row in self.rows}
            return sorted(named.items(), key=lambda sha: (sha[1], sha[0]))

        return cache.cached(f"{self.name}:shas", self.years, build)

    @functools.cached_property
    def names_html(self) -> SafeString:
        """The <datalist> of every PCT's name (safe HTML): shared, as building it walks every
        row (a fifth of a restarted worker's first league page at 1,500 PCTs)."""
        names = cache.cached(
            f"{self.name}:names", self.years, lambda: str(names_datalist(self.candidates))
        )
        return mark_safe(names)  # built by names_datalist, every value escaped

    def sorted_by(self, alias: str, value: Callable[[ranking.RankedRow], object]) -> list:
        """The rows sorted by one column (`alias` its name, '-' first for descending) as
        ranking.sort_rows sorts them; `value` must be the same for the same alias."""
        if alias not in self._orders:
            self._orders[alias] = ranking.sort_rows(self.rows, value, alias.startswith("-"))
        return self._orders[alias]

    def rows_html(self, columns: tuple) -> dict[int, str]:
        """Each row's <tr> as the table with these `columns` (names, and whatever else its cells
        depend on) renders it, by id() of the row: filled in by the table as rows are shown.
        A row's cells depend on the row alone, and the rows live as long as this table."""
        return self._rows_html.setdefault(columns, {})

    def share_rows_html(self, columns: tuple, start: int, rows: list, render) -> None:
        """Fill rows_html(columns) for `rows`, the stretch of the whole table from `start` in its
        own order, from what every process shares: rendered (`render(row)`) by the first to show
        them, so a restarted worker's first page renders no row (at 1,500 PCTs, 200 rows' HTML
        costs a restarted worker's first page as much as reading the rows)."""
        rendered = self.rows_html(columns)
        if all(id(row) in rendered for row in rows):
            return
        digest = hashlib.blake2b(repr(columns).encode(), digest_size=8).hexdigest()
        what = f"{self.name}:html:{digest}:{start}:{len(rows)}"
        html = cache.cached(what, self.years, lambda: [render(row) for row in rows])
        for row, tr in zip(rows, html, strict=True):
            rendered.setdefault(id(row), tr)


def names_datalist(candidates: list[search.Candidate]) -> SafeString:
    """Every PCT's name, offered as the reader types in a box with list="pct-names"; the code
    is the label. Joined here rather than looped in a template: at 15,000 PCTs the template took
    most of a restarted worker's first league page."""
    options = "".join(
        # html.escape is what django.utils.html.escape calls, without its wrapper for lazy text.
        f'<option value="{html.escape(pct.name)}">{html.escape(pct.code)}</option>\n'
        for pct in candidates
    )
    return mark_safe(f'<datalist id="pct-names">\n{options}</datalist>')  # every value escaped


def ranked_table(year, previous, method: ranking.RankingMethod) -> RankedTable:
    """The year's whole ranked table with what its requests share; kept per revision."""
    name, years = f"table:{method.slug}", [year, previous]

    def read_all() -> list[ranking.RankedRow]:
        return computed.ranked_rows(year, previous, method)

    def read_first() -> tuple[int, list[ranking.RankedRow]]:
        return cache.cached(
            f"{name}:first-rows", years, lambda: (len(rows := read_all()), rows[:ROWS_PER_PAGE])
        )

    return cache.cached(
        name, years, lambda: RankedTable(TableRows(read_first, read_all), name, years), shared=False
    )
