"""HTTP for every answer under /api/v1/: a per-address request limit, CORS for GET from any
origin, Cache-Control for public data, and errors as JSON, never an HTML page.

A middleware, not django-ninja's throttles or a CORS library: it sits outside the page cache
(leaguetable/views/caching.py), so an answer from the cache is limited and labelled like the
rest, and the limit counts the address the login throttle counts (accounts.addresses: behind a
trusted proxy, the address it forwards; ninja's throttle would trust any X-Forwarded-For).
"""

import json
import time
from http import HTTPStatus

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from accounts.addresses import client_address

PREFIX = "/api/v1/"
JSON = "application/json"
# Readable by a script on another origin besides the CORS-safelisted headers.
EXPOSED = "ETag, Retry-After"
# The headers an error keeps when its body is rewritten as JSON.
KEPT = ("Allow", "Retry-After")


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = _preflight()
        elif (wait := _over_limit(request)) is not None:
            response = _error(
                429,
                f"More than {settings.API_REQUESTS_PER_MINUTE} requests a minute from this "
                f"address: try again in {wait} seconds",
            )
            response["Retry-After"] = str(wait)
        else:
            response = self.get_response(request)
            if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
                JSON
            ):
                response = _as_json(request, response)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED
        if response.status_code in (200, 304) and "private" not in response.get(
            "Cache-Control", ""
        ):
            # Public data: any cache may keep it, and must revalidate (the ETag answers 304).
            patch_cache_control(response, public=True, no_cache=True)
        return response


def _over_limit(request) -> int | None:
    """Seconds to wait when this address has used this minute's requests, else None. One counter
    per address and minute, in the login throttle's cache (never evicted by pages)."""
    limit = settings.API_REQUESTS_PER_MINUTE
    if limit <= 0:
        return None
    now = time.time()
    window = int(now // 60)
    key = f"api-requests:{client_address(request)}:{window}"
    count = _counted(caches["logins"], key)
    return None if count <= limit else max(1, 60 * (window + 1) - int(now))


def _counted(counters, key: str) -> int:
    """This request counted under `key`: how many there have been in its window."""
    try:
        # One round trip for every request but an address's first in a minute: incr() keeps
        # the counter's expiry, so each window ends a minute after it began.
        return counters.incr(key)
    except ValueError:  # the first request of this window
        if counters.add(key, 1, 60):
            return 1
    try:
        return counters.incr(key)  # another request added it first
    except ValueError:  # a counter store that cannot count (Redis gone, no local fallback)
        return 0  # serve rather than refuse everyone


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, OPTIONS"
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
    response["Access-Control-Max-Age"] = "86400"
    return response


def _error(status: int, detail: str) -> HttpResponse:
    return HttpResponse(
        json.dumps({"detail": detail}), status=status, content_type=f"{JSON}; charset=utf-8"
    )


def _as_json(request, response) -> HttpResponse:
    """An error answered outside the API's operations (no such path, a method other than GET,
    the request size cap, a database outage) as JSON naming the problem."""
    status = response.status_code
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    if status == 404:
        detail = f"Nothing at {request.path}: {PREFIX}openapi.json lists the API's paths"
    elif status == 405:
        detail = f"{request.method} is not allowed: the API answers GET"
    else:
        detail = phrase
    answer = _error(status, detail)
    for header in KEPT:
        if header in response:
            answer[header] = response[header]
    return answer
