"""The one place the league table reads the ORM: years, results and ranked rows."""

from collections import OrderedDict, defaultdict

from django.db import connections
from django.utils import timezone

from assurance import cache as assurance_cache
from assurance.models import PCT, Assessment, AssessmentYear, Competency, CompetencyScore
from leaguetable import ranking


def published_years() -> list[AssessmentYear]:
    return assurance_cache.published_years()


def previous_year(year: AssessmentYear, years: list[AssessmentYear]) -> AssessmentYear | None:
    """The latest year in `years` before `year`: movement is measured against it."""
    earlier = [y for y in years if y.start_year < year.start_year]
    return earlier[-1] if earlier else None


def all_competencies() -> list[Competency]:
    return list(Competency.objects.order_by("number"))


def year_competencies(year: AssessmentYear) -> list[Competency]:
    return list(year.competencies.order_by("number"))


def year_results(year: AssessmentYear) -> list[ranking.PCTResult]:
    """Every PCT with its results in `year`; PCTs without an assessment come back unassessed."""
    return results_by_year([year])[year.pk]


def results_by_year(years: list[AssessmentYear]) -> dict[int, list[ranking.PCTResult]]:
    """Every PCT's results in each of `years`, in three queries however many years and PCTs."""
    pcts = PCT.objects.order_by().values_list("id", "code", "name", "sha__code", "sha__name")
    assessments = defaultdict(dict)  # year id -> pct id -> (assessment id, ratings, corrected)
    for assessment_id, year_id, pct_id, *ratings, corrected_at in (
        Assessment.objects.filter(year__in=years)
        .order_by()  # the model's default ordering would join and sort for nothing
        .values_list(
            "id", "year_id", "pct_id", "strategy", "finance", "board_governance", "corrected_at"
        )
    ):
        corrected_on = timezone.localdate(corrected_at) if corrected_at else None
        assessments[year_id][pct_id] = (assessment_id, ratings, corrected_on)
    scores = defaultdict(dict)
    for assessment_id, number, score in _fetch(
        CompetencyScore.objects.filter(assessment__year__in=years)
        .order_by()
        .values_list("assessment_id", "competency__number", "score")
    ):
        scores[assessment_id][number] = score
    return {
        year.pk: [_pct_result(pct, assessments[year.pk], scores) for pct in pcts] for year in years
    }


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


# Ranked rows are derived from a year's revision, which every write bumps, so a key of revisions
# never goes stale: a small per-process memo is always correct and spares unpickling from a
# shared cache on every request.
_RANKED_ROWS: OrderedDict[tuple, list[ranking.RankedRow]] = OrderedDict()
RANKED_ROWS_MEMO_SIZE = 24


def _revision_key(year: AssessmentYear | None) -> tuple:
    return (year.pk, year.revision) if year else (None, None)


def ranked_rows(
    year: AssessmentYear, previous: AssessmentYear | None, method: ranking.RankingMethod
) -> list[ranking.RankedRow]:
    """The year's league table with movement against `previous`; memoised per revision."""
    key = (*_revision_key(year), *_revision_key(previous), method.slug)
    rows = _RANKED_ROWS.get(key)
    if rows is None:
        results = results_by_year([y for y in (year, previous) if y is not None])
        rows = ranking.rank(results[year.pk], method)
        if previous is not None:
            rows = ranking.with_movement(rows, ranking.rank(results[previous.pk], method))
        _RANKED_ROWS[key] = rows
        while len(_RANKED_ROWS) > RANKED_ROWS_MEMO_SIZE:
            _RANKED_ROWS.popitem(last=False)
    return rows


def forget_ranked_rows() -> None:
    """For tests and benchmarks that want a cold start."""
    _RANKED_ROWS.clear()
