"""Directed development's background work: publication emails, the weekly review email."""

import logging

from assurance.models import AssessmentYear
from directed_development import notifications
from wcc.tasks import retried_task

log = logging.getLogger(__name__)


@retried_task()
def email_sha_staff_about_publication(*, year_id: int) -> int:
    """Tell each SHA's staff which of their PCTs meet rules for concern in the public year."""
    year = AssessmentYear.objects.get(pk=year_id)
    if not year.is_public():
        # Withdrawn since it was announced: what the public may not read must not reach inboxes.
        log.info("No SHA staff emails for %s: not public", year, extra={"year": year.slug})
        return 0
    return notifications.email_sha_staff(year)


@retried_task()
def email_flag_reviews() -> int:
    """Tell each SHA's staff which of their SHA's flags are past their review date."""
    return notifications.email_overdue_reviews()


def enqueue_publication_emails(sender, *, year, **kwargs) -> None:
    """Receiver of assurance.signals.year_became_public (sent once the year is public): the
    announcing process returns without waiting for the mail server."""
    email_sha_staff_about_publication.enqueue(year_id=year.pk)
