"""The national overview's charts: score distributions, governance shares and the biggest movers."""

from itertools import pairwise

from leaguetable.charts import caterpillar
from leaguetable.charts.chart import Chart, Column, titled
from leaguetable.charts.figures import diverging_bars
from leaguetable.charts.governance import green_headline, rag_chart, rag_records
from leaguetable.charts.headlines import joined, sharing_the_top
from leaguetable.charts.shading import ShadedRow, ShadedTable, shaded
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
    """Drawn as a table: each competency's shares at each score, one column group a year."""
    records = score_records(timeline)
    title = titled(f"England: {high_scores_headline(records)}", illustrative)
    return Chart(
        slug="scores",
        heading="Competency scores",
        title=title,
        figure=None,
        columns=(
            Column("competency_name", "Competency"),
            Column("year", "Year"),
            *(Column(f"score_{score}_share", f"Score {score} %") for score in SCORES),
            Column("pcts_scored", "PCTs scored"),
        ),
        records=records,
        shaded=score_shares(timeline, records),
    )


def score_shares(timeline: list[RankedYear], records: list[dict]) -> ShadedTable:
    by_row = {(r["competency_name"], r["year"]): r for r in records}
    rows = []
    for competency in competencies_scored(timeline):
        name = f"C{competency.number} {competency.name}"
        cells = [
            shaded(value, 100, _percent(value))
            for year in timeline
            for value in (_share(by_row.get((name, year.label)), score) for score in SCORES)
        ]
        rows.append(ShadedRow(name, tuple(cells)))
    return ShadedTable(
        caption="PCTs at each score, %",
        note="The share of PCTs scoring 1 (lowest) to 4 (world class) in each competency, "
        "darker for a larger share; – where the competency was not scored that year.",
        row_heading="Competency",
        groups=tuple(year.label for year in timeline),
        columns=tuple(f"Score {score}" for score in SCORES),
        rows=tuple(rows),
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
    # A dash, not words: the columns stay narrow enough for a phone.
    return "–" if value is None else f"{value:.0f}%"


def _share(record: dict | None, score: int) -> float | None:
    return record[f"score_{score}_share"] if record else None


def movers_headline(rows, previous: str, year: str) -> str:
    """Who gained most places and who lost most, among all the year's `rows`: every PCT sharing
    the most named, not only those the chart has room for."""
    parts = []
    for verb, sign in (("gained", 1), ("lost", -1)):
        moved = [row for row in rows if row.movement and row.movement * sign > 0]
        if not moved:
            continue
        most, places = sharing_the_top(moved, lambda row, sign=sign: row.movement * sign)
        each = " each" if len(most) > 1 else ""
        names = joined([row.scorecard.pct_name for row in most])
        parts.append(f"{names} {verb} most ({places} place{'s' if places != 1 else ''}{each})")
    if not parts:
        return f"No PCT changed rank from {previous} to {year}"
    return f"{'; '.join(parts)}, {previous} to {year}"


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
    title = titled(movers_headline(year.rows, previous.label, year.label), illustrative)
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
