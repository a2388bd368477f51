"""Saved groups' background work: the publication summary email, retried if the mail fails."""

from watchlists import notifications
from wcc.tasks import retried_task


@retried_task()
def email_owners_their_groups(*, year_id: int) -> int:
    """Each owner who asked gets one email of their groups' ranks and moves in the year."""
    return notifications.email_group_summaries(year_id)


def enqueue_group_summaries(sender, *, year, **kwargs) -> None:
    """Receiver of assurance.signals.year_became_public (sent once the year is public): the
    announcing process returns without waiting for the mail server."""
    email_owners_their_groups.enqueue(year_id=year.pk)
