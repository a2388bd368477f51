"""Writes to the assurance record: each one a named function, with keyword-only arguments, a
permission check and one transaction. Views, commands and the demo loader call these, never the
models' save methods, so every change is checked, audited and invalidates what it must.

(Accounts and directed development flags have actions of their own in their apps.)
"""

from assurance.actions.assessments import (
    RECORD_RESULTS,
    CorrectionNeedsApproval,
    CorrectionNeedsReason,
    StaleAssessment,
    StalePreview,
    apply_import,
    check_version,
    create_year,
    publish_year,
    replace_year_results,
    save_assessment,
    store_import,
    touch_all_years,
)
from assurance.actions.imports import ReversalRefused, remove_stale_imports, reverse_import
from assurance.actions.publication import (
    PublicationRefused,
    approve,
    cancel,
    request_correction,
    request_publication,
    request_reversal,
    request_withdrawal,
    signatures_needed,
)

__all__ = [
    "RECORD_RESULTS",
    "CorrectionNeedsApproval",
    "CorrectionNeedsReason",
    "PublicationRefused",
    "ReversalRefused",
    "StaleAssessment",
    "StalePreview",
    "apply_import",
    "approve",
    "cancel",
    "check_version",
    "create_year",
    "publish_year",
    "remove_stale_imports",
    "replace_year_results",
    "request_correction",
    "request_publication",
    "request_reversal",
    "request_withdrawal",
    "reverse_import",
    "save_assessment",
    "signatures_needed",
    "store_import",
    "touch_all_years",
]
