"""What every request for one year's whole league table shares, worked out once per revision.

At 15,000 PCTs the league page spent most of its CPU walking every row on every request: the
headline figures, each column's sort, and the <datalist> of every PCT's name offered as the
reader types (15,000 options through the template engine). None of these depends on the
request when the table is shown whole, so they are worked out once for the ranked rows that
leaguetable.queries memoises per revision, and kept beside them.
"""

import functools
import hashlib
import html
from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

from leaguetable import queries, ranking, search, shared

MEMO_SIZE = queries.MEMO_SIZE  # years x methods, as the ranked rows' memo


class RankedTable:
    """One year's ranked rows (under one method, with movement against one previous year) and
    what is derived from them alone: each worked out on first use, then kept."""

    def __init__(self, rows: shared.SharedRows):
        self.rows = rows
        self._orders: dict[str, list[ranking.RankedRow]] = {}
        self._rows_html: dict[tuple, dict[int, str]] = {}

    # The headline and the names list are shared with the rows (and kept with them in this
    # process), so a restarted worker's first page reads them instead of reading all 15,000 rows
    # to work them out again.
    @property
    def headline(self) -> ranking.Headline:
        return self.rows.derived("headline", lambda: ranking.headline(self.rows))

    @functools.cached_property
    def candidates(self) -> list[search.Candidate]:
        """The PCTs, to search or to offer as the reader types, in name order."""
        pcts = (
            search.Candidate(row.scorecard.pct_code, row.scorecard.pct_name) for row in self.rows
        )
        return sorted(pcts, key=lambda pct: pct.name.casefold())

    @property
    def names_html(self) -> str:
        """The <datalist> of every PCT's name (safe HTML)."""
        names = self.rows.derived("names", lambda: str(names_datalist(self.candidates)))
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

    def share_rows_html(self, columns: tuple, start: int, stop: int, render) -> None:
        """Fill rows_html(columns) for the rows at [start, stop) of the whole table, in its own
        order, from the shared cache: each chunk's rows are rendered (`render(row)`) by the
        first process to show them and stored beside the rows, so a restarted worker's first
        page renders no row."""
        rendered = self.rows_html(columns)
        key = hashlib.blake2b(repr(columns).encode(), digest_size=8).hexdigest()
        size = shared.ROWS_PER_CHUNK
        for chunk in range(start // size, (stop - 1) // size + 1):
            rows = self.rows[chunk * size : (chunk + 1) * size]
            if all(id(row) in rendered for row in rows):
                continue
            html = self.rows.derived(f"html:{key}:{chunk}", lambda: [render(r) for r in rows])  # noqa: B023 (called at once)
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
    """The year's whole ranked table with what its requests share; memoised per revision."""
    rows = queries.shared_ranked_rows(year, previous, method)
    key = (queries.YearRevision.of(year), queries.YearRevision.of(previous), method.slug)
    table = _tables.get(key)
    # The ranked rows' own memo may have been emptied and rebuilt (queries.forget_ranked_rows):
    # what was derived from the old list is derived again from the new one.
    if table is None or table.rows is not rows:
        if len(_tables) >= MEMO_SIZE:
            _tables.pop(next(iter(_tables)), None)  # the oldest
        table = _tables[key] = RankedTable(rows)
    return table


# Keyed by revisions, which every write bumps, so an entry is never stale; checked against the
# ranked rows' identity besides, so it never outlives the rows it was derived from.
_tables: dict[tuple, RankedTable] = {}


def forget() -> None:
    """Let every kept table go: with the ranked rows' memos (queries.forget_ranked_rows)."""
    _tables.clear()


queries.also_forget(forget)
