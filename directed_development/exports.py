"""Downloads of directed development flags (CSV, Excel, JSON), neutralised like the league's."""

import pandas as pd
from django.utils import timezone

from assurance.formula_guard import neutralise
from leaguetable.exports import data_status


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
            "lead": neutralise(_username(flag.owner)),
            "review_on": flag.review_on.isoformat() if flag.review_on else "",
            "evidence": neutralise(" ".join(flag.evidence_links)),
            "proposed_by": neutralise(flag.proposed_by.get_username()),
            "proposed_at": _isoformat(flag.proposed_at),
            "confirmed_by": neutralise(_username(flag.confirmed_by)),
            "confirmed_at": _isoformat(flag.confirmed_at),
            "lifted_by": neutralise(_username(flag.lifted_by)),
            "lifted_at": _isoformat(flag.lifted_at),
            "lift_reason": neutralise(flag.lift_reason),
            "data_status": data_status([flag.year]),
        }
        for flag in flags
    ]
    return pd.DataFrame.from_records(records, columns=FLAG_COLUMNS)


FLAG_COLUMNS = [
    "year", "pct_code", "pct_name", "sha_code", "sha_name", "status", "rules", "reason",
    "lead", "review_on", "evidence", "proposed_by", "proposed_at", "confirmed_by", "confirmed_at",
    "lifted_by", "lifted_at", "lift_reason", "data_status",
]  # fmt: skip


def _username(user) -> str:
    return user.get_username() if user else ""


def _isoformat(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


SUGGESTION_COLUMNS = [
    "year", "rank", "rank_shared", "pct_code", "pct_name", "sha_code", "sha_name", "total",
    "strategy", "finance", "board_governance", "rules", "open_flag", "set_aside_by",
    "set_aside_reason", "data_status",
]  # fmt: skip


def suggestions_frame(year, suggestions, data_status: str) -> pd.DataFrame:
    """One row per suggestion, as the page lists them (set-aside ones too, with who and why)."""
    records = []
    for suggestion in suggestions:
        row, dismissal = suggestion.concern.row, suggestion.dismissal
        card = row.scorecard
        records.append(
            {
                "year": year.label,
                # A number, with the tie apart: "=58" would be a formula in a spreadsheet.
                "rank": row.rank,
                "rank_shared": row.tied,
                "pct_code": card.pct_code,
                "pct_name": neutralise(card.pct_name),
                "sha_code": card.sha_code,
                "sha_name": neutralise(card.sha_name),
                "total": card.total,
                "strategy": card.strategy,
                "finance": card.finance,
                "board_governance": card.board_governance,
                "rules": neutralise(
                    "; ".join(
                        f"{rule.name}: {finding}" for rule, finding in suggestion.concern.findings
                    )
                ),
                "open_flag": suggestion.open_flag.label if suggestion.open_flag else "",
                "set_aside_by": _username(dismissal.dismissed_by) if dismissal else "",
                "set_aside_reason": neutralise(dismissal.reason) if dismissal else "",
                "data_status": data_status,
            }
        )
    return pd.DataFrame.from_records(records, columns=SUGGESTION_COLUMNS)
