"""Every page within gunicorn's timeout, and memory bounded, over a series of corrections.

Run with `.venv/bin/python bench/corrections_memory.py [--large 15000] [--corrections 12]`.
At --large PCTs (default 15,000, a hundred times England), an admin corrects one PCT's score
in the latest year and a second approves it, the background task warms the whole-year pages
(in this process, as a task worker would), then this process serves `/`, `/overview/`, an SHA's
page and a PCT's profile with the page cache off. After each
correction it prints the slowest page's wall time and the process's resident memory; the
process memo is emptied on a newer revision, so memory should level off, not climb with each
correction. The cache is the Redis database given (flushed), as in production.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import run_in_temporary_database, use_cache  # noqa: E402
from bench.cold_start import Corrections  # noqa: E402
from bench.league_page import grow, uncached  # noqa: E402

PAGES = ("/", "/overview/", "/sha/Q36/", "/pct/5C4/")


def resident_mb() -> float:
    """This process's resident memory now (not its peak), from /proc."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="Default: SQLite in a temporary folder.")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--large", type=int, default=15_000, help="PCTs (default 15,000).")
    parser.add_argument("--corrections", type=int, default=12)
    return parser.parse_args()


def run(args):
    import logging

    logging.getLogger("wcc.requests").setLevel(logging.WARNING)
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    settings.LEAGUE_CACHE_SECONDS = 0
    cache.clear()
    pcts = grow(args.large)
    client = Client()
    correct = Corrections()

    def serve() -> dict[str, float]:
        seconds = {}
        for url in PAGES:
            started = time.perf_counter()
            status = client.get(uncached(url)).status_code
            assert status == 200, (url, status)
            seconds[url] = time.perf_counter() - started
        return seconds

    first = serve()
    print(f"{pcts} PCTs; page cache off; gunicorn timeout {settings_timeout()} s")
    print(f"{'after':<16} {'slowest page':>24} {'resident MB':>12}")
    print(f"{'first build':<16} {max(first.values()):>8.2f} s {max(first, key=first.get):>14}")
    for number in range(1, args.corrections + 1):
        correct.correct_and_warm()  # this worker keeps its memos: what it lets go is measured
        seconds = serve()
        slowest = max(seconds, key=seconds.get)
        print(
            f"{f'correction {number}':<16} {seconds[slowest]:>8.2f} s {slowest:>14} "
            f"{resident_mb():>12.0f}"
        )
    print(f"the approving admin waited {1000 * max(correct.seconds):.0f} ms at most")


def settings_timeout() -> int:
    from wcc import gunicorn

    return gunicorn.timeout


def main():
    args = parse_args()
    use_cache(args.redis_url)
    run_in_temporary_database(args, run, demo_data=True)


if __name__ == "__main__":
    main()
