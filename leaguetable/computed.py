"""Values computed from the record once per year revision and shared by every process
(assurance.cache.cached, docs/caching.md): each public year's ranked rows, summaries and rank
intervals, read by every page. The database reads they start from are in queries.py."""

from assurance import cache as assurance_cache
from assurance.models import AssessmentYear
from leaguetable import explain, intervals, queries, ranking, search, trends
from leaguetable.ranked_year import CompetencyRef, RankedYear
from leaguetable.years import previous_year


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
    return assurance_cache.cached(
        "scorecards", [year], lambda: queries.year_scorecards(year), shared=False
    )


def _ranked(year: AssessmentYear, method: ranking.RankingMethod) -> list[ranking.RankedRow]:
    return assurance_cache.cached(
        f"ranked:{method.slug}",
        [year],
        lambda: ranking.rank(_scorecards(year), method),
        shared=False,
    )


def rank_intervals(year: AssessmentYear) -> dict[str, dict[str, ranking.RankInterval]]:
    """Method slug -> PCT code -> its rank interval (leaguetable/intervals.py): all three methods
    at once, sharing the resampled totals; cached under the year's revision. The competencies
    are those scored that year, read from the scorecards rather than asked of the database."""

    def build():
        scorecards = _scorecards(year)
        return intervals.rank_intervals(scorecards, _scored(scorecards), year.start_year)

    return assurance_cache.cached("rank-intervals", [year], build)


def rank_shares(
    year: AssessmentYear, method: ranking.RankingMethod, codes: list[str]
) -> list[intervals.PairShares]:
    """For every pair of the assessed PCTs among `codes`, how often each ranked above the other
    in the year's resamplings under `method` (the same replicates as the rank intervals);
    cached under the year's revision, per method and PCTs."""

    def build():
        scorecards = _scorecards(year)
        found = intervals.resample(scorecards, _scored(scorecards), year.start_year, [method.slug])
        resampled = next(found)
        assessed = [code for code in codes if code in set(resampled.pct_codes)]
        return intervals.pair_shares(assessed, resampled.shares_above(assessed))

    return assurance_cache.cached(f"rank-shares:{method.slug}:{'.'.join(codes)}", [year], build)


def _scored(scorecards: list[ranking.PCTScorecard]) -> list[int]:
    """The competencies scored that year, read from the scorecards rather than the database."""
    return sorted({number for scorecard in scorecards for number in scorecard.scores})


def competencies(year: AssessmentYear) -> tuple[CompetencyRef, ...]:
    """The competencies `year` scored, by number: the league table's columns. Kept rather than
    read: the query was 6.5% of a warm league page's CPU (profiled, 152 PCTs)."""
    return assurance_cache.cached(
        "competencies",
        [year],
        lambda: tuple(CompetencyRef(c.number, c.name) for c in queries.year_competencies(year)),
    )


def timeline(
    method: ranking.RankingMethod, years: list[AssessmentYear] | None = None
) -> list[RankedYear]:
    """Every published year (or `years`), oldest first, ranked by `method` and summarised."""
    years = queries.public_years() if years is None else years
    return [summarised_year(year, previous_year(year, years), method) for year in years]


def summarised_year(
    year: AssessmentYear, previous: AssessmentYear | None, method: ranking.RankingMethod
) -> RankedYear:
    def read_rows() -> list[ranking.RankedRow]:
        return ranked_rows(year, previous, method)

    def read_sha_rows(sha_code: str) -> list[ranking.RankedRow]:
        # Shared: a restarted worker's SHA page reads its SHA's rows, not the whole year's
        # (5.6× its warm CPU otherwise at 1,500 PCTs; docs/decisions.md).
        return assurance_cache.cached(
            f"sha-rows:{method.slug}:{sha_code}",
            [year, previous],
            lambda: [row for row in read_rows() if row.scorecard.sha_code == sha_code],
        )

    def build() -> RankedYear:
        return RankedYear(
            read_rows=read_rows,
            read_sha_rows=read_sha_rows,
            # Shared: summarising walks every row (at 1,500 PCTs, more than a warm page's CPU).
            summary=assurance_cache.cached(
                f"summary:{method.slug}", [year, previous], lambda: trends.summarise(read_rows())
            ),
            label=year.label,
            slug=year.slug,
            is_illustrative=year.is_illustrative,
            is_hypothetical=year.is_hypothetical,
            note=year.note,
            competencies=competencies(year),
        )

    # In this process only: its parts are shared, and it reads the rows only when asked.
    return assurance_cache.cached(f"year:{method.slug}", [year, previous], build, shared=False)


def forget_ranked_rows() -> None:
    """Forget what this process keeps (a restarted worker): for tests and benchmarks."""
    assurance_cache.forget_memo()


def candidates_on_record(years) -> list[search.Candidate]:
    """Every PCT on record, to search or to offer as the reader types, in name order. PCTs are
    reference data, whose every write moves the years' revisions: cached with the years."""

    def build():
        pcts = (search.Candidate(code, name) for code, name in queries.pcts_on_record())
        return sorted(pcts, key=lambda pct: pct.name.casefold())

    return assurance_cache.cached("pcts-on-record", years, build)
