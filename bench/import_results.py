"""Benchmark the spreadsheet import: rows per second and peak memory for 15,000 PCTs x 10 scores.

Run with `make bench` (or `.venv/bin/python bench/import_results.py [--database-url URL]`).
It builds its own throwaway database (SQLite in a temporary folder by default), adds generated
PCTs up to --pcts, writes a CSV (and an XLSX) of results for a year scoring --competencies
competencies, and times each stage the way `manage.py import_results` runs it:

- validate: read the file with pandas and check every row (no database writes);
- first import: every row new (assessments, scores and their history rows), from CSV and XLSX,
  by the write path before issue 17 (simple-history's bulk helpers, a Python object per history
  row; rolled back) and by the fast path (tuples inserted, by COPY on PostgreSQL; history
  copied by INSERT … SELECT), each committed into a year of its own, as an admin (so the
  database checks every row's references at the commit, as for a web import);
- same file again: every row unchanged, so nothing is written;
- 10% changed: a tenth of the rows with one score changed.

Peak memory is Python's own allocations during the stage (tracemalloc, run as a separate pass
because tracing slows the code) and the process's peak resident size (getrusage).
"""

import argparse
import io
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import add_generated_pcts, run_in_temporary_database  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="Default: SQLite in a temporary folder.")
    parser.add_argument(
        "--pcts", type=int, default=15_000, help="Rows in the file (default 15,000)."
    )
    parser.add_argument("--competencies", type=int, default=10, help="Scores per row (default 10).")
    parser.add_argument(
        "--skip-before",
        action="store_true",
        help="Leave out the write path before issue 17 (its two imports take minutes).",
    )
    return parser.parse_args()


def results_file(codes: list[str], numbers: list[int], seed: int, changed_share=0.0) -> bytes:
    rng = random.Random(seed)
    header = ",".join(
        ["pct_code", *(f"c{n}" for n in numbers), "strategy,finance,board_governance"]
    )
    lines = [header]
    for index, code in enumerate(codes):
        scores = [1 + (index * 7 + n * 3) % 4 for n in numbers]
        if changed_share and rng.random() < changed_share:
            scores[0] = scores[0] % 4 + 1
        ratings = "GAR"[index % 3] + ",A," + "RAG"[index % 3]
        lines.append(",".join([code, *map(str, scores), ratings]))
    return ("\n".join(lines) + "\n").encode()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def timed(label: str, rows: int, stage, traced: bool = True, scores_per_row: int = 0):
    """Run `stage` twice when traced: first under tracemalloc (rolled back), then for time."""
    peak = ""
    if traced:
        tracemalloc.start()
        stage(dry=True)
        peak = f"{tracemalloc.get_traced_memory()[1] / 2**20:8.1f} MB traced"
        tracemalloc.stop()
    started = time.perf_counter()
    outcome = stage()
    seconds = time.perf_counter() - started
    scores = f"{rows * scores_per_row / seconds:>9,.0f} score rows/s" if scores_per_row else ""
    print(
        f"{label:<34} {rows:>7,} rows {seconds:7.2f} s {rows / seconds:>9,.0f} rows/s "
        f"{scores:>22} {peak:>18} {peak_rss_mb():7.0f} MB peak RSS   {outcome or ''}"
    )
    return seconds


def main():
    run_in_temporary_database(parse_args(), run, demo_data=False)


def run(args):
    import pandas as pd
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from assurance import actions, importers
    from assurance.actions import assessments
    from bench.simple_history_writes import create_new_with_simple_history

    # As the web import runs: every history row names the admin (a reference the database checks).
    admin = get_user_model().objects.create_superuser("bench-admin", password=None)
    codes = add_generated_pcts(args.pcts)[: args.pcts]
    numbers = list(range(1, args.competencies + 1))
    year = actions.create_year(start_year=2010, competency_numbers=numbers)
    first = results_file(codes, numbers, seed=1)
    changed = results_file(codes, numbers, seed=2, changed_share=0.1)
    limit = settings.IMPORT_MAX_BYTES
    print(
        f"{len(codes):,} PCTs x {len(numbers)} competencies; CSV {len(first) / 2**20:.2f} MB; "
        f"{connection.vendor}; IMPORT_MAX_BYTES {limit:,}"
    )

    def validate(content, name="results.csv"):
        def stage(dry=False):
            results = importers.parse_for_year(year, name, content, max_bytes=limit)
            return f"{len(results):,} results"

        return stage

    def import_file(content, name="bench.csv", rolled_back=False, old_path=False, into=None):
        def stage(dry=False):
            # The traced pass runs the same import and rolls it back, leaving the record as is.
            fast_create = assessments._create_new
            if old_path:
                assessments._create_new = create_new_with_simple_history
            try:
                return write(dry or rolled_back)
            finally:
                assessments._create_new = fast_create

        def write(dry):
            with transaction.atomic():
                batch, _ = actions.store_import(
                    year=into or year, file_name=name, content=content, by=admin, max_bytes=limit
                )
                counts = actions.apply_import(batch=batch, by=admin)
                if dry:
                    transaction.set_rollback(True)
            return ", ".join(f"{n:,} {kind}" for kind, n in counts.items())

        return stage

    timed("validate CSV (no writes)", len(codes), validate(first))
    xlsx = importers.template_bytes(pd.read_csv(io.BytesIO(first), dtype=str), "xlsx")
    timed("validate XLSX (no writes)", len(codes), validate(xlsx, "results.xlsx"), traced=False)
    scores = {"scores_per_row": len(numbers), "traced": False}
    before = {}
    for fmt, content in (("CSV", first), ("XLSX", xlsx)) if not args.skip_before else ():
        name = f"bench.{fmt.lower()}"
        before[fmt] = timed(
            f"first import {fmt}, before (rolled back)",
            len(codes),
            import_file(content, name, rolled_back=True, old_path=True),
            **scores,
        )
    # Into a year of its own, committed: on PostgreSQL the commit checks every reference.
    xlsx_year = actions.create_year(start_year=2011, competency_numbers=numbers)
    after_xlsx = timed(
        "first import XLSX (all new, 2011/12)",
        len(codes),
        import_file(xlsx, "bench.xlsx", into=xlsx_year),
        **scores,
    )
    with mock.patch.object(
        importers, "read_spreadsheet", wraps=importers.read_spreadsheet
    ) as reads:
        after_csv = timed("first import CSV (all new)", len(codes), import_file(first), **scores)
    timed("same file again (unchanged)", len(codes), import_file(first))
    timed("10% of rows changed", len(codes), import_file(changed))
    score_rows = len(codes) * len(numbers)
    print(f"\n{'issue 17 target':<34} {'now':>18} {'target':>10} {'before':>18}")
    for fmt, seconds, target in (("CSV", after_csv, 50_000), ("XLSX", after_xlsx, 20_000)):
        was = f"{score_rows / before[fmt]:>11,.0f} rows/s" if fmt in before else "(--skip-before)"
        print(
            f"{'first import ' + fmt + ', score rows/s':<34} {score_rows / seconds:>11,.0f} rows/s "
            f"{target:>10,} {was:>18}"
        )
    print(f"{'times the file is read per import':<34} {reads.call_count:>18} {1:>10}")


if __name__ == "__main__":
    main()
