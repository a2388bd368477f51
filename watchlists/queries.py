"""Reading saved groups, and their PCTs' places in a year's league table."""

from collections.abc import Collection
from dataclasses import dataclass

from django.http import Http404

from assurance.models import PCT, AssessmentYear
from leaguetable import computed, ranking
from leaguetable import queries as league
from leaguetable.search import Candidate
from leaguetable.years import previous_year
from watchlists.models import Watchlist


def group_by_token(token: str) -> Watchlist:
    """The group whose link holds `token`, with its owner; 404 for any other text. One query."""
    group = Watchlist.objects.select_related("owner").filter(token=token).first()
    if group is None:
        raise Http404("No saved group has this link.")
    return group


def owned_group(user, token: str) -> Watchlist:
    """The user's own group; 404 for a group of someone else's, so an edit address says nothing
    about whether a group exists."""
    group = Watchlist.objects.owned_by(user).filter(token=token).first()
    if group is None:
        raise Http404("No saved group of yours has this link.")
    return group


def groups_of(user) -> list[Watchlist]:
    return list(Watchlist.objects.owned_by(user))


def members(group: Watchlist) -> dict[str, str]:
    """The group's PCTs, code -> name. One query."""
    return dict(group.pcts.values_list("code", "name"))


def codes_by_token(token: str) -> tuple[str, set[str]] | None:
    """(the group's name, its PCTs' codes), or None when no group has the token. Two queries."""
    name = Watchlist.objects.filter(token=token).values_list("name", flat=True).first()
    if name is None:
        return None
    return name, set(Watchlist.pcts.through.objects.filter(
        watchlist__token=token).values_list("pct__code", flat=True))  # fmt: skip


@dataclass(frozen=True)
class GroupStanding:
    """A group's PCTs in one published year's league table, in rank order."""

    year: AssessmentYear
    previous: AssessmentYear | None
    method: ranking.RankingMethod
    rows: list[ranking.RankedRow]
    assessed: int  # PCTs ranked nationally that year
    # Codes of the group's PCTs absent from the year's table: formed after it (5QV in 2009/10).
    absent: tuple[str, ...] = ()


def standing(
    codes: Collection[str],
    year: AssessmentYear,
    previous: AssessmentYear | None,
    method: ranking.RankingMethod | None = None,
) -> GroupStanding:
    """The rows of `codes` in the year's table (memoised by the read side: no query when warm)."""
    method = method or ranking.METHODS[ranking.DEFAULT_METHOD]
    everyone = computed.ranked_rows(year, previous, method)
    rows = [row for row in everyone if row.scorecard.pct_code in codes]
    absent = tuple(sorted(set(codes) - {row.scorecard.pct_code for row in rows}))
    assessed = sum(r.rank is not None for r in everyone)
    return GroupStanding(year, previous, method, rows, assessed, absent)


def latest_standing(codes: Collection[str]) -> GroupStanding | None:
    """The group in the latest published year; None before any year is published."""
    years = league.public_years()
    if not years:
        return None
    return standing(codes, years[-1], previous_year(years[-1], years))


def pct_choices() -> list[Candidate]:
    """Every PCT as search candidates, in name order: the add box's datalist and its search."""
    return [
        Candidate(code, name)
        for code, name in PCT.objects.order_by("name").values_list("code", "name")
    ]
