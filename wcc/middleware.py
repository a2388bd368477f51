"""Request ids and the request log; request bodies capped and NUL bytes refused before anything
reads them; private caching for signed-in users; a lost database connection as a 503 that says
to retry, wherever the request meets it."""

import logging
import sys
import time
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponseBadRequest
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_cache_control
from django.views import defaults

from wcc.logs import current_request

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
request_log = logging.getLogger("wcc.requests")


class RequestLogMiddleware:
    """Gives each request an id (the X-Request-ID response header, and a field of every log line
    while the request runs) and logs one line when it is answered.

    The id is made here, never taken from the client, so a line cannot be forged into another
    request's story. First in MIDDLEWARE, so it sees the status every other layer settled on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = current_request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request.reset(token)


class RequestSizeMiddleware:
    """Refuses a request whose body is larger than REQUEST_MAX_BYTES (413) before it is read.

    Django bounds a form's fields (DATA_UPLOAD_MAX_MEMORY_SIZE) and the number of files
    (DATA_UPLOAD_MAX_NUMBER_FILES) but not an upload's bytes; the import's upload handler keeps
    at most IMPORT_MAX_BYTES of one file, and this bounds what a worker reads at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure
        if length > settings.REQUEST_MAX_BYTES:
            response = SimpleTemplateResponse(
                "413.html", {"limit": settings.REQUEST_MAX_BYTES, "length": length}, status=413
            )
            return response.render()
        return self.get_response(request)


class RefuseNulBytesMiddleware:
    """A NUL byte in the path, the query string or a submitted form is answered 400.

    PostgreSQL cannot hold a NUL in text, nor compare text with one: psycopg refuses the query,
    and every view that looks a path or a parameter up would answer 500 with a traceback. No
    code, name, note or reason ever holds one. The path and query are checked before anything
    else runs (the page cache included); a form just before its view, so a view that reads its
    own body (the import upload, csrf_exempt until its upload handler is set) is left to do so:
    its form fields refuse NULs, and Django drops them from an upload's file name.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or _any_nul(request.GET):
            return _refused()
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        reads_its_own_body = getattr(view, "csrf_exempt", False)
        if request.method == "POST" and not reads_its_own_body and _any_nul(request.POST):
            return _refused()
        return None


def _any_nul(query) -> bool:
    return any(
        "\x00" in name or any("\x00" in value for value in values) for name, values in query.lists()
    )


def _refused() -> HttpResponseBadRequest:
    response = HttpResponseBadRequest(
        "A NUL character (%00) is not allowed in an address or a form.", content_type="text/plain"
    )
    response._has_been_logged = True  # the request log's line (400) is the one line it needs
    return response


class PrivateForSignedInMiddleware:
    """Marks every response to a signed-in user Cache-Control: private, so no shared cache (a
    proxy, a CDN) keeps one user's page, with their flags or admin pages, for the next reader."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Without a session cookie nobody is signed in: anonymous readers cost no session query.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            patch_cache_control(response, private=True)
        return response


class DatabaseUnavailableMiddleware:
    """While PostgreSQL restarts or fails over, readers get a clear, retryable answer.

    Nothing is half-written: every write runs in a transaction that the lost connection
    rolls back. CONN_HEALTH_CHECKS reconnects on the next request once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return unavailable(request, exception)


def server_error(request):
    """handler500: a lost database met outside any view (a signed-in reader's session, read by
    the middleware before the view, or saved after it) is the same 503 as inside one."""
    return unavailable(request, sys.exc_info()[1]) or defaults.server_error(request)


def unavailable(request, exception) -> SimpleTemplateResponse | None:
    """The 503 page if `exception` is the database being unreachable, else None."""
    # OperationalError also means a bug such as a missing column: that stays a 500.
    if not isinstance(exception, OperationalError | InterfaceError) or _reachable():
        return None
    logger.warning("Database unavailable for %s: %s", request.path, exception)
    response = SimpleTemplateResponse("503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Logged just above, without the traceback Django would add to every request of an outage.
    response._has_been_logged = True
    return response.render()


def _reachable() -> bool:
    """Whether the database still answers; asked only after an error, so it costs nothing."""
    try:
        return connection.connection is not None and connection.is_usable()
    except Exception:
        return False
