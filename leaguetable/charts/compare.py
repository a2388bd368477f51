"""The comparison page's charts: two to six PCTs' ranks (a bump chart), average scores (a
slope chart) and latest competency scores (dots on the 1–4 scale), overlaid."""

from leaguetable.charts.chart import Chart, Column, aligned, titled
from leaguetable.charts.figures import (
    COMPARE_STYLES,
    ENGLAND_STYLE,
    SCORE_AXIS,
    Series,
    bump_axis,
    dot_rows,
    year_lines,
)
from leaguetable.charts.headlines import joined, sharing_the_top
from leaguetable.ranked_year import RankedYear
from leaguetable.ranking import PCTScorecard, ordinal
from leaguetable.trends import mean_score

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


def _change(line: Series) -> float | None:
    """The latest value less the one the year before, when both are there."""
    if len(line.values) < 2 or None in line.values[-2:]:
        return None
    return line.values[-1] - line.values[-2]


def _not_there(series: list[Series], what: str, latest: str) -> str:
    """'; Hertfordshire PCT not ranked in 2009/10' for the PCTs with no value in the latest year."""
    missing = [line.name for line in series if line.values[-1] is None]
    return f"; {joined(missing)} not {what} in {latest}" if missing else ""


def rank_headline(series: list[Series], latest: str) -> str:
    """Who leads in the latest year, and who moved most since the year before."""
    ranked = [line for line in series if line.values[-1] is not None]
    if not ranked:
        return f"None of these PCTs was ranked in {latest}"
    leaders, best = sharing_the_top(ranked, lambda line: -line.values[-1])
    verb = "ranks" if len(leaders) == 1 else "rank"
    # Highest of one ranked PCT is no comparison: say where it ranks, and who was not ranked.
    highest = " highest" if len(ranked) > 1 else ""
    headline = f"{joined([line.name for line in leaders])} {verb}{highest} in {latest}"
    headline += f" ({ordinal(-best)})" + _not_there(series, "ranked", latest)
    moved = [(line, _change(line)) for line in ranked if _change(line)]
    if not moved:
        return headline
    movers, places = sharing_the_top(moved, lambda pair: abs(pair[1]))
    for direction, gained in (("gained", True), ("lost", False)):
        names = [line.name for line, change in movers if (change < 0) == gained]
        if names:
            headline += f"; {joined(names)} {direction} most: {places:g} places"
    return headline


def rank_chart(timeline, pcts: list[PCTScorecard], illustrative: bool) -> Chart:
    records = _by_year(timeline, pcts, lambda row, year: {"rank": row.rank if row else None})
    years = [year.label for year in timeline]
    series = _pct_series(records, years, pcts, "rank")
    title = titled(rank_headline(series, years[-1]), illustrative)
    return Chart(
        slug="rank",
        heading="Rank in England",
        title=title,
        figure=year_lines(title, years, series, bump_axis(series)),
        columns=(*PCT_COLUMNS, Column("rank", "Rank")),
        records=records,
    )


def _mean_scores(row, year) -> dict:
    mean = mean_score(row.scorecard) if row else None
    return {
        "mean_score": round(mean, 2) if mean is not None else None,
        "england_median": year.summary.england.mean_score_median,
    }


def mean_score_headline(series: list[Series], latest: str) -> str:
    scored = [line for line in series if line.values[-1] is not None]
    if not scored:
        return f"None of these PCTs was scored in {latest}"
    best, value = sharing_the_top(scored, lambda line: line.values[-1])
    names = joined([line.name for line in best])
    if len(scored) == 1:
        headline = f"{names} has an average score of {value:.2f} in {latest}"
    else:
        verb = "has" if len(best) == 1 else "share"
        headline = f"{names} {verb} the highest average score in {latest} ({value:.2f})"
    headline += _not_there(series, "scored", latest)
    changes = [(line, _change(line)) for line in scored if _change(line) is not None]
    if changes:
        rose = sum(change > 0 for _, change in changes)
        headline += f"; {rose} of {len(changes)} PCTs rose"
    return headline


def mean_score_chart(timeline, pcts: list[PCTScorecard], illustrative: bool) -> Chart:
    records = _by_year(timeline, pcts, _mean_scores)
    years = [year.label for year in timeline]
    england = [year.summary.england.mean_score_median for year in timeline]
    pct_series = _pct_series(records, years, pcts, "mean_score")
    series = [*pct_series, Series("England median", england, ENGLAND_STYLE)]
    title = titled(mean_score_headline(pct_series, years[-1]), illustrative)
    score_axis = {**SCORE_AXIS, "title": {"text": "Average score (1–4)"}}
    return Chart(
        slug="mean-score",
        heading="Average competency score",
        title=title,
        figure=year_lines(title, years, series, score_axis),
        columns=(
            *PCT_COLUMNS,
            Column("mean_score", "Average score"),
            Column("england_median", "England median"),
        ),
        records=records,
    )


def latest_scores_headline(records: list[dict], pcts: list[PCTScorecard], year: str) -> str:
    """How many competencies each PCT scored above England's median, the most first."""
    scored = {r["pct_code"] for r in records if r["score"] is not None}
    above = {
        pct.pct_name: sum(
            1
            for r in records
            if r["pct_code"] == pct.pct_code
            and r["score"] is not None
            and r["england_median"] is not None
            and r["score"] > r["england_median"]
        )
        for pct in pcts
        if pct.pct_code in scored
    }
    competencies = len({r["competency"] for r in records})
    unscored = [pct.pct_name for pct in pcts if pct.pct_code not in scored]
    missing = f"; {joined(unscored)} not scored in {year}" if unscored else ""
    if not above:
        return f"None of these PCTs was scored in {year}"
    most, count = sharing_the_top(above, above.get)
    if len(above) == 1:  # the most of one is no comparison
        return (
            f"{joined(most)} scored above England's median on {count} of {competencies} "
            f"competencies in {year}{missing}"
        )
    whom = "the most of these PCTs" if len(most) == 1 else "the most of these PCTs, together"
    if len(most) == len(above) > 1:
        whom = "every one of these PCTs alike"
    return (
        f"{joined(most)} scored above England's median on {count} of {competencies} "
        f"competencies in {year}, {whom}{missing}"
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
    labels = [f"C{c.number} {c.name}" for c in year.competencies]
    dots = [
        Series(pct.pct_name, [r["score"] for r in records if r["pct_code"] == pct.pct_code], style)
        for pct, style in zip(pcts, COMPARE_STYLES, strict=False)
    ]
    england = Series(
        "England median",
        [year.summary.england.score_medians.get(c.number) for c in year.competencies],
        ENGLAND_STYLE,
    )
    title = titled(latest_scores_headline(records, pcts, year.label), illustrative)
    score_axis = {**SCORE_AXIS, "title": {"text": "Score, 1 to 4"}}
    return Chart(
        slug="latest-scores",
        heading=f"Competency scores, {year.label}",
        title=title,
        figure=dot_rows(title, labels, dots, england, score_axis),
        columns=(
            Column("pct_name", "PCT"),
            Column("competency_name", "Competency"),
            Column("score", "Score"),
            Column("england_median", "England median"),
        ),
        records=records,
    )
