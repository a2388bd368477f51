"""One public year as the pages read it (RankedYear), and what a run of them answers: plain
Python, no Django."""

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from leaguetable.pickled import quick_to_pickle
from leaguetable.ranking import RankedRow
from leaguetable.trends import GroupSummary, YearSummary, summarise


@quick_to_pickle
@dataclass(frozen=True, slots=True)
class CompetencyRef:
    """A competency as the read side shows it: its number and name."""

    number: int
    name: str


@dataclass(frozen=True)
class RankedYear:
    """One published assurance year: what it scored, its summaries, and its ranked rows, read
    when first asked (a page drawn from summaries, such as an SHA's charts, never reads them)."""

    label: str
    slug: str
    is_illustrative: bool
    is_hypothetical: bool  # no assurance round took place that year (2010/11)
    note: str
    competencies: tuple[CompetencyRef, ...]
    summary: YearSummary
    read_rows: Callable[[], Sequence[RankedRow]] = field(repr=False, compare=False)
    # An SHA's rows in rank order, by SHA code: by default filtered from every row.
    read_sha_rows: Callable[[str], list[RankedRow]] | None = field(
        default=None, repr=False, compare=False
    )

    @classmethod
    def build(
        cls, *, rows: Sequence[RankedRow], summary: "YearSummary | None" = None, **facts
    ) -> "RankedYear":
        """`summary` when already worked out for these rows (a shared copy), else summarised."""
        summary = summarise(rows) if summary is None else summary
        return cls(read_rows=lambda: rows, summary=summary, **facts)

    @functools.cached_property
    def rows(self) -> Sequence[RankedRow]:
        return self.read_rows()

    def sha_rows(self, sha_code: str) -> list[RankedRow]:
        """The rows of one SHA's PCTs, in rank order."""
        if self.read_sha_rows is not None:
            return self.read_sha_rows(sha_code)
        return [row for row in self.rows if row.scorecard.sha_code == sha_code]

    @functools.cached_property
    def by_code(self) -> Mapping[str, RankedRow]:
        return {row.scorecard.pct_code: row for row in self.rows}

    @property
    def competency_numbers(self) -> set[int]:
        return {competency.number for competency in self.competencies}

    def sha_summary(self, sha_code: str) -> GroupSummary | None:
        return self.summary.by_sha.get(sha_code)


def competencies_scored(timeline: Iterable[RankedYear]) -> list[CompetencyRef]:
    """Every competency any of the years scored, by number."""
    named = {competency.number: competency for year in timeline for competency in year.competencies}
    return [named[number] for number in sorted(named)]


def most_ranked(timeline: Iterable[RankedYear]) -> int:
    """The most PCTs ranked in any one of the years: the bottom of a rank axis."""
    return max((year.summary.england.assessed for year in timeline), default=0)
