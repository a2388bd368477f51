"""Saved groups' background work: the publication summary email, retried if the mail fails."""

from watchlists import notifications
from wcc.tasks import retried_task


@retried_task()
def email_group_summaries(*, year_slug: str) -> int:
    """Each owner who asked gets one email of their groups' ranks and moves in the year."""
    return notifications.email_group_summaries(year_slug)


def enqueue_group_summaries(sender, *, year, **kwargs) -> None:
    """Receiver of assurance.signals.year_published (sent once the publication has committed):
    the publishing request returns without waiting for the mail server."""
    email_group_summaries.enqueue(year_slug=year.slug)
