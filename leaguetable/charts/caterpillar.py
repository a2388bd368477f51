"""How sure each rank is, drawn: every assessed PCT's rank with its rank interval, in rank order
(a caterpillar), some PCTs highlighted; on the league, SHA and overview pages (issue 25)."""

from collections.abc import Collection, Sequence

from leaguetable.charts.chart import Chart, Column, titled
from leaguetable.charts.figures import ENGLAND_STYLE, PCT_STYLE, RankPoints, caterpillar
from leaguetable.intervals import rows_headline
from leaguetable.ranked_year import RankedYear
from leaguetable.ranking import BANDS, RankedRow

OTHERS = "Other PCTs"
HIGHLIGHT = {"color": PCT_STYLE["line"]["color"], "symbol": "circle", "size": 7}
PLAIN = {"color": ENGLAND_STYLE["line"]["color"], "symbol": "circle"}


def caterpillar_chart(
    rows: Sequence[RankedRow],
    lead: str,
    year_label: str,
    illustrative: bool,
    highlighted: Collection[str] = (),
    group: str = "",
) -> Chart:
    """The chart of `rows` (a year's table, in rank order), the PCTs whose codes are in
    `highlighted` drawn apart as `group`; `lead` opens its title ("England", an SHA's name)."""
    records = caterpillar_records(rows, highlighted, group)
    title = titled(f"{lead}, {year_label}: {headline(rows, highlighted, group)}", illustrative)
    return Chart(
        slug="rank-intervals",
        heading="How sure each rank is",
        title=title,
        figure=caterpillar(title, _series(records, group), len(records)),
        # The table shows what the chart draws; the CSV has every record's fields. The names are
        # not links (the key is not pct_name): the league page lists every PCT, linked, already.
        columns=(
            Column("pct", "PCT"),
            Column("rank", "Rank"),
            Column("likely_between", "In 90% of resamplings"),
        ),
        records=records,
    )


def of_latest_year(
    timeline: Sequence[RankedYear],
    lead: str,
    illustrative: bool,
    highlighted: Collection[str] = (),
    group: str = "",
) -> list[Chart]:
    """The chart of the latest year in which any PCT has a rank interval (none when none has:
    a year with no assessments, rows ranked without intervals). Latest first: an earlier year's
    rows are read only when a later one has no intervals."""
    for year in reversed(timeline):
        if any(_interval(row) for row in year.rows):
            return [
                caterpillar_chart(year.rows, lead, year.label, illustrative, highlighted, group)
            ]
    return []


def caterpillar_records(
    rows: Sequence[RankedRow], highlighted: Collection[str] = (), group: str = ""
) -> list[dict]:
    """One record per assessed PCT with a rank interval, in rank order."""
    records = []
    for row in rows:
        interval = _interval(row)
        if row.rank is None or interval is None:
            continue
        record = {
            "place": len(records) + 1,  # along the x axis
            "rank": row.rank,
            "rank_shared": row.tied,
            "pct_code": row.scorecard.pct_code,
            "pct": row.scorecard.pct_name,
            "rank_low": interval.rank_low,
            "rank_high": interval.rank_high,
            "likely_between": interval.label,
            "clear_band": interval.clear_band,
        }
        if group:
            record["group"] = group if row.scorecard.pct_code in highlighted else OTHERS
        records.append(record)
    return records


def _interval(row: RankedRow):
    return row.standing.interval if row.standing is not None else None


def headline(rows: Sequence[RankedRow], highlighted: Collection[str], group: str) -> str:
    """How many of the PCTs (the highlighted ones, when there are) are clearly in the top and
    bottom quarters, and how many cannot be placed."""
    if group:
        rows = [row for row in rows if row.scorecard.pct_code in highlighted]
    figures = rows_headline(rows)
    top, bottom = (figures.clearly_in_band[band] for band in (BANDS[0], BANDS[-1]))
    return (
        f"{top} clearly in the top quarter, {bottom} clearly in the bottom, "
        f"{figures.not_placeable} not placeable"
    )


def _series(records: list[dict], group: str) -> list[RankPoints]:
    if not group:
        return [_points("PCTs", records, HIGHLIGHT)]
    others = [record for record in records if record["group"] == OTHERS]
    chosen = [record for record in records if record["group"] != OTHERS]
    # The highlighted PCTs last, so they are drawn over the others.
    return [_points(OTHERS, others, PLAIN), _points(group, chosen, HIGHLIGHT)]


def _points(name: str, records: list[dict], style: dict) -> RankPoints:
    return RankPoints(
        name=name,
        x=[record["place"] for record in records],
        rank=[record["rank"] for record in records],
        low=[record["rank_low"] for record in records],
        high=[record["rank_high"] for record in records],
        hover=[
            f"{record['pct']}: {'=' if record['rank_shared'] else ''}{record['rank']}, "
            f"{record['likely_between']} in 90% of resamplings"
            for record in records
        ],
        style=style,
    )
