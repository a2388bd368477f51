"""Test settings: the one settings file, with test-safe defaults for what it requires."""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
# The test client speaks plain HTTP and nothing runs collectstatic before the suite.
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")

from wcc.settings import *  # noqa: F403

# Hashing passwords slowly protects real accounts; tests only need them to round-trip.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _worker_redis_url(url: str, worker: str) -> str:
    """REDIS_URL's database number plus the xdist worker's index (gw0 +0, gw1 +1, …).

    Every test empties the cache, and emptying a Redis cache empties its whole database: workers
    sharing one would wipe each other's pages and login counters mid-test.
    """
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw") or 0)
    return urlunsplit(parts._replace(path=f"/{number}"))


if REDIS_URL:  # noqa: F405
    CACHES["default"]["LOCATION"] = _worker_redis_url(  # noqa: F405
        REDIS_URL,  # noqa: F405
        os.environ.get("PYTEST_XDIST_WORKER", ""),
    )
    # The login counters share the worker's database, under their own key prefix.
    CACHES["logins"]["LOCATION"] = CACHES["default"]["LOCATION"]  # noqa: F405

# Tasks run at once, in the test, so a test sees their work (tests/test_tasks.py queues them in
# the database where that is the point).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Rendering every public page after each publication would slow every test that publishes; the
# warming's own tests turn it on.
WARM_PAGE_CACHE = False
# Two-factor sign-in is on for admins in production; the tests that need it turn it on, so
# every other test can log an admin in with force_login (tests/accounts/test_two_factor.py).
ADMIN_2FA_REQUIRED = False
