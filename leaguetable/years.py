"""Which public year a page means: the one lookup by slug, with its 404, that every view asks;
and the year before it, against which movement is measured."""

from django.http import Http404

from assurance import cache
from assurance.models import AssessmentYear


def public_year(slug: str | None, years=None):
    """The public year a URL or `?year=` names by its slug ('2009-10'), or the latest when `slug`
    is None, from `years` (AssessmentYears or RankedYears; by default the public years, cached,
    each asked AssessmentYear.is_public). Http404 when there is none."""
    years = cache.public_years() if years is None else years
    if not years:
        raise Http404("No assurance year has been published yet.")
    if slug is None:
        return years[-1]
    for year in years:
        if year.slug == slug:
            return year
    raise Http404(f"No published assurance year {slug!r}.")


def previous_year(year: AssessmentYear, years: list[AssessmentYear]) -> AssessmentYear | None:
    """The latest year in `years` before `year`: movement is measured against it."""
    earlier = [y for y in years if y.start_year < year.start_year]
    return earlier[-1] if earlier else None
