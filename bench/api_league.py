"""Benchmark the API's league table against the league page's JSON download, per request.

Run with `.venv/bin/python bench/api_league.py [--database-url URL] [--large 1500]`.
Both go through Django's full request handling (every middleware) with the test client, in
alternating rounds, on a throwaway database with the real 152 PCTs and illustrative results
(then generated PCTs up to --large). Three cases each:
- rendered: the page cache off (LEAGUE_CACHE_SECONDS=0), rankings memoised in the process: the
  view's own work, every request;
- cached: answered by the page cache's middleware, before the session;
- revalidated: If-None-Match with the answer's ETag, a 304.
Printed: median wall and CPU milliseconds per request, and the body's size in bytes.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import run_in_temporary_database, use_cache  # noqa: E402
from bench.league_page import grow, page_cache_off  # noqa: E402

CASES = {
    "whole table": ("/api/v1/league/2009-10", "/league/2009-10/?_export=json"),
    "one SHA, by mark": (
        "/api/v1/league/2009-10?sha=Q36&sort=-mark",
        "/league/2009-10/?sha=Q36&sort=-mark&_export=json",
    ),
    # The API's largest page against the whole download (at 1,500 PCTs, two thirds of it).
    "1,000 rows a page": ("/api/v1/league/2009-10?per_page=1000", "/league/2009-10/?_export=json"),
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="Default: SQLite in a temporary folder.")
    parser.add_argument("--repeat", type=int, default=30, help="Requests per round.")
    parser.add_argument("--rounds", type=int, default=5, help="Alternating rounds (median).")
    parser.add_argument("--large", type=int, default=1500, help="PCTs in the large data set.")
    parser.add_argument(
        "--limit",
        type=int,
        default=10**9,
        help="API_REQUESTS_PER_MINUTE: by default never reached but counted, as in production; "
        "0 turns the limit off, to see what counting costs.",
    )
    return parser.parse_args()


def per_request(client, url, repeat, **headers) -> tuple[float, float, int]:
    """(median wall ms, median CPU ms, bytes) of `repeat` requests."""
    wall, cpu = [], []
    for _ in range(repeat):
        started_wall, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, **headers)
        wall.append(time.perf_counter() - started_wall)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code in (200, 304), (url, response.status_code)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000, len(response.content)


def compare(client, label: str, urls: tuple[str, str], args, **headers) -> None:
    """The API's URL and the download's in alternating rounds, medians of the rounds."""
    figures = {url: [] for url in urls}
    for url in urls:
        client.get(url, **headers)  # warm: rankings memoised (and the page stored, if on)
    for _ in range(args.rounds):
        for url in urls:
            figures[url].append(per_request(client, url, args.repeat, **headers))
    for url, name in zip(urls, ("API", "JSON download"), strict=True):
        wall = statistics.median(f[0] for f in figures[url])
        cpu = statistics.median(f[1] for f in figures[url])
        size = figures[url][-1][2]
        print(f"{label:<44} {name:<14} {wall:8.2f} ms {cpu:8.2f} ms cpu {size:>9,} B  {url}")


def run_cases(client, pcts: int, args) -> None:
    for case, urls in CASES.items():
        with page_cache_off():
            compare(client, f"{pcts} PCTs, {case}, rendered", urls, args)
        compare(client, f"{pcts} PCTs, {case}, cached", urls, args, HTTP_ACCEPT_ENCODING="gzip")
        etags = tuple(client.get(url, HTTP_ACCEPT_ENCODING="gzip")["ETag"] for url in urls)
        for url, etag in zip(urls, etags, strict=True):
            figures = [
                per_request(client, url, args.repeat, HTTP_IF_NONE_MATCH=etag)
                for _ in range(args.rounds)
            ]
            wall = statistics.median(f[0] for f in figures)
            cpu = statistics.median(f[1] for f in figures)
            print(f"{f'{pcts} PCTs, {case}, revalidated (304)':<44} {'':<14} {wall:8.2f} ms "
                  f"{cpu:8.2f} ms cpu {'':>11}  {url}")  # fmt: skip


def run(args):
    import logging

    from django.conf import settings
    from django.test import Client

    logging.getLogger("wcc.requests").setLevel(logging.WARNING)
    settings.API_REQUESTS_PER_MINUTE = args.limit
    client = Client()
    print(f"{'case':<44} {'what':<14} {'wall':>11} {'CPU':>15} {'body':>11}")
    run_cases(client, 152, args)
    if args.large > 152:
        run_cases(client, grow(args.large), args)


def main():
    args = parse_args()
    use_cache("")  # the in-process cache: the same for both, and no Redis needed
    run_in_temporary_database(args, run, demo_data=True)


if __name__ == "__main__":
    main()
