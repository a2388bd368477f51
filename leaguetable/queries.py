"""The one place the read side reads the ORM: years, scorecards, ranked rows, summaries."""

import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

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
from leaguetable import explain, intervals, organisations, ranking, shared, trends


def public_years() -> list[AssessmentYear]:
    return assurance_cache.public_years()


def withdrawn_years() -> list[AssessmentYear]:
    """Years once published and since withdrawn from public view, with why (methodology page)."""
    return list(AssessmentYear.objects.withdrawn_after_being_public().order_by("start_year"))


def previous_year(year: AssessmentYear, years: list[AssessmentYear]) -> AssessmentYear | None:
    """The latest year in `years` before `year`: movement is measured against it."""
    earlier = [y for y in years if y.start_year < year.start_year]
    return earlier[-1] if earlier else None


def published_year(slug: str, years):
    """The year of `years` (AssessmentYears or RankedYears) whose slug ('2009-10') is given.

    The read side picks from the cached list of published years rather than asking the database
    (AssessmentYear.objects.by_slug): a page served from its cache makes no query at all.
    """
    return next((year for year in years if year.slug == slug), None)


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


# Everything memoised here is derived from years' revisions, which every write bumps, so a key of
# revisions never goes stale: a small per-process memo is always correct and spares unpickling
# from a shared cache on every request.
MEMO_SIZE = 32


@dataclass(frozen=True, slots=True)
class YearRevision:
    """A memo key: a year as of one revision. Equal and hashed by id and revision only."""

    pk: int
    revision: int
    year: AssessmentYear = field(compare=False, hash=False)

    @classmethod
    def of(cls, year: AssessmentYear | None) -> "YearRevision | None":
        if year is None:
            return None
        newest = _newest_revisions.get(year.pk, year.revision)
        if year.revision > newest:
            # A write has moved the year on: what was kept for its old revision is never asked
            # for again, but would stay until MEMO_SIZE newer entries pushed it out (at 15,000
            # PCTs, 32 MB more per correction). Everything is let go; unchanged years are read
            # again from the shared cache, a chunk at a time.
            forget_ranked_rows()
        _newest_revisions[year.pk] = max(year.revision, newest)
        return cls(year.pk, year.revision, year)


# The newest revision this process has seen of each year, by the year's id.
_newest_revisions: dict[int, int] = {}
# What other modules keep per revision beside these memos (leaguetable.ranked_table), let go with
# them.
_also_forget: list[Callable[[], None]] = []


def also_forget(forget: Callable[[], None]) -> None:
    """Call `forget` whenever the memos here are emptied."""
    _also_forget.append(forget)


def ranked_rows(
    year: AssessmentYear, previous: AssessmentYear | None, method: ranking.RankingMethod
) -> list[ranking.RankedRow]:
    """The year's league table with movement against `previous`; memoised per revision."""
    return _ranked_rows(YearRevision.of(year), YearRevision.of(previous), method.slug)


def shared_ranked_rows(
    year: AssessmentYear, previous: AssessmentYear | None, method: ranking.RankingMethod
) -> shared.SharedRows:
    """ranked_rows, read from the shared cache a chunk at a time as they are asked for: the
    league page shows 200 rows of 15,000. Memoised per revision, with ranked_rows."""
    return _shared_ranked_rows(YearRevision.of(year), YearRevision.of(previous), method.slug)


def _ranked_rows(
    year: YearRevision, previous: YearRevision | None, method_slug: str
) -> list[ranking.RankedRow]:
    return _shared_ranked_rows(year, previous, method_slug).all()


@functools.lru_cache(maxsize=MEMO_SIZE)
def _shared_ranked_rows(
    year: YearRevision, previous: YearRevision | None, method_slug: str
) -> shared.SharedRows:
    return shared.SharedRows.read_or_build(
        f"rows:{_revision_key(year)}:{_revision_key(previous)}:{method_slug}",
        lambda: _build_ranked_rows(year, previous, method_slug),
    )


def _build_ranked_rows(
    year: YearRevision, previous: YearRevision | None, method_slug: str
) -> list[ranking.RankedRow]:
    rows = explain.with_standing(
        _ranked(year, method_slug),
        {slug: _ranks(year, slug) for slug in ranking.METHODS},
        _next_steps(year, method_slug),
        _rank_intervals(year, method_slug),
    )
    if previous is None:
        return rows
    return ranking.with_movement(rows, _ranked(previous, method_slug))


def _revision_key(year: YearRevision | None) -> str:
    return "none" if year is None else f"{year.pk}-{year.revision}"


# The year's scorecards and plain rankings are memoised on their own, so ranking a year under
# every method (for the ranks side by side) reads the database once.
@functools.lru_cache(maxsize=MEMO_SIZE)
def _scorecards(year: YearRevision) -> list[ranking.PCTScorecard]:
    return year_scorecards(year.year)


@functools.lru_cache(maxsize=MEMO_SIZE)
def _ranked(year: YearRevision, method_slug: str) -> list[ranking.RankedRow]:
    return ranking.rank(_scorecards(year), ranking.METHODS[method_slug])


@functools.lru_cache(maxsize=MEMO_SIZE)
def _ranks(year: YearRevision, method_slug: str) -> dict[str, int]:
    return {row.scorecard.pct_code: row.rank for row in _ranked(year, method_slug)}


@functools.lru_cache(maxsize=MEMO_SIZE)
def _next_steps(year: YearRevision, method_slug: str) -> dict[str, explain.NextStep]:
    return explain.next_steps(_scorecards(year), ranking.METHODS[method_slug])


def _rank_intervals(year: YearRevision, method_slug: str) -> dict[str, intervals.RankInterval]:
    """PCT code -> its rank interval under the method. Not memoised: it is worked out only when
    the ranked rows are built, and kept in them. The competencies are those scored that year,
    read from the scorecards rather than asked of the database."""
    scorecards = _scorecards(year)
    scored = sorted({number for scorecard in scorecards for number in scorecard.scores})
    (resampled,) = intervals.resample(scorecards, scored, year.year.start_year, [method_slug])
    return resampled.intervals()


def timeline(
    method: ranking.RankingMethod, years: list[AssessmentYear] | None = None
) -> list[trends.RankedYear]:
    """Every published year (or `years`), oldest first, ranked by `method` and summarised;
    memoised."""
    years = public_years() if years is None else years
    return [summarised_year(year, previous_year(year, years), method) for year in years]


def built_once_per_revision(name: str, years: list[AssessmentYear], method_slug: str, build):
    """`build()`, for `years` as of their revisions ranked by `method_slug`: memoised in this
    process and shared by every other through the cache.

    For what a page derives from every year's ranked rows but needs far less of than the rows
    themselves (the overview's charts need ten movers of 15,000 PCTs): a worker that starts
    unpickles the small result instead of every year's rows, and nobody rebuilds it until a
    write bumps a year's revision.
    """
    key = _per_revision_key(name, years, method_slug)
    try:
        return _built[key]
    except KeyError:
        pass
    value = shared.read_or_build(key, build)
    if len(_built) >= MEMO_SIZE:
        _built.clear()  # keys of past revisions are never asked for again
    _built[key] = value
    return value


def shared_per_revision(name: str, years: list[AssessmentYear], method_slug: str, build):
    """As built_once_per_revision, but read from the shared cache on every call rather than
    memoised here: for what there is one of per PCT (15,000 would crowd the memo), and which is
    small enough to read on every request."""
    return shared.read_or_build(_per_revision_key(name, years, method_slug), build)


def _per_revision_key(name: str, years: list[AssessmentYear], method_slug: str) -> str:
    return f"{name}:{'.'.join(_revision_key(YearRevision.of(y)) for y in years)}:{method_slug}"


_built: dict[str, object] = {}


def summarised_year(
    year: AssessmentYear, previous: AssessmentYear | None, method: ranking.RankingMethod
) -> trends.RankedYear:
    return _summarised_year(YearRevision.of(year), YearRevision.of(previous), method.slug)


@functools.lru_cache(maxsize=MEMO_SIZE)
def _summarised_year(
    year: YearRevision, previous: YearRevision | None, method_slug: str
) -> trends.RankedYear:
    rows = _shared_ranked_rows(year, previous, method_slug)  # read when a page asks for them
    competencies, summary = shared.read_or_build(
        f"summary:{_revision_key(year)}:{_revision_key(previous)}:{method_slug}",
        lambda: (
            tuple(trends.CompetencyRef(c.number, c.name) for c in year_competencies(year.year)),
            trends.summarise(rows),
        ),
    )
    return trends.RankedYear.build(
        rows=rows,
        summary=summary,
        label=year.year.label,
        slug=year.year.slug,
        is_illustrative=year.year.is_illustrative,
        is_hypothetical=year.year.is_hypothetical,
        note=year.year.note,
        competencies=competencies,
    )


def sha_rows(year: trends.RankedYear, sha_code: str) -> list[ranking.RankedRow]:
    """The year's rows of one SHA's PCTs, in rank order: shared beside the year's rows, so a
    restarted worker reads the SHA's 1,500 rows of 15,000, not all of them. `sha_code` must be
    one of the year's (year.summary.by_sha): nothing is stored for a code that names none."""
    return year.rows.derived(
        f"sha:{sha_code}", lambda: [row for row in year.rows if row.scorecard.sha_code == sha_code]
    )


def forget_ranked_rows() -> None:
    """Empty every memo of ranked rows in this process: when a year has moved on to a newer
    revision, and for tests and benchmarks that want a cold start."""
    for memo in (_shared_ranked_rows, _summarised_year, _scorecards, _ranked, _ranks, _next_steps):
        memo.cache_clear()
    _built.clear()
    _newest_revisions.clear()
    for forget in _also_forget:
        forget()


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
