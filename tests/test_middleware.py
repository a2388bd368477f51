"""A lost database connection gives a retryable 503, not a 500."""

import contextlib

import pytest
from django.db import OperationalError, connection
from django.test import Client

from leaguetable import queries
from wcc import middleware


def test_a_lost_database_gives_503_with_retry_after(client, db, monkeypatch):
    def database_gone():
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(queries, "public_years", database_gone)
    monkeypatch.setattr(middleware, "_reachable", lambda: False)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "briefly unavailable" in response.content.decode()


def test_other_errors_are_not_disguised_as_503(client, db, monkeypatch):
    def bug():
        raise ZeroDivisionError

    monkeypatch.setattr(queries, "public_years", bug)
    with pytest.raises(ZeroDivisionError):
        client.get("/")


def test_a_database_error_while_the_database_answers_is_a_bug_not_an_outage(
    client, db, monkeypatch
):
    def missing_column():
        raise OperationalError("no such column: assurance_assessmentyear.published_by_id")

    monkeypatch.setattr(queries, "public_years", missing_column)
    with pytest.raises(OperationalError):
        client.get("/")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/methodology/", "/assurance/", "/flags/"])
def test_pages_for_a_signed_in_user_are_private(client, flag_world, url):
    client.force_login(flag_world.users["admin"])
    response = client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_pages_for_anonymous_readers_are_not_marked_private(client, flag_world):
    assert "private" not in client.get("/").get("Cache-Control", "")


@contextlib.contextmanager
def database_gone(monkeypatch):
    """Every query fails as PostgreSQL's do while it is down, and a probe finds it down."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(middleware, "_reachable", lambda: False)
    with connection.execute_wrapper(refuse):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["analyst", "admin"])
@pytest.mark.parametrize("url", ["/", "/pct/5C4/", "/groups/", "/assurance/", "/flags/"])
def test_a_signed_in_user_gets_503_while_the_database_is_down(
    flag_world, role, url, caplog, monkeypatch
):
    # As in production: an error outside a view becomes a response, not an exception.
    client = Client(raise_request_exception=False)
    client.force_login(flag_world.users[role])
    with database_gone(monkeypatch):
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "briefly unavailable" in response.content.decode()
    assert not [record for record in caplog.records if record.exc_info]
