"""Writes to the assurance record: each one a named function, with keyword-only arguments, a
permission check and one transaction. Views, commands and the demo loader call these, never the
models' save methods, so every change is checked, audited and invalidates what it must.

(Accounts and directed development flags have actions of their own in their apps.)
"""

from assurance.actions.assessments import (
    RECORD_RESULTS,
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

__all__ = [
    "RECORD_RESULTS",
    "StaleAssessment",
    "StalePreview",
    "apply_import",
    "create_year",
    "publish_year",
    "replace_year_results",
    "save_assessment",
    "store_import",
    "touch_all_years",
]
