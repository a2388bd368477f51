"""Plotly figure dicts: lines in small multiples, quartile boxes, stacked RAG bars, heatmaps, bars.

Figures are built as the plain dicts plotly.js takes rather than through plotly.graph_objects,
whose validation costs about 90 ms for the 33 traces of a PCT profile. The tests pass every
figure through plotly.graph_objects.Figure, so a misspelt property still fails loudly there.
Text from the database is HTML-escaped because plotly.js reads a few HTML tags in labels.
"""

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assurance.vocabulary import RAG_WORDS

FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Arial, sans-serif", "size": 13}
INK = "#1d2731"
GRID = "#d5dbe1"

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
# White to dark blue: plotly's own "Blues" runs dark to light.
HEAT_SCALE = [[0, "#f7fbff"], [0.5, "#6baed6"], [1, "#08306b"]]
RAG_TEXT = {"G": "#ffffff", "A": INK, "R": "#ffffff"}
RAG_ORDER = ("G", "A", "R")


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def layout(title: str, height: int, **extra) -> dict:
    return {
        "title": {"text": escape(title), "x": 0.01, "xanchor": "left"},
        "font": {**FONT, "color": INK},
        "height": height,
        "margin": {"l": 84, "r": 24, "t": 96, "b": 56},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        # Above the plots, under the title: the legend says which line is the PCT's.
        "legend": {"orientation": "h", "x": 0, "y": 1.01, "yanchor": "bottom"},
        **extra,
    }


def _axis(**extra) -> dict:
    return {"gridcolor": GRID, "linecolor": GRID, "zeroline": False, "automargin": True, **extra}


def _one_plot(data: list, title: str, height: int, xaxis: dict, yaxis: dict, **extra) -> dict:
    """A figure of one plot area."""
    figure_layout = layout(title, height, xaxis=_axis(**xaxis), yaxis=_axis(**yaxis), **extra)
    return {"data": data, "layout": figure_layout}


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[float | None]
    style: dict


def rank_axis(pcts_ranked: int) -> dict:
    """Rank 1 at the top, the last place at the bottom: a rank reads against the whole table."""
    return {"range": [pcts_ranked + 0.5, 0.5], "title": {"text": "Rank (1 = top)"}}


@dataclass(frozen=True, slots=True)
class Panel:
    title: str
    series: Sequence[Series]


def line_panels(
    title: str, x: Sequence[str], panels: Sequence[Panel], yaxis: dict, columns: int = 1
) -> dict:
    """One small line chart per panel on a grid, sharing the legend; None leaves a gap."""
    rows = -(-len(panels) // columns)
    figure_layout = layout(title, height=150 + rows * 230)
    if len(panels) > 1:
        figure_layout["grid"] = {
            "rows": rows,
            "columns": columns,
            "pattern": "independent",
            "ygap": 0.45,
            "xgap": 0.12,
        }
    data = []
    for index, panel in enumerate(panels, start=1):
        suffix = "" if index == 1 else str(index)
        figure_layout[f"xaxis{suffix}"] = _axis(
            type="category", title={"text": escape(panel.title), "font": {"size": 12}}
        )
        figure_layout[f"yaxis{suffix}"] = _axis(**yaxis)
        if (index - 1) % columns:
            # The axis title once per row of panels is enough.
            figure_layout[f"yaxis{suffix}"].pop("title", None)
        data += [_line(series, x, suffix, show_legend=index == 1) for series in panel.series]
    return {"data": data, "layout": figure_layout}


def _line(series: Series, x: Sequence[str], suffix: str, show_legend: bool) -> dict:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "x": list(x),
        "y": list(series.values),
        "name": escape(series.name),
        "legendgroup": escape(series.name),
        "showlegend": show_legend,
        "xaxis": f"x{suffix}",
        "yaxis": f"y{suffix}",
        **series.style,
    }


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
        data, title, 420, {"type": "category"}, {"title": {"text": yaxis_title}}, boxmode="group"
    )


def rag_bars(
    title: str,
    bars: Sequence[tuple[str, str]],
    values: dict[str, list],
    yaxis_title: str,
    unit: str = "",
) -> dict:
    """Stacked green/amber/red bars, one per (year, governance area); `values` by rating."""
    x = [[year for year, _ in bars], [area for _, area in bars]]
    data = [
        {
            "type": "bar",
            "name": RAG_WORDS[rating],
            "x": x,
            "y": values[rating],
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
    yaxis = {"title": {"text": yaxis_title}}
    return _one_plot(data, title, 440, {"type": "multicategory"}, yaxis, barmode="stack")


@dataclass(frozen=True, slots=True)
class Heatmap:
    title: str
    x: Sequence[str]
    y: Sequence[str]
    z: Sequence[Sequence[float | None]]


def heatmaps(
    title: str, panels: Sequence[Heatmap], zmax: float, text_format: Callable[[float | None], str]
) -> dict:
    """Side-by-side heatmaps on one colour scale, each cell labelled with its value."""
    figure_layout = layout(title, height=150 + 34 * max(len(p.y) for p in panels))
    figure_layout["grid"] = {"rows": 1, "columns": len(panels), "pattern": "independent"}
    data = []
    for index, panel in enumerate(panels, start=1):
        suffix = "" if index == 1 else str(index)
        figure_layout[f"xaxis{suffix}"] = _axis(type="category", title={"text": panel.title})
        figure_layout[f"yaxis{suffix}"] = _axis(
            type="category", autorange="reversed", showticklabels=index == 1
        )
        data.append(
            {
                "type": "heatmap",
                "x": list(panel.x),
                "y": [escape(label) for label in panel.y],
                "z": [list(row) for row in panel.z],
                "zmin": 0,
                "zmax": zmax,
                "colorscale": HEAT_SCALE,
                "showscale": index == len(panels),
                "text": [[text_format(value) for value in row] for row in panel.z],
                "texttemplate": "%{text}",
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "xgap": 2,
                "ygap": 2,
            }
        )
    return {"data": data, "layout": figure_layout}


def diverging_bars(title: str, labels: Sequence[str], values: Sequence[int], axis_title: str):
    """Horizontal bars either side of zero: gains in green, losses in red, each labelled."""
    bars = {
        "type": "bar",
        "orientation": "h",
        "x": list(values),
        "y": [escape(label) for label in labels],
        "marker": {"color": ["#17703a" if value > 0 else "#b3261e" for value in values]},
        "text": [f"{value:+d}" for value in values],
        "textposition": "outside",
        "cliponaxis": False,
        "showlegend": False,
    }
    xaxis = {"title": {"text": axis_title}, "zeroline": True, "zerolinecolor": INK}
    yaxis = {"type": "category", "autorange": "reversed"}
    return _one_plot([bars], title, 140 + 26 * len(labels), xaxis, yaxis)


BAR_PATTERNS = ("", "/", ".", "x", "\\", "+")


def grouped_bars(
    title: str, x: Sequence[str], bars: Sequence[Series], reference: Series, yaxis: dict
) -> dict:
    """Bars side by side per category (a fill pattern each, as well as a colour), and a
    reference series drawn as markers over them."""
    data = [
        {
            "type": "bar",
            "name": escape(series.name),
            "x": list(x),
            "y": list(series.values),
            "marker": {
                "color": series.style["line"]["color"],
                "pattern": {"shape": pattern, "fillmode": "overlay", "fgcolor": "#fff"},
            },
        }
        for series, pattern in zip(bars, BAR_PATTERNS, strict=False)
    ]
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": escape(reference.name),
            "x": list(x),
            "y": list(reference.values),
            # A short bold dash across each group of bars marks the reference value.
            "marker": {"symbol": "line-ew-open", "size": 28, "line": {"width": 3, "color": INK}},
        }
    )
    return _one_plot(data, title, 460, {"type": "category"}, yaxis, barmode="group")
