"""Hooks through which other apps add to the read side's pages, so leaguetable never imports them.

An app registers its providers once, in its AppConfig.ready():
- a league column provider, (request, year) -> (name, LeagueColumn) or None, adds a column
  after the PCT's name on a year's league table (directed development's flag marker);
- a profile section provider, (request, pct_code) -> HTML or "", adds a section to a PCT's
  profile (directed development's flags on that PCT);
- a methodology section provider, (request) -> HTML, adds to the methodology page what every
  reader may know (directed development's rules for concern and their thresholds);
- a league filter provider, (request, value) -> RowFilter or None, narrows a year's league table
  to some PCTs by a query parameter of its own (a saved group's `?group=<token>`).

Column and profile providers run for logged-in users only: anonymous readers' pages are cached
and shared, so nothing that depends on who is reading may reach them. Methodology sections are
the same for everyone. League filters run for everyone too: what they select depends on the
parameter's value (an unguessable link), never on who reads; such pages bypass the page cache
(leaguetable.views.caching), since the selection changes without any year's revision changing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.safestring import SafeString

from assurance.models import AssessmentYear
from leaguetable.tables import LeagueColumn

LeagueColumnProvider = Callable[[HttpRequest, AssessmentYear], tuple[str, LeagueColumn] | None]
ProfileSectionProvider = Callable[[HttpRequest, str], SafeString | str]

_league_columns: list[LeagueColumnProvider] = []
_profile_sections: list[ProfileSectionProvider] = []
_methodology_sections: list[Callable] = []


@dataclass(frozen=True)
class RowFilter:
    """The PCTs a league filter keeps, and how the page names them (with a link to more)."""

    label: str
    codes: frozenset[str]
    url: str = ""


LeagueFilterProvider = Callable[[HttpRequest, str], RowFilter | None]
_league_filters: dict[str, LeagueFilterProvider] = {}


def add_league_column(provider: LeagueColumnProvider) -> None:
    if provider not in _league_columns:
        _league_columns.append(provider)


def add_profile_section(provider: ProfileSectionProvider) -> None:
    if provider not in _profile_sections:
        _profile_sections.append(provider)


def league_columns(request: HttpRequest, year: AssessmentYear) -> list[tuple[str, LeagueColumn]]:
    if not request.user.is_authenticated:
        return []
    return [column for provider in _league_columns if (column := provider(request, year))]


def profile_sections(request: HttpRequest, pct_code: str) -> list[SafeString | str]:
    if not request.user.is_authenticated:
        return []
    return [html for provider in _profile_sections if (html := provider(request, pct_code))]


def add_methodology_section(provider: Callable) -> None:
    if provider not in _methodology_sections:
        _methodology_sections.append(provider)


def methodology_sections(request: HttpRequest) -> list[SafeString | str]:
    return [html for provider in _methodology_sections if (html := provider(request))]


def add_league_filter(name: str, provider: LeagueFilterProvider) -> None:
    """`name` is the query parameter, read by the league page (its cached_for_readers takes
    other_apps_filters)."""
    _league_filters.setdefault(name, provider)


def league_filter_names() -> tuple[str, ...]:
    return tuple(_league_filters)


def league_filters(request: HttpRequest) -> list[tuple[str, str, RowFilter | None]]:
    """(parameter, value, what it keeps) for each filter the request asks for; None for a value
    that selects nothing known (a group deleted since its link was shared)."""
    return [
        (name, value, provider(request, value))
        for name, provider in _league_filters.items()
        if (value := request.GET.get(name, "").strip())
    ]
