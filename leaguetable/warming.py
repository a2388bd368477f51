"""Warm the page cache after a publication or correction, so the first reader does not wait.

Two steps. At once, in the process that wrote (rank_on_write): the pages drawn from whole
years' ranked rows are rendered, so the shared cache holds the new revision's rankings and what
those pages derive from them before any reader asks, and a reader's first page after the change
is read like a restarted worker's, not ranked while they wait. Then, in the background
(warm_public_pages), every public page is rendered. Each page is rendered through its view as an
anonymous GET, so it lands in the page cache the way a reader's request would put it there
(leaguetable/views/caching.py decides keys and format; nothing here depends on them). Pages
with their default parameters only: the league table of each published year, the overview, and
every SHA's and PCT's page.
"""

import logging
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import resolve, reverse

from assurance.models import AssessmentYear
from leaguetable import queries, ranking
from wcc.tasks import retried_task

log = logging.getLogger(__name__)


def public_paths() -> list[str]:
    """Every page a reader is likely to open first, once per published year where it differs."""
    years = queries.public_years()
    if not years:
        return []
    codes = {
        (card.sha_code, card.pct_code) for year in years for card in queries.year_scorecards(year)
    }
    return [
        *whole_year_paths(years, sorted({sha for sha, _ in codes})),
        *(reverse("leaguetable:pct", args=[pct]) for pct in sorted({pct for _, pct in codes})),
    ]


def whole_year_paths(years: list[AssessmentYear], sha_codes: list[str]) -> list[str]:
    """The pages drawn from every PCT's ranked rows: each year's league table, the overview and
    each SHA's page (a PCT's page reads its own rows and those of PCTs like it)."""
    return [
        reverse("leaguetable:latest"),
        *(reverse("leaguetable:league", args=[year.slug]) for year in years),
        reverse("leaguetable:overview"),
        *(reverse("leaguetable:sha", args=[sha]) for sha in sha_codes),
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


def _seen_by_readers(year: AssessmentYear) -> bool:
    """The change is to a public year, or took one out of public view."""
    return year.is_public() or year.status == AssessmentYear.Status.WITHDRAWN


def enqueue_warming(sender, *, year: AssessmentYear, **kwargs) -> None:
    """Receiver of assurance.signals.year_changed: a change readers can see re-renders their pages.

    Only a public year's changes, or its withdrawal, show on public pages; others warm nothing.
    """
    if settings.WARM_PAGE_CACHE and _seen_by_readers(year):
        warm_public_pages.enqueue()


def rank_on_write(sender, *, year: AssessmentYear, **kwargs) -> None:
    """Receiver of assurance.signals.year_changed: render the pages drawn from whole years' ranked
    rows at once (whole_year_paths), which ranks every published year and stores what those
    pages derive from the rows (headline, names, each SHA's rows, the overview's charts).

    Runs after the commit, in the writer's request: the writer waits (about 0.2 s at 152 PCTs,
    5 s at 15,000) so that no reader does. A change no reader sees ranks nothing.
    """
    if not settings.RANK_ON_WRITE or not _seen_by_readers(year):
        return
    try:
        years = queries.public_years()
        if not years:
            return
        latest = queries.summarised_year(
            years[-1],
            queries.previous_year(years[-1], years),
            ranking.METHODS[ranking.DEFAULT_METHOD],
        )
        warm(whole_year_paths(years, sorted(latest.summary.by_sha)))
    except Exception:
        # The write stands and the warming is still queued (the next receiver): the first
        # reader ranks the year instead, as before.
        log.exception("Ranking %s at once after a change failed", year, extra={"year": str(year)})
