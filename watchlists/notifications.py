"""Email each owner who asked, when a year is published, their groups' ranks and moves: one
email per owner, however many groups."""

import logging
from collections import defaultdict

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from assurance.models import AssessmentYear
from watchlists import queries
from watchlists.models import Watchlist

log = logging.getLogger(__name__)


def email_group_summaries(year_id: int) -> int:
    """One email to each owner of groups that ask for it; the number sent.

    Takes the year's id, not the year, so a task queue can carry the call.
    """
    year = AssessmentYear.objects.public().filter(pk=year_id).first()
    if year is None:
        # Withdrawn since, or under embargo: ranks must not reach inboxes before the public.
        log.info("No group summaries for year %s: not readable by the public", year_id)
        return 0
    earlier = AssessmentYear.objects.public().filter(start_year__lt=year.start_year)
    previous = earlier.order_by("-start_year").first()
    messages = [
        _message(
            year,
            owner,
            [(g, queries.standing(names, year, previous), names) for g, names in groups],
        )
        for owner, groups in _groups_by_owner().items()
    ]
    # A mail failure raises: the task (watchlists.tasks) logs it and tries again later.
    sent = mail.mailers.default.send_messages(messages) if messages else 0
    log.info("Emailed %s group summaries for %s", sent, year)
    return sent or 0


def _groups_by_owner() -> dict:
    """Owner -> [(group, its PCTs' codes)] for groups that ask for email. Two queries."""
    groups = (
        Watchlist.objects.emailed_on_publication()
        .select_related("owner")
        .prefetch_related("pcts")
        .order_by("owner_id", "name")
    )
    by_owner = defaultdict(list)
    for group in groups:
        by_owner[group.owner].append((group, {pct.code: pct.name for pct in group.pcts.all()}))
    return by_owner


def _message(year, owner, groups) -> mail.EmailMessage:
    body = render_to_string(
        "watchlists/email/year_published.txt",
        {
            "year": year,
            "owner": owner,
            "groups": [
                (
                    group,
                    standing,
                    [pct_line(row) for row in standing.rows]
                    + [
                        f"{names[code]} ({code}): not in this year's table (formed later)"
                        for code in standing.absent
                    ],
                    _absolute("watchlists:group", group.token),
                )
                for group, standing, names in groups
            ],
            "league_url": _absolute("leaguetable:league", year.slug),
        },
    )
    count = f"{len(groups)} group{'' if len(groups) == 1 else 's'}"
    kind = " (hypothetical: no such round took place)" if year.is_hypothetical else ""
    subject = f"WCC {year.label} published{kind}: ranks of your {count}"
    return mail.EmailMessage(subject=subject, body=body, to=[owner.email])


def pct_line(row) -> str:
    """ "Barnet PCT (5A9): rank 12 (was 20), up 8 places" """
    pct = f"{row.scorecard.pct_name} ({row.scorecard.pct_code})"
    if row.rank is None:
        return f"{pct}: {row.scorecard.organisation_status or 'not assessed'}"
    was = f" (was {row.previous_rank})" if row.previous_rank is not None else ""
    return f"{pct}: rank {row.rank_label}{was}, {move_words(row.movement)}"


def move_words(movement: int | None) -> str:
    if movement is None:
        return "no earlier rank to compare"
    if movement == 0:
        return "no change"
    places = f"{abs(movement)} place{'' if abs(movement) == 1 else 's'}"
    return f"up {places}" if movement > 0 else f"down {places}"


def _absolute(name: str, *args) -> str:
    # A receiver has no request to build an absolute address from, hence SITE_URL.
    return settings.SITE_URL + reverse(name, args=args)
