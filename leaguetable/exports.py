"""Downloads: the league table and flags (CSV, Excel, JSON), charts' data (CSV), via pandas."""

import io
import json

import pandas as pd
from django.http import HttpResponse
from django.utils import timezone

from leaguetable.ranking import RankedRow

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
ILLUSTRATIVE = "ILLUSTRATIVE demo data, not official WCC assurance results"
OFFICIAL = "Assurance panel results"
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def league_frame(rows: list[RankedRow], competency_numbers: list[int], data_status: str):
    """One spreadsheet row per table row, in the same order, with the same values."""
    records = []
    for row in rows:
        result = row.result
        record = {
            "rank": row.rank,
            "rank_shared": row.tied,
            "movement": row.movement,
            "pct_code": result.pct_code,
            "pct_name": neutralise(result.pct_name),
            "sha_code": result.sha_code,
            "sha_name": neutralise(result.sha_name),
        }
        record |= {f"c{n}": result.scores.get(n) for n in competency_numbers}
        record |= {
            "total": result.total,
            "strategy": result.strategy,
            "finance": result.finance,
            "board_governance": result.board_governance,
            "data_status": data_status,
        }
        records.append(record)
    # Nullable integer columns keep "not assessed" as a blank, never 0 or 1.0.
    frame = pd.DataFrame.from_records(records, columns=_columns(competency_numbers))
    integer_columns = ["rank", "movement", "total", *(f"c{n}" for n in competency_numbers)]
    return frame.astype(dict.fromkeys(integer_columns, "Int64"))


def _columns(competency_numbers):
    return [
        "rank", "rank_shared", "movement", "pct_code", "pct_name", "sha_code", "sha_name",
        *(f"c{n}" for n in competency_numbers),
        "total", "strategy", "finance", "board_governance", "data_status",
    ]  # fmt: skip


def flags_frame(flags) -> pd.DataFrame:
    """One row per directed development flag; free text is neutralised like names are."""
    records = [
        {
            "year": flag.year.label,
            "pct_code": flag.pct.code,
            "pct_name": neutralise(flag.pct.name),
            "sha_code": flag.pct.sha.code,
            "sha_name": neutralise(flag.pct.sha.name),
            "status": flag.get_status_display(),
            "rules": neutralise("; ".join(flag.rule_names)),
            "reason": neutralise(flag.reason),
            "proposed_by": neutralise(flag.proposed_by.get_username()),
            "proposed_at": _isoformat(flag.proposed_at),
            "confirmed_by": neutralise(_username(flag.confirmed_by)),
            "confirmed_at": _isoformat(flag.confirmed_at),
            "lifted_by": neutralise(_username(flag.lifted_by)),
            "lifted_at": _isoformat(flag.lifted_at),
            "lift_reason": neutralise(flag.lift_reason),
            "data_status": ILLUSTRATIVE if flag.year.is_illustrative else OFFICIAL,
        }
        for flag in flags
    ]
    return pd.DataFrame.from_records(records, columns=FLAG_COLUMNS)


FLAG_COLUMNS = [
    "year", "pct_code", "pct_name", "sha_code", "sha_name", "status", "rules", "reason",
    "proposed_by", "proposed_at", "confirmed_by", "confirmed_at", "lifted_by", "lifted_at",
    "lift_reason", "data_status",
]  # fmt: skip


def _username(user) -> str:
    return user.get_username() if user else ""


def _isoformat(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


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
