"""Downloads via pandas: a league table (CSV, Excel, JSON) from its own columns, charts' data."""

import io
import json

import pandas as pd
from django.http import HttpResponse

from assurance.cells import neutralise

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
ILLUSTRATIVE = "ILLUSTRATIVE demo data, not official WCC assurance results"
OFFICIAL = "Assurance panel results"


def table_frame(table, data_status: str) -> pd.DataFrame:
    """One spreadsheet row per table row (every page), in the table's order, with the fields its
    columns export (leaguetable.tables), then the data's status."""
    fields = [field for bound in table.columns for field in bound.column.export_fields(bound.name)]
    records = [
        {field.name: neutralise(field.value(row)) for field in fields}
        | {"data_status": data_status}
        for row in table.data
    ]
    columns = [field.name for field in fields] + ["data_status"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    # Nullable integer columns keep "not assessed" as a blank, never 0 or 1.0.
    return frame.astype({field.name: "Int64" for field in fields if field.whole_number})


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
    frame: pd.DataFrame, fmt: str, filename: str, notice: str, sheet_name: str = "League table"
) -> HttpResponse:
    if fmt == "csv":
        body = frame.to_csv(index=False).encode("utf-8")
    elif fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name=sheet_name, index=False)
            pd.DataFrame({"about": [notice]}).to_excel(writer, sheet_name="About", index=False)
        body = buffer.getvalue()
    else:
        rows = json.loads(frame.to_json(orient="records"))
        body = json.dumps({"notice": notice, "rows": rows}, indent=1).encode("utf-8")
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
