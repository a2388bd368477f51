"""A lost database connection gives a retryable 503, not a 500."""

import pytest
from django.db import OperationalError

from leaguetable import queries


def test_a_lost_database_gives_503_with_retry_after(client, db, monkeypatch):
    def database_gone():
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(queries, "published_years", database_gone)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "briefly unavailable" in response.content.decode()


def test_other_errors_are_not_disguised_as_503(client, db, monkeypatch):
    def bug():
        raise ZeroDivisionError

    monkeypatch.setattr(queries, "published_years", bug)
    with pytest.raises(ZeroDivisionError):
        client.get("/")
