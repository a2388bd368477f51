"""Failed-login throttling: after LOGIN_FAILURE_LIMIT failures, a lockout of LOGIN_LOCKOUT_SECONDS.

Why not django-axes: its newest release (8.3.1) declares support up to Django 6.0, not the 6.1
this project runs, and it would put a backend, middleware and three tables in the login path for
what is here a counter in the cache. This backend wraps Django's own, so the site's login page
and the admin's are throttled alike.

Failures are counted per (username, address) pair, so nobody can lock a colleague out from
elsewhere, and per address across usernames (a higher limit), so one address cannot try many
names. Never per username alone: then anyone could lock anyone out. Behind a TLS proxy the
address is the one the proxy forwards (TRUSTED_PROXIES, accounts/addresses.py); otherwise every
reader would share the proxy's address and one attacker could lock out everybody.

Counters live in their own cache, CACHES["logins"], so pages filling the page cache never evict
them and reset the throttle. With a per-process cache each process counts on its own, so use a
shared cache (Redis) where several processes serve logins.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import caches
from django.core.exceptions import PermissionDenied

from accounts.addresses import client_address

log = logging.getLogger(__name__)

# One address may fail this many times the per-user limit before it is locked out entirely.
ADDRESS_FACTOR = 4


def _counters():
    return caches["logins"]


def _address(request) -> str:
    return client_address(request) if request is not None else "none"


def _keys(request, username: str) -> tuple[str, str]:
    address = _address(request)
    pair = hashlib.sha256(f"{username.casefold()}|{address}".encode()).hexdigest()
    return f"login-failures:pair:{pair}", f"login-failures:address:{address}"


def is_locked_out(request, username: str) -> bool:
    pair_key, address_key = _keys(request, username or "")
    limit = settings.LOGIN_FAILURE_LIMIT
    failures = _counters().get_many([pair_key, address_key])
    locked_out = failures.get(pair_key, 0) >= limit or failures.get(address_key, 0) >= (
        limit * ADDRESS_FACTOR
    )
    if locked_out:
        log.warning(
            "Login refused: too many failed attempts",
            extra={"username": username, "address": _address(request)},
        )
    return locked_out


def _count_failure(key: str) -> None:
    # add() starts the lockout window at the first failure; incr() keeps its expiry.
    counters = _counters()
    if not counters.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
        try:
            counters.incr(key)
        except ValueError:  # expired between add() and incr()
            counters.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def count_failure(request, username: str) -> None:
    """A wrong password or two-factor code (accounts/two_factor.py) for `username`."""
    for key in _keys(request, username):
        _count_failure(key)


def forget_failures(request, username: str) -> None:
    _counters().delete(_keys(request, username)[0])


def record_failure(sender, credentials, request=None, **kwargs):
    count_failure(request, credentials.get("username", ""))


def forget_failures_on_login(sender, request, user, **kwargs):
    forget_failures(request, user.get_username())


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend, refusing every attempt while its user and address are locked out."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if is_locked_out(request, username or ""):
            # PermissionDenied stops Django trying other backends; the attempt counts as failed.
            raise PermissionDenied("Too many failed login attempts.")
        return super().authenticate(request, username=username, password=password, **kwargs)
