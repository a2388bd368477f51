"""The reading pages, a module per kind: the league table, PCT and SHA pages, England's pages."""

from leaguetable.views.england import (
    compare_chart_data,
    compare_pcts,
    national_overview,
    overview_chart_data,
)
from leaguetable.views.league import league, league_chart_data, methodology
from leaguetable.views.profiles import (
    pct_chart_data,
    pct_profile,
    pct_report,
    sha_chart_data,
    sha_page,
)

__all__ = [
    "compare_chart_data",
    "compare_pcts",
    "league",
    "league_chart_data",
    "methodology",
    "national_overview",
    "overview_chart_data",
    "pct_chart_data",
    "pct_profile",
    "pct_report",
    "sha_chart_data",
    "sha_page",
]
