"""What directed development adds to the read side's pages (see leaguetable.extensions)."""

from django.template.loader import render_to_string

from assurance.models import PCT
from directed_development import access, concerns, queries
from directed_development.tables import flag_column
from leaguetable import queries as league
from leaguetable.years import previous_year


def league_flag_column(request, year):
    """The flag marker column on a year's league table, for users who may see flags."""
    if not access.may_see_flags(request.user):
        return None
    return ("flag", flag_column(queries.open_flags(year, access.flag_scope(request.user))))


def pct_flags_section(request, pct_code: str) -> str:
    """A PCT's flags on its profile, with the link to propose it, for users who may see them."""
    if not access.may_see_flags(request.user):
        return ""
    pct = PCT.objects.select_related("sha").get(code=pct_code)
    flags = queries.pct_flags(pct, access.flag_scope(request.user))
    latest = league.public_years()[-1]
    context = {
        "pct": pct,
        "pct_flags": flags,
        "latest_year": latest,
        "open_flag_now": next((f for f in flags if f.is_open and f.year_id == latest.pk), None),
    }
    return render_to_string("directed_development/_pct_flags.html", context, request=request)


def rules_for_concern_section(request) -> str:
    """The rules that suggest PCTs for directed development, and their thresholds, for everyone;
    and, for each published year after the first, how many suggestions asking for a PCT clearly
    in the bottom quarter removed (worked out from the year's results, never written down)."""
    years = league.public_years()
    removed = [
        (year, queries.removed_by_clarity(year, years))
        for year in years
        if previous_year(year, years) is not None
    ]
    return render_to_string(
        "directed_development/_rules_for_concern.html",
        {
            "rules": concerns.RULES,
            "bottom_share": concerns.BOTTOM_SHARE,
            "total_drop": concerns.TOTAL_DROP_POINTS,
            "band_fall": concerns.BAND_FALL,
            "bottom_band": concerns.BOTTOM_BAND,
            "removed_by_clarity": removed,
        },
        request=request,
    )
