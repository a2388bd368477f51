"""Turn a lost database connection into a 503 that says to retry, instead of a bare 500."""

import logging

from django.db import InterfaceError, OperationalError, connection
from django.template.response import SimpleTemplateResponse

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


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
        # OperationalError also means a bug such as a missing column: that stays a 500.
        if not isinstance(exception, OperationalError | InterfaceError) or _reachable():
            return None
        logger.warning("Database unavailable for %s: %s", request.path, exception)
        response = SimpleTemplateResponse("503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response.render()


def _reachable() -> bool:
    """Whether the database still answers; asked only after an error, so it costs nothing."""
    try:
        return connection.connection is not None and connection.is_usable()
    except Exception:
        return False
