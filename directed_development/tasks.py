"""Directed development's background work: publication emails, the weekly review email."""

from assurance.models import AssessmentYear
from directed_development import notifications
from wcc.tasks import retried_task


@retried_task()
def email_sha_staff_about_publication(*, year_id: int) -> int:
    """Tell each SHA's staff which of their PCTs meet rules for concern in the published year."""
    return notifications.email_sha_staff(AssessmentYear.objects.get(pk=year_id))


@retried_task()
def email_flag_reviews() -> int:
    """Tell each SHA's staff which of their SHA's flags are past their review date."""
    return notifications.email_overdue_reviews()


def enqueue_publication_emails(sender, *, year, **kwargs) -> None:
    """Receiver of assurance.signals.year_published (sent once the publication has committed):
    the publishing request returns without waiting for the mail server."""
    email_sha_staff_about_publication.enqueue(year_id=year.pk)
