"""Cached reads of the assurance record, forgotten by every write in assurance.actions."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from assurance.models import AssessmentYear

PUBLISHED_YEARS_KEY = "assurance:published-years"
# The same years as one short string: a cached page is checked against it on every hit, and
# unpickling a string costs nothing beside unpickling model instances.
PUBLISHED_REVISIONS_KEY = "assurance:published-revisions"


def published_years() -> list[AssessmentYear]:
    """Published years, oldest first, each carrying its revision (a cache key for its results).

    Every page asks for these; caching them spares the one query a cached page would otherwise
    make. With a per-process cache, other processes see a write after at most
    YEARS_CACHE_SECONDS; with a shared cache (REDIS_URL), at once.
    """
    years = cache.get(PUBLISHED_YEARS_KEY)
    if years is None:
        years = list(AssessmentYear.objects.published().order_by("start_year"))
        cache.set(PUBLISHED_YEARS_KEY, years, settings.YEARS_CACHE_SECONDS)
    return years


def revisions_of(years: list[AssessmentYear]) -> str:
    """Which years, as of which revision: '3-12.4-7'. Changes whenever any of their results do."""
    return ".".join(f"{year.pk}-{year.revision}" for year in years)


def remember_published_revisions(years: list[AssessmentYear]) -> str:
    revisions = revisions_of(years)
    cache.set(PUBLISHED_REVISIONS_KEY, revisions, settings.YEARS_CACHE_SECONDS)
    return revisions


def forget_published_years() -> None:
    transaction.on_commit(lambda: cache.delete_many([PUBLISHED_YEARS_KEY, PUBLISHED_REVISIONS_KEY]))
