"""The reads of directed development: visible flags, open flags by PCT, suggestions, recipients."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from accounts import roles
from assurance.models import PCT, AssessmentYear
from directed_development import concerns
from directed_development.access import FlagScope
from directed_development.models import DirectedDevelopmentFlag, SuggestionDismissal
from leaguetable import computed, ranking
from leaguetable.years import previous_year

Flag = DirectedDevelopmentFlag
# The rules for concern are measured on the default ranking (a fall in rank is a fall in this
# table), whichever method a reader chose for the league table.
CONCERN_METHOD = ranking.METHODS[ranking.DEFAULT_METHOD]


@dataclass(frozen=True, slots=True)
class OpenFlag:
    """What a table row shows of a PCT's open flag: its page and its status."""

    pk: int
    status: str  # proposed, confirmed
    label: str  # Proposed, Confirmed


def visible_flags(scope: FlagScope):
    """The flags `scope` may read (a QuerySet: nothing is fetched yet)."""
    if scope.every_sha:
        return Flag.objects.all()
    if scope.sha is None:
        return Flag.objects.none()  # runs no query at all
    return Flag.objects.in_sha(scope.sha)


def open_flags(year: AssessmentYear, scope: FlagScope) -> dict[str, OpenFlag]:
    """PCT code -> open flag for `year`, of the flags `scope` may read, in one query."""
    rows = visible_flags(scope).open().for_year(year).order_by()
    return {
        code: OpenFlag(pk, status, Flag.Status(status).label)
        for pk, code, status in rows.values_list("pk", "pct__code", "status")
    }


def listed_flags(flags) -> list[DirectedDevelopmentFlag]:
    """Flags with everything a list of them shows (PCT, SHA, year, people), in one query; open
    flags past their review date first."""
    overdue = Case(
        When(
            status__in=DirectedDevelopmentFlag.OPEN,
            review_on__lt=timezone.localdate(),
            then=Value(0),
        ),
        default=Value(1),
    )
    return list(
        flags.select_related(
            "pct__sha", "year", "proposed_by", "confirmed_by", "lifted_by", "owner"
        )
        .annotate(overdue_order=overdue)
        .order_by("overdue_order", "-year__start_year", "pct__name", "-proposed_at")
    )


def pct_flags(pct: PCT, scope: FlagScope) -> list[DirectedDevelopmentFlag]:
    """A PCT's flags in every year that `scope` may read, newest year first (one query)."""
    return listed_flags(visible_flags(scope).filter(pct=pct))


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A PCT meeting rules for concern, and its open flag if it already has one."""

    concern: concerns.Concern
    open_flag: OpenFlag | None
    dismissal: SuggestionDismissal | None = None  # set aside for the year, by whom and why


def concern_rows(year: AssessmentYear, years: list[AssessmentYear]) -> list[ranking.RankedRow]:
    """The national table the rules for concern are measured on (memoised per revision)."""
    return computed.ranked_rows(year, previous_year(year, years), CONCERN_METHOD)


def found_concerns(
    year: AssessmentYear, years: list[AssessmentYear], sha_code: str | None = None
) -> list[concerns.Concern]:
    """The rules for concern applied to `year`, against the previous published year's table."""
    before = previous_year(year, years)
    previous_rows = computed.ranked_rows(before, None, CONCERN_METHOD) if before else []
    return concerns.concerns(concern_rows(year, years), sha_code, previous_rows)


def removed_by_clarity(year: AssessmentYear, years: list[AssessmentYear]) -> int:
    """How many suggestions in `year`, across England, asking that a band fall end clearly in
    the bottom quarter removed (concerns.removed_by_clarity)."""
    before = previous_year(year, years)
    previous_rows = computed.ranked_rows(before, None, CONCERN_METHOD) if before else []
    return concerns.removed_by_clarity(concern_rows(year, years), previous_rows)


def suggestions(
    year: AssessmentYear,
    years: list[AssessmentYear],
    scope: FlagScope,
    sha_code: str | None = None,
) -> list[Suggestion]:
    """PCTs (of one SHA, or all) meeting rules for concern in `year`, in league table order."""
    found = found_concerns(year, years, sha_code)
    flags = open_flags(year, scope)
    dismissals = {
        dismissal.pct.code: dismissal
        for dismissal in SuggestionDismissal.objects.filter(year=year, restored_at__isnull=True)
        .select_related("pct", "dismissed_by")
        .order_by()
    }
    return [
        Suggestion(c, flags.get(code := c.row.scorecard.pct_code), dismissals.get(code))
        for c in found
    ]


def rules_met(
    year: AssessmentYear, years: list[AssessmentYear], pct: PCT
) -> tuple[concerns.Rule, ...]:
    """The rules for concern `pct` meets in `year` (none when it meets none)."""
    found = found_concerns(year, years, pct.sha.code)
    return next((c.rules for c in found if c.row.scorecard.pct_code == pct.code), ())


def concerns_by_sha(year: AssessmentYear) -> dict[str, list[concerns.Concern]]:
    """SHA code -> its PCTs meeting rules in `year`, for the email sent when it is published.

    Reads the published years from the database rather than the cache: it runs right after the
    publishing transaction, in whichever process published.
    """
    years = list(AssessmentYear.objects.public().order_by("start_year"))
    grouped = defaultdict(list)
    for concern in found_concerns(year, years):
        grouped[concern.row.scorecard.sha_code].append(concern)
    return grouped


def sha_staff_to_email() -> list:
    """Active SHA staff with an email address, each with their SHA, in one query."""
    return list(
        get_user_model()
        .objects.filter(
            groups__name=roles.GROUP_NAMES[roles.SHA_STAFF],
            is_active=True,
            is_superuser=False,
            wcc_profile__sha__isnull=False,
        )
        .exclude(email="")
        .select_related("wcc_profile__sha")
        .order_by("username")
    )


def flag_history(flag: DirectedDevelopmentFlag) -> list:
    """Every version of a flag, oldest first, each with who made it (one query)."""
    return list(
        DirectedDevelopmentFlag.history.filter(id=flag.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def possible_owners(pct: PCT):
    """Who may lead a PCT's improvement plan: its SHA's staff and the assurance admins."""
    names = roles.GROUP_NAMES
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__name=names[roles.ADMIN])
            | Q(groups__name=names[roles.SHA_STAFF], wcc_profile__sha=pct.sha_id)
        )
        .distinct()
        .order_by("username")
    )


def overdue_by_sha() -> dict[int, list[DirectedDevelopmentFlag]]:
    """SHA id -> its open flags past their review date, for the weekly email (one query)."""
    grouped = defaultdict(list)
    for flag in listed_flags(DirectedDevelopmentFlag.objects.review_overdue()):
        grouped[flag.pct.sha_id].append(flag)
    return grouped
