"""Benchmark the league page: median server time and SQL query count, 152 and 15,000 PCTs.

Run with `make bench` (or `.venv/bin/python bench/league_page.py [--database-url URL]`).
It builds its own throwaway database (SQLite in a temporary folder by default), loads the real
152 PCTs with illustrative results, times the page through Django's full request handling
(middleware, view, template) with the test client, and prints one line per case. Then it adds
generated PCTs up to 15,000 and times the paginated page again.
"""

import argparse
import statistics
import sys
import time
from contextlib import contextmanager
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import add_generated_pcts, run_in_temporary_database  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="Default: SQLite in a temporary folder.")
    parser.add_argument("--repeat", type=int, default=30, help="Requests per case (default 30).")
    parser.add_argument("--large", type=int, default=15_000, help="PCTs in the large data set.")
    return parser.parse_args()


def bare_view(request):
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def urlpatterns_with_bare_view():
    """The site's URLs plus /bare, the cheapest view Django can serve: the baseline."""
    from django.urls import include, path

    return [path("bare", bare_view), path("", include("wcc.urls"))]


def time_requests(client, url, repeat, before_each=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wall, cpu, queries = [], [], []
    for _ in range(repeat):
        if before_each:
            before_each()
        with CaptureQueriesContext(connection) as captured:
            start_wall, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall.append(time.perf_counter() - start_wall)
            cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured))
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000, max(queries)


def report(label, url, figures):
    wall_ms, cpu_ms, queries = figures
    print(f"{label:<52} {wall_ms:8.2f} ms {cpu_ms:8.2f} ms cpu {queries:3d} queries  {url}")


def django_tables2_default_render(repeat):
    """The same rows and columns through django-tables2's stock template, for comparison."""
    import django_tables2 as tables
    from django.template.loader import get_template
    from django.test import RequestFactory

    from assurance.models import AssessmentYear
    from leaguetable import computed, ranking

    year = AssessmentYear.objects.public().order_by("start_year").last()
    rows = computed.ranked_rows(year, None, ranking.METHODS["governance"])
    records = [
        {
            "rank": row.rank_label,
            "pct": row.scorecard.pct_name,
            "sha": row.scorecard.sha_name,
            "total": row.scorecard.total,
            "strategy": row.scorecard.strategy,
            "finance": row.scorecard.finance,
            "board": row.scorecard.board_governance,
            **{f"c{n}": row.scorecard.scores.get(n) for n in range(1, 12)},
        }
        for row in rows
    ]
    columns = ["rank", "pct", "sha", *(f"c{n}" for n in range(1, 12)), "total"]
    columns += ["strategy", "finance", "board"]
    extra = [(name, tables.Column()) for name in columns]
    request = RequestFactory().get("/")
    template = get_template("django_tables2/table.html")
    times = []
    for _ in range(max(3, repeat // 5)):
        start = time.process_time()
        table = tables.Table(records, extra_columns=extra)
        template.render({"table": table, "request": request})
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000, len(columns)


def add_illustrative_pcts(total):
    """Synthetic PCTs with illustrative results in both published years, up to `total` PCTs."""
    from assurance import actions, demo
    from assurance.models import AssessmentYear

    codes = add_generated_pcts(total)
    for year in AssessmentYear.objects.public():
        numbers = list(year.competencies.values_list("number", flat=True))
        results = demo.generate_year(demo.SHAPES[year.start_year], codes, numbers)
        actions.replace_year_results(year=year, results=results)
    return len(codes)


def grow(total: int) -> int:
    """Generate PCTs up to `total`, saying how long it took; returns the number of PCTs."""
    started = time.perf_counter()
    pcts = add_illustrative_pcts(total)
    elapsed = time.perf_counter() - started
    print(f"-- generated {pcts} PCTs with results for 2 years in {elapsed:.1f} s")
    return pcts


def main():
    run_in_temporary_database(parse_args(), run, demo_data=True)


def cold():
    """Empty the caches and the ranking memo, as in a freshly started process."""
    from django.core.cache import cache

    from leaguetable.computed import forget_ranked_rows

    cache.clear()
    forget_ranked_rows()


_fresh = count()


def uncached(url):
    """The URL with a query string never seen before. It does not defeat the page cache, which
    drops the parameters a page does not read: time the page with the cache off (time_many)."""
    return url + ("&" if "?" in url else "?") + f"bench={next(_fresh)}"


@contextmanager
def page_cache_off():
    """Every request renders its page, as with LEAGUE_CACHE_SECONDS=0: pages stored before are
    dropped and none is stored; the rankings stay memoised in this process."""
    from django.conf import settings
    from django.core.cache import cache

    stored_for = settings.LEAGUE_CACHE_SECONDS
    settings.LEAGUE_CACHE_SECONDS = 0
    cache.clear()
    try:
        yield
    finally:
        settings.LEAGUE_CACHE_SECONDS = stored_for


def with_bare_view():
    """Serve /bare beside the site's URLs: the cheapest view Django can serve, the baseline."""
    import types

    from django.conf import settings

    baseline_urls = types.ModuleType("bench_urls")
    baseline_urls.urlpatterns = urlpatterns_with_bare_view()
    sys.modules["bench_urls"] = baseline_urls
    settings.ROOT_URLCONF = "bench_urls"


def run(args):
    from django.test import Client

    with_bare_view()
    client = Client()
    print(f"{'case':<52} {'median':>11} {'median':>12} {'max':>11}")
    report("bare Django view", "/bare", time_requests(client, "/bare", args.repeat))
    small_urls = ("/", "/?sort=-c4&sha=Q36", "/?pattern=any-red&method=equal-weight")
    for url in small_urls:
        report("152 PCTs, nothing cached", url, time_requests(client, url, args.repeat, cold))
    for url in small_urls:
        report(
            "152 PCTs, ranking cached, page rendered", url, time_many(client, url, args, uncached)
        )
    for url in ("/", "/?_export=csv"):
        time_requests(client, url, 1)
        report("152 PCTs, cached response", url, time_requests(client, url, args.repeat))
    stock_ms, columns = django_tables2_default_render(args.repeat)
    print(
        f"{'152 PCTs, django-tables2 stock template (CPU)':<52} {stock_ms:8.2f} ms "
        f"({columns} columns, for comparison)"
    )

    if args.large <= 152:
        return
    pcts = grow(args.large)
    large_urls = ("/", "/?page=40&sort=-total", "/?q=generated%20pct%201&pattern=no-red")
    repeat = max(5, args.repeat // 3)
    for url in large_urls:
        report(f"{pcts} PCTs, nothing cached", url, time_requests(client, url, repeat, cold))
    for url in large_urls:
        report(
            f"{pcts} PCTs, ranking cached, page rendered",
            url,
            time_many(client, url, args, uncached),
        )
    for url in large_urls[:2]:
        time_requests(client, url, 1)
        report(f"{pcts} PCTs, cached response", url, time_requests(client, url, args.repeat))


def time_many(client, url, args, uncached):
    """The page rendered each time (the page cache off), its rankings memoised."""
    with page_cache_off():
        time_requests(client, uncached(url), 1)
        figures = [time_requests(client, uncached(url), 1) for _ in range(args.repeat)]
    return (
        statistics.median(f[0] for f in figures),
        statistics.median(f[1] for f in figures),
        max(f[2] for f in figures),
    )


if __name__ == "__main__":
    main()
