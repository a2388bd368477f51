"""Read a spreadsheet of panel results, validate every row, and compare it with the record.

Reading and validation are plain functions over bytes and a DataFrame, testable without the web
layer; they return every problem at once, by row and column, so a rejected file can be fixed in
one pass. Writing is assurance.actions.apply_import, all or nothing.

Row numbers are the spreadsheet's: the heading row is row 1, the first result row 2.
"""

import csv
import datetime
import functools
import io
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from assurance import workbooks
from assurance.decisions import DecisionChange, PanelDecision, compare
from assurance.formula_guard import neutralise, read_back
from assurance.models import PCT, Assessment, CompetencyScore, OrganisationChange
from assurance.vocabulary import (
    GOVERNANCE_AREAS,
    MAX_SCORE,
    MIN_SCORE,
    RAG_CODES,
    RAG_SPELLINGS,
    SCORES,
    competency_column,
)

ACCEPTED_ENCODINGS = "UTF-8 (with or without a byte-order mark; Excel calls it “CSV UTF-8”)"
# "3", and "3.0" as a spreadsheet that stored the score as a decimal writes it.
SCORE_TEXTS = {text: score for score in SCORES for text in (str(score), f"{score}.0")}
UK_DATE = "%d/%m/%Y"  # 31/03/2010, as a British spreadsheet writes it; ISO dates are read too
OPTIONAL_COLUMNS = ("panel_date", "notes")
# The template names each PCT beside its code, for the person filling it in; the importer
# goes by the code alone.
IGNORED_COLUMNS = ("pct_name",)
PROGRESS_EVERY = 1000
SELECTED_IN_DATABASE = 500  # PCTs picked by an IN list; more, and the year is read whole
# Bounds on a workbook's sheet beyond the heading, a row per PCT and the year's columns: blank
# rows and columns are common; past these, the file is refused before it is unpacked.
ROW_MARGIN = 1000
COLUMN_MARGIN = 20
# For reading without a year or the PCTs at hand (tests, tools): generous, and still bounded.
DEFAULT_MAX_ROWS = 20_000
DEFAULT_MAX_COLUMNS = 100


@dataclass(frozen=True)
class RowError:
    row: int | None  # spreadsheet row (heading = 1); None for the file as a whole
    column: str | None
    message: str

    def __str__(self) -> str:
        place = ", ".join(
            part
            for part in (
                f"row {self.row}" if self.row is not None else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{place}: {self.message}" if place else self.message


class SpreadsheetRejected(Exception):
    """The file cannot be imported; `errors` lists every reason."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors[:5]))


@dataclass
class Validation:
    results: list[PanelDecision] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # each result's spreadsheet row


def columns_for(competency_numbers: Collection[int]) -> list[str]:
    """The spreadsheet's columns for a year that scored these competencies, in order."""
    scores = [competency_column(number) for number in sorted(competency_numbers)]
    return ["pct_code", *scores, *GOVERNANCE_AREAS, *OPTIONAL_COLUMNS]


# Reading ----------------------------------------------------------------------------------


def sheet_bounds(pct_codes: Collection[str], competency_numbers: Collection[int]) -> tuple:
    """The most rows and columns a results file can need: a heading, a row per PCT, a margin."""
    return (
        1 + len(pct_codes) + ROW_MARGIN,
        len(columns_for(competency_numbers)) + COLUMN_MARGIN,
    )


def read_spreadsheet(
    file_name: str,
    content: bytes,
    *,
    max_bytes: int,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
) -> pd.DataFrame:
    """Every cell as text, the heading row first; raises SpreadsheetRejected.

    A file beyond max_rows x max_columns is refused before it is read in full (an .xlsx: see
    assurance/workbooks.py)."""
    check_size(len(content), max_bytes=max_bytes)
    if not content.strip():
        raise _reject("The file is empty.")
    suffix = Path(file_name).suffix.lower()
    if suffix == ".csv":
        frame = _read_csv(content, max_rows=max_rows, max_columns=max_columns)
    elif suffix == ".xlsx":
        frame = _read_xlsx(content, max_rows=max_rows, max_columns=max_columns)
    else:
        raise _reject(
            f"{file_name!r} is not a CSV (.csv) or Excel workbook (.xlsx); only those are accepted."
        )
    if frame.empty:
        raise _reject("The file is empty.")
    return frame


def check_size(size: int, *, max_bytes: int) -> None:
    """Refuse a file of `size` bytes, as received (an upload past the limit is cut short)."""
    if size > max_bytes:
        raise _reject(f"The file is {size:,} bytes; the largest accepted is {max_bytes:,} bytes.")


def _reject(message: str) -> SpreadsheetRejected:
    return SpreadsheetRejected([RowError(None, None, message)])


def _read_csv(content: bytes, *, max_rows: int, max_columns: int) -> pd.DataFrame:
    if content.startswith(b"PK\x03\x04"):
        raise _reject("This is a zip or Excel file, not CSV text: name it .xlsx or save as CSV.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _reject(
            f"The file is not UTF-8 text (byte {error.start + 1} is not valid UTF-8). "
            f"Accepted encoding: {ACCEPTED_ENCODINGS}."
        ) from None
    if "\x00" in text:
        raise _reject("The file holds binary data, not CSV text.")
    _check_csv_bounds(text, max_rows=max_rows, max_columns=max_columns)
    try:
        frame = pd.read_csv(
            io.StringIO(text), header=None, dtype=str, keep_default_na=False, skip_blank_lines=False
        )
    except pd.errors.EmptyDataError:
        raise _reject("The file is empty.") from None
    except pd.errors.ParserError as error:
        raise _reject(f"The file is not valid CSV: {error}".strip()) from None
    return frame.fillna("")


def _check_csv_bounds(text: str, *, max_rows: int, max_columns: int) -> None:
    """Refuse a CSV beyond the rows and columns a results file needs, before pandas reads it:
    5 MB of commas would otherwise become a frame of five million columns (gigabytes)."""
    # A cell may be as long as the file (a long note); the csv module's default stops at 128 KB.
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            if number > max_rows:
                raise _reject(
                    f"The file has more than {max_rows:,} rows; a results file for this year has "
                    f"a heading and a row per PCT. {workbooks.REMEDY}"
                )
            if len(row) > max_columns:
                raise _reject(
                    f"Row {number} has {len(row):,} columns; a results file for this year has "
                    f"at most {max_columns}. {workbooks.REMEDY}"
                )
    except csv.Error as error:
        raise _reject(f"The file is not valid CSV: {error}") from None


def _read_xlsx(content: bytes, *, max_rows: int, max_columns: int) -> pd.DataFrame:
    try:
        rows = workbooks.read_first_sheet(content, max_rows=max_rows, max_columns=max_columns)
    except workbooks.WorkbookRefused as refused:
        raise _reject(str(refused)) from None
    return pd.DataFrame(rows, dtype=object).map(_cell_text)


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores every number as a float
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value)


# Validating -------------------------------------------------------------------------------


def validate_rows(
    frame: pd.DataFrame,
    *,
    pct_codes: Collection[str],
    competency_numbers: Collection[int],
    progress: Callable[[int], None] | None = None,
) -> Validation:
    """Check the heading and every row; results only when there is no error at all."""
    header = [str(name).strip().lower() for name in frame.iloc[0]]
    rows = [(index + 1, cells) for index, cells in enumerate(frame.to_numpy().tolist())][1:]
    header, rows = _drop_empty_columns(header, rows)
    if _seems_semicolon_separated(header):
        return Validation(errors=[RowError(1, None, SEMICOLONS)])
    header, rows = _drop_ignored_columns(header, rows)
    errors = _header_errors(header, competency_numbers)
    if errors:
        return Validation(errors=errors)
    rows = [(number, cells) for number, cells in rows if any(str(c).strip() for c in cells)]
    if not rows:
        return Validation(errors=[RowError(None, None, "The file has a heading but no results.")])

    results, result_rows, errors, first_row = [], [], [], {}
    for done, (number, cells) in enumerate(rows, start=1):
        result, row_errors = _validate_row(number, dict(zip(header, cells, strict=True)), pct_codes)
        errors += row_errors
        if result is not None:
            if result.pct_code in first_row:
                message = (
                    f"{result.pct_code} appears twice (first on row {first_row[result.pct_code]})"
                )
                errors.append(RowError(number, "pct_code", message))
            first_row.setdefault(result.pct_code, number)
            results.append(result)
            result_rows.append(number)
        if progress and done % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
    if progress:
        progress(len(rows) % PROGRESS_EVERY)
    return Validation(errors=errors) if errors else Validation(results=results, rows=result_rows)


SEMICOLONS = (
    "The file seems to use ; between values, not commas, so its columns cannot be told apart. "
    'In Excel, save it with "Save as" and "CSV UTF-8 (Comma delimited)", or upload the .xlsx '
    "itself."
)


def _seems_semicolon_separated(header: list[str]) -> bool:
    return len(header) == 1 and header[0].count(";") >= 2


def _drop_ignored_columns(header, rows):
    keep = [index for index, name in enumerate(header) if name not in IGNORED_COLUMNS]
    if len(keep) == len(header):
        return header, rows
    return [header[i] for i in keep], [(n, [cells[i] for i in keep]) for n, cells in rows]


def _drop_empty_columns(header, rows):
    """Spreadsheets often carry blank columns at the right; drop those with no heading or data."""
    keep = [
        index
        for index, name in enumerate(header)
        if name or any(str(cells[index]).strip() for _, cells in rows)
    ]
    if len(keep) == len(header):
        return header, rows
    return [header[i] for i in keep], [(n, [cells[i] for i in keep]) for n, cells in rows]


def _header_errors(header: list[str], competency_numbers) -> list[RowError]:
    expected = columns_for(competency_numbers)
    required = [name for name in expected if name not in OPTIONAL_COLUMNS]
    errors = [
        RowError(1, name or f"#{index + 1}", "this column appears more than once")
        for index, name in enumerate(header)
        if name in header[:index]
    ]
    errors += [RowError(1, name, "missing column") for name in required if name not in header]
    scored = ", ".join(f"c{n}" for n in sorted(competency_numbers))
    errors += [
        RowError(
            1,
            name or "(blank heading)",
            f"unknown column: expected {', '.join(required)} and optionally panel_date, notes "
            f"(this year scored {scored})",
        )
        for name in dict.fromkeys(header)
        if name not in expected
    ]
    return errors


def _validate_row(number: int, cells: dict[str, str], pct_codes) -> tuple:
    errors = []

    def fail(column, message):
        errors.append(RowError(number, column, message))

    code = str(cells["pct_code"]).strip().upper()
    if not code:
        fail("pct_code", "missing PCT code")
    elif code not in pct_codes:
        fail("pct_code", f"unknown PCT code {code!r}")
    if not any(str(value).strip() for column, value in cells.items() if column != "pct_code"):
        # A PCT with no results in this file, as the year's template lists every PCT: nothing
        # to import for it, and nothing of what is recorded for it changes.
        return None, errors

    scores = {}
    for column, competency in _score_columns(tuple(cells)):
        text = str(cells[column]).strip()
        if text in SCORE_TEXTS:
            scores[competency] = SCORE_TEXTS[text]
        else:
            fail(
                column,
                f"a score must be a whole number from {MIN_SCORE} to {MAX_SCORE}, {_not(text)}",
            )

    ratings = {}
    for column in GOVERNANCE_AREAS:
        text = str(cells[column]).strip()
        ratings[column] = RAG_SPELLINGS.get(text.lower())
        if ratings[column] is None:
            fail(column, f"a rating must be R, A or G (or Red, Amber, Green), {_not(text)}")

    panel_date = _parse_date(str(cells.get("panel_date", "")).strip(), fail)
    if errors:
        return None, errors
    notes = read_back(str(cells.get("notes", "")).strip())
    result = PanelDecision(code, **ratings, scores=scores, panel_date=panel_date, notes=notes)
    return result, errors


@functools.lru_cache(maxsize=16)  # headings come from uploads: keep a few
def _score_columns(header: tuple[str, ...]) -> list[tuple[str, int]]:
    """The competency score columns of a heading, with their numbers: worked out once a file."""
    return [
        (column, int(column[1:]))
        for column in header
        if column.startswith("c") and column[1:].isdigit()
    ]


def _not(text: str) -> str:
    return f"not {text!r}" if text else "and is missing"


def _parse_date(text: str, fail) -> datetime.date | None:
    if not text:
        return None
    try:
        if "/" in text:
            return datetime.datetime.strptime(text, UK_DATE).date()
        return datetime.date.fromisoformat(text)
    except ValueError:
        fail("panel_date", f"a date must look like 2010-03-31 or 31/03/2010, not {text!r}")
        return None


def parse(file_name: str, content: bytes, **bounds_and_progress) -> list[PanelDecision]:
    """Read and validate a whole file; raises SpreadsheetRejected listing every problem.

    Takes validate_file's keyword arguments (pct_codes, competency_numbers, max_bytes and an
    optional progress callback)."""
    return validate_file(file_name, content, **bounds_and_progress).decisions


def validate_file(
    file_name: str,
    content: bytes,
    *,
    pct_codes: Collection[str],
    competency_numbers: Collection[int],
    max_bytes: int,
    progress: Callable[[int], None] | None = None,
    outside_year: Mapping[str, str] | None = None,
) -> "ValidatedFile":
    """parse(), keeping each result's row: what an ImportBatch stores. A PCT in `outside_year`
    (code -> why: pcts_outside_year) is refused on its row."""
    max_rows, max_columns = sheet_bounds(pct_codes, competency_numbers)
    frame = read_spreadsheet(
        file_name, content, max_bytes=max_bytes, max_rows=max_rows, max_columns=max_columns
    )
    validation = validate_rows(
        frame, pct_codes=pct_codes, competency_numbers=competency_numbers, progress=progress
    )
    validated = ValidatedFile(validation.results, validation.rows)
    errors = validation.errors + validated.rows_outside(outside_year or {})
    if errors:
        raise SpreadsheetRejected(errors)
    return validated


def pcts_outside_year(year) -> dict[str, str]:
    """PCT code -> why it can have no results in `year`: it had ceased by the year's first day
    (1 April), or was formed after it. Two queries' worth of organisation changes."""
    begins = datetime.date(year.start_year, 4, 1)
    changes = list(OrganisationChange.objects.select_related("predecessor", "successor"))
    outside = {}
    for change in changes:
        if change.effective <= begins:
            outside[change.predecessor.code] = (
                f"{change.predecessor} had merged into {change.successor} on "
                f"{change.effective:%-d %B %Y}, before {year} began: enter its results under "
                f"{change.successor.code}"
            )
        else:
            formed_from = sorted(
                c.predecessor.code for c in changes if c.successor == change.successor
            )
            outside[change.successor.code] = (
                f"{change.successor} was formed on {change.effective:%-d %B %Y} (from "
                f"{', '.join(formed_from)}), after {year} began: enter those PCTs' results"
            )
    return outside


def validate_for_year(
    year, file_name: str, content: bytes, *, max_bytes: int, progress=None
) -> "ValidatedFile":
    """validate_file() against the PCTs on record and the competencies `year` scored."""
    return validate_file(
        file_name,
        content,
        pct_codes=set(PCT.objects.values_list("code", flat=True)),
        competency_numbers=set(year.competencies.values_list("number", flat=True)),
        max_bytes=max_bytes,
        progress=progress,
        outside_year=pcts_outside_year(year),
    )


def parse_for_year(
    year, file_name: str, content: bytes, *, max_bytes: int, progress=None
) -> list[PanelDecision]:
    """parse() against the PCTs on record and the competencies `year` scored."""
    return validate_for_year(
        year, file_name, content, max_bytes=max_bytes, progress=progress
    ).decisions


# Keeping a validated file ---------------------------------------------------------------


@dataclass(frozen=True)
class ValidatedFile:
    """A file's results as validated at upload, each with its spreadsheet row.

    It is kept on the ImportBatch (as_json), so that the preview and the confirmation read
    the results without parsing the file again: for 15,000 PCTs, reading and validating cost
    more than writing. What may have changed since the upload (a PCT removed from the
    reference data, the year's competencies) is checked again by `recheck`, which is cheap.
    """

    decisions: list[PanelDecision]
    rows: list[int]

    def as_json(self) -> list[dict]:
        return [
            {
                "row": row,
                "pct_code": decision.pct_code,
                **{area: getattr(decision, area) for area in GOVERNANCE_AREAS},
                "scores": {str(number): score for number, score in decision.scores.items()},
                "panel_date": decision.panel_date.isoformat() if decision.panel_date else None,
                "notes": decision.notes,
            }
            for decision, row in zip(self.decisions, self.rows, strict=True)
        ]

    @classmethod
    def from_json(cls, stored: list[dict]) -> "ValidatedFile":
        decisions = [
            PanelDecision(
                item["pct_code"],
                **{area: item[area] for area in GOVERNANCE_AREAS},
                scores={int(number): score for number, score in item["scores"].items()},
                panel_date=(
                    datetime.date.fromisoformat(item["panel_date"]) if item["panel_date"] else None
                ),
                notes=item["notes"],
            )
            for item in stored
        ]
        return cls(decisions, [item["row"] for item in stored])

    def recheck(
        self, *, pct_codes: Collection[str], competency_numbers: Collection[int]
    ) -> list[PanelDecision]:
        """The decisions, if every PCT is still on record and every score's competency is still
        scored this year; raises SpreadsheetRejected naming the rows otherwise."""
        errors = []
        for decision, row in zip(self.decisions, self.rows, strict=True):
            if decision.pct_code not in pct_codes:
                message = f"PCT code {decision.pct_code!r} is no longer on record"
                errors.append(RowError(row, "pct_code", message))
            errors += [
                RowError(row, competency_column(number), "this year no longer scores it")
                for number in sorted(set(decision.scores) - set(competency_numbers))
            ]
        if errors:
            raise SpreadsheetRejected(errors)
        return self.decisions

    def rows_outside(self, outside_year: Mapping[str, str]) -> list[RowError]:
        """A row for each PCT that can have no results in the year, saying why."""
        return [
            RowError(row, "pct_code", outside_year[decision.pct_code])
            for decision, row in zip(self.decisions, self.rows, strict=True)
            if decision.pct_code in outside_year
        ]


def batch_decisions(batch) -> list[PanelDecision]:
    """The decisions of a stored ImportBatch, as validated at upload and checked again now.

    Two queries; a batch stored before uploads kept their validated results (no `decisions`)
    is parsed from its bytes instead."""
    pct_codes = set(PCT.objects.values_list("code", flat=True))
    numbers = set(batch.year.competencies.values_list("number", flat=True))
    if batch.decisions is None:
        content = bytes(batch.content)
        validated = validate_file(
            batch.file_name,
            content,
            pct_codes=pct_codes,
            competency_numbers=numbers,
            max_bytes=len(content),
        )
    else:
        validated = ValidatedFile.from_json(batch.decisions)
    if errors := validated.rows_outside(pcts_outside_year(batch.year)):
        raise SpreadsheetRejected(errors)
    return validated.recheck(pct_codes=pct_codes, competency_numbers=numbers)


# Comparing with the record ----------------------------------------------------------------


def recorded_decisions(year, pct_codes: Collection[str] | None = None) -> dict[str, PanelDecision]:
    """The recorded results of `year` (optionally only some PCTs) as PanelResults, by PCT code."""
    # Unordered: the models' default orderings would join and sort 150,000 scores for nothing.
    assessments = Assessment.objects.for_year(year).order_by()
    scores = CompetencyScore.objects.filter(assessment__year=year).order_by()
    # A few PCTs (the entry form, a small file) are picked by the database; for a whole year's
    # file the year is read and picked here: an IN list of 15,000 codes costs more to build
    # and compile than reading the rows it would leave out.
    wanted = None if pct_codes is None else set(pct_codes)
    if wanted is not None and len(wanted) <= SELECTED_IN_DATABASE:
        assessments = assessments.filter(pct__code__in=wanted)
        scores = scores.filter(assessment__pct__code__in=wanted)
    by_assessment: dict[int, dict[int, int]] = {}
    for assessment_id, number, score in scores.values_list(
        "assessment_id", "competency__number", "score"
    ):
        by_assessment.setdefault(assessment_id, {})[number] = score
    return {
        code: PanelDecision(
            code, strategy, finance, board, by_assessment.get(pk, {}), panel_date, notes
        )
        for pk, code, strategy, finance, board, panel_date, notes in assessments.values_list(
            "pk", "pct__code", "strategy", "finance", "board_governance", "panel_date", "notes"
        )
        if wanted is None or code in wanted
    }


def plan(year, results: list[PanelDecision]) -> list[DecisionChange]:
    """What importing `results` into `year` would create, change or leave alone."""
    return compare(recorded_decisions(year, [r.pct_code for r in results]), results)


# Templates --------------------------------------------------------------------------------


def template_frame(
    pcts: Mapping[str, str], competency_numbers: Collection[int], current: dict[str, PanelDecision]
) -> pd.DataFrame:
    """A row per PCT (code -> name) with the year's columns, filled with what is recorded so
    far; the name is there for the person filling it in (the importer ignores it)."""
    columns = columns_for(competency_numbers)
    columns.insert(1, "pct_name")
    rows = [
        {"pct_code": code, "pct_name": name, **(current[code].values() if code in current else {})}
        for code, name in pcts.items()
    ]
    rows = [{column: neutralise(value) for column, value in row.items()} for row in rows]
    return pd.DataFrame(rows, columns=columns, dtype=object)  # object: no 3 -> 3.0 for blanks


def template_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    if fmt == "csv":
        # The byte-order mark makes Excel open the file as UTF-8; the importer accepts it.
        return frame.to_csv(index=False).encode("utf-8-sig")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="Results")
        _offer_choices(writer.sheets["Results"], list(frame.columns), len(frame))
    return buffer.getvalue()


def _offer_choices(sheet, columns: list[str], rows: int) -> None:
    """Drop-down lists in the workbook: 1–4 under each competency, R/A/G under each rating."""
    choices = {
        "score": ",".join(str(s) for s in SCORES),
        "rating": ",".join(RAG_CODES),
    }
    for kind, allowed in choices.items():
        check = DataValidation(type="list", formula1=f'"{allowed}"', allow_blank=True)
        check.error = f"Choose one of {allowed}."
        for index, name in enumerate(columns, start=1):
            is_score = name.startswith("c") and name[1:].isdigit()
            if (kind == "score") == is_score and (is_score or name in GOVERNANCE_AREAS):
                letter = get_column_letter(index)
                check.add(f"{letter}2:{letter}{rows + 1}")
        sheet.add_data_validation(check)
