"""Logging as one JSON object a line on stderr, each carrying the request it happened in."""

import contextvars
import datetime
import json
import logging
import sys

# Set by wcc.middleware.RequestLogMiddleware for the length of a request.
current_request = contextvars.ContextVar("current_request", default=None)

# LogRecord attributes every record has; anything else was passed as `extra` and is kept.
STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record is emitted, not when logging was set up."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


class JSONFormatter(logging.Formatter):
    """time, level, logger, message, the request's id, user and path, extras, any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_request_fields(),
        }
        for name, value in vars(record).items():
            if name not in STANDARD_ATTRIBUTES and name != "request":
                line[name] = value
        if "status_code" in line:  # Django's django.request records call it that
            line["status"] = line.pop("status_code")
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def _request_fields() -> dict:
    request = current_request.get()
    if request is None:
        return {}
    return {
        "request_id": request.request_id,
        "user_id": user_id(request),
        "method": request.method,
        "path": request.path,
    }


def user_id(request):
    """The signed-in user's id if the request has already looked them up, else None.

    Only when already looked up: asking now would cost a query on pages whose query count is
    pinned, and a line logged before authentication has no user anyway.
    """
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)  # request.user is a lazy object until first used
    return getattr(wrapped, "pk", None) if getattr(wrapped, "is_authenticated", False) else None
