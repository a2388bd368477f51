"""Downloads via pandas: a league table (CSV, Excel, JSON) from its own columns, charts' data."""

import io
import json

import pandas as pd
from django.http import HttpResponse

from assurance.formula_guard import GUARDED, neutralise
from assurance.vocabulary import MAX_SCORE, MIN_SCORE, RAG_POINTS, RAG_WORDS

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
ILLUSTRATIVE = "ILLUSTRATIVE demo data, not official WCC assurance results"
OFFICIAL = "Assurance panel results"
HYPOTHETICAL = "HYPOTHETICAL: no WCC assurance round took place in {labels}"
# One rule for the figures of every CSV (tables and charts' data): at most this many decimal
# places, trailing zeros dropped, so a whole number reads 2 beside 2.5 and 2.18.
DECIMAL_PLACES = 2
NUMBERS_RULE = (
    f"Figures that are not whole numbers are rounded to at most {DECIMAL_PLACES} decimal places, "
    "trailing zeros dropped (2.18, 2.5); whole numbers have no decimal point (2)"
)


def data_status(years) -> str:
    """What a download says its data is, for the years it holds: a year with no assurance round
    (2010/11) is named; otherwise illustrative if any year is, else official."""
    years = list(years)
    hypothetical = [year.label for year in years if year.is_hypothetical]
    if hypothetical:
        return HYPOTHETICAL.format(labels=" or ".join(hypothetical)) + "; " + ILLUSTRATIVE
    return ILLUSTRATIVE if any(year.is_illustrative for year in years) else OFFICIAL


def export_fields(table) -> list:
    """The ExportFields of every column, shown or not (leaguetable.tables), in the downloads'
    order."""
    return [
        field
        for bound in table.export_columns()
        for field in bound.column.export_fields(bound.name)
    ]


def table_records(table, data_status: str, *, year: str, method: str, rows=None) -> list[dict]:
    """One record per row of `rows` (by default the table's, every page, in its order): the
    year and the method, so a record stands alone, then the fields the table's columns export,
    then the data's status. The downloads' rows and the API's (api/) are these records. Text is
    as written: export_response guards it where a spreadsheet could run it."""
    fields = export_fields(table)
    return [
        {"year": year, "method": method}
        | {field.name: blank_as_null(field.value(row)) for field in fields}
        | {"data_status": data_status}
        for row in (table.data if rows is None else rows)
    ]


def table_frame(table, data_status: str, *, year: str, method: str) -> pd.DataFrame:
    """table_records as a spreadsheet: one row per table row (every page), in the table's order."""
    fields = export_fields(table)
    records = table_records(table, data_status, year=year, method=method)
    columns = ["year", "method", *(field.name for field in fields), "data_status"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    # Nullable integer columns keep "not assessed" as a blank, never 0 or 1.0.
    return frame.astype({field.name: "Int64" for field in fields if field.whole_number})


def data_dictionary(table) -> pd.DataFrame:
    """What every column of table_frame means, and the scoring scale: the Excel download's
    second sheet, so the file explains itself."""
    meanings = [
        ("year", "The assurance year"),
        ("method", "The ranking method the rank, band and next step follow"),
        *((field.name, field.meaning) for field in export_fields(table)),
        ("data_status", "Whether the results are illustrative or the panels' own"),
        (
            "rank intervals",
            "rank_low and rank_high come from resampling: 2,000 times, as many competencies as "
            "the year scored are drawn at random with replacement (numpy's default generator "
            "seeded with the year's first year, 2009 for 2009/10), each PCT's total is the sum "
            "of its scores on those drawn (governance ratings unchanged), and every assessed PCT "
            "is ranked again under the shown method. The interval is the 5% and 95% points of "
            "its 2,000 ranks (numpy.quantile, inverted_cdf); it does not cover how sure the "
            "panels were of each score",
        ),
        (
            "scores",
            f"Competency scores run from {MIN_SCORE} (lowest) to {MAX_SCORE} (highest, "
            '"world class"); blank: not scored that year',
        ),
        (
            "ratings",
            ", ".join(
                f"{code} {word.lower()} ({_points(RAG_POINTS[code])})"
                for code, word in RAG_WORDS.items()
            )
            + " in the equal-weight mark",
        ),
        ("numbers", NUMBERS_RULE + ", in the CSV downloads and the charts' data"),
        (
            "text",
            "As written, in every format; in the CSV download only, a value a spreadsheet could "
            "run as a formula (one starting =, +, -, @ or a look-alike of them, or an apostrophe) "
            "has an apostrophe put before it",
        ),
    ]
    return pd.DataFrame(meanings, columns=["column", "meaning"])


def _points(points: int) -> str:
    return f"{points} point" if points == 1 else f"{points} points"


def records_response(records: list[dict], filename: str, notice: str) -> HttpResponse:
    """A chart's records as CSV, every row labelled with the data's status."""
    frame = pd.DataFrame.from_records(records)
    # Nullable types keep a missing score blank and a whole number free of ".0".
    frame = frame.convert_dtypes()
    frame["data_status"] = notice
    return export_response(frame, "csv", filename, notice)


def rounded(value: float) -> str:
    """A figure as NUMBERS_RULE writes it: 2.1818… -> "2.18", 2.0 -> "2", 2.50 -> "2.5"."""
    return f"{value:.{DECIMAL_PLACES}f}".rstrip("0").rstrip(".")


def _is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(GUARDED)


def _csv(frame: pd.DataFrame) -> bytes:
    """Text a spreadsheet could run is guarded by an apostrophe (assurance.formula_guard), in this
    format only: a CSV cell has no type to say it is text."""
    text_columns = [
        name
        for name, dtype in frame.dtypes.items()
        if pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype)
    ]
    guarded = frame.assign(**{name: frame[name].map(neutralise) for name in text_columns})
    return guarded.to_csv(index=False, float_format=rounded).encode("utf-8")


def _xlsx(frame, sheet_name: str, dictionary, notice: str) -> bytes:
    """Excel, formula-like text written as text cells, as written: openpyxl would store a
    string starting "=" as a formula; quotePrefix keeps a cell text when it is edited."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet_name, index=False)
        if dictionary is not None:
            dictionary.to_excel(writer, sheet_name="Data dictionary", index=False)
        pd.DataFrame({"about": [notice]}).to_excel(writer, sheet_name="About", index=False)
        for sheet in writer.book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if _is_formula_like(cell.value):
                        cell.data_type = "s"
                        cell.quotePrefix = True
    return buffer.getvalue()


def blank_as_null(value):
    """A blank is null (None) in every column and every format that has nulls (JSON, the API)."""
    return None if value == "" else value


def _json(frame: pd.DataFrame, notice: str) -> bytes:
    """JSON, text as written; a blank is null, whichever column it is in."""
    rows = [
        {name: blank_as_null(value) for name, value in row.items()}
        for row in json.loads(frame.to_json(orient="records"))
    ]
    return json.dumps({"notice": notice, "rows": rows}, indent=1).encode("utf-8")


def export_response(
    frame: pd.DataFrame,
    fmt: str,
    filename: str,
    notice: str,
    sheet_name: str = "League table",
    dictionary: pd.DataFrame | None = None,
) -> HttpResponse:
    """The frame (its text as written) as CSV, Excel or JSON; Excel adds a `dictionary` sheet,
    when given, and the notice."""
    if fmt == "csv":
        body = _csv(frame)
    elif fmt == "xlsx":
        body = _xlsx(frame, sheet_name, dictionary, notice)
    else:
        body = _json(frame, notice)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
