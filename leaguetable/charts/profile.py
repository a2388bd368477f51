"""A PCT profile's charts: competency scores, rank and governance by year, beside the medians."""

from assurance.vocabulary import AREA_NAMES, GOVERNANCE_AREAS, RAG_POINTS, RAG_WORDS
from leaguetable.charts.chart import Chart, Column, aligned, titled
from leaguetable.charts.figures import (
    ENGLAND_STYLE,
    PCT_STYLE,
    SHA_STYLE,
    Panel,
    Series,
    line_panels,
    rank_axis,
)
from leaguetable.ranking import PCTScorecard
from leaguetable.trends import RankedYear, competencies_scored, most_ranked

MEDIAN_COLUMNS = (Column("sha_median", "SHA median"), Column("england_median", "England median"))
GOVERNANCE_AXIS = {
    "range": [-0.25, 2.25],
    "tickvals": [0, 1, 2],
    "ticktext": ["Red (0)", "Amber (1)", "Green (2)"],
}


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


def competency_chart(timeline, pct: PCTScorecard, illustrative: bool) -> Chart:
    records = competency_records(timeline, pct)
    years = [year.label for year in timeline]
    panels = [
        Panel(
            f"C{c.number} {c.name}",
            _three_series(records, years, pct, "score", competency=c.number),
        )
        for c in competencies_scored(timeline)
    ]
    title = titled(f"{pct.pct_name}: competency scores by year", illustrative)
    score_axis = {"range": [0.5, 4.5], "dtick": 1, "title": {"text": "Score"}}
    return Chart(
        slug="competencies",
        heading="Competency scores",
        title=title,
        figure=line_panels(title, years, panels, score_axis, columns=3),
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
    title = titled(f"{pct.pct_name}: rank in England by year", illustrative)
    return Chart(
        slug="rank",
        heading="Rank in England",
        title=title,
        figure=line_panels(
            title, years, [Panel("Assurance year", series)], rank_axis(most_ranked(timeline))
        ),
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


def governance_chart(timeline, pct: PCTScorecard, illustrative: bool) -> Chart:
    records = governance_records(timeline, pct)
    years = [year.label for year in timeline]
    panels = [
        Panel(name, _three_series(records, years, pct, "points", area=name))
        for name in AREA_NAMES.values()
    ]
    title = titled(f"{pct.pct_name}: governance ratings by year", illustrative)
    return Chart(
        slug="governance",
        heading="Governance ratings",
        title=title,
        figure=line_panels(title, years, panels, GOVERNANCE_AXIS, columns=3),
        columns=(
            Column("area", "Governance area"),
            Column("year", "Year"),
            Column("rating", "Rating"),
            Column("points", "Points"),
            *MEDIAN_COLUMNS,
        ),
        records=records,
    )
