"""Benchmark the first league page a freshly started worker serves at 15,000 PCTs.

Run with `.venv/bin/python bench/cold_start.py [--redis-url URL] [--database-url URL]`.
Three cases, timed in one run through Django's full request handling (the test client), with
the page cache switched off (LEAGUE_CACHE_SECONDS = 0) so every request renders the page:

- warm: the rankings memoised in this process (the page is only rendered);
- worker restart: this process's memos emptied, the shared cache kept (another worker, or this
  one before `max_requests` recycled it, has ranked the year already, or drawn the overview's
  charts);
- first build: every cache emptied (what each worker paid on its first request before the
  rankings were shared, and what the first request after a write still pays once).

The cache is the Redis database given (flushed: give the benchmark a database of its own), or
the in-process cache with `--redis-url ''` (a restart then loses it too).
"""

import argparse
import os
import statistics
import sys
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
    from leaguetable.queries import forget_ranked_rows

    forget_ranked_rows()


def first_build():
    from django.core.cache import cache

    cache.clear()
    restart_worker()


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
    client = Client()
    cache_name = "Redis" if os.environ.get("REDIS_URL") else "the in-process cache"
    print(f"cache: {cache_name}; {pcts} PCTs; median of {args.repeat} requests")
    print(f"{'case':<44} {'wall':>10} {'CPU':>10} {'queries':>8} {'× warm':>7}")
    for url in args.urls:
        time_requests(client, uncached(url), 1)  # build once: every case below reads it
        cases = {
            "warm (rankings memoised in this process)": median_of(client, url, args.repeat),
            "worker restart (shared rankings)": median_of(client, url, args.repeat, restart_worker),
            "first build (nothing cached anywhere)": median_of(
                client, url, max(3, args.repeat // 2), first_build
            ),
        }
        warm = cases["warm (rankings memoised in this process)"][0]
        print(url)
        for label, (wall, cpu, queries) in cases.items():
            print(f"  {label:<42} {wall:7.1f} ms {cpu:7.1f} ms {queries:8d} {wall / warm:7.2f}")


def main():
    args = parse_args()
    use_cache(args.redis_url)
    run_in_temporary_database(args, run, demo_data=True)


if __name__ == "__main__":
    main()
