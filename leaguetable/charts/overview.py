"""The national overview's charts: score distributions, governance shares and the biggest movers."""

from itertools import pairwise

from leaguetable.charts import caterpillar
from leaguetable.charts.chart import Chart, Column, titled
from leaguetable.charts.figures import Heatmap, diverging_bars, heatmaps
from leaguetable.charts.governance import green_headline, rag_chart, rag_records
from leaguetable.ranked_year import RankedYear, competencies_scored
from leaguetable.trends import biggest_movers, share

SCORES = (1, 2, 3, 4)
MOVERS_SHOWN = 10


def charts(timeline: list[RankedYear]) -> list[Chart]:
    illustrative = any(year.is_illustrative for year in timeline)
    ratings = rag_records(timeline, lambda year: year.summary.england)
    return [
        score_chart(timeline, illustrative),
        rag_chart(
            titled(f"England: {green_headline(ratings, shares=True)}", illustrative),
            ratings,
            shares=True,
        ),
        *(movers_chart(previous, year, illustrative) for previous, year in pairwise(timeline)),
        *caterpillar.of_latest_year(timeline, "England", illustrative),
    ]


def score_records(timeline: list[RankedYear]) -> list[dict]:
    records = []
    for competency in competencies_scored(timeline):
        for year in timeline:
            counts = year.summary.england.score_counts.get(competency.number)
            if counts is None:
                continue
            scored = sum(counts.values())
            record = {
                "competency": competency.number,
                "competency_name": f"C{competency.number} {competency.name}",
                "year": year.label,
            }
            for score in SCORES:
                record |= {
                    f"score_{score}": counts[score],
                    f"score_{score}_share": share(counts[score], scored),
                }
            records.append(record | {"pcts_scored": scored})
    return records


def score_chart(timeline: list[RankedYear], illustrative: bool) -> Chart:
    records = score_records(timeline)
    names = [f"C{c.number} {c.name}" for c in competencies_scored(timeline)]
    panels = []
    for year in timeline:
        shares = {r["competency_name"]: r for r in records if r["year"] == year.label}
        z = [[_share(shares.get(name), score) for score in SCORES] for name in names]
        panels.append(Heatmap(f"Score, {year.label}", [str(s) for s in SCORES], names, z))
    title = titled(f"England: {high_scores_headline(records)}", illustrative)
    return Chart(
        slug="scores",
        heading="Competency scores",
        title=title,
        figure=heatmaps(title, panels, zmax=100, text_format=_percent),
        columns=(
            Column("competency_name", "Competency"),
            Column("year", "Year"),
            *(Column(f"score_{score}_share", f"Score {score} %") for score in SCORES),
            Column("pcts_scored", "PCTs scored"),
        ),
        records=records,
    )


def high_scores_headline(records: list[dict]) -> str:
    """The share of all competency scores that were 3 or 4, in the first and the latest year."""
    shares = {}
    for record in records:
        high, all_scores = shares.get(record["year"], (0, 0))
        high += record["score_3"] + record["score_4"]
        shares[record["year"]] = (high, all_scores + record["pcts_scored"])
    if not shares:
        return "no competency scored"
    percent = {year: share(high, scored) for year, (high, scored) in shares.items()}
    years = list(percent)
    latest = f"{percent[years[-1]]:.0f}% of scores were 3 or 4 in {years[-1]}"
    if len(years) == 1:
        return latest
    return f"{latest}, against {percent[years[0]]:.0f}% in {years[0]}"


def _percent(value: float | None) -> str:
    # A dash, not words: plotly sizes every cell's text to fit the longest.
    return "–" if value is None else f"{value:.0f}%"


def _share(record: dict | None, score: int) -> float | None:
    return record[f"score_{score}_share"] if record else None


def movers_headline(risers, fallers, previous: RankedYear, year: RankedYear) -> str:
    if not risers and not fallers:
        return f"No PCT changed rank from {previous.label} to {year.label}"
    parts = []
    if risers:
        parts.append(f"{risers[0].scorecard.pct_name} gained most ({risers[0].movement} places)")
    if fallers:
        parts.append(f"{fallers[0].scorecard.pct_name} lost most ({-fallers[0].movement})")
    return f"{'; '.join(parts)}, {previous.label} to {year.label}"


def movers_chart(previous: RankedYear, year: RankedYear, illustrative: bool) -> Chart:
    risers, fallers = biggest_movers(year.rows, MOVERS_SHOWN)
    records = [
        {
            "pct_code": row.scorecard.pct_code,
            "pct_name": row.scorecard.pct_name,
            "sha_code": row.scorecard.sha_code,
            "sha_name": row.scorecard.sha_name,
            "previous_rank": row.previous_rank,
            "rank": row.rank,
            "places_gained": row.movement,
        }
        for row in (*risers, *fallers)
    ]
    title = titled(movers_headline(risers, fallers, previous, year), illustrative)
    labels = [f"{r['pct_name']} ({r['pct_code']})" for r in records]
    places = [r["places_gained"] for r in records]
    return Chart(
        slug=f"movers-{year.slug}",
        heading=f"Biggest movers, {previous.label} to {year.label}",
        title=title,
        figure=diverging_bars(title, labels, places, "Places gained (− lost)"),
        columns=(
            Column("pct_name", "PCT"),
            Column("sha_name", "SHA"),
            Column("previous_rank", f"Rank {previous.label}"),
            Column("rank", f"Rank {year.label}"),
            Column("places_gained", "Places gained"),
        ),
        records=records,
    )
