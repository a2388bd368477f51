"""The league table's columns: each knows its value, its cell and its download fields."""

import copy
from collections.abc import Callable
from dataclasses import dataclass

import django_tables2 as tables

from assurance.vocabulary import (
    AREA_NAMES,
    RAG_POINTS,
)
from leaguetable import ranking
from leaguetable.ranking import RankedRow
from leaguetable.tables.cells import plain, rag_badge


@dataclass(frozen=True, slots=True)
class ExportField:
    """One column of a download: its name, its value for a row, whether it is a whole number,
    and what it means (the data dictionary of the Excel download)."""

    name: str
    value: Callable[[RankedRow], object]
    whole_number: bool = False
    meaning: str = ""


class LeagueColumn(tables.Column):
    """A column that knows its value (for sorting), its cell's HTML and its download fields.

    `exported` None: the download has one field, the column's name and value; () leaves the
    column out of downloads. `filter_choices` (value -> label) and `filter_matches(row, value)`
    let readers filter the table by the column (an added column's `?flag=`, say).
    `higher_is_better`: the column's first sort is descending, so that, like the rank's, it
    puts the best first (the highest score or mark, green before amber).
    """

    def __init__(
        self,
        verbose_name: str,
        *,
        value: Callable[[RankedRow], object],
        cell_html: Callable[[RankedRow], str] | None = None,
        numeric: bool = False,
        header_th: bool = False,
        exported: tuple[ExportField, ...] | None = None,
        wraps: bool = False,
        filter_choices: dict[str, str] | None = None,
        filter_matches: Callable[[RankedRow, str], bool] | None = None,
        higher_is_better: bool = False,
        classes: str = "",
        **kwargs,
    ):
        # Long names may wrap onto a second line, so the table fits a 1280 px screen.
        css = "num" if numeric else ("wraps" if wraps else "")
        css = f"{css} {classes}".strip()
        kwargs.setdefault("attrs", {"th": {"class": css, "scope": "col"}})
        super().__init__(verbose_name=verbose_name, empty_values=(), **kwargs)
        self.value = value
        self.numeric = numeric
        self.higher_is_better = higher_is_better
        self.exported = exported
        self.filter_choices = filter_choices or {}
        self.filter_matches = filter_matches
        self.cell_html = cell_html or (lambda row: plain(value(row)))
        self.open_tag = f'<th scope="row" class="{css}">' if header_th else f'<td class="{css}">'
        self.close_tag = "</th>" if header_th else "</td>"

    def __deepcopy__(self, memo):
        # django-tables2 deep-copies every column for every table it builds, callables and
        # attributes included: a fifth of the league page's CPU at 152 PCTs. Nothing changes a
        # column's contents per table (hiding one sets an attribute of its own copy), so a
        # shallow copy keeps each table's columns apart.
        return copy.copy(self)

    def cell(self, row: RankedRow) -> str:
        return f"{self.open_tag}{self.cell_html(row)}{self.close_tag}"

    def export_fields(self, name: str) -> tuple[ExportField, ...]:
        if self.exported is None:
            meaning = self.attrs.get("th", {}).get("title") or str(self.verbose_name)
            return (ExportField(name, self.value, whole_number=self.numeric, meaning=meaning),)
        return self.exported


def rating_column(area: str, heading: str | None = None) -> LeagueColumn:
    """A governance area: sorted red < amber < green, shown as a badge, exported as R/A/G."""

    def rating(row: RankedRow) -> str | None:
        return getattr(row.scorecard, area)

    title = {} if heading is None else {"title": AREA_NAMES[area]}
    return LeagueColumn(
        heading or AREA_NAMES[area],
        value=lambda row: RAG_POINTS.get(rating(row)),
        cell_html=lambda row: rag_badge(rating(row)),
        higher_is_better=True,
        exported=(
            ExportField(
                area, rating, meaning=f"{AREA_NAMES[area]} rating: R red, A amber, G green"
            ),
        ),
        attrs={"th": {"class": "", "scope": "col", **title}},
    )


def score_column(number: int, name: str) -> LeagueColumn:
    return LeagueColumn(
        f"C{number}",
        value=lambda row: row.scorecard.scores.get(number),
        numeric=True,
        higher_is_better=True,
        attrs={"th": {"class": "num", "scope": "col", "title": f"Competency {number}: {name}"}},
    )


# Ranks under every method, the mark, the band and the next step: all from the row's Standing
# (leaguetable.explain), None for a PCT not assessed.


def standing_value(read: Callable[[ranking.Standing], object]) -> Callable[[RankedRow], object]:
    return lambda row: None if row.standing is None else read(row.standing)


def method_rank_fields() -> tuple[ExportField, ...]:
    return tuple(
        ExportField(
            f"rank_{slug.replace('-', '_')}",
            standing_value(lambda standing, slug=slug: standing.ranks[slug]),
            whole_number=True,
            meaning=f"National rank under {method.in_a_sentence}: {method.description}",
        )
        for slug, method in ranking.METHODS.items()
    )


def standing_part(part: str, read: Callable) -> Callable[[RankedRow], object]:
    """standing_value of one part of the standing (its `interval`, its `next_step`), blank
    where the row has none."""

    def from_part(standing):
        found = getattr(standing, part)
        return None if found is None else read(found)

    return standing_value(from_part)


# After the band, in downloads: how sure the rank is (leaguetable.intervals, issue 25).
INTERVAL_FIELDS = (
    ExportField(
        "rank_low",
        standing_part("interval", lambda interval: interval.rank_low),
        whole_number=True,
        meaning="The better end of the PCT's rank interval under the shown method: in at least "
        "90% of 2,000 resamplings of the year's competencies it ranked between rank_low and "
        "rank_high (the 5% and 95% points of its 2,000 ranks)",
    ),
    ExportField(
        "rank_high",
        standing_part("interval", lambda interval: interval.rank_high),
        whole_number=True,
        meaning="The worse end of that rank interval",
    ),
    ExportField(
        "clear_band",
        standing_part("interval", lambda interval: interval.clear_band),
        whole_number=True,
        meaning="The band both ends of the rank interval fall in: 1 clearly in the top quarter, "
        "4 clearly in the bottom; blank when they differ (the PCT cannot be placed in a quarter)",
    ),
)


NEXT_STEP_FIELDS = (
    ExportField(
        "next_step_field",
        standing_part("next_step", lambda step: step.field),
        meaning="The one result whose rise by one step (a score up by one, or red to amber, "
        "amber to green) would have gained most places under the shown method, everything else "
        "unchanged; blank when no single step improves the rank",
    ),
    ExportField(
        "next_step_from",
        # As text: a score or a rating's letter, and a column of scores alone stays "2", not 2.0.
        standing_part("next_step", lambda step: str(step.before)),
        meaning="Its value now: a score, or R, A or G",
    ),
    ExportField(
        "next_step_to",
        standing_part("next_step", lambda step: str(step.after)),
        meaning="Its value after the step",
    ),
    ExportField(
        "next_step_rank",
        standing_part("next_step", lambda step: step.rank_after),
        whole_number=True,
        meaning="The national rank the step would have given under the shown method",
    ),
)
