"""The log: one JSON object a line on stderr, with the request's id, user, path and status."""

import json
import logging

import pytest
from django.test import Client

from accounts import roles
from leaguetable import queries

pytestmark = pytest.mark.django_db


def log_lines(capsys) -> list[dict]:
    """Every line written to stderr, each parsed as the JSON object it must be."""
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]


def test_every_request_gets_an_id_and_one_log_line(client, capsys):
    response = client.get("/methodology/")
    another = client.get("/methodology/")
    assert response["X-Request-ID"] != another["X-Request-ID"]
    (line, _) = [line for line in log_lines(capsys) if line["logger"] == "wcc.requests"]
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/methodology/", 200)
    assert line["user_id"] is None and line["level"] == "INFO"


def test_a_logged_in_users_requests_carry_their_user_id(client, capsys, users):
    client.force_login(users[roles.ADMIN])
    client.get("/assurance/")
    (line,) = [line for line in log_lines(capsys) if line["logger"] == "wcc.requests"]
    assert line["user_id"] == users[roles.ADMIN].pk


def test_a_500_is_logged_with_its_traceback_and_request_id(monkeypatch, capsys):
    def bug():
        raise ZeroDivisionError("the bug")

    monkeypatch.setattr(queries, "public_years", bug)
    response = Client(raise_request_exception=False).get("/?q=5C4")
    assert response.status_code == 500
    lines = log_lines(capsys)
    (error,) = [line for line in lines if line["logger"] == "django.request"]
    assert error["level"] == "ERROR" and error["status"] == 500 and error["path"] == "/"
    assert error["request_id"] == response["X-Request-ID"]
    assert error["exception"].startswith("Traceback (most recent call last)")
    assert "ZeroDivisionError: the bug" in error["exception"]
    (request,) = [line for line in lines if line["logger"] == "wcc.requests"]
    assert request["status"] == 500 and request["request_id"] == response["X-Request-ID"]


def test_a_log_line_outside_a_request_has_no_request_fields(capsys):
    logging.getLogger("assurance").warning("from a command")
    (line,) = log_lines(capsys)
    assert line["message"] == "from a command" and "request_id" not in line
