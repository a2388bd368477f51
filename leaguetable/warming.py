"""Warm the page cache after a publication or correction, so the first reader does not wait.

Each page is rendered through its view as an anonymous GET, so it lands in the page cache the
way a reader's request would put it there (leaguetable/views/caching.py decides keys and
format; nothing here depends on them). Pages with their default parameters only: the league
table of each published year, the overview, and every SHA's and PCT's page.
"""

import logging
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import resolve, reverse

from assurance.models import AssessmentYear
from leaguetable import queries
from wcc.tasks import retried_task

log = logging.getLogger(__name__)


def public_paths() -> list[str]:
    """Every page a reader is likely to open first, once per published year where it differs."""
    years = queries.published_years()
    if not years:
        return []
    codes = {
        (card.sha_code, card.pct_code) for year in years for card in queries.year_scorecards(year)
    }
    return [
        reverse("leaguetable:latest"),
        *(reverse("leaguetable:league", args=[year.slug]) for year in years),
        reverse("leaguetable:overview"),
        *(reverse("leaguetable:sha", args=[sha]) for sha in sorted({sha for sha, _ in codes})),
        *(reverse("leaguetable:pct", args=[pct]) for pct in sorted({pct for _, pct in codes})),
    ]


def warm(paths: list[str]) -> int:
    """Render each path as an anonymous reader would ask for it; how many answered 200."""
    factory = RequestFactory()
    rendered = 0
    for path in paths:
        request = factory.get(path)
        request.user = AnonymousUser()
        match = resolve(path)
        response = match.func(request, *match.args, **match.kwargs)
        if response.status_code == 200:
            rendered += 1
        else:
            log.warning("Warming %s answered %s", path, response.status_code, extra={"path": path})
    return rendered


@retried_task()
def warm_public_pages() -> int:
    """Render every public page into the page cache; the count rendered."""
    started = time.perf_counter()
    paths = public_paths()
    rendered = warm(paths)
    log.info(
        "Warmed %s of %s public pages",
        rendered,
        len(paths),
        extra={"pages": rendered, "seconds": round(time.perf_counter() - started, 2)},
    )
    return rendered


def enqueue_warming(sender, *, year: AssessmentYear, **kwargs) -> None:
    """Receiver of assurance.signals.year_changed: a change readers can see re-renders their pages.

    A draft's changes show on no public page, so they warm nothing.
    """
    if settings.WARM_PAGE_CACHE and year.status != AssessmentYear.Status.DRAFT:
        warm_public_pages.enqueue()
