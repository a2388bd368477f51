"""Cached reads of the assurance record, forgotten by every write in assurance.actions."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from assurance.models import AssessmentYear

APPROVED_YEARS_KEY = "assurance:approved-years"
# The public years' revisions as one short string, with the moment the next embargo lifts: a
# cached page is checked against it on every hit, and unpickling a string costs nothing beside
# unpickling model instances.
PUBLIC_REVISIONS_KEY = "assurance:public-revisions"


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
    years = cache.get(APPROVED_YEARS_KEY)
    if years is None:
        years = list(
            AssessmentYear.objects.filter(status=AssessmentYear.Status.PUBLISHED).order_by(
                "start_year"
            )
        )
        cache.set(APPROVED_YEARS_KEY, years, settings.YEARS_CACHE_SECONDS)
    return years


def revisions_of(years: list[AssessmentYear]) -> str:
    """Which years, as of which revision: '3-12.4-7'. Changes whenever any of their results do."""
    return ".".join(f"{year.pk}-{year.revision}" for year in years)


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
        PUBLIC_REVISIONS_KEY, (revisions, min(lifts, default=None)), settings.YEARS_CACHE_SECONDS
    )
    return revisions


def forget_approved_years() -> None:
    transaction.on_commit(lambda: cache.delete_many([APPROVED_YEARS_KEY, PUBLIC_REVISIONS_KEY]))
