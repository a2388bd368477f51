"""A PCT profile's charts: each competency's change between the last two years beside the
medians, its rank as a bump chart, and its governance ratings counted by year."""

from assurance.vocabulary import AREA_NAMES, GOVERNANCE_AREAS, RAG_POINTS, RAG_WORDS
from leaguetable.charts import headlines
from leaguetable.charts.chart import Chart, Column, aligned, titled
from leaguetable.charts.figures import (
    ENGLAND_STYLE,
    PCT_STYLE,
    RAG_ORDER,
    SCORE_AXIS,
    SHA_STYLE,
    Dumbbell,
    Series,
    bump_axis,
    dumbbells,
    rating_counts,
    year_lines,
)
from leaguetable.ranked_year import RankedYear, competencies_scored
from leaguetable.ranking import PCTScorecard

MEDIAN_COLUMNS = (Column("sha_median", "SHA median"), Column("england_median", "England median"))


def charts(timeline: list[RankedYear], pct: PCTScorecard) -> list[Chart]:
    illustrative = any(year.is_illustrative for year in timeline)
    return [
        competency_chart(timeline, pct, illustrative),
        rank_chart(timeline, pct, illustrative),
        governance_chart(timeline, pct, illustrative),
    ]


def _three_series(records, years, pct: PCTScorecard, value_key: str, **where) -> list[Series]:
    """The PCT's values beside its SHA's and England's medians (every record carries all three)."""
    return [
        Series(pct.pct_name, aligned(records, years, value_key, **where), PCT_STYLE),
        Series(f"{pct.sha_name} median", aligned(records, years, "sha_median", **where), SHA_STYLE),
        Series("England median", aligned(records, years, "england_median", **where), ENGLAND_STYLE),
    ]


def competency_records(timeline: list[RankedYear], pct: PCTScorecard) -> list[dict]:
    records = []
    for competency in competencies_scored(timeline):
        number = competency.number
        for year in timeline:
            if number not in year.competency_numbers:
                continue
            row, sha = year.by_code.get(pct.pct_code), year.sha_summary(pct.sha_code)
            records.append(
                {
                    "competency": number,
                    "competency_name": f"C{number} {competency.name}",
                    "year": year.label,
                    "score": row.scorecard.scores.get(number) if row else None,
                    "sha_median": sha.score_medians.get(number) if sha else None,
                    "england_median": year.summary.england.score_medians.get(number),
                }
            )
    return records


def last_two(timeline: list[RankedYear]) -> tuple[RankedYear | None, RankedYear]:
    """The two years a change chart compares: the latest and the one before (None if none)."""
    return (timeline[-2] if len(timeline) > 1 else None), timeline[-1]


def competency_dumbbells(records, pct: PCTScorecard, before, after) -> list[Dumbbell]:
    """One row per competency: the PCT's score the year before and the latest year, and its
    SHA's and England's medians of the latest year as marks."""

    def value(number, year, key):
        if year is None:
            return None
        found = (r for r in records if r["competency"] == number and r["year"] == year.label)
        return next((r[key] for r in found), None)

    rows = []
    for competency in after.competencies:
        number = competency.number
        rows.append(
            Dumbbell(
                f"C{number} {competency.name}",
                value(number, before, "score"),
                value(number, after, "score"),
                {
                    f"{pct.sha_name} median, {after.label}": value(number, after, "sha_median"),
                    f"England median, {after.label}": value(number, after, "england_median"),
                },
            )
        )
    return rows


def competency_chart(timeline, pct: PCTScorecard, illustrative: bool) -> Chart:
    records = competency_records(timeline, pct)
    before, after = last_two(timeline)
    rows = competency_dumbbells(records, pct, before, after)
    if before is None:
        notice = f"competency scores in {after.label}"
    else:
        moves = headlines.competency_moves([(row.before, row.after) for row in rows])
        notice = f"{moves}, {before.label} to {after.label}"
    title = titled(f"{pct.pct_name}: {notice}", illustrative)
    score_axis = {**SCORE_AXIS, "title": {"text": "Score, 1 to 4"}}
    return Chart(
        slug="competencies",
        heading="Competency scores",
        title=title,
        figure=dumbbells(
            title,
            rows,
            before.label if before else "",
            after.label,
            score_axis,
            PCT_STYLE["line"]["color"],
        ),
        columns=(
            Column("competency_name", "Competency"),
            Column("year", "Year"),
            Column("score", "Score"),
            *MEDIAN_COLUMNS,
        ),
        records=records,
    )


def rank_records(timeline: list[RankedYear], pct: PCTScorecard) -> list[dict]:
    records = []
    for year in timeline:
        row, sha = year.by_code.get(pct.pct_code), year.sha_summary(pct.sha_code)
        records.append(
            {
                "year": year.label,
                "rank": row.rank if row else None,
                "rank_shared": row.tied if row else None,
                "pcts_ranked": year.summary.england.assessed,
                "sha_median": sha.rank_median if sha else None,
                "england_median": year.summary.england.rank_median,
            }
        )
    return records


def rank_chart(timeline, pct: PCTScorecard, illustrative: bool) -> Chart:
    records = rank_records(timeline, pct)
    years = [year.label for year in timeline]
    series = _three_series(records, years, pct, "rank")
    ranks = series[0].values
    before = ranks[-2] if len(ranks) > 1 else None
    move = headlines.rank_move(before, ranks[-1], records[-1]["pcts_ranked"])
    title = titled(f"{pct.pct_name} {move} in England", illustrative)
    return Chart(
        slug="rank",
        heading="Rank in England",
        title=title,
        figure=year_lines(title, years, series, bump_axis(series)),
        columns=(
            Column("year", "Year"),
            Column("rank", "Rank"),
            Column("pcts_ranked", "PCTs ranked"),
            *MEDIAN_COLUMNS,
        ),
        records=records,
    )


def governance_records(timeline: list[RankedYear], pct: PCTScorecard) -> list[dict]:
    records = []
    for area in GOVERNANCE_AREAS:
        for year in timeline:
            row, sha = year.by_code.get(pct.pct_code), year.sha_summary(pct.sha_code)
            rating = getattr(row.scorecard, area) if row else None
            records.append(
                {
                    "area": AREA_NAMES[area],
                    "year": year.label,
                    "rating": RAG_WORDS.get(rating),
                    "points": RAG_POINTS.get(rating),
                    "sha_median": sha.governance_medians[area] if sha else None,
                    "england_median": year.summary.england.governance_medians[area],
                }
            )
    return records


def _rating(timeline_year, pct: PCTScorecard, area: str) -> str | None:
    if timeline_year is None or (row := timeline_year.by_code.get(pct.pct_code)) is None:
        return None
    return getattr(row.scorecard, area)


def governance_chart(timeline, pct: PCTScorecard, illustrative: bool) -> Chart:
    records = governance_records(timeline, pct)
    years = [year.label for year in timeline]
    areas_by_rating = {
        rating: [
            [AREA_NAMES[a] for a in GOVERNANCE_AREAS if _rating(year, pct, a) == rating]
            for year in timeline
        ]
        for rating in RAG_ORDER
    }
    before, after = last_two(timeline)
    changes = [
        (AREA_NAMES[a], _rating(before, pct, a), _rating(after, pct, a)) for a in GOVERNANCE_AREAS
    ]
    notice = headlines.rating_changes(changes)
    title = titled(f"{pct.pct_name}: {notice}", illustrative)
    return Chart(
        slug="governance",
        heading="Governance ratings",
        title=title,
        figure=rating_counts(title, years, areas_by_rating),
        columns=(
            Column("area", "Governance area"),
            Column("year", "Year"),
            Column("rating", "Rating"),
            Column("points", "Points"),
            *MEDIAN_COLUMNS,
        ),
        records=records,
    )
