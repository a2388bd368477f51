"""A chart drawn as a table of shaded cells: each value's colour on one light-to-dark scale, its
text in black or white, whichever reads better.

A table needs no JavaScript and is on screen as the page arrives: the overview's score shares
were a plotly heatmap 1,226 px tall on a phone, whose drawing (with plotly's own loading) kept
the first screen busy for 0.8 s under Lighthouse (docs/benchmarks.md).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

# White to dark blue, as the heatmap was. Values between two stops are mixed in sRGB.
SCALE = ((0.0, "#f7fbff"), (0.5, "#6baed6"), (1.0, "#08306b"))
# Against black or white every colour reaches at least 4.58:1 (the square root of 1.05 / 0.05),
# above WCAG AA's 4.5:1 for text; the site's ink (#1d2731) would leave mid-blues near 3.9:1.
INKS = ("#000000", "#ffffff")


@dataclass(frozen=True, slots=True)
class ShadedCell:
    text: str
    background: str | None = None  # None: no value, left unshaded
    ink: str | None = None

    @property
    def style(self) -> str:
        """The cell's style attribute (the site's CSP allows style attributes, as plotly needs)."""
        return f"background-color: {self.background}; color: {self.ink}" if self.background else ""


@dataclass(frozen=True, slots=True)
class ShadedRow:
    heading: str
    cells: tuple[ShadedCell, ...]


@dataclass(frozen=True, slots=True)
class ShadedTable:
    """Rows of cells under column groups (a year) of columns (a score). The caption names the
    table in a few words, short enough not to run off a phone's screen beside a wide table; the
    note, above the table, says how to read it."""

    caption: str
    note: str
    row_heading: str
    groups: tuple[str, ...]
    columns: tuple[str, ...]  # under each group
    rows: tuple[ShadedRow, ...]


def shaded(value: float | None, high: float, text: str) -> ShadedCell:
    """`value` shaded on the scale from 0 to `high`."""
    if value is None:
        return ShadedCell(text)
    background = colour_at(min(max(value / high, 0.0), 1.0))
    ink = max(INKS, key=lambda ink: contrast(background, ink))
    return ShadedCell(text, background, ink)


def colour_at(fraction: float) -> str:
    for (start, low), (end, high) in pairwise(SCALE):
        if fraction <= end:
            mix = (fraction - start) / (end - start)
            channels = zip(_rgb(low), _rgb(high), strict=True)
            return "#" + "".join(f"{round(a + (b - a) * mix):02x}" for a, b in channels)
    return SCALE[-1][1]


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 to 21."""
    darker, lighter = sorted((_luminance(first), _luminance(second)))
    return (lighter + 0.05) / (darker + 0.05)


def _rgb(colour: str) -> Sequence[int]:
    return [int(colour[index : index + 2], 16) for index in (1, 3, 5)]


def _luminance(colour: str) -> float:
    linear = [
        channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
        for channel in (value / 255 for value in _rgb(colour))
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
