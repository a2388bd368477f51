"""The shared cache: pages for anonymous readers, their invalidation, and the login counters.

The SQLite half of CI runs these against the in-process cache, the PostgreSQL half against the
local Redis (REDIS_URL, a database number per xdist worker): production's path.
"""

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from accounts import logins, roles
from leaguetable.computed import forget_ranked_rows
from tests.accounts.test_accounts import log_in
from tests.factories import make_user
from tests.pages import table_rows

pytestmark = pytest.mark.django_db


def another_process_cache(alias="default"):
    """A cache client of its own, as another gunicorn worker or host would have."""
    return caches.create_connection(alias)


def test_the_cache_is_redis_exactly_when_redis_url_names_one(settings):
    cache = caches["default"]
    if not settings.REDIS_URL:
        assert isinstance(cache, LocMemCache)
        return
    assert isinstance(cache, RedisCache)
    cache.set("probe", "written through Django")
    server = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    assert server.exists(cache.make_key("probe")) == 1


def test_a_readers_page_is_served_from_the_shared_cache_without_a_query(
    client, flag_world, django_assert_num_queries
):
    first = client.get("/")
    forget_ranked_rows()  # nothing left in this process: the page must come from the cache
    with django_assert_num_queries(0):
        again = client.get("/")
    assert again.content == first.content
    assert any(row["code"] == "5K5" for row in table_rows(again))


def test_a_correction_is_on_the_next_page_every_process_serves(
    client, flag_world, django_capture_on_commit_callbacks
):
    def total_of_5k5():
        rows = table_rows(client.get("/?q=5K5"))
        return [row["Total"] for row in rows]

    assert total_of_5k5() == ["6"]
    with django_capture_on_commit_callbacks(execute=True):
        flag_world.correct_5k5()
    forget_ranked_rows()
    assert total_of_5k5() == ["2"]


def test_failed_logins_are_counted_where_every_process_reads_them(client, db, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    make_user("ada", roles.ADMIN)
    for _ in range(3):
        log_in(client, "ada", "wrong", address="10.0.0.1")
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.1")
    pair_key, address_key = logins._keys(request, "ada")
    elsewhere = another_process_cache("logins")
    assert (elsewhere.get(pair_key), elsewhere.get(address_key)) == (3, 3)
    assert logins.is_locked_out(request, "ada")
    assert "Too many failed attempts" in log_in(client, "ada").content.decode()
    # The same user from another address is not locked out by these failures.
    other = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.2")
    assert not logins.is_locked_out(other, "ada")


def cache_keys() -> list[str]:
    """Every key in the default cache as the backend stores it (Django's prefix and version
    first), whichever cache holds them."""
    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        return list(cache._cache)
    server = redis.Redis.from_url(django_settings.CACHES["default"]["LOCATION"])
    return [key.decode() for key in server.keys("*")]


def page_keys() -> list[str]:
    """The keys of the cached pages."""
    return [key for key in cache_keys() if ":page:" in key]


def test_parameters_a_page_does_not_read_share_its_one_cached_copy(
    client, flag_world, django_assert_num_queries
):
    first = client.get("/?q=5K5&junk=1")
    forget_ranked_rows()  # a second copy would have to rank again, so would run queries
    with django_assert_num_queries(0):
        again = client.get("/?junk=2&utm_source=mail&q=+5K5+&method=nonsense")
    assert again.content == first.content
    assert "junk" not in first.content.decode()
    assert [row["code"] for row in table_rows(again)] == ["5K5"]
    assert len(page_keys()) == 1


def test_a_chart_page_is_cached_once_whatever_else_the_query_holds(client, flag_world):
    for junk in range(5):
        client.get(f"/overview/?method=competency&sort=pct&junk={junk}")
    client.get("/overview/?junk=x&method=competency")
    assert len(page_keys()) == 1


@pytest.mark.parametrize(
    ("junk", "status"),
    [
        ("/?page=999", 200),
        ("/?page=abc", 200),
        ("/?sort=nonsense", 200),
        ("/?per_page=x", 404),  # a page size that is not a whole number from 1: no such page
        ("/?band=9", 200),
        ("/?clearly=sideways", 200),
        ("/?sha=ZZZ", 200),
    ],
)
def test_a_value_the_page_reads_as_another_stores_no_page(client, flag_world, junk, status):
    """`/?page=999` shows the last page: served, but not stored as another copy of it."""
    assert client.get(junk).status_code == status
    assert page_keys() == []
    client.get("/")
    assert len(page_keys()) == 1


def test_each_valid_value_a_page_reads_stores_its_page(client, flag_world):
    for query in ("/", "/?sort=-total", "/?band=1", "/?clearly=top", "/?page=1"):
        client.get(query)
    assert len(page_keys()) == 5


def test_login_counters_are_kept_apart_from_the_pages(client, db, settings):
    """Pages pushing login counters out of the page cache would reset the throttle."""
    settings.LOGIN_FAILURE_LIMIT = 3
    make_user("ada", roles.ADMIN)
    for _ in range(2):
        log_in(client, "ada", "wrong", address="10.0.0.1")
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.1")
    pair_key, _ = logins._keys(request, "ada")
    assert caches["logins"].get(pair_key) == 2
    assert caches["default"].get(pair_key) is None
