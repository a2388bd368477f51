"""Benchmark the first league page a freshly started worker serves at 15,000 PCTs.

Run with `.venv/bin/python bench/cold_start.py [--redis-url URL] [--database-url URL]`.
Three cases, timed in one run through Django's full request handling (the test client), with
the page cache switched off (LEAGUE_CACHE_SECONDS = 0) so every request renders the page:

- warm: the rankings memoised in this process (the page is only rendered);
- worker restart: this process's memos emptied, the shared cache kept (another worker, or this
  one before `max_requests` recycled it, has ranked the year already, or drawn the overview's
  charts);
- after a correction: an admin corrects one PCT in the latest year, the background task renders
  the pages drawn from whole years (leaguetable.warming, as a task worker would once the write
  commits), then another worker, whose memos are empty, serves the page: what the first reader
  after a publication or correction pays. The writer's wait and the task's are printed beside it;
- first build: every cache emptied (what each worker paid on its first request before the
  rankings were shared, and what the first request after a write paid before the writer
  ranked: now only after the cache is lost, or for a method other than the default).

The cache is the Redis database given (flushed: give the benchmark a database of its own), or
the in-process cache with `--redis-url ''` (a restart then loses it too).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import run_in_temporary_database, use_cache  # noqa: E402
from bench.league_page import grow, time_requests, uncached  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="Default: SQLite in a temporary folder.")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/12",
        help="A Redis database of the benchmark's own (flushed); '' for the in-process cache.",
    )
    parser.add_argument("--large", type=int, default=15_000, help="PCTs (default 15,000).")
    parser.add_argument("--repeat", type=int, default=7, help="Requests per case (median).")
    parser.add_argument(
        "--urls", nargs="+", default=["/", "/overview/"], help="Pages (default / /overview/)."
    )
    return parser.parse_args()


def restart_worker():
    """Empty this process's memos and free what they held, before the timed request: a new
    worker has nothing to free (this one would otherwise free 15,000 rows inside it)."""
    import gc

    from leaguetable.computed import forget_ranked_rows

    forget_ranked_rows()  # ranked_table's kept tables with them
    gc.collect()


def first_build():
    from django.core.cache import cache

    cache.clear()
    restart_worker()


class Corrections:
    """An admin correcting one PCT's first score in the latest year, back and forth, timed."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        from assurance.models import AssessmentYear

        self.admin = get_user_model().objects.create_superuser("bench-admin", password=None)
        # A published result changes when a second admin approves the correction.
        self.second = get_user_model().objects.create_superuser("bench-admin-2", password=None)
        self.year = AssessmentYear.objects.public().order_by("start_year").last()
        self.seconds = []
        self.warming = []

    def __call__(self):
        self.correct_and_warm()
        restart_worker()  # the reader is another worker: only the shared cache knows the change

    def correct_and_warm(self):
        import dataclasses

        from assurance import actions, importers
        from assurance.models import Assessment

        assessment = Assessment.objects.filter(year=self.year).select_related("pct").first()
        recorded = importers.recorded_decisions(self.year, [assessment.pct.code])
        recorded = recorded[assessment.pct.code]
        number = min(recorded.scores)
        scores = {**recorded.scores, number: recorded.scores[number] % 4 + 1}
        asked = actions.request_correction(
            year=self.year,
            by=self.admin,
            reason="Benchmark: a score corrected",
            decisions=[dataclasses.replace(recorded, scores=scores)],
        )
        started = time.perf_counter()  # the approving admin's wait: the correction is written
        actions.approve(request=asked, by=self.second)
        self.seconds.append(time.perf_counter() - started)
        self.warm()

    def warm(self):
        """What warm_public_pages renders first (the PCTs' pages follow), as its worker would."""
        from leaguetable import computed, queries, warming

        started = time.perf_counter()
        computed.forget_ranked_rows()  # the task's worker has not seen the new revision either
        years = queries.public_years()
        shas = sorted({card.sha_code for card in queries.year_scorecards(years[-1])})
        warming.warm(warming.whole_year_paths(years, shas))
        self.warming.append(time.perf_counter() - started)


def median_of(client, url, repeat, before_each=None):
    """Median wall and CPU ms and the most queries, each request with a fresh query string."""
    figures = [time_requests(client, uncached(url), 1, before_each) for _ in range(repeat)]
    wall = statistics.median(f[0] for f in figures)
    cpu = statistics.median(f[1] for f in figures)
    return wall, cpu, max(f[2] for f in figures)


def run(args):
    import logging

    # The request log's line per request is the same for every case; keep it off stdout.
    logging.getLogger("wcc.requests").setLevel(logging.WARNING)
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    settings.LEAGUE_CACHE_SECONDS = 0  # pages are never stored; rankings still are
    cache.clear()
    pcts = grow(args.large)
    correct = Corrections()
    client = Client()
    cache_name = "Redis" if os.environ.get("REDIS_URL") else "the in-process cache"
    print(f"cache: {cache_name}; {pcts} PCTs; median of {args.repeat} requests")
    print(f"{'case':<44} {'wall':>10} {'CPU':>10} {'queries':>8} {'× warm':>7}")
    for url in args.urls:
        time_requests(client, uncached(url), 1)  # build once: every case below reads it
        cases = {
            "warm (rankings memoised in this process)": median_of(client, url, args.repeat),
            "worker restart (shared rankings)": median_of(client, url, args.repeat, restart_worker),
            "after a correction, another worker": median_of(client, url, args.repeat, correct),
            "first build (nothing cached anywhere)": median_of(
                client, url, max(3, args.repeat // 2), first_build
            ),
        }
        warm = cases["warm (rankings memoised in this process)"][0]
        print(url)
        for label, (wall, cpu, queries) in cases.items():
            print(f"  {label:<42} {wall:7.1f} ms {cpu:7.1f} ms {queries:8d} {wall / warm:7.2f}")
        writer = statistics.median(correct.seconds[-args.repeat :]) * 1000
        task = statistics.median(correct.warming[-args.repeat :]) * 1000
        print(
            f"  (the correcting admin waited {writer:.0f} ms; the warming task took {task:.0f} ms)"
        )


def main():
    args = parse_args()
    use_cache(args.redis_url)
    run_in_temporary_database(args, run, demo_data=True)


if __name__ == "__main__":
    main()
