"""The one place the read side reads the ORM: years, results, ranked rows and their summaries."""

from collections import OrderedDict, defaultdict

from django.db import connections
from django.utils import timezone

from assurance import cache as assurance_cache
from assurance.models import PCT, Assessment, AssessmentYear, Competency, CompetencyScore
from leaguetable import ranking, trends


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
