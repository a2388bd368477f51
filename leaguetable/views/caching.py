"""The page cache for anonymous readers: each page declares the query parameters it reads;
a middleware answers a current page before the session is loaded."""

import functools
import gzip
import hashlib
import time
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, get_resolver
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from assurance import cache as assurance_cache
from leaguetable import exports, extensions, ranking

try:  # brotli is a dependency, but a page is still served (gzip only) without it
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

# The query parameters each cached page reads. Any other is dropped before the view runs and is
# no part of the cache key, so /?junk=1 … /?junk=200 is one cached page, not 200.
TABLE_PARAMETERS = ("sort", "page", "per_page", "_export")
LEAGUE_PARAMETERS = ("q", "sha", "pattern", "band", "clearly", "method", *TABLE_PARAMETERS)
SHA_PARAMETERS = ("method", "year", *TABLE_PARAMETERS)
CHART_PARAMETERS = ("method",)
COMPARE_PARAMETERS = ("method", "pct")
# Values a view would treat as absent anyway: dropped, so they make no page of their own.
KNOWN_VALUES = {"method": ranking.METHODS, "_export": exports.FORMATS}

IDENTITY = "identity"
# Compressed once per page and revision, so a slower, tighter setting pays for itself at once.
GZIP_LEVEL = 6
BROTLI_QUALITY = 6
# Spreadsheets are already zipped: only these are worth compressing again.
COMPRESSIBLE = ("text/", "application/json", "application/javascript")


class StoredPage(NamedTuple):
    """One page in the cache: everything a hit needs, under one key (one round trip).

    `bodies` maps each stored encoding to the body and every header to send with it (ETag,
    Last-Modified and Vary included, so a hit only copies them). The page is stored compressed
    (gzip, and brotli where installed), or uncompressed only when not worth compressing; a
    reader who accepts neither compression gets the gzip body decompressed.
    """

    revisions: str
    etag: str
    rendered_at: int
    status: int
    bodies: dict[str, tuple[bytes, tuple[tuple[str, str], ...]]]


def cached_for_readers(
    *parameters: str, other_apps_filters: bool = False, known_values=KNOWN_VALUES
):
    """Serve anonymous readers a cached response until a published year's results change.

    The view sees only `parameters` from the query string, stripped, and the cache is keyed on
    exactly those, so a parameter the page ignores cannot fill the cache or change the page.
    A value not in `known_values` (an unknown `?method=`) is dropped as if absent; a view that
    refuses such values itself (the API answers 400) passes `known_values={}`.

    Published results change only through assurance.actions, which bumps the year's revision;
    the stored page holds every published year's revision (the pages list the years) and is
    served only while they are current, so a cached page is never stale. The same revisions
    make the page's ETag, so a reader's conditional request is answered 304 without reading
    the page from the cache. The key and the ETag also name the release (settings.RELEASE),
    so a deploy's first request renders the page afresh.

    A reader without a session cookie is usually answered by PageCacheMiddleware before the
    request gets here; this serves the rest (a stale session cookie, a page not yet stored or
    no longer current) and renders and stores the page.

    `other_apps_filters`: the view also reads the filters other apps add through
    leaguetable.extensions (a saved group's token). What they select changes without any year's
    revision changing, so such a page is built afresh every time, never stored.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            # Without a session cookie nobody is signed in: no session to load on a hit.
            if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
                return view(request, *args, **kwargs)
            if other_apps_filters and _filtered_elsewhere(request.GET):
                filters = extensions.league_filter_names()
                request.GET = recognised_query(request.GET, (*parameters, *filters), known_values)
                return view(request, *args, **kwargs)
            request.GET = recognised_query(request.GET, parameters, known_values)
            return _served_from_cache(request, lambda: view(request, *args, **kwargs))

        # What PageCacheMiddleware looks for: require_GET and the like copy it to their wrapper.
        wrapper.parameters_read = parameters
        wrapper.known_values = known_values
        return wrapper

    return decorate


class PageCacheMiddleware:
    """Answers an anonymous reader's GET of a page cached for readers, while it is current, before
    the session, CSRF, authentication and two-factor layers run (as Django's
    FetchFromCacheMiddleware does): a hit then costs the outer layers and one cache round trip.

    Only requests without a session cookie (nobody can be signed in), to a path that resolves to
    a view decorated with cached_for_readers, with no filter another app adds. The answer is the
    one the decorator would give (the same key, 304s and stored bytes), from the cache alone:
    anything else, a missing page, stale revisions or revisions not in the cache (reading them
    needs the database, whose outage DatabaseUnavailableMiddleware answers further in), goes on
    down to the view. So it must sit after the middleware that adds headers to every response
    (security, CSP, X-Frame-Options) and before SessionMiddleware. CommonMiddleware, further in,
    adds nothing to a hit but its Content-Length, which the answer carries already; its redirect
    to a path with a slash concerns paths that do not resolve, so never a hit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # CommonMiddleware checks the Host against ALLOWED_HOSTS further in: a cached answer must
        # not skip it (DisallowedHost answers 400, as on every other page).
        request.get_host()
        answer = None
        if (
            request.method == "GET"  # the pages' require_GET refuses HEAD: that answer stays theirs
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and settings.LEAGUE_CACHE_SECONDS > 0
        ):
            urlconf = getattr(request, "urlconf", None)
            read = _parameters_read(get_resolver(urlconf), request.path_info)
            if read is not None:
                query = recognised_query(request.GET, *read)
                # Not yet known in a process that has not read it: the view reads it.
                database_name = assurance_cache.identity(database=False)
                if database_name is not None and not _filtered_elsewhere(request.GET):
                    fingerprint = _fingerprint(database_name, request.path, query)
                    answer, _ = _from_cache(request, fingerprint, database=False)
        return self.get_response(request) if answer is None else answer


@functools.lru_cache(maxsize=1024)
def _parameters_read(resolver, path_info: str) -> tuple[tuple[str, ...], dict] | None:
    """The query parameters the page at `path_info` reads, and their known values, if it is
    cached for readers, else None.

    Remembered per process (and URLconf): resolving costs more than the rest of a hit's check.
    """
    try:
        match = resolver.resolve(path_info)
    except Resolver404:
        return None
    parameters = getattr(match.func, "parameters_read", None)
    if parameters is None:
        return None
    return parameters, getattr(match.func, "known_values", KNOWN_VALUES)


def not_canonical(request) -> None:
    """The view read a parameter's value as some other value (`?page=999` as the last page, an
    unknown sort as none) or refused it: the page is served but not stored, so junk values make
    no pages in the cache, only the values a reader can be linked to do."""
    request.not_canonical = True


def _filtered_elsewhere(query: QueryDict) -> bool:
    return any(name in query for name in extensions.league_filter_names())


def _served_from_cache(request, render) -> HttpResponse:
    if settings.LEAGUE_CACHE_SECONDS <= 0:
        # The page cache is off: nothing is stored, so nothing is worth compressing (a 15,000-PCT
        # page took longer to compress twice than to render).
        response = render()
        patch_cache_control(response, no_cache=True)
        patch_vary_headers(response, ("Cookie",))
        return response
    fingerprint = _fingerprint(assurance_cache.identity(), request.path, request.GET)
    answer, revisions = _from_cache(request, fingerprint, database=True)
    if answer is not None:
        return answer
    response = render()
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or getattr(request, "not_canonical", False)
    ):
        return response
    stored = _stored(response, revisions, _etag(revisions, fingerprint))
    cache.set(_page_key(fingerprint), stored, settings.LEAGUE_CACHE_SECONDS)
    return _answer(request, stored)


def _from_cache(
    request, fingerprint: str, *, database: bool
) -> tuple[HttpResponse | None, str | None]:
    """(the answer the cache alone gives, or None; the published years' revisions).

    The answer is a 304, or the stored page while its revisions are current. Revisions the
    cache has lost are read from the database, or with `database=False` left unknown (None).
    """
    key = _page_key(fingerprint)
    revisions_key = assurance_cache.key(assurance_cache.PUBLIC_REVISIONS)
    if "HTTP_IF_NONE_MATCH" in request.META:
        # Browsers revalidate with the ETag: the published years alone answer them.
        revisions = _revisions(cache.get(revisions_key), database)
        if revisions is None:
            return None, None
        etag = _etag(revisions, fingerprint)
        if (not_modified := get_conditional_response(request, etag=etag)) is not None:
            return _measured(_with_validators(not_modified, etag, None)), revisions
        stored = cache.get(key)
    else:
        found = cache.get_many([revisions_key, key])
        revisions = _revisions(found.get(revisions_key), database)
        stored = found.get(key)
    if revisions is None or stored is None or stored.revisions != revisions:
        return None, revisions
    return _answer(request, stored), revisions


def _answer(request, stored: StoredPage) -> HttpResponse:
    """The stored page, or 304 to a reader whose copy is still this page."""
    if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
        answer = get_conditional_response(
            request, etag=stored.etag, last_modified=stored.rendered_at
        )
        if answer is not None:
            return _measured(_with_validators(answer, stored.etag, stored.rendered_at))
    return _measured(_response(stored, _encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))))


def _measured(response: HttpResponse) -> HttpResponse:
    # CommonMiddleware would add it, but PageCacheMiddleware answers before it: the same header
    # either way.
    response["Content-Length"] = str(len(response.content))
    return response


def _stored(response: HttpResponse, revisions: str, etag: str) -> StoredPage:
    if not getattr(response, "is_rendered", True):
        response.render()
    content = response.content
    if response.get("Content-Type", "").startswith(COMPRESSIBLE):
        bodies = {"gzip": gzip.compress(content, GZIP_LEVEL, mtime=0)}
        if brotli is not None:
            bodies["br"] = brotli.compress(content, quality=BROTLI_QUALITY)
    else:
        bodies = {IDENTITY: content}
    # Whole seconds: Last-Modified has no finer grain, and If-Modified-Since is compared to it.
    rendered_at = int(time.time())
    _with_validators(response, etag, rendered_at)
    headers = [
        (name, value) for name, value in response.items() if name.lower() != "content-length"
    ]
    return StoredPage(
        revisions,
        etag,
        rendered_at,
        response.status_code,
        {
            encoding: (body, (*headers, *_content_encoding(encoding)))
            for encoding, body in bodies.items()
        },
    )


def _content_encoding(encoding: str) -> tuple[tuple[str, str], ...]:
    return () if encoding == IDENTITY else (("Content-Encoding", encoding),)


def _response(stored: StoredPage, accepted: tuple[str, ...]) -> HttpResponse:
    encoding = next((coding for coding in accepted if coding in stored.bodies), None)
    if encoding is not None:
        body, headers = stored.bodies[encoding]
    elif IDENTITY in stored.bodies:
        body, headers = stored.bodies[IDENTITY]
    else:  # a reader who accepts no compression: rare enough to decompress for
        compressed, headers = stored.bodies["gzip"]
        body = gzip.decompress(compressed)
        headers = tuple(header for header in headers if header[0] != "Content-Encoding")
    return HttpResponse(body, status=stored.status, headers=headers)


def _with_validators(response, etag: str, rendered_at: int | None):
    response["ETag"] = etag
    if rendered_at is not None:
        response["Last-Modified"] = http_date(rendered_at)
    # Every reader asks again before reusing a copy: a correction must show on the next visit,
    # and the question costs a 304 without the page. The page differs by encoding, and for a
    # signed-in reader (their session cookie), so shared caches must keep them apart.
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
    return response


@functools.lru_cache(maxsize=256)
def _encoding(accept_encoding: str) -> tuple[str, ...]:
    """The compressions the reader accepts, most preferred first (brotli before gzip on a tie).

    Few distinct headers are ever sent, so each is parsed once per process.
    """
    weights = {}
    for part in accept_encoding.lower().split(","):
        coding, *parameters = (piece.strip() for piece in part.split(";"))
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if coding:
            weights[coding] = weight
    ranked = []
    for coding, preference in (("br", 2), ("gzip", 1)):
        weight = weights.get(coding, weights.get("*", 0.0))
        if weight > 0:
            ranked.append((weight, preference, coding))
    return tuple(coding for *_, coding in sorted(ranked, reverse=True))


def recognised_query(query: QueryDict, parameters, known_values=KNOWN_VALUES) -> QueryDict:
    """Only `parameters`, in a fixed order, values stripped, values outside `known_values`
    dropped; repeated values keep their order (the comparison shows PCTs in the order asked
    for)."""
    recognised = QueryDict(mutable=True)
    for name in sorted(parameters):
        values = [value.strip() for value in query.getlist(name)]
        if name in known_values:
            values = [value for value in values if value in known_values[name]]
        if values:
            recognised.setlist(name, values)
    recognised._mutable = False
    return recognised


def _fingerprint(database_name: str, path: str, query: QueryDict) -> str:
    """The page as the release renders it from this database: its key and part of its ETag.

    The release is in it because a deploy changes pages without changing any revision: the new
    code must neither serve the old code's stored pages nor answer 304 to their ETags. The
    database's identity, because a restored database reaches revisions another had.
    """
    page = (database_name, settings.RELEASE, path, list(query.lists()))
    return hashlib.sha256(repr(page).encode()).hexdigest()


def _page_key(fingerprint: str) -> str:
    return f"page:{fingerprint}"


def _revisions(cached: str | None, database: bool) -> str | None:
    """The published years' revisions: as cached, or read through queries and cached again."""
    revisions = assurance_cache.public_revisions(cached)
    if revisions is None and database:
        return assurance_cache.remember_public_revisions()
    return revisions


def _etag(revisions: str, fingerprint: str) -> str:
    """Weak: the same page is served in several encodings, each its own bytes."""
    digest = hashlib.blake2b(f"{revisions}:{fingerprint}".encode(), digest_size=12).hexdigest()
    return f'W/"{digest}"'
