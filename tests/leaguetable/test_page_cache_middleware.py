"""A cached page answered before the session loads (PageCacheMiddleware): the same answer the
view's decorator gives, for anonymous readers only, and only from a current stored page."""

import pytest
from django import conf
from django.core.cache import cache
from django.db import OperationalError

from assurance import cache as assurance_cache
from leaguetable import computed
from tests.pages import soup, table_rows
from tests.test_cache import page_keys
from wcc import middleware

pytestmark = pytest.mark.django_db

BROWSER = "gzip, deflate, br, zstd"


def went_past_the_page_cache(response) -> bool:
    """Whether the request reached SessionMiddleware (which gives every request it sees a
    session), so the session, CSRF and authentication layers ran."""
    return hasattr(response.wsgi_request, "session")


def with_a_stale_session_cookie(client):
    """A cookie for no session (signed out long ago): the request goes on to the decorator."""
    client.cookies[conf.settings.SESSION_COOKIE_NAME] = "signed-out-long-ago"


def headers(response) -> dict:
    """Every header but the request's own id."""
    return {name: value for name, value in response.items() if name != "X-Request-ID"}


def test_a_stored_page_is_answered_before_the_session_and_user_are_loaded(client, flag_world):
    miss = client.get("/")
    assert went_past_the_page_cache(miss)
    hit = client.get("/")
    assert hit.status_code == 200
    assert not went_past_the_page_cache(hit)
    assert not hasattr(hit.wsgi_request, "user")
    assert hit.content == miss.content


@pytest.mark.parametrize("accepts", ["", "gzip", BROWSER])
def test_a_hit_has_every_header_of_the_miss_before_it(client, flag_world, accepts):
    miss = client.get("/league/2009-10/", HTTP_ACCEPT_ENCODING=accepts)
    hit = client.get("/league/2009-10/", HTTP_ACCEPT_ENCODING=accepts)
    assert not went_past_the_page_cache(hit)
    assert headers(hit) == headers(miss)
    assert {"X-Frame-Options", "Content-Length", "Content-Security-Policy"} <= set(headers(hit))


@pytest.mark.parametrize("accepts", ["", BROWSER])
def test_a_hit_is_the_answer_the_view_gives_behind_the_session(client, flag_world, accepts):
    """A stale session cookie takes the request past the middleware to the decorator, which
    serves the same stored page."""
    client.get("/", HTTP_ACCEPT_ENCODING=accepts)
    early = client.get("/", HTTP_ACCEPT_ENCODING=accepts)
    with_a_stale_session_cookie(client)
    late = client.get("/", HTTP_ACCEPT_ENCODING=accepts)
    assert went_past_the_page_cache(late) and not went_past_the_page_cache(early)
    assert headers(late) == headers(early)
    assert late.content == early.content


@pytest.mark.parametrize("validator", ["ETag", "Last-Modified"])
def test_a_current_copy_is_answered_304_before_the_session_loads(client, flag_world, validator):
    first = client.get("/", HTTP_ACCEPT_ENCODING=BROWSER)
    header = {"ETag": "HTTP_IF_NONE_MATCH", "Last-Modified": "HTTP_IF_MODIFIED_SINCE"}[validator]
    again = client.get("/", HTTP_ACCEPT_ENCODING=BROWSER, **{header: first[validator]})
    assert again.status_code == 304
    assert not went_past_the_page_cache(again)
    with_a_stale_session_cookie(client)
    behind = client.get("/", HTTP_ACCEPT_ENCODING=BROWSER, **{header: first[validator]})
    assert behind.status_code == 304 and went_past_the_page_cache(behind)
    assert headers(again) == headers(behind)


def test_a_signed_in_reader_gets_their_own_page_not_the_stored_one(client, flag_world):
    anonymous = client.get("/")
    assert not soup(anonymous).select('select[name="flag"]')
    client.force_login(flag_world.users["admin"])
    signed_in = client.get("/", HTTP_IF_NONE_MATCH=anonymous["ETag"])
    assert signed_in.status_code == 200
    assert signed_in.wsgi_request.user.is_authenticated
    assert soup(signed_in).select('select[name="flag"]')
    assert "private" in signed_in["Cache-Control"]


def test_with_the_page_cache_off_every_request_goes_to_the_view(client, flag_world, settings):
    settings.LEAGUE_CACHE_SECONDS = 0
    client.get("/")
    again = client.get("/")
    assert again.status_code == 200 and went_past_the_page_cache(again)
    assert "ETag" not in again
    assert page_keys() == []


def test_a_page_stored_before_the_cache_was_turned_off_is_not_served(client, flag_world, settings):
    client.get("/")
    settings.LEAGUE_CACHE_SECONDS = 0
    again = client.get("/")
    assert went_past_the_page_cache(again)
    assert "ETag" not in again


@pytest.mark.parametrize(
    "url",
    [
        "/?group=a-saved-groups-token",  # what a group selects changes with no revision
        "/methodology/",  # not cached for readers
        "/accounts/login/",
    ],
)
def test_pages_not_cached_for_readers_go_past_it_every_time(client, flag_world, url):
    client.get(url)
    assert went_past_the_page_cache(client.get(url))


def test_parameters_the_page_does_not_read_are_answered_from_its_stored_copy(client, flag_world):
    client.get("/?q=5K5")
    hit = client.get("/?q=+5K5+&junk=1&method=nonsense")
    assert not went_past_the_page_cache(hit)
    assert [row["code"] for row in table_rows(hit)] == ["5K5"]


def test_head_is_still_refused_for_a_stored_page(client, flag_world):
    client.get("/")
    assert client.head("/").status_code == 405


@pytest.mark.parametrize("path", ["/league/2009-10", "/pct/5K5", "/methodology"])
def test_a_path_without_its_slash_is_still_redirected(client, flag_world, path):
    client.get(f"{path}/")
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == f"{path}/"


def test_a_page_whose_year_was_corrected_goes_to_the_view(
    client, flag_world, django_capture_on_commit_callbacks
):
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        flag_world.correct_5k5()
    computed.forget_ranked_rows()
    response = client.get("/")
    assert went_past_the_page_cache(response)
    assert [row["Total"] for row in table_rows(response) if row["code"] == "5K5"] == ["2"]
    assert not went_past_the_page_cache(client.get("/"))


def test_revisions_lost_from_the_cache_are_read_behind_the_database_guard(
    client, flag_world, monkeypatch
):
    """Reading them needs the database, whose outage is answered 503 further in."""
    client.get("/")
    cache.delete(assurance_cache.key(assurance_cache.PUBLIC_REVISIONS))

    def database_gone():
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(assurance_cache, "_approved_years", database_gone)
    monkeypatch.setattr(middleware, "_reachable", lambda: False)
    assert client.get("/").status_code == 503
    assert client.get("/", HTTP_IF_NONE_MATCH='W/"a-copy"').status_code == 503


@pytest.mark.parametrize("path", ["/", "/pct/5K5/"])
def test_a_host_not_allowed_is_refused_on_a_stored_page_too(client, flag_world, path):
    assert client.get(path).status_code == 200  # stored
    assert client.get(path, HTTP_HOST="evil.example").status_code == 400
