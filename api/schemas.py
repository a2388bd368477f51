"""The API's answers as pydantic models: the OpenAPI schema is built from them.

A league row's fields are the downloads' columns, read from the league table's own export
fields (leaguetable/tables), so a script can switch between the API and a CSV download: a column
added to the downloads appears here too, typed by FIELD_TYPES (or loosely, until it is named
there; tests/api/test_endpoints.py says so).
"""

from datetime import date
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field, create_model

from assurance.vocabulary import GOVERNANCE_AREAS
from leaguetable import exports, ranking
from leaguetable.filters import CLEARLY_IN, RATING_PATTERNS
from leaguetable.tables import LeagueTable

Method = Literal[tuple(ranking.METHODS)]
Pattern = Literal[tuple(RATING_PATTERNS)]
Clearly = Literal[tuple(CLEARLY_IN)]
Rating = Literal["R", "A", "G"]

# The downloads' columns that are not whole numbers (ExportField.whole_number gives those).
FIELD_TYPES = {
    "year": str,
    "method": str,
    "rank_shared": bool,
    "assessment_status": str,
    "mark_equal_weight": float | None,
    "next_step_field": str | None,
    "next_step_from": str | None,
    "next_step_to": str | None,
    "pct_code": str,
    "pct_name": str,
    "corrected_on": str,
    "correction_reason": str,
    "sha_code": str,
    "sha_name": str,
    **dict.fromkeys(GOVERNANCE_AREAS, Rating | None),
    "data_status": str,
}
LOOSE = str | int | float | bool | None


def download_columns() -> list[tuple[str, bool, str]]:
    """(name, whole number, meaning) of each column of a league download but the competencies'
    scores (c1, c2, …, one per competency the year scored), in the downloads' order."""
    fields = exports.export_fields(LeagueTable([], []))
    return [
        ("year", False, "The assurance year"),
        ("method", False, "The ranking method the rank, band and next step follow"),
        *((field.name, field.whole_number, field.meaning) for field in fields),
        ("data_status", False, "Whether the results are illustrative or the panels' own"),
    ]


def _field_type(name: str, whole_number: bool):
    return int | None if whole_number else FIELD_TYPES.get(name, LOOSE)


class _Row(Schema):
    # Each competency's score is a column of its own, c1 to c12, as in the downloads.
    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, int | None]


LeagueRow = create_model(
    "LeagueRow",
    __base__=_Row,
    __doc__="One PCT in one year's league table: the columns of the league table's downloads "
    "(CSV, Excel, JSON), and a score column c1, c2, … for each competency the year scored "
    "(blank: not scored).",
    **{
        name: (_field_type(name, whole_number), Field(..., description=meaning))
        for name, whole_number, meaning in download_columns()
    },
)


class Error(Schema):
    detail: str = Field(description="What was wrong with the request, in words")


class Competency(Schema):
    number: int
    column: str = Field(description="Its score's column in league rows and downloads: c1, c2, …")
    name: str


class Year(Schema):
    slug: str = Field(description="How URLs name the year: 2009-10")
    label: str = Field(description="How pages and downloads name it: 2009/10")
    data_status: str = Field(description="As the year's downloads say it (illustrative or not)")
    is_illustrative: bool
    is_hypothetical: bool = Field(description="True for a year in which no round took place")
    note: str
    pcts: int = Field(description="PCTs in the year's table, assessed or not")
    assessed: int = Field(description="PCTs assessed that year")
    competencies: list[Competency]


class Years(Schema):
    data_status: str
    years: list[Year]


class OrganisationChange(Schema):
    pct_code: str
    pct_name: str
    kind: Literal["merger", "renaming"]
    effective: date


class PCT(Schema):
    pct_code: str
    pct_name: str
    sha_code: str
    sha_name: str
    predecessors: list[OrganisationChange] = Field(description="The PCTs it was formed from")
    successor: OrganisationChange | None = Field(description="What it merged into or became")


class PCTs(Schema):
    pcts: list[PCT]


class PCTRecord(PCT):
    data_status: str
    method: Method
    years: list[LeagueRow] = Field(
        description="Its row in each public year's league table under `method`, oldest first"
    )


class SHA(Schema):
    sha_code: str
    sha_name: str


class SHAs(Schema):
    shas: list[SHA]


class SHAYear(Schema):
    year: str
    assessed: int = Field(description="Its PCTs assessed that year")
    total_median: float | None = Field(description="Median total competency score")
    rank_median: float | None = Field(description="Median national rank under `method`")
    ratings: dict[str, dict[str, int]] = Field(
        description="Governance area -> R, A, G -> how many of its PCTs were rated so"
    )


class SHARecord(SHA):
    data_status: str
    method: Method
    pcts: list[PCT]
    years: list[SHAYear]


class LeaguePage(Schema):
    year: str
    method: Method
    data_status: str
    count: int = Field(description="Rows the filters keep, on every page")
    page: int
    pages: int
    per_page: int
    next: str | None = Field(description="The next page's path and query, or null")
    previous: str | None = Field(description="The previous page's path and query, or null")
    rows: list[LeagueRow]
