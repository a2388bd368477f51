"""Red, amber and green ratings per governance area and year, for an SHA's PCTs or England's."""

from collections.abc import Callable

from assurance.vocabulary import AREA_NAMES, GOVERNANCE_AREAS, RAG_WORDS
from leaguetable.charts.chart import Chart, Column
from leaguetable.charts.figures import RAG_ORDER, rag_bars
from leaguetable.ranked_year import RankedYear
from leaguetable.trends import GroupSummary, share

COLOURS = {rating: RAG_WORDS[rating].lower() for rating in RAG_ORDER}


def rag_records(
    timeline: list[RankedYear], summary_of: Callable[[RankedYear], GroupSummary | None]
) -> list[dict]:
    records = []
    for year in timeline:
        summary = summary_of(year)
        if summary is None or not summary.assessed:
            continue
        for area in GOVERNANCE_AREAS:
            record = {"year": year.label, "area": AREA_NAMES[area]}
            for rating, colour in COLOURS.items():
                pcts = summary.rag_counts[area][rating]
                record |= {colour: pcts, f"{colour}_share": share(pcts, summary.assessed)}
            records.append(record | {"pcts_assessed": summary.assessed})
    return records


def green_headline(records: list[dict], shares: bool) -> str:
    """The area whose green count (or share) changed most between the last two years, or the
    latest year's greens when there is only one."""
    years = list(dict.fromkeys(record["year"] for record in records))
    key = "green_share" if shares else "green"
    unit = "% of PCTs" if shares else " PCTs"

    def greens(year, area):
        found = (r[key] for r in records if r["year"] == year and r["area"] == area)
        return next(found, None)

    areas = list(dict.fromkeys(record["area"] for record in records))
    if not years:
        return "no PCT assessed"
    if len(years) == 1:
        best = max(areas, key=lambda area: greens(years[-1], area) or 0)
        return f"{best} had the most greens in {years[-1]}: {greens(years[-1], best):g}{unit}"
    before, after = years[-2], years[-1]
    moves = [
        (area, greens(before, area), greens(after, area))
        for area in areas
        if greens(before, area) is not None and greens(after, area) is not None
    ]
    if not moves:
        return f"governance ratings in {after}"
    area, old, new = max(moves, key=lambda move: (abs(move[2] - move[1]), move[2]))
    if old == new:
        return f"green ratings held in every area from {before} to {after}"
    verb = "rose" if new > old else "fell"
    return f"green {area.lower()} ratings {verb} from {old:g} to {new:g}{unit}, {before} to {after}"


def rag_chart(title: str, records: list[dict], shares: bool) -> Chart:
    """Stacked bars of PCTs (or their share, in %) rated green, amber and red."""
    suffix = "_share" if shares else ""
    values = {
        rating: [r[f"{colour}{suffix}"] for r in records] for rating, colour in COLOURS.items()
    }
    bars = [(record["year"], record["area"]) for record in records]
    axis_title = "Share of PCTs assessed (%)" if shares else "PCTs"
    rating_columns = []
    for colour in COLOURS.values():
        rating_columns += [
            Column(colour, colour.title()),
            Column(f"{colour}_share", f"{colour.title()} %"),
        ]
    return Chart(
        slug="governance",
        heading="Governance ratings",
        title=title,
        figure=rag_bars(title, bars, values, axis_title, unit="%" if shares else ""),
        columns=(
            Column("year", "Year"),
            Column("area", "Governance area"),
            *rating_columns,
            Column("pcts_assessed", "PCTs assessed"),
        ),
        records=records,
    )
