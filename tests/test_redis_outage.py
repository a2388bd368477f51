"""Redis gone: the site serves on, uncached, with logins throttled per process; one warning per
interval; /healthz says what is degraded. Redis is "gone" by naming a port nobody listens on."""

import logging
import socket

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError

from accounts import logins
from tests.accounts.test_accounts import log_in
from tests.pages import table_rows
from wcc import cache as wcc_cache

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again on leaving: connections are refused


@pytest.fixture
def redis_gone(settings):
    location = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {
        "default": {"BACKEND": "wcc.cache.RedisCache", "LOCATION": location},
        "logins": {
            "BACKEND": "wcc.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "logins",
            "OPTIONS": {"WHEN_UNREACHABLE": "local"},
        },
    }
    return location


@pytest.mark.parametrize(
    "path",
    ["/", "/league/2009-10/", "/pct/5K5/", "/sha/Q36/", "/overview/", "/?_export=csv"],
)
def test_pages_and_downloads_are_served_uncached_while_redis_is_gone(
    client, flag_world, redis_gone, path
):
    for _ in range(2):  # the first finds Redis gone, the second does not ask it
        response = client.get(path)
        assert response.status_code == 200
    if path == "/":
        assert any(row["code"] == "5K5" for row in table_rows(response))
    assert caches["default"].degraded


def test_a_reader_signs_in_while_redis_is_gone(client, users, redis_gone):
    assert log_in(client, "ann").status_code == 302
    assert client.get("/groups/").status_code == 200


def test_the_login_throttle_keeps_counting_in_the_process_while_redis_is_gone(
    client, users, redis_gone, settings
):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        log_in(client, "ada", "wrong")
    response = log_in(client, "ada")
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert logins.is_locked_out(response.wsgi_request, "ada")


def test_an_outage_is_one_warning_however_many_requests_meet_it(
    client, flag_world, redis_gone, caplog, monkeypatch
):
    monkeypatch.setattr(wcc_cache, "RETRY_SECONDS", 0.0)  # every request tries Redis again
    with caplog.at_level(logging.WARNING, logger="wcc.cache"):
        for _ in range(5):
            assert client.get("/pct/5K5/").status_code == 200
    warnings = [r for r in caplog.records if r.name == "wcc.cache"]
    # One for the pages' cache; the login counters' cache is not asked by a page.
    assert len(warnings) == 1
    assert "unreachable" in warnings[0].getMessage()


def test_healthz_says_which_caches_are_degraded_and_still_answers_200(client, redis_gone):
    response = client.get("/healthz")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0] == "ok"
    assert "degraded: cache 'default' unreachable, pages and downloads are served uncached" in lines
    assert any(line.startswith("degraded: cache 'logins' unreachable") for line in lines)


def test_healthz_is_plain_ok_when_every_cache_answers(client, db):
    assert client.get("/healthz").content == b"ok"


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs a Redis (the PostgreSQL half)")
def test_after_an_outage_that_lost_a_write_the_cache_forgets_what_it_held(monkeypatch):
    pages, counters = caches["default"], caches["logins"]
    pages.set("page", "stored before a correction")
    counters.set("failures", 2)

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    # The correction's invalidation cannot reach Redis; then Redis is back.
    monkeypatch.setattr(RedisCacheClient, "delete", unreachable)
    pages.delete("page")
    assert pages.degraded
    monkeypatch.undo()
    pages.breaker.open_until = 0.0  # the retry time has passed: the next call asks Redis
    assert pages.get("page") is None  # asked, after forgetting every key it held
    assert not pages.degraded
    assert counters.get("failures") == 2  # another cache's keys are not its to forget
