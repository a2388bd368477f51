"""Downloads via pandas: a league table (CSV, Excel, JSON) from its own columns, charts' data."""

import io
import json

import pandas as pd
from django.http import HttpResponse

from assurance.formula_guard import neutralise
from assurance.vocabulary import MAX_SCORE, MIN_SCORE, RAG_POINTS, RAG_WORDS

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
ILLUSTRATIVE = "ILLUSTRATIVE demo data, not official WCC assurance results"
OFFICIAL = "Assurance panel results"
HYPOTHETICAL = "HYPOTHETICAL: no WCC assurance round took place in {labels}"


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
    then the data's status. The downloads' rows and the API's (api/) are these records."""
    fields = export_fields(table)
    return [
        {"year": year, "method": method}
        | {field.name: neutralise(field.value(row)) for field in fields}
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
                f"{code} {word.lower()} ({RAG_POINTS[code]} points)"
                for code, word in RAG_WORDS.items()
            )
            + " in the equal-weight mark",
        ),
    ]
    return pd.DataFrame(meanings, columns=["column", "meaning"])


def records_response(records: list[dict], filename: str, notice: str) -> HttpResponse:
    """A chart's records as CSV, every row labelled with the data's status."""
    frame = pd.DataFrame.from_records(
        [{key: neutralise(value) for key, value in record.items()} for record in records]
    )
    # Nullable types keep a missing score blank and a whole number free of ".0".
    frame = frame.convert_dtypes()
    frame["data_status"] = notice
    return export_response(frame, "csv", filename, notice)


def export_response(
    frame: pd.DataFrame,
    fmt: str,
    filename: str,
    notice: str,
    sheet_name: str = "League table",
    dictionary: pd.DataFrame | None = None,
) -> HttpResponse:
    """The frame as CSV, Excel or JSON; Excel adds a `dictionary` sheet, when given, and the
    notice."""
    if fmt == "csv":
        body = frame.to_csv(index=False).encode("utf-8")
    elif fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name=sheet_name, index=False)
            if dictionary is not None:
                dictionary.to_excel(writer, sheet_name="Data dictionary", index=False)
            pd.DataFrame({"about": [notice]}).to_excel(writer, sheet_name="About", index=False)
        body = buffer.getvalue()
    else:
        rows = json.loads(frame.to_json(orient="records"))
        body = json.dumps({"notice": notice, "rows": rows}, indent=1).encode("utf-8")
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
