"""Django's Redis cache backend, keeping one redis-py client per connection pool, and serving on
while Redis cannot be reached.

Django builds a new `redis.Redis` for every cache call; building one registers some 170
response callbacks, which cost more CPU than a cached page's whole round trip. A client over a
pool is thread-safe and the pool is fork-aware, so one client per pool serves every request.

A cache is an optimisation: when Redis stops answering, every call answers as a miss (pages and
downloads are rendered afresh, nothing is stored) or, for the login counters
(WHEN_UNREACHABLE="local"), goes to this process's memory, so the throttle keeps counting. A
failed call opens a circuit for RETRY_SECONDS, in which no call waits on Redis at all; the
timeouts bound the one call that finds it gone. Writes the cache could not make include
invalidations (a correction deleting the published years' revisions), so after an outage in
which it lost a write, the cache forgets every key it holds before it is used again: no page
stored before a correction is served after it.
"""

import itertools
import logging
import threading
import time

from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

# A Redis on the same network answers in well under a millisecond; these bound the one call
# that finds it gone (a refused connection fails at once; a host that went silent does not).
CONNECT_TIMEOUT_SECONDS = 0.25
SOCKET_TIMEOUT_SECONDS = 1.0
# How long the cache is left alone after a failure before one call tries Redis again.
RETRY_SECONDS = 5.0
# At most one warning per cache and process in this long: an outage is one line, not a flood.
WARNING_SECONDS = 60.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class ReusedClientRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]


class RedisCache(django_redis.RedisCache):
    """OPTIONS: WHEN_UNREACHABLE "miss" (the default) or "local"; the rest go to redis-py."""

    def __init__(self, server, params):
        options = {
            "socket_connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "socket_timeout": SOCKET_TIMEOUT_SECONDS,
            **params.get("OPTIONS", {}),
        }
        keeps_counting = options.pop("WHEN_UNREACHABLE", "miss") == "local"
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        self.breaker = Breaker(f"{server} (key prefix {self.key_prefix!r})")
        self.local = (
            LocMemCache(f"wcc-unreachable-{id(self)}", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
            if keeps_counting
            else None
        )
        self._lost_writes = False

    @property
    def degraded(self) -> bool:
        """Whether the last call found Redis unreachable and it has not answered since."""
        return self.breaker.is_open()

    def ping(self) -> bool:
        """Whether Redis answers now (through the circuit: no wait while it is open)."""
        return self._guarded(lambda: self._cache.get_client().ping(), "ping", (), False)

    def get(self, key, default=None, version=None):
        return self._guarded(super().get, "get", (key, default, version), default)

    def get_many(self, keys, version=None):
        return self._guarded(super().get_many, "get_many", (keys, version), {})

    def has_key(self, key, version=None):
        return self._guarded(super().has_key, "has_key", (key, version), False)

    def set(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        arguments = (key, value, timeout, version)
        return self._guarded(super().set, "set", arguments, None, write=True)

    def add(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        arguments = (key, value, timeout, version)
        return self._guarded(super().add, "add", arguments, False, write=True)

    def set_many(self, data, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        arguments = (data, timeout, version)
        return self._guarded(super().set_many, "set_many", arguments, [], write=True)

    def touch(self, key, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().touch, "touch", (key, timeout, version), False, write=True)

    def incr(self, key, delta=1, version=None):
        return self._guarded(super().incr, "incr", (key, delta, version), _MISSING, write=True)

    def delete(self, key, version=None):
        return self._guarded(super().delete, "delete", (key, version), False, write=True)

    def delete_many(self, keys, version=None):
        return self._guarded(super().delete_many, "delete_many", (keys, version), None, write=True)

    def clear(self):
        return self._guarded(super().clear, "clear", (), None, write=True)

    def _guarded(self, call, name: str, arguments: tuple, miss, *, write: bool = False):
        if not self.breaker.is_open():
            try:
                if self._lost_writes:
                    self._forget_everything()
                return call(*arguments)
            except UNREACHABLE as error:
                self.breaker.trip(error)
        return self._unreachable(name, arguments, miss, write=write)

    def _unreachable(self, name: str, arguments: tuple, miss, *, write: bool):
        if self.local is not None and name != "ping":
            return getattr(self.local, name)(*arguments)
        if write:
            self._lost_writes = True
        if miss is _MISSING:  # incr of a key Redis cannot be asked about: as if it were absent
            raise ValueError(f"Key {arguments[0]!r} not found: the cache is unreachable.")
        return miss

    def _forget_everything(self) -> None:
        """Deletes every key under this cache's prefix: one of them may be an invalidation lost
        in the outage. Keys of another prefix (the login counters') are left alone."""
        client = self._cache.get_client(write=True)
        prefix = self.key_prefix.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")
        keys = client.scan_iter(match=f"{prefix}:*", count=1000)
        for batch in iter(lambda: list(itertools.islice(keys, 1000)), []):
            client.delete(*batch)
        self._lost_writes = False
        log.warning("Redis cache %s is back: forgot what it held before the outage", self.breaker)


_MISSING = object()


class Breaker:
    """Open for RETRY_SECONDS after a failure; one warning per WARNING_SECONDS."""

    def __init__(self, name: str):
        self.name = name
        self.open_until = 0.0
        self.warned_at = -WARNING_SECONDS
        self.lock = threading.Lock()

    def __str__(self) -> str:
        return self.name

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, error: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            self.open_until = now + RETRY_SECONDS
            if now - self.warned_at < WARNING_SECONDS:
                return
            self.warned_at = now
        log.warning(
            "Redis cache %s unreachable (%s): serving without it, trying again every %.0f s",
            self.name,
            error,
            RETRY_SECONDS,
        )
