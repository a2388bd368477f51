"""A year's becoming public is announced once, when it happens: never at an approval under embargo.

The announcement is the signal `year_became_public`, which the apps that email people answer. It
is made by whichever comes first after the moment: the task queued for that moment when the year
was approved (a backend that can defer runs it then), or the periodic `announce_public_years`
command (docs/operations.md). Claiming `announced_at` with one UPDATE makes it once, however many
workers race to it. The receivers only enqueue their email tasks: with the database's task queue
that is a row written beside the claim.
"""

import datetime
import logging

from django.db import transaction
from django.tasks import default_task_backend
from django.utils import timezone

from assurance import signals
from assurance.models import AssessmentYear
from wcc.tasks import retried_task

log = logging.getLogger(__name__)


def announce_public_years(at: datetime.datetime | None = None) -> list[AssessmentYear]:
    """Announce each year that is public at `at` (default now) and not yet announced."""
    at = at or timezone.now()
    announced = []
    for year in AssessmentYear.objects.public(at).filter(announced_at__isnull=True):
        if _claim_and_announce(year, at):
            announced.append(year)
    for year in announced:
        log.info("Announced %s: public from now", year, extra={"year": year.slug})
    return announced


@transaction.atomic
def _claim_and_announce(year: AssessmentYear, at: datetime.datetime) -> bool:
    # One UPDATE claims it: of two workers racing, one finds nothing left to claim. A receiver
    # that fails undoes the claim, so the task's next try announces the year again.
    if not AssessmentYear.objects.filter(pk=year.pk, announced_at__isnull=True).update(
        announced_at=at
    ):
        return False
    signals.year_became_public.send(sender=AssessmentYear, year=year)
    return True


@retried_task()
def send_due_announcements() -> list[str]:
    """The task: announce every year that has become public and is not yet; their slugs."""
    return [year.slug for year in announce_public_years()]


def schedule_announcement(*, public_from: datetime.datetime | None) -> None:
    """After an approval has committed: announce now if the year is public, and queue the
    announcement for the embargo's moment where the task backend can wait until then (the
    periodic command covers a backend that cannot)."""
    send_due_announcements.enqueue()
    if public_from is not None and default_task_backend.supports_defer:
        send_due_announcements.using(run_after=public_from).enqueue()
