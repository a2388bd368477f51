"""The one place the read side reads the ORM: years, scorecards, ranked rows, summaries."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import connections
from django.utils import timezone

from assurance import audit
from assurance import cache as assurance_cache
from assurance.models import (
    PCT,
    Assessment,
    AssessmentYear,
    Competency,
    CompetencyScore,
    OrganisationChange,
)
from leaguetable import explain, intervals, organisations, ranking, trends


def public_years() -> list[AssessmentYear]:
    return assurance_cache.public_years()


def withdrawn_years() -> list[AssessmentYear]:
    """Years once published and since withdrawn from public view, with why (methodology page)."""
    return list(AssessmentYear.objects.withdrawn_after_being_public().order_by("start_year"))


def previous_year(year: AssessmentYear, years: list[AssessmentYear]) -> AssessmentYear | None:
    """The latest year in `years` before `year`: movement is measured against it."""
    earlier = [y for y in years if y.start_year < year.start_year]
    return earlier[-1] if earlier else None


def all_competencies() -> list[Competency]:
    return list(Competency.objects.order_by("number"))


def year_competencies(year: AssessmentYear) -> list[Competency]:
    return list(year.competencies.order_by("number"))


def year_scorecards(year: AssessmentYear) -> list[ranking.PCTScorecard]:
    """Every PCT with its results in `year`; PCTs without an assessment come back unassessed.

    Four queries however many PCTs.
    """
    pcts = PCT.objects.order_by().values_list("id", "code", "name", "sha__code", "sha__name")
    assessments = {}  # pct id -> (assessment id, ratings, corrected on, why)
    for assessment_id, pct_id, *ratings, corrected_at, reason in (
        Assessment.objects.for_year(year)
        .order_by()  # the model's default ordering would join and sort for nothing
        .values_list(
            "id",
            "pct_id",
            "strategy",
            "finance",
            "board_governance",
            "corrected_at",
            "correction_reason",
        )
    ):
        corrected_on = timezone.localdate(corrected_at) if corrected_at else None
        assessments[pct_id] = (assessment_id, ratings, corrected_on, reason)
    scores = defaultdict(dict)
    for assessment_id, number, score in _fetch(
        CompetencyScore.objects.filter(assessment__year=year)
        .order_by()
        .values_list("assessment_id", "competency__number", "score")
    ):
        scores[assessment_id][number] = score
    changes = organisation_changes()
    starts = organisations.financial_year_start(year.start_year)
    # A PCT formed after the year began (5QV, April 2010) was no PCT of that year: it is left
    # out, where a PCT that had merged stays in, saying so (results are shown whatever).
    not_yet_formed = {
        code
        for code, changed in changes.items()
        if changed.formed_on is not None and changed.formed_on > starts
    }
    return [
        _pct_result(pct, assessments, scores, changes, starts)
        for pct in pcts
        if pct[1] not in not_yet_formed or pct[0] in assessments
    ]


def pct_scorecard(code: str) -> ranking.PCTScorecard | None:
    """A PCT with no results in any published year (formed after the last): its name, SHA and
    changes, for its profile. Two queries."""
    pct = PCT.objects.select_related("sha").filter(code=code.upper()).first()
    if pct is None:
        return None
    changes = organisation_changes().get(pct.code, organisations.NO_CHANGES)
    return ranking.PCTScorecard(pct.code, pct.name, pct.sha.code, pct.sha.name, changes=changes)


def pcts_on_record() -> list[tuple[str, str]]:
    """(code, name) of every PCT on record, whether or not a published year ranks it: a PCT
    that merged away or was formed since can still be compared. One query."""
    return list(PCT.objects.order_by("code").values_list("code", "name"))


def organisation_changes() -> dict[str, organisations.PCTChanges]:
    """Every PCT that merged or was renamed, or was formed so, by code. One query."""
    rows = OrganisationChange.objects.order_by().values_list(
        "predecessor__code", "predecessor__name", "successor__code", "successor__name", "kind",
        "effective",
    )  # fmt: skip
    return organisations.by_pct(
        organisations.OrganisationChange(
            organisations.PCTRef(old_code, old_name),
            organisations.PCTRef(new_code, new_name),
            kind,
            effective,
        )
        for old_code, old_name, new_code, new_name, kind, effective in rows
    )


def _fetch(queryset) -> list[tuple]:
    """The rows of a values_list of plain integer columns, straight from the cursor.

    Skips Django's per-row conversion: the scores of 15,000 PCTs are 330,000 rows. Only for
    integers and text, which need no conversion (dates would come back as text on SQLite).
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _pct_result(pct, assessments, scores, changes, year_starts) -> ranking.PCTScorecard:
    pct_id, code, name, sha_code, sha_name = pct
    changed = changes.get(code, organisations.NO_CHANGES)
    if pct_id not in assessments:
        return ranking.PCTScorecard(
            code,
            name,
            sha_code,
            sha_name,
            changes=changed,
            organisation_status=changed.status_in_year(year_starts),
        )
    assessment_id, (strategy, finance, board_governance), corrected_on, why = assessments[pct_id]
    return ranking.PCTScorecard(
        code,
        name,
        sha_code,
        sha_name,
        strategy,
        finance,
        board_governance,
        scores[assessment_id],
        corrected_on=corrected_on,
        correction_reason=why if corrected_on else "",
        changes=changed,
    )


def ranked_rows(
    year: AssessmentYear, previous: AssessmentYear | None, method: ranking.RankingMethod
) -> list[ranking.RankedRow]:
    """The year's league table with movement against `previous`: built once per revision and
    shared by every process (assurance.cache.cached)."""
    return assurance_cache.cached(
        f"rows:{method.slug}", [year, previous], lambda: _ranked_rows(year, previous, method)
    )


def _ranked_rows(year, previous, method) -> list[ranking.RankedRow]:
    ranks = {
        slug: {row.scorecard.pct_code: row.rank for row in _ranked(year, other)}
        for slug, other in ranking.METHODS.items()
    }
    next_steps = explain.next_steps(_scorecards(year), method)
    rows = explain.with_standing(
        _ranked(year, method), ranks, next_steps, rank_intervals(year)[method.slug]
    )
    if previous is None:
        return rows
    return ranking.with_movement(rows, _ranked(previous, method))


# Kept in this process only, while the year's rows are built: ranking it under every method (for
# the ranks side by side) then reads the database once.
def _scorecards(year: AssessmentYear) -> list[ranking.PCTScorecard]:
    return assurance_cache.cached("scorecards", [year], lambda: year_scorecards(year), shared=False)


def _ranked(year: AssessmentYear, method: ranking.RankingMethod) -> list[ranking.RankedRow]:
    return assurance_cache.cached(
        f"ranked:{method.slug}",
        [year],
        lambda: ranking.rank(_scorecards(year), method),
        shared=False,
    )


def rank_intervals(year: AssessmentYear) -> dict[str, dict[str, intervals.RankInterval]]:
    """Method slug -> PCT code -> its rank interval (leaguetable/intervals.py): all three methods
    at once, sharing the resampled totals; cached under the year's revision. The competencies
    are those scored that year, read from the scorecards rather than asked of the database."""

    def build():
        scorecards = _scorecards(year)
        scored = sorted({number for scorecard in scorecards for number in scorecard.scores})
        return intervals.rank_intervals(scorecards, scored, year.start_year)

    return assurance_cache.cached("rank-intervals", [year], build)


def timeline(
    method: ranking.RankingMethod, years: list[AssessmentYear] | None = None
) -> list[trends.RankedYear]:
    """Every published year (or `years`), oldest first, ranked by `method` and summarised."""
    years = public_years() if years is None else years
    return [summarised_year(year, previous_year(year, years), method) for year in years]


def summarised_year(
    year: AssessmentYear, previous: AssessmentYear | None, method: ranking.RankingMethod
) -> trends.RankedYear:
    def build() -> trends.RankedYear:
        rows = ranked_rows(year, previous, method)
        return trends.RankedYear.build(
            rows=rows,
            # Shared: summarising walks every row (at 1,500 PCTs, more than a warm page's CPU).
            summary=assurance_cache.cached(
                f"summary:{method.slug}", [year, previous], lambda: trends.summarise(rows)
            ),
            label=year.label,
            slug=year.slug,
            is_illustrative=year.is_illustrative,
            is_hypothetical=year.is_hypothetical,
            note=year.note,
            competencies=assurance_cache.cached(
                "competencies",
                [year],
                lambda: tuple(
                    trends.CompetencyRef(c.number, c.name) for c in year_competencies(year)
                ),
            ),
        )

    # In this process only: built from the shared rows, and its summary takes milliseconds.
    return assurance_cache.cached(f"year:{method.slug}", [year, previous], build, shared=False)


def sha_rows(year: trends.RankedYear, sha_code: str) -> list[ranking.RankedRow]:
    """The year's rows of one SHA's PCTs, in rank order."""
    return [row for row in year.rows if row.scorecard.sha_code == sha_code]


def forget_ranked_rows() -> None:
    """Forget what this process keeps (a restarted worker): for tests and benchmarks."""
    assurance_cache.forget_memo()


@dataclass(frozen=True, slots=True)
class Correction:
    """One correction to a PCT's published results: when, why, and each value from -> to."""

    year_label: str
    at: object  # datetime
    reason: str
    changes: tuple[tuple[str, object, object], ...]  # (what, old, new)


def pct_corrections(code: str, years: list[AssessmentYear]) -> list[Correction]:
    """Every change to the PCT's results made after their year was published, newest first.

    Four queries; the profile asks only for a PCT whose scorecards say it was corrected.
    """
    published_at = {year.label: year.published_at for year in years if year.published_at}
    pct = PCT.objects.get(code=code)
    reasons = dict(
        Assessment.history.filter(pct=pct)
        .exclude(correction_reason="")
        .values_list("history_date", "correction_reason")
    )
    grouped = defaultdict(list)
    for line in audit.pct_history(pct):
        start = published_at.get(line.year_label)
        if start is not None and line.at > start:
            grouped[(line.year_label, line.at)].append((line.what, line.old, line.new))
    return [
        Correction(label, at, reasons.get(at, ""), tuple(changes))
        for (label, at), changes in sorted(
            grouped.items(), key=lambda item: item[0][1], reverse=True
        )
    ]
