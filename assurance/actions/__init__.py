"""Writes to the assurance record: each one a named function, with keyword-only arguments, a
permission check and one transaction. Views, commands and the demo loader call these, never the
models' save methods, so every change is checked, audited and invalidates what it must.

- assessments: years, assessments (form), imports, publishing;
- accounts: roles;
- flags: directed development.
"""

from assurance.actions.accounts import grant_role
from assurance.actions.assessments import (
    StaleAssessment,
    StalePreview,
    apply_import,
    create_year,
    publish_year,
    replace_year_results,
    save_assessment,
    store_import,
    touch_all_years,
)
from assurance.actions.flags import FlagAlreadyOpen, FlagRefused, confirm_flag, flag_pct, lift_flag

__all__ = [
    "FlagAlreadyOpen",
    "FlagRefused",
    "StaleAssessment",
    "StalePreview",
    "apply_import",
    "confirm_flag",
    "create_year",
    "flag_pct",
    "grant_role",
    "lift_flag",
    "publish_year",
    "replace_year_results",
    "save_assessment",
    "store_import",
    "touch_all_years",
]
