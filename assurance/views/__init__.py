"""Pages for assurance admins, a module per job: years and the entry form, imports, publication."""

from assurance.views.imports import (
    import_confirm,
    import_list,
    import_preview,
    import_reverse,
    import_upload,
    template,
)
from assurance.views.publication import (
    approve_request,
    cancel_request,
    publication,
    publish,
    withdraw,
)
from assurance.views.years import entry, home, pct_history, year_detail

__all__ = [
    "approve_request",
    "cancel_request",
    "entry",
    "home",
    "import_confirm",
    "import_list",
    "import_preview",
    "import_reverse",
    "import_upload",
    "pct_history",
    "publication",
    "publish",
    "template",
    "withdraw",
    "year_detail",
]
