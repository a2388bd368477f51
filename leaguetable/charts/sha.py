"""An SHA page's charts: its PCTs' totals against England's, and their governance ratings."""

from leaguetable.charts import caterpillar
from leaguetable.charts.chart import Chart, Column, titled
from leaguetable.charts.figures import ENGLAND_STYLE, SHA_STYLE, BoxGroup, quartile_boxes
from leaguetable.charts.governance import green_headline, rag_chart, rag_records
from leaguetable.ranked_year import RankedYear

ENGLAND = "England"


def charts(timeline: list[RankedYear], sha_code: str, sha_name: str) -> list[Chart]:
    illustrative = any(year.is_illustrative for year in timeline)
    ratings = rag_records(timeline, lambda year: year.sha_summary(sha_code))
    return [
        totals_chart(timeline, sha_code, sha_name, illustrative),
        rag_chart(
            titled(f"{sha_name}: {green_headline(ratings, shares=False)}", illustrative),
            ratings,
            shares=False,
        ),
        *caterpillar.of_latest_year(
            timeline,
            sha_name,
            illustrative,
            {
                r.scorecard.pct_code
                for y in timeline
                for r in y.rows
                if r.scorecard.sha_code == sha_code
            },
            f"{sha_name}'s PCTs",
        ),
    ]


def totals_records(timeline: list[RankedYear], sha_code: str, sha_name: str) -> list[dict]:
    records = []
    for year in timeline:
        for group, summary in (
            (sha_name, year.sha_summary(sha_code)),
            (ENGLAND, year.summary.england),
        ):
            spread = summary.total_quartiles if summary else None
            if spread is None:
                continue
            records.append(
                {
                    "year": year.label,
                    "group": group,
                    "pcts_assessed": summary.assessed,
                    "minimum": spread.minimum,
                    "q1": spread.q1,
                    "median": spread.median,
                    "q3": spread.q3,
                    "maximum": spread.maximum,
                }
            )
    return records


def totals_headline(records: list[dict], sha_name: str) -> str:
    """The SHA's median total against England's in the latest year."""
    latest = records[-1]["year"] if records else None
    medians = {r["group"]: r["median"] for r in records if r["year"] == latest}
    if sha_name not in medians or ENGLAND not in medians:
        return "total competency scores against England's"
    sha_median, england = medians[sha_name], medians[ENGLAND]
    compared = (
        "above" if sha_median > england else "below" if sha_median < england else "level with"
    )
    return f"median total {sha_median:g} in {latest}, {compared} England's {england:g}"


def totals_chart(timeline, sha_code: str, sha_name: str, illustrative: bool) -> Chart:
    records = totals_records(timeline, sha_code, sha_name)
    groups = [
        BoxGroup(name, [r for r in records if r["group"] == name], style["line"]["color"])
        for name, style in ((sha_name, SHA_STYLE), (ENGLAND, ENGLAND_STYLE))
    ]
    title = titled(f"{sha_name}: {totals_headline(records, sha_name)}", illustrative)
    return Chart(
        slug="totals",
        heading="Total competency scores",
        title=title,
        figure=quartile_boxes(title, groups, "Total competency score"),
        columns=(
            Column("year", "Year"),
            Column("group", "PCTs in"),
            Column("pcts_assessed", "PCTs assessed"),
            Column("minimum", "Lowest"),
            Column("q1", "Lower quartile"),
            Column("median", "Median"),
            Column("q3", "Upper quartile"),
            Column("maximum", "Highest"),
        ),
        records=records,
    )
