"""Red, amber and green ratings per governance area and year, for an SHA's PCTs or England's."""

from collections.abc import Callable

from assurance.vocabulary import AREA_NAMES, GOVERNANCE_AREAS, RAG_WORDS
from leaguetable.charts.chart import Chart, Column
from leaguetable.charts.figures import RAG_ORDER, rag_bars
from leaguetable.trends import GroupSummary, RankedYear, share

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
