"""What one process works out from the published results and every other process reads.

Rankings are shared by every process through the cache, so a worker that starts, or the first
request after a write, reads them instead of ranking 15,000 PCTs again: built once per
revision, not once per worker. Every key holds the revisions its value depends on (the callers
put them in), so a stored value is never stale. Keys also hold the release (settings.RELEASE),
so a new release never reads an old release's pickled classes; SHARED_FORMAT says the same
where a release is set by hand (WCC_RELEASE) and what is stored changes shape.
"""

import contextlib
import gc
import pickle
import zlib
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.core.cache import cache

# 4: a Standing keeps its rank interval; 3: ranked rows stored in chunks (SharedRows); 2:
# leaguetable.pickled's state, every field.
SHARED_FORMAT = 4

# A page of the league table is 200 rows (leaguetable.views.common.ROWS_PER_PAGE): the first page
# a restarted worker serves reads one chunk.
ROWS_PER_CHUNK = 200


def read_or_build(key: str, build: Callable[[], object]):
    """`build()`'s value, from the shared cache when another process has built it already.

    Pickled and compressed (the rows of 15,000 PCTs shrink about tenfold). A damaged or foreign
    value is built again, never served.
    """
    stored = cache.get(_cache_key(key))
    if stored is not None:
        try:
            with collector_paused():
                return _unpacked(stored)
        except Exception:
            pass
    value = build()
    cache.set(_cache_key(key), _packed(value), settings.RANKINGS_CACHE_SECONDS)
    return value


class SharedRows(Sequence):
    """A year's ranked rows as every process shares them: their number, and the rows in chunks
    of ROWS_PER_CHUNK, each read from the cache the first time one of its rows is asked for.

    A restarted worker's first league page shows 200 rows of 15,000, so it reads one chunk
    rather than unpickling every row (0.2 s, and 120,000 fresh objects for the garbage collector
    to walk). Filtering, searching, sorting and the other pages read them all, once (`all()`).
    A row read once is kept as long as this object, so it is the same object however it was
    reached: ranked_table keys each row's rendered HTML by its id().
    """

    def __init__(self, key: str, count: int, build: Callable[[], list]):
        self.key = key
        self._count = count
        self._build = build
        self._chunks: list[list | None] = [None] * -(-count // ROWS_PER_CHUNK)
        self._all: list | None = None
        self._derived: dict[str, object] = {}

    @classmethod
    def read_or_build(cls, key: str, build: Callable[[], list]) -> "SharedRows":
        """The rows stored under `key`, read as they are asked for; or `build()`'s rows, stored
        for every other process."""
        count = cache.get(_cache_key(key))
        if isinstance(count, int):
            return cls(key, count, build)
        rows = build()
        stored = cls(key, len(rows), build)
        stored._chunks = _chunked(rows)
        stored._all = rows
        stored._store(range(len(stored._chunks)))
        # The count last: a process that finds it finds the chunks (unless since evicted).
        cache.set(_cache_key(key), len(rows), settings.RANKINGS_CACHE_SECONDS)
        return stored

    def derived(self, name: str, build: Callable[[], object]):
        """What is worked out from these rows alone (the headline figures, the names list, one
        SHA's rows), shared under their key, so a restarted worker reads it without reading the
        rows; then kept with them in this process."""
        if name not in self._derived:
            self._derived[name] = read_or_build(f"{self.key}:{name}", build)
        return self._derived[name]

    def all(self) -> list:
        if self._all is None:
            self._read(range(len(self._chunks)))
            self._all = [row for chunk in self._chunks for row in chunk]
        return self._all

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        return iter(self.all())

    def __getitem__(self, index):
        if self._all is not None:
            return self._all[index]
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step != 1:
                return self.all()[index]
            if start >= stop:
                return []
            first, last = start // ROWS_PER_CHUNK, (stop - 1) // ROWS_PER_CHUNK
            self._read(range(first, last + 1))
            rows = [row for chunk in self._chunks[first : last + 1] for row in chunk]
            offset = first * ROWS_PER_CHUNK
            return rows[start - offset : stop - offset]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("ranked row index out of range")
        chunk = index // ROWS_PER_CHUNK
        self._read([chunk])
        return self._chunks[chunk][index % ROWS_PER_CHUNK]

    def _chunk_key(self, chunk: int) -> str:
        return _cache_key(f"{self.key}:{chunk}")

    def _read(self, chunks: Iterable[int]) -> None:
        wanted = [chunk for chunk in chunks if self._chunks[chunk] is None]
        if not wanted:
            return
        found = cache.get_many([self._chunk_key(chunk) for chunk in wanted])
        with collector_paused():
            for chunk in wanted:
                with contextlib.suppress(Exception):  # damaged or foreign: ranked again below
                    rows = _unpacked(found[self._chunk_key(chunk)])
                    if isinstance(rows, list):
                        self._chunks[chunk] = rows
        lost = [chunk for chunk in wanted if self._chunks[chunk] is None]
        if lost:
            # Evicted or damaged: ranked again, and only the lost chunks taken from the new rows,
            # so rows already handed out stay the ones kept. The same revisions rank the same
            # rows in the same order (ranking.rank breaks every tie by code).
            ranked = _chunked(self._build())
            for chunk in lost:
                self._chunks[chunk] = ranked[chunk]
            self._store(lost)

    def _store(self, chunks: Iterable[int]) -> None:
        cache.set_many(
            {self._chunk_key(chunk): _packed(self._chunks[chunk]) for chunk in chunks},
            settings.RANKINGS_CACHE_SECONDS,
        )


def _chunked(rows: list) -> list[list]:
    return [rows[start : start + ROWS_PER_CHUNK] for start in range(0, len(rows), ROWS_PER_CHUNK)]


def _cache_key(key: str) -> str:
    return f"rankings:v{SHARED_FORMAT}:{settings.RELEASE}:{key}"


def _packed(value) -> bytes:
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _unpacked(data: bytes):
    return pickle.loads(zlib.decompress(data))


@contextlib.contextmanager
def collector_paused():
    """The cyclic garbage collector off while unpickling: the rows of 15,000 PCTs are some
    120,000 objects, and every few hundred allocated would start a collection (measured: about
    half of a restarted worker's first request). Unpickling makes no cycles for it to find."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
