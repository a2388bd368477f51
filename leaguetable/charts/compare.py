"""The comparison page's charts: two to six PCTs' ranks and scores over the years, overlaid."""

from leaguetable.charts.chart import Chart, Column, aligned, titled
from leaguetable.charts.figures import (
    COMPARE_STYLES,
    ENGLAND_STYLE,
    Panel,
    Series,
    grouped_bars,
    line_panels,
    rank_axis,
)
from leaguetable.ranking import PCTScorecard
from leaguetable.trends import RankedYear, mean_score, most_ranked

PCT_COLUMNS = (Column("pct_name", "PCT"), Column("year", "Year"))


def charts(timeline: list[RankedYear], pcts: list[PCTScorecard]) -> list[Chart]:
    illustrative = any(year.is_illustrative for year in timeline)
    return [
        rank_chart(timeline, pcts, illustrative),
        mean_score_chart(timeline, pcts, illustrative),
        latest_scores_chart(timeline[-1], pcts, illustrative),
    ]


def _by_year(timeline, pcts, value) -> list[dict]:
    """One record per PCT and year with `value(row)`, None where the PCT has no row."""
    records = []
    for pct in pcts:
        for year in timeline:
            row = year.by_code.get(pct.pct_code)
            records.append(
                {
                    "pct_code": pct.pct_code,
                    "pct_name": pct.pct_name,
                    "year": year.label,
                    **value(row, year),
                }
            )
    return records


def _pct_series(records, years, pcts, key) -> list[Series]:
    return [
        Series(pct.pct_name, aligned(records, years, key, pct_code=pct.pct_code), style)
        for pct, style in zip(pcts, COMPARE_STYLES, strict=False)
    ]


def rank_chart(timeline, pcts: list[PCTScorecard], illustrative: bool) -> Chart:
    records = _by_year(timeline, pcts, lambda row, year: {"rank": row.rank if row else None})
    years = [year.label for year in timeline]
    title = titled("Rank in England by year", illustrative)
    panel = Panel("Assurance year", _pct_series(records, years, pcts, "rank"))
    return Chart(
        slug="rank",
        heading="Rank in England",
        title=title,
        figure=line_panels(title, years, [panel], rank_axis(most_ranked(timeline))),
        columns=(*PCT_COLUMNS, Column("rank", "Rank")),
        records=records,
    )


def _mean_scores(row, year) -> dict:
    mean = mean_score(row.scorecard) if row else None
    return {
        "mean_score": round(mean, 2) if mean is not None else None,
        "england_median": year.summary.england.mean_score_median,
    }


def mean_score_chart(timeline, pcts: list[PCTScorecard], illustrative: bool) -> Chart:
    records = _by_year(timeline, pcts, _mean_scores)
    years = [year.label for year in timeline]
    england = [year.summary.england.mean_score_median for year in timeline]
    series = [
        *_pct_series(records, years, pcts, "mean_score"),
        Series("England median", england, ENGLAND_STYLE),
    ]
    title = titled("Average competency score by year", illustrative)
    score_axis = {"range": [0.5, 4.5], "dtick": 1, "title": {"text": "Average score (1–4)"}}
    return Chart(
        slug="mean-score",
        heading="Average competency score",
        title=title,
        figure=line_panels(title, years, [Panel("Assurance year", series)], score_axis),
        columns=(
            *PCT_COLUMNS,
            Column("mean_score", "Average score"),
            Column("england_median", "England median"),
        ),
        records=records,
    )


def latest_scores_chart(year: RankedYear, pcts: list[PCTScorecard], illustrative: bool) -> Chart:
    records = []
    for pct in pcts:
        row = year.by_code.get(pct.pct_code)
        for competency in year.competencies:
            number = competency.number
            records.append(
                {
                    "pct_code": pct.pct_code,
                    "pct_name": pct.pct_name,
                    "competency": number,
                    "competency_name": f"C{number} {competency.name}",
                    "score": row.scorecard.scores.get(number) if row else None,
                    "england_median": year.summary.england.score_medians.get(number),
                }
            )
    labels = [f"C{c.number}" for c in year.competencies]
    bars = [
        Series(pct.pct_name, [r["score"] for r in records if r["pct_code"] == pct.pct_code], style)
        for pct, style in zip(pcts, COMPARE_STYLES, strict=False)
    ]
    england = Series(
        "England median",
        [year.summary.england.score_medians.get(c.number) for c in year.competencies],
        ENGLAND_STYLE,
    )
    title = titled(f"Competency scores in {year.label}", illustrative)
    score_axis = {"range": [0, 4.3], "dtick": 1, "title": {"text": "Score"}}
    return Chart(
        slug="latest-scores",
        heading=f"Competency scores, {year.label}",
        title=title,
        figure=grouped_bars(title, labels, bars, england, score_axis),
        columns=(
            Column("pct_name", "PCT"),
            Column("competency_name", "Competency"),
            Column("score", "Score"),
            Column("england_median", "England median"),
        ),
        records=records,
    )
