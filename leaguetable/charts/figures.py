"""Plotly figure dicts: dumbbells, bump and slope lines, dot rows, quartile boxes, stacked RAG
bars, diverging bars and caterpillars.

Figures are built as the plain dicts plotly.js takes rather than through plotly.graph_objects,
whose validation costs about 90 ms for a page's traces. The tests pass every figure through
plotly.graph_objects.Figure, so a misspelt property still fails loudly there.
Text from the database is HTML-escaped because plotly.js reads a few HTML tags in labels.

Every figure must read on a 375 px phone: plotly never wraps text, so titles and long row
labels are wrapped here with <br>; the title and the legend sit in fixed bands of the
container, clear of the plot and of each other, whatever the width.
"""

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assurance.vocabulary import RAG_WORDS

FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Arial, sans-serif", "size": 13}
INK = "#1d2731"
GRID = "#d5dbe1"
# About the characters of the 17 px title font that fit across a 375 px phone's chart.
TITLE_WIDTH = 36
LABEL_WIDTH = 22
TITLE_LINE_PX = 22
LEGEND_BAND_PX = 76  # up to three rows of a horizontal legend on a phone

# Each series differs in line dash and marker shape as well as colour.
PCT_STYLE = {"line": {"color": "#00539f", "width": 3}, "marker": {"symbol": "circle", "size": 10}}
SHA_STYLE = {
    "line": {"color": "#c65d00", "width": 2, "dash": "dash"},
    "marker": {"symbol": "diamond", "size": 9},
}
ENGLAND_STYLE = {
    "line": {"color": "#5a6672", "width": 2, "dash": "dot"},
    "marker": {"symbol": "square", "size": 8},
}
# Okabe and Ito's colour-blind-safe palette, without its yellow (too pale on white).
COMPARE_STYLES = tuple(
    {"line": {"color": colour, "width": 2.5, "dash": dash}, "marker": {"symbol": symbol, "size": 9}}
    for colour, dash, symbol in (
        ("#0072b2", "solid", "circle"),
        ("#d55e00", "dash", "square"),
        ("#009e73", "dot", "diamond"),
        ("#cc79a7", "dashdot", "triangle-up"),
        ("#e69f00", "longdash", "cross"),
        ("#000000", "longdashdot", "x"),
    )
)
# The pattern and the bar's text label carry the rating as well as the colour.
RAG_MARKERS = {
    "G": {"color": "#17703a", "pattern": {"shape": ""}},
    "A": {"color": "#f2b01e", "pattern": {"shape": "/", "fillmode": "overlay", "fgcolor": INK}},
    "R": {"color": "#b3261e", "pattern": {"shape": "x", "fillmode": "overlay", "fgcolor": "#fff"}},
}
RAG_TEXT = {"G": "#ffffff", "A": INK, "R": "#ffffff"}
RAG_ORDER = ("G", "A", "R")
# Scores run 1 (lowest) to 4 (world class): an axis from 0 would invent a level.
# Averages and medians are shown to two places on hover, as in the tables ("2.18", not "2.18182").
SCORE_AXIS = {"range": [0.8, 4.2], "tickvals": [1, 2, 3, 4], "hoverformat": ".2~f"}


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def lines(text: str, width: int) -> list[str]:
    """Words filled into lines of about `width` characters; a bracketed phrase such as
    "(illustrative data)" is never split."""
    filled = []
    for word in re.findall(r"\([^)]*\)\S*|\S+", text):
        if filled and len(filled[-1]) + 1 + len(word) <= width:
            filled[-1] += " " + word
        else:
            filled.append(word)
    return filled or [""]


def wrapped(text: str, width: int) -> str:
    """Escaped text broken into lines (plotly never wraps text, but reads <br>)."""
    return "<br>".join(escape(line) for line in lines(text, width))


def layout(title: str, height: int, legend: bool = True, **extra) -> dict:
    """The title in a band at the top, the legend in a band at the bottom: neither can reach
    the plot or each other, however many lines a narrow screen makes of them."""
    top = 16 + TITLE_LINE_PX * len(lines(title, TITLE_WIDTH))
    return {
        "title": {
            "text": wrapped(title, TITLE_WIDTH),
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            # plotly anchors a title of several lines by its first line's middle, not its top.
            "pad": {"t": 22},
        },
        "font": {**FONT, "color": INK},
        "height": height + top + (LEGEND_BAND_PX if legend else 0),
        "margin": {"l": 16, "r": 16, "t": top + 12, "b": 48 + (LEGEND_BAND_PX if legend else 0)},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "showlegend": legend,
        "legend": {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 0,
            "yanchor": "bottom",
            "yref": "container",
        },
        **extra,
    }


def _axis(**extra) -> dict:
    return {"gridcolor": GRID, "linecolor": GRID, "zeroline": False, "automargin": True, **extra}


def _one_plot(
    data: list, title: str, height: int, xaxis: dict, yaxis: dict, legend=True, **extra
) -> dict:
    """A figure of one plot area."""
    figure_layout = layout(
        title, height, legend, xaxis=_axis(**xaxis), yaxis=_axis(**yaxis), **extra
    )
    return {"data": data, "layout": figure_layout}


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[float | None]
    style: dict


def _label(value) -> str:
    return f"{value:g}" if isinstance(value, int | float) else ""


def _end_labels(values: Sequence[float | None]) -> tuple[list[str], list[str]]:
    """Each line's first and last values as text beside them (left and right), none between."""
    shown = [index for index, value in enumerate(values) if value is not None]
    text = [""] * len(values)
    position = ["middle center"] * len(values)
    if shown:
        text[shown[0]], position[shown[0]] = _label(values[shown[0]]), "middle left"
        text[shown[-1]], position[shown[-1]] = _label(values[shown[-1]]), "middle right"
    return text, position


def year_lines(title: str, years: Sequence[str], series: Sequence[Series], yaxis: dict) -> dict:
    """Lines across the years (a bump chart of ranks, a slope chart of scores), each labelled
    with its value at both ends; None leaves a gap."""
    data = []
    for line in series:
        text, position = _end_labels(line.values)
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers+text",
                "x": list(years),
                "y": list(line.values),
                "name": escape(line.name),
                "text": text,
                "textposition": position,
                "cliponaxis": False,
                **line.style,
            }
        )
    # Room either side of the first and last year for the end labels.
    xaxis = {"type": "category", "range": [-0.6, len(years) - 0.4]}
    return _one_plot(data, title, 360, xaxis, yaxis)


def bump_axis(series: Sequence[Series]) -> dict:
    """Ranks from the best shown (at the top) to the worst shown, not the whole table: three
    leaders stay apart instead of lying on top of each other at the edge of a 1–150 axis."""
    ranks = [value for line in series for value in line.values if value is not None]
    best, worst = (min(ranks), max(ranks)) if ranks else (1, 1)
    pad = max(0.5, (worst - best) * 0.08)
    # Never above 0.5: no rank 0 on the axis.
    axis = {"range": [worst + pad, max(best - pad, 0.5)], "title": {"text": "Rank (1 = top)"}}
    if worst - best <= 10:
        axis["dtick"] = 1
    return axis


@dataclass(frozen=True, slots=True)
class Dumbbell:
    """One row: a value before and after (either may be None) and reference marks by name."""

    label: str
    before: float | None
    after: float | None
    marks: Mapping[str, float | None]


MARK_STYLES = (
    {"symbol": "diamond", "size": 11, "color": SHA_STYLE["line"]["color"]},
    {"symbol": "line-ns-open", "size": 18, "color": INK, "line": {"width": 3, "color": INK}},
)


def dumbbells(
    title: str, rows: Sequence[Dumbbell], before: str, after: str, xaxis: dict, colour: str
) -> dict:
    """One row per label: a hollow dot before, a filled dot after, joined by a bar; reference
    marks (a diamond, then a bold tick) on the same row."""
    labels = [wrapped(row.label, LABEL_WIDTH) for row in rows]
    bar_x, bar_y = [], []
    for row, label in zip(rows, labels, strict=True):
        if row.before is not None and row.after is not None:
            bar_x += [row.before, row.after, None]
            bar_y += [label, label, None]
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": bar_x,
            "y": bar_y,
            "name": "change",
            "line": {"color": "#9aa7b4", "width": 4},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        _dots(escape(before), [r.before for r in rows], labels, {"symbol": "circle-open"}, colour),
        _dots(escape(after), [r.after for r in rows], labels, {"symbol": "circle"}, colour),
    ]
    mark_names = list(rows[0].marks) if rows else []
    for name, style in zip(mark_names, MARK_STYLES, strict=False):
        data.append(_dots(escape(name), [r.marks[name] for r in rows], labels, style, None))
    yaxis = {"type": "category", "autorange": "reversed", "tickfont": {"size": 12}}
    return _one_plot(data, title, 40 + 46 * len(rows), xaxis, yaxis)


def _dots(name: str, x: list, y: list, marker: dict, colour: str | None) -> dict:
    style = {"size": 12, "line": {"width": 2, "color": colour}, **marker}
    if colour is not None:
        style["color"] = colour
    return {"type": "scatter", "mode": "markers", "name": name, "x": x, "y": y, "marker": style}


def dot_rows(
    title: str, labels: Sequence[str], series: Sequence[Series], marks: Series, xaxis: dict
) -> dict:
    """A dot per series on each row (offset so equal values stay visible), and a reference
    mark per row: scores compared on their own 1–4 scale, not as bars from 0."""
    y = [wrapped(label, LABEL_WIDTH) for label in labels]
    data = [
        {
            "type": "scatter",
            "mode": "markers",
            "orientation": "h",
            "name": escape(line.name),
            "x": list(line.values),
            "y": y,
            "marker": {**line.style["marker"], "color": line.style["line"]["color"], "size": 11},
        }
        for line in series
    ]
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "orientation": "h",
            "name": escape(marks.name),
            "x": list(marks.values),
            "y": y,
            "marker": {
                "symbol": "line-ns-open",
                "size": 22,
                "color": INK,
                "line": {"width": 3, "color": INK},
            },
        }
    )
    yaxis = {"type": "category", "autorange": "reversed", "tickfont": {"size": 12}}
    return _one_plot(
        data, title, 40 + 50 * len(labels), xaxis, yaxis, scattermode="group", scattergap=0.4
    )


@dataclass(frozen=True, slots=True)
class BoxGroup:
    """One box per record, from its year, minimum, q1, median, q3 and maximum."""

    name: str
    records: Sequence[dict]
    colour: str


def quartile_boxes(title: str, groups: Sequence[BoxGroup], yaxis_title: str) -> dict:
    """Box plots drawn from precomputed quartiles: a few numbers, whatever the number of PCTs."""
    data = [
        {
            "type": "box",
            "name": escape(group.name),
            "x": [record["year"] for record in group.records],
            "lowerfence": [record["minimum"] for record in group.records],
            "q1": [record["q1"] for record in group.records],
            "median": [record["median"] for record in group.records],
            "q3": [record["q3"] for record in group.records],
            "upperfence": [record["maximum"] for record in group.records],
            "marker": {"color": group.colour},
            "line": {"color": group.colour},
        }
        for group in groups
    ]
    return _one_plot(
        data, title, 360, {"type": "category"}, {"title": {"text": yaxis_title}}, boxmode="group"
    )


def rag_bars(
    title: str,
    bars: Sequence[tuple[str, str]],
    values: dict[str, list],
    axis_title: str,
    unit: str = "",
) -> dict:
    """Stacked green/amber/red bars lying down, one per (year, governance area), `values` by
    rating: lying down, the areas' names have the width of the screen to themselves."""
    # One line of labels, not plotly's two-level "multicategory" axis, whose two columns of
    # labels leave a phone's bars a sliver.
    y = [wrapped(f"{area}, {year}", LABEL_WIDTH - 4) for year, area in bars]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": RAG_WORDS[rating],
            "x": values[rating],
            "y": y,
            "marker": RAG_MARKERS[rating],
            "text": [
                f"{RAG_WORDS[rating][0]} {value:g}{unit}" if value else ""
                for value in values[rating]
            ],
            "textposition": "inside",
            "insidetextanchor": "middle",
            "textfont": {"color": RAG_TEXT[rating]},
        }
        for rating in RAG_ORDER
    ]
    xaxis = {"title": {"text": axis_title}, "rangemode": "tozero"}
    yaxis = {"type": "category", "autorange": "reversed", "tickfont": {"size": 12}}
    return _one_plot(
        data,
        title,
        60 + 36 * len(bars),
        xaxis,
        yaxis,
        barmode="stack",
        # A label too big for its segment is hidden rather than shrunk past reading.
        uniformtext={"mode": "hide", "minsize": 10},
    )


def rating_counts(
    title: str, years: Sequence[str], areas_by_rating: Mapping[str, Sequence[Sequence[str]]]
) -> dict:
    """One stacked bar per year counting the governance areas rated green, amber and red,
    each segment naming its areas: ratings are categories, so they are counted, never joined
    by lines."""
    data = [
        {
            "type": "bar",
            "name": RAG_WORDS[rating],
            "x": list(years),
            "y": [len(areas) for areas in areas_by_rating[rating]],
            "marker": RAG_MARKERS[rating],
            "text": [
                "<br>".join(wrapped(a, 10) for a in areas) for areas in areas_by_rating[rating]
            ],
            "textposition": "inside",
            "textangle": 0,
            "insidetextanchor": "middle",
            "textfont": {"color": RAG_TEXT[rating]},
        }
        for rating in RAG_ORDER
    ]
    yaxis = {"range": [0, 3], "dtick": 1, "title": {"text": "Governance areas (of 3)"}}
    return _one_plot(data, title, 360, {"type": "category"}, yaxis, barmode="stack")


def diverging_bars(title: str, labels: Sequence[str], values: Sequence[int], axis_title: str):
    """Horizontal bars either side of zero: gains in green, losses in red, each labelled."""
    bars = {
        "type": "bar",
        "orientation": "h",
        "x": list(values),
        "y": [wrapped(label, LABEL_WIDTH - 4) for label in labels],
        "marker": {"color": ["#17703a" if value > 0 else "#b3261e" for value in values]},
        "text": [f"{value:+d}" for value in values],
        # Inside the bar's end: outside, a loss's label would sit on the PCTs' names.
        "textposition": "inside",
        "insidetextanchor": "end",
        "textfont": {"color": "#ffffff"},
        "showlegend": False,
    }
    xaxis = {"title": {"text": axis_title}, "zeroline": True, "zerolinecolor": INK}
    yaxis = {"type": "category", "autorange": "reversed", "tickfont": {"size": 12}}
    return _one_plot([bars], title, 40 + 48 * len(labels), xaxis, yaxis, legend=False)


@dataclass(frozen=True, slots=True)
class RankPoints:
    """One series of a caterpillar: each PCT's place in rank order (x), its rank (y), the ends
    of its rank interval and its hover text."""

    name: str
    x: Sequence[int]
    rank: Sequence[int]
    low: Sequence[int]
    high: Sequence[int]
    hover: Sequence[str]
    style: dict


def caterpillar(title: str, series: Sequence[RankPoints], assessed: int) -> dict:
    """Every PCT's rank with its interval, in rank order, rank 1 at the top: markers with error
    bars only (scatter traces), so that the vendored bundle draws it."""
    data = [
        {
            "type": "scatter",
            "mode": "markers",
            "name": escape(points.name),
            "x": list(points.x),
            "y": list(points.rank),
            "error_y": {
                "type": "data",
                "symmetric": False,
                "array": [high - rank for rank, high in zip(points.rank, points.high, strict=True)],
                "arrayminus": [
                    rank - low for rank, low in zip(points.rank, points.low, strict=True)
                ],
                "color": points.style["color"],
                "thickness": 1.5,
                "width": 0,
            },
            "marker": {"size": 5, **points.style},
            "text": [escape(text) for text in points.hover],
            "hovertemplate": "%{text}<extra></extra>",
        }
        for points in series
    ]
    xaxis = {"title": {"text": "PCTs in rank order"}, "range": [0, assessed + 1], "showgrid": False}
    yaxis = {"title": {"text": "Rank (1 = top)"}, "range": [assessed + 1, 0]}
    return _one_plot(data, title, 360, xaxis, yaxis, legend=len(series) > 1)
