"""The one place the read side reads the ORM: years, results, ranked rows, summaries, flags."""

from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

from assurance import cache as assurance_cache
from assurance import roles
from assurance.models import (
    PCT,
    Assessment,
    AssessmentYear,
    Competency,
    CompetencyScore,
    DirectedDevelopmentFlag,
)
from leaguetable import concerns, ranking, trends


def published_years() -> list[AssessmentYear]:
    return assurance_cache.published_years()


def previous_year(year: AssessmentYear, years: list[AssessmentYear]) -> AssessmentYear | None:
    """The latest year in `years` before `year`: movement is measured against it."""
    earlier = [y for y in years if y.start_year < year.start_year]
    return earlier[-1] if earlier else None


def published_year(slug: str, years):
    """The year of `years` (AssessmentYears or YearResults) whose slug ('2009-10') is given."""
    return next((year for year in years if year.slug == slug), None)


def all_competencies() -> list[Competency]:
    return list(Competency.objects.order_by("number"))


def year_competencies(year: AssessmentYear) -> list[Competency]:
    return list(year.competencies.order_by("number"))


def year_results(year: AssessmentYear) -> list[ranking.PCTResult]:
    """Every PCT with its results in `year`; PCTs without an assessment come back unassessed.

    Three queries however many PCTs.
    """
    pcts = PCT.objects.order_by().values_list("id", "code", "name", "sha__code", "sha__name")
    assessments = {}  # pct id -> (assessment id, ratings, corrected on)
    for assessment_id, pct_id, *ratings, corrected_at in (
        Assessment.objects.for_year(year)
        .order_by()  # the model's default ordering would join and sort for nothing
        .values_list("id", "pct_id", "strategy", "finance", "board_governance", "corrected_at")
    ):
        corrected_on = timezone.localdate(corrected_at) if corrected_at else None
        assessments[pct_id] = (assessment_id, ratings, corrected_on)
    scores = defaultdict(dict)
    for assessment_id, number, score in _fetch(
        CompetencyScore.objects.filter(assessment__year=year)
        .order_by()
        .values_list("assessment_id", "competency__number", "score")
    ):
        scores[assessment_id][number] = score
    return [_pct_result(pct, assessments, scores) for pct in pcts]


def _fetch(queryset) -> list[tuple]:
    """The rows of a values_list of plain integer columns, straight from the cursor.

    Skips Django's per-row conversion: the scores of 15,000 PCTs are 330,000 rows. Only for
    integers and text, which need no conversion (dates would come back as text on SQLite).
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _pct_result(pct, assessments, scores) -> ranking.PCTResult:
    pct_id, code, name, sha_code, sha_name = pct
    if pct_id not in assessments:
        return ranking.PCTResult(code, name, sha_code, sha_name)
    assessment_id, (strategy, finance, board_governance), corrected_on = assessments[pct_id]
    return ranking.PCTResult(
        code,
        name,
        sha_code,
        sha_name,
        strategy,
        finance,
        board_governance,
        scores[assessment_id],
        corrected_on=corrected_on,
    )


# Everything memoised here is derived from years' revisions, which every write bumps, so a key of
# revisions never goes stale: a small per-process memo is always correct and spares unpickling
# from a shared cache on every request.
_MEMO: OrderedDict[tuple, object] = OrderedDict()
MEMO_SIZE = 32


def _revision_key(year: AssessmentYear | None) -> tuple:
    return (year.pk, year.revision) if year else (None, None)


def _memoised(key: tuple, build):
    value = _MEMO.get(key)
    if value is None:
        value = _MEMO[key] = build()
        while len(_MEMO) > MEMO_SIZE:
            _MEMO.popitem(last=False)
    return value


def ranked_rows(
    year: AssessmentYear, previous: AssessmentYear | None, method: ranking.RankingMethod
) -> list[ranking.RankedRow]:
    """The year's league table with movement against `previous`; memoised per revision."""
    key = ("rows", *_revision_key(year), *_revision_key(previous), method.slug)
    return _memoised(key, lambda: _rank(year, previous, method))


def _rank(year, previous, method) -> list[ranking.RankedRow]:
    rows = ranking.rank(year_results(year), method)
    if previous is None:
        return rows
    # The previous year's ranks come from the memo, so a page showing several years ranks each
    # year once.
    return ranking.with_movement(rows, ranked_rows(previous, None, method))


def timeline(method: ranking.RankingMethod) -> list[trends.YearResults]:
    """Every published year, oldest first, ranked by `method` and summarised; memoised."""
    years = published_years()
    return [summarised_year(year, previous_year(year, years), method) for year in years]


def summarised_year(
    year: AssessmentYear, previous: AssessmentYear | None, method: ranking.RankingMethod
) -> trends.YearResults:
    key = ("summary", *_revision_key(year), *_revision_key(previous), method.slug)
    return _memoised(
        key,
        lambda: trends.YearResults.build(
            rows=ranked_rows(year, previous, method),
            label=year.label,
            slug=year.slug,
            is_illustrative=year.is_illustrative,
            note=year.note,
            competencies=tuple(
                trends.CompetencyRef(c.number, c.name) for c in year_competencies(year)
            ),
        ),
    )


def forget_ranked_rows() -> None:
    """For tests and benchmarks that want a cold start."""
    _MEMO.clear()


# Directed development -------------------------------------------------------------------------

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


def visible_flags(scope: roles.FlagScope):
    """The flags `scope` may read (a QuerySet: nothing is fetched yet)."""
    if scope.every_sha:
        return Flag.objects.all()
    if scope.sha is None:
        return Flag.objects.none()  # runs no query at all
    return Flag.objects.in_sha(scope.sha)


def open_flags(year: AssessmentYear, scope: roles.FlagScope) -> dict[str, OpenFlag]:
    """PCT code -> open flag for `year`, of the flags `scope` may read, in one query."""
    rows = visible_flags(scope).open().for_year(year).order_by()
    return {
        code: OpenFlag(pk, status, Flag.Status(status).label)
        for pk, code, status in rows.values_list("pk", "pct__code", "status")
    }


def listed_flags(flags) -> list[DirectedDevelopmentFlag]:
    """Flags with everything a list of them shows (PCT, SHA, year, people), in one query."""
    return list(
        flags.select_related(
            "pct__sha", "year", "proposed_by", "confirmed_by", "lifted_by"
        ).order_by("-year__start_year", "pct__name", "-proposed_at")
    )


def pct_flags(pct: PCT, scope: roles.FlagScope) -> list[DirectedDevelopmentFlag]:
    """A PCT's flags in every year that `scope` may read, newest year first (one query)."""
    return listed_flags(visible_flags(scope).filter(pct=pct))


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A PCT meeting rules for concern, and its open flag if it already has one."""

    concern: concerns.Concern
    open_flag: OpenFlag | None


def concern_rows(year: AssessmentYear, years: list[AssessmentYear]) -> list[ranking.RankedRow]:
    """The national table the rules for concern are measured on (memoised per revision)."""
    return ranked_rows(year, previous_year(year, years), CONCERN_METHOD)


def suggestions(
    year: AssessmentYear,
    years: list[AssessmentYear],
    scope: roles.FlagScope,
    sha_code: str | None = None,
) -> list[Suggestion]:
    """PCTs (of one SHA, or all) meeting rules for concern in `year`, in league table order."""
    found = concerns.concerns(concern_rows(year, years), sha_code)
    flags = open_flags(year, scope)
    return [Suggestion(c, flags.get(c.row.result.pct_code)) for c in found]


def rules_met(
    year: AssessmentYear, years: list[AssessmentYear], pct: PCT
) -> tuple[concerns.Rule, ...]:
    """The rules for concern `pct` meets in `year` (none when it meets none)."""
    found = concerns.concerns(concern_rows(year, years), pct.sha.code)
    return next((c.rules for c in found if c.row.result.pct_code == pct.code), ())


def concerns_by_sha(year: AssessmentYear) -> dict[str, list[concerns.Concern]]:
    """SHA code -> its PCTs meeting rules in `year`, for the email sent when it is published.

    Reads the published years from the database rather than the cache: it runs right after the
    publishing transaction, in whichever process published.
    """
    years = list(AssessmentYear.objects.published().order_by("start_year"))
    grouped = defaultdict(list)
    for concern in concerns.concerns(concern_rows(year, years)):
        grouped[concern.row.result.sha_code].append(concern)
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
