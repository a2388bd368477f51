"""The cache's key scheme, and the cached reads of the assurance record.

Every value computed from the record is cached under key(what, *years): what it is, each year's
id and revision (which every write moves: assurance.revisions), the release, and this database's
identity (a random name `migrate` and `restore` give it), so a key never names a stale value and
no database ever reads another's values. docs/caching.md says how to add a cached value.
"""

import pickle
import secrets
import zlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from assurance.models import AssessmentYear, CacheIdentity

# The public years' revisions as one short string, with the moment the next embargo lifts: a
# cached page is checked against it on every hit, and unpickling a string costs nothing beside
# unpickling model instances.
PUBLIC_REVISIONS = "assurance:public-revisions"
APPROVED_YEARS = "assurance:approved-years"

_identity: list[str] = []  # read once per process: restore calls forget_identity


def identity(*, database: bool = True) -> str | None:
    """This database's name in every key; None if not read yet and `database` is False (the
    page cache's middleware answers before the database is asked anything)."""
    if not _identity and database:
        row, _ = CacheIdentity.objects.get_or_create(pk=1, defaults={"value": secrets.token_hex(8)})
        _identity.append(row.value)
    return _identity[0] if _identity else None


def rename_database() -> None:
    """Give this database a new identity (restore): nothing cached before is read again."""
    CacheIdentity.objects.update_or_create(pk=1, defaults={"value": secrets.token_hex(8)})
    forget_identity()


def forget_identity() -> None:
    _identity.clear()


def key(what: str, *years: AssessmentYear | None, database: bool = True) -> str | None:
    """The cache key of `what` computed from `years` as of their revisions (None: no year)."""
    name = identity(database=database)
    if name is None:
        return None
    return f"{name}:{settings.RELEASE}:{what}:{revisions_of(years)}"


def cached(what: str, years, build: Callable[[], object], *, shared: bool = True):
    """`build()`'s value for `what`, computed from `years` (AssessmentYears, or None for none) as
    of their revisions: kept in this process and, when `shared`, in the cache every process reads
    (pickled and compressed), so a restarted worker reads it rather than building it again.

    `build` must read nothing but `years`' results and the reference data (every write to them
    moves the revisions), and `what` must name everything else its value depends on.
    """
    _let_go_of_older(years)
    name = key(what, *years)
    if name in _memo:
        return _memo[name]
    value = _read(name) if shared else _MISSING
    if value is _MISSING:
        value = build()
        if shared:
            packed = zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)
            cache.set(name, packed, settings.RANKINGS_CACHE_SECONDS)
    if len(_memo) >= MEMO_SIZE:
        _memo.clear()  # every key holds its revisions: what is let go is only built or read again
    _memo[name] = value
    return value


def forget_memo() -> None:
    """Empty this process's memo: a restarted worker, for tests and benchmarks."""
    _memo.clear()
    _newest.clear()


# Years x methods x what a page derives from them, with room to spare.
MEMO_SIZE = 64
_MISSING = object()
_memo: dict[str, object] = {}
_newest: dict[int, int] = {}  # year id -> the newest revision this process has seen


def _read(name: str):
    stored = cache.get(name)
    if stored is None:
        return _MISSING
    try:
        return pickle.loads(zlib.decompress(stored))
    except Exception:  # damaged, or pickled by other code: built again, never served
        return _MISSING


def _let_go_of_older(years) -> None:
    """A year seen at a newer revision: what was kept for older ones is never asked for again
    (at 15,000 PCTs, 30 MB a year), so everything kept goes; unchanged years are read again."""
    for year in years:
        if year is None:
            continue
        newest = _newest.get(year.pk)
        if newest is not None and year.revision > newest:
            _memo.clear()
        if newest is None or year.revision > newest:
            _newest[year.pk] = year.revision


def public_years() -> list[AssessmentYear]:
    """Public years, oldest first, each carrying its revision (a cache key for its results).

    Every page asks for these; caching them spares the one query a cached page would otherwise
    make. What is cached is every approved year, embargoed ones included, and the rule
    (AssessmentYear.is_public) is asked on every read: an embargo lifts at its moment in every
    process, whatever the cache holds. With a per-process cache, other processes see a write
    after at most YEARS_CACHE_SECONDS; with a shared cache (REDIS_URL), at once.
    """
    now = timezone.now()
    return [year for year in _approved_years() if year.is_public(at=now)]


def _approved_years() -> list[AssessmentYear]:
    years = cache.get(key(APPROVED_YEARS))
    if years is None:
        years = list(
            AssessmentYear.objects.filter(status=AssessmentYear.Status.PUBLISHED).order_by(
                "start_year"
            )
        )
        cache.set(key(APPROVED_YEARS), years, settings.YEARS_CACHE_SECONDS)
    return years


def revisions_of(years) -> str:
    """Which years, as of which revision: '3-12.4-7'. Changes whenever any of their results do."""
    return ".".join("none" if year is None else f"{year.pk}-{year.revision}" for year in years)


def public_revisions(cached) -> str | None:
    """The revisions remembered under PUBLIC_REVISIONS_KEY, or None if there are none or an
    embargo has lifted since (the set of public years has changed)."""
    if cached is None:
        return None
    revisions, next_lift = cached
    return revisions if next_lift is None or timezone.now().timestamp() < next_lift else None


def remember_public_revisions() -> str:
    now = timezone.now()
    approved = _approved_years()
    lifts = [y.public_from.timestamp() for y in approved if not y.is_public(at=now)]
    revisions = revisions_of([y for y in approved if y.is_public(at=now)])
    cache.set(
        key(PUBLIC_REVISIONS), (revisions, min(lifts, default=None)), settings.YEARS_CACHE_SECONDS
    )
    return revisions


def forget_approved_years(**kwargs) -> None:
    """Once the transaction commits: the years (their statuses, revisions) have changed."""
    transaction.on_commit(lambda: cache.delete_many([key(APPROVED_YEARS), key(PUBLIC_REVISIONS)]))
