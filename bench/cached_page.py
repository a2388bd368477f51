"""Benchmark a cached anonymous league page against a bare Django view, requests per second.

Run with `.venv/bin/python bench/cached_page.py [--redis-url URL] [--database-url URL]`.
Both go through Django's real WSGI handler (every middleware) in one process, in alternating
rounds, so the ratio holds on a busy machine even when the absolute figures do not. Each case
is printed as requests per second of wall time and CPU per request, each with its ratio to the
bare view (on a machine shared with other work, the CPU ratio is the steadier of the two). The cache
is the Redis database given (it is flushed: give the benchmark a database of its own), or the
in-process cache with `--redis-url ''`.

The bare views go through every layer, the page cache's middleware included (it finds no cached
page there and passes them on); a cached page is answered by that middleware, before the
session, CSRF and authentication layers, so it can beat the floor.
"""

import argparse
import io
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import run_in_temporary_database, use_cache  # noqa: E402
from bench.league_page import urlpatterns_with_bare_view  # noqa: E402

BROWSER = "gzip, deflate, br, zstd"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="Default: SQLite in a temporary folder.")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/12",
        help="A Redis database of the benchmark's own (flushed); '' for the in-process cache.",
    )
    parser.add_argument("--requests", type=int, default=1000, help="Requests per round.")
    parser.add_argument("--rounds", type=int, default=5, help="Rounds per case (median).")
    return parser.parse_args()


def environ(path: str, **headers) -> dict:
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        **headers,
    }


def serve(handler, request: dict) -> tuple[str, bytes]:
    """One request through the handler, its body read and the response closed, as a server
    would."""
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status

    body = handler({**request, "wsgi.input": io.BytesIO()}, start_response)
    try:
        content = b"".join(body)
    finally:
        body.close()
    return answer["status"], content


def requests_per_second(handler, request: dict, count: int) -> tuple[float, float]:
    """(requests per second of wall time, CPU ms per request) over `count` requests."""
    started_wall, started_cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        serve(handler, request)
    wall = time.perf_counter() - started_wall
    cpu = time.process_time() - started_cpu
    return count / wall, cpu / count * 1000


def bare_view_reading_the_cache(request):
    """The bare view plus one cache read: the floor for any page that checks the cache."""
    from django.core.cache import cache
    from django.http import HttpResponse

    return HttpResponse(cache.get("bench:probe", "ok"), content_type="text/plain")


def with_baselines():
    import types

    from django.conf import settings
    from django.urls import path

    urls = types.ModuleType("bench_cached_urls")
    urls.urlpatterns = [
        path("bare-cache-get", bare_view_reading_the_cache),
        *urlpatterns_with_bare_view(),
    ]
    sys.modules["bench_cached_urls"] = urls
    settings.ROOT_URLCONF = "bench_cached_urls"


def run(args):
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIHandler

    with_baselines()
    # The request log's line per request would be the same for both cases; keep it off stdout.
    logging.getLogger("wcc.requests").setLevel(logging.WARNING)
    handler = WSGIHandler()
    cache.clear()
    cache.set("bench:probe", "ok", None)
    cases = {
        "bare Django view (the ceiling)": environ("/bare"),
        "bare view + one cache read (the floor)": environ("/bare-cache-get"),
        "/ cached, browser (brotli)": environ("/", HTTP_ACCEPT_ENCODING=BROWSER),
        "/ cached, gzip only": environ("/", HTTP_ACCEPT_ENCODING="gzip"),
        "/ cached, no Accept-Encoding (plain)": environ("/"),
    }
    for request in cases.values():
        status, _ = serve(handler, request)
        assert status.startswith("200"), status
    etag = _etag(handler, cases["/ cached, browser (brotli)"])
    if etag:
        cases["/ revalidated, 304"] = environ(
            "/", HTTP_ACCEPT_ENCODING=BROWSER, HTTP_IF_NONE_MATCH=etag
        )
    figures = {label: [] for label in cases}
    for _ in range(args.rounds):
        for label, request in cases.items():
            figures[label].append(requests_per_second(handler, request, args.requests))
    cache_name = "Redis" if os.environ.get("REDIS_URL") else "the in-process cache"
    print(f"cache: {cache_name}; {args.rounds} rounds of {args.requests} requests, medians")
    print(f"{'case':<40} {'req/s':>8} {'× bare':>7} {'CPU/request':>12} {'× bare':>7}  bytes")
    ceiling = figures["bare Django view (the ceiling)"]
    bare = statistics.median(rate for rate, _ in ceiling)
    bare_cpu = statistics.median(cpu for _, cpu in ceiling)
    for label, request in cases.items():
        rate = statistics.median(r for r, _ in figures[label])
        cpu = statistics.median(c for _, c in figures[label])
        size = len(serve(handler, request)[1])
        print(
            f"{label:<40} {rate:8.0f} {rate / bare:7.2f} {cpu:9.3f} ms {bare_cpu / cpu:7.2f}  "
            f"{size:,}"
        )


def _etag(handler, request) -> str | None:
    headers = {}

    def start_response(status, response_headers, exc_info=None):
        headers.update(response_headers)

    body = handler({**request, "wsgi.input": io.BytesIO()}, start_response)
    body.close()
    return headers.get("ETag")


def main():
    args = parse_args()
    use_cache(args.redis_url)
    run_in_temporary_database(args, run, demo_data=True)


if __name__ == "__main__":
    main()
