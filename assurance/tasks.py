"""The record's background work: removing uploads never confirmed."""

import datetime

from django.conf import settings

from assurance import actions
from wcc.tasks import retried_task


@retried_task()
def remove_stale_imports(*, days: int | None = None) -> int:
    """Delete uploads never confirmed within `days` (IMPORT_PENDING_DAYS by default); the count."""
    days = settings.IMPORT_PENDING_DAYS if days is None else days
    return actions.remove_stale_imports(older_than=datetime.timedelta(days=days))
