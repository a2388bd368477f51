"""Benchmark the PCT profile and the other chart pages: median server time and SQL queries.

Run with `make bench` (or `.venv/bin/python bench/chart_pages.py [--database-url URL]`). Like
bench/league_page.py, whose helpers it uses, it builds a throwaway database with the real 152
PCTs and illustrative results, times each page through Django's full request handling, then adds
generated PCTs up to 15,000 and times the pages again. Per page: nothing cached (ranking and
summaries from scratch), rankings memoised but the page rendered, and the cached response.
"""

from league_page import (
    cold,
    grow,
    parse_args,
    report,
    run_in_temporary_database,
    time_many,
    time_requests,
    uncached,
)

PAGES = (
    "/pct/5C4/",
    "/sha/Q36/",
    "/overview/",
    "/compare/?pct=5C4&pct=5PG&pct=5QL&pct=5K5",
    "/pct/5C4/charts/competencies.csv",
)


def main():
    run_in_temporary_database(parse_args(), run, demo_data=True)


def run(args):
    from django.test import Client

    client = Client()
    print(f"{'case':<52} {'median':>11} {'median':>12} {'max':>11}")
    time_pages(client, args, "152 PCTs")
    if args.large <= 152:
        return
    time_pages(client, args, f"{grow(args.large)} PCTs")


def time_pages(client, args, size: str):
    cold_repeat = max(5, args.repeat // 3)
    for url in PAGES:
        report(f"{size}, nothing cached", url, time_requests(client, url, cold_repeat, cold))
        report(
            f"{size}, rankings memoised, page rendered", url, time_many(client, url, args, uncached)
        )
    for url in PAGES[:1]:
        time_requests(client, url, 1)
        report(f"{size}, cached response", url, time_requests(client, url, args.repeat))


if __name__ == "__main__":
    main()
