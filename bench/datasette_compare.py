"""The uncached league page's CPU per request against Datasette's table page, same data, one run.

Run with `make bench-datasette` (or `.venv/bin/python bench/datasette_compare.py`; Datasette is
in the `dev` extra that `make install` installs). It builds the project's throwaway database
(bench/benchdb.py) with the real 152 PCTs and illustrative results, exports the latest published
year's league table from the project's own ranked rows into a SQLite file (one table: rank, PCT,
SHA, C1..Cn, total, three ratings), and times, in this one process:

- our league page, uncached, with the rankings memoised as in a warm worker: with the page cache
  off (LEAGUE_CACHE_SECONDS = 0: every request renders), and with it on but the page evicted
  before each request (a miss: render, then compress with brotli and gzip and store);
- Datasette's HTML table page for the same rows, the same number a page, sorted by rank, through
  its ASGI app in-process (`Datasette(...).client.get`, awaited on one event loop).

CPU is time.process_time() around each request (all threads: Datasette runs SQL in a thread),
median of --repeat. Then it grows to --large PCTs (200 rows a page on both sides) and repeats.
"""

import argparse
import asyncio
import logging
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import run_in_temporary_database  # noqa: E402
from bench.league_page import grow  # noqa: E402

ROWS_PER_PAGE = 200  # leaguetable.views.common.ROWS_PER_PAGE: 152 PCTs fit on one page
# Browsers ask for compressed pages; a miss stores brotli and gzip, and answers with brotli.
BROWSER_HEADERS = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="Default: SQLite in a temporary folder.")
    parser.add_argument("--repeat", type=int, default=30, help="Requests per case (default 30).")
    parser.add_argument("--large", type=int, default=15_000, help="PCTs in the large data set.")
    return parser.parse_args()


def league_records() -> tuple[list[str], list[tuple]]:
    """The latest published year's league table as the page ranks it (governance first)."""
    from assurance.models import AssessmentYear
    from leaguetable import computed, queries, ranking
    from leaguetable import years as public

    years = queries.public_years()
    year = years[-1]
    previous = public.previous_year(year, years)
    numbers = list(
        AssessmentYear.objects.get(pk=year.pk).competencies.values_list("number", flat=True)
    )
    rows = computed.ranked_rows(year, previous, ranking.METHODS[ranking.DEFAULT_METHOD])
    columns = ["rank", "pct", "pct_code", "sha", *(f"c{n}" for n in numbers), "total"]
    columns += ["strategy", "finance", "board_governance"]
    records = [
        (
            row.rank,
            row.scorecard.pct_name,
            row.scorecard.pct_code,
            row.scorecard.sha_name,
            *(row.scorecard.scores.get(n) for n in numbers),
            row.scorecard.total,
            row.scorecard.strategy,
            row.scorecard.finance,
            row.scorecard.board_governance,
        )
        for row in rows
    ]
    return columns, records


def export_sqlite(path: Path) -> int:
    """Write the league table to `path` (table `league`, indexed on rank); returns its rows."""
    columns, records = league_records()
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        types = {"pct": "TEXT", "pct_code": "TEXT", "sha": "TEXT", "strategy": "TEXT"}
        types |= {"finance": "TEXT", "board_governance": "TEXT"}
        schema = ", ".join(f"[{name}] {types.get(name, 'INTEGER')}" for name in columns)
        db.execute(f"CREATE TABLE league ({schema})")
        slots = ", ".join("?" * len(columns))
        db.executemany(f"INSERT INTO league VALUES ({slots})", records)
        db.execute("CREATE INDEX league_rank ON league (rank)")
    return len(records)


def median_cpu_ms(cases: dict, repeat: int) -> dict[str, float]:
    """The median CPU milliseconds of each case's request, the cases taking turns (so a busy
    machine slows them alike), after two untimed rounds. A case is (request, before_each):
    before_each, if any, runs untimed and then sets things up for its request."""
    times = {name: [] for name in cases}
    for round_number in range(repeat + 2):
        for name, (request, before_each) in cases.items():
            if before_each:
                before_each()
            start = time.process_time()
            request()
            if round_number >= 2:
                times[name].append(time.process_time() - start)
    return {name: statistics.median(spent) * 1000 for name, spent in times.items()}


def assert_rendered(client, url: str) -> None:
    """A page served from the page cache is not rendered: this one must be, every time. (A
    warm league page asks the database nothing, so queries cannot tell.)"""
    from importlib import import_module

    league = import_module("leaguetable.views.league")  # the package names its view `league`
    client.get(url, **BROWSER_HEADERS)
    rendered, render = [], league.render
    league.render = lambda *args, **kwargs: rendered.append(args[1]) or render(*args, **kwargs)
    try:
        client.get(url, **BROWSER_HEADERS)
    finally:
        league.render = render
    assert rendered, "the league page came from the page cache: the benchmark is void"


def ours(client, url: str):
    def request():
        response = client.get(url, **BROWSER_HEADERS)
        assert response.status_code == 200, (url, response.status_code)

    return request


def evict_home_page():
    """Remove the stored home page (only it: the shared rankings stay), so the next request
    misses as the first reader after a publication does."""
    from django.core.cache import cache
    from django.http import QueryDict

    from assurance import cache as assurance_cache
    from leaguetable.views import caching

    fingerprint = caching._fingerprint(assurance_cache.identity(), "/", QueryDict())
    cache.delete(caching._page_key(fingerprint))


def page_cache(seconds: int, evict: bool = False):
    """Set the page cache's lifetime (0: off, every request renders) and, for a miss, evict
    the page first."""

    def before_each():
        from django.conf import settings

        settings.LEAGUE_CACHE_SECONDS = seconds
        if evict:
            evict_home_page()

    return before_each


def theirs(datasette, loop, url: str):
    def request():
        response = loop.run_until_complete(datasette.client.get(url))
        assert response.status_code == 200, (url, response.status_code)

    return request


def compare(label: str, pcts: int, folder: Path, client, repeat: int) -> None:
    from datasette.app import Datasette

    # Neither side logs each request (the site's request log and httpx's would): not compared.
    for name in ("httpx", "wcc.requests"):
        logging.getLogger(name).setLevel(logging.WARNING)
    path = folder / f"league{pcts}.db"
    rows = export_sqlite(path)
    per_page = min(rows, ROWS_PER_PAGE)
    # Immutable, as `datasette -i` serves a published snapshot (counts are then cached).
    datasette = Datasette(immutables=[str(path)])
    loop = asyncio.new_event_loop()
    their_url = f"/{path.stem}/league?_sort=rank&_size={per_page}"
    miss = "page cache miss (render, compress, store)"
    cases = {
        "Datasette": (theirs(datasette, loop, their_url), None),
        "page cache off": (ours(client, "/"), page_cache(0, evict=True)),
        miss: (ours(client, "/"), page_cache(3600, evict=True)),
    }
    try:
        page_cache(0)()
        assert_rendered(client, "/")
        figures = median_cpu_ms(cases, repeat)
    finally:
        loop.close()
    their_ms = figures.pop("Datasette")
    print(f"{label}: {rows} rows in the table, {per_page} a page (median CPU per request)")
    print(f"  {'Datasette table page':<44} {their_ms:8.2f} ms")
    for case, our_ms in figures.items():
        print(
            f"  {'league page, ' + case:<44} {our_ms:8.2f} ms  ratio {our_ms / their_ms:.3f} "
            f"(1/{their_ms / our_ms:.1f} of Datasette)"
        )


def run(args):
    from django.test import Client

    client = Client()
    with tempfile.TemporaryDirectory() as folder:
        compare("152 PCTs", 152, Path(folder), client, args.repeat)
        if args.large > 152:
            pcts = grow(args.large)
            compare(f"{pcts} PCTs", pcts, Path(folder), client, args.repeat)


def main():
    run_in_temporary_database(parse_args(), run, demo_data=True)


if __name__ == "__main__":
    main()
