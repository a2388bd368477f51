"""The one place the league table reads the ORM: years, results and ranked rows."""

from collections import OrderedDict, defaultdict

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
    pcts = PCT.objects.values_list("id", "code", "name", "sha__code", "sha__name")
    assessments = {
        pct_id: (assessment_id, ratings, corrected_at)
        for assessment_id, pct_id, *ratings, corrected_at in Assessment.objects.for_year(
            year
        ).values_list("id", "pct_id", "strategy", "finance", "board_governance", "corrected_at")
    }
    scores = defaultdict(dict)
    for assessment_id, number, score in CompetencyScore.objects.filter(
        assessment__year=year
    ).values_list("assessment_id", "competency__number", "score"):
        scores[assessment_id][number] = score

    results = []
    for pct_id, code, name, sha_code, sha_name in pcts:
        base = {"pct_code": code, "pct_name": name, "sha_code": sha_code, "sha_name": sha_name}
        if pct_id in assessments:
            assessment_id, (strategy, finance, board), corrected_at = assessments[pct_id]
            base |= {
                "strategy": strategy,
                "finance": finance,
                "board_governance": board,
                "scores": scores[assessment_id],
                "corrected_on": timezone.localdate(corrected_at) if corrected_at else None,
            }
        results.append(ranking.PCTResult(**base))
    return results


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
        rows = ranking.rank(year_results(year), method)
        if previous is not None:
            rows = ranking.with_movement(rows, ranking.rank(year_results(previous), method))
        _RANKED_ROWS[key] = rows
        while len(_RANKED_ROWS) > RANKED_ROWS_MEMO_SIZE:
            _RANKED_ROWS.popitem(last=False)
    return rows


def forget_ranked_rows() -> None:
    """For tests and benchmarks that want a cold start."""
    _RANKED_ROWS.clear()
