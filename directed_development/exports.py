"""Downloads of directed development flags (CSV, Excel, JSON), neutralised like the league's."""

import pandas as pd
from django.utils import timezone

from assurance.cells import neutralise
from leaguetable.exports import ILLUSTRATIVE, OFFICIAL


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
