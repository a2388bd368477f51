"""Email each SHA's staff, when a year is published, the PCTs of their SHA that meet the rules."""

import logging

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from directed_development import queries

log = logging.getLogger(__name__)


def email_sha_staff(year) -> int:
    """One email per SHA staff user about `year`'s PCTs meeting rules; the count sent.

    Staff whose SHA has no PCT meeting a rule are told so: the email is also their notice
    that the year is published. A mail server's error is raised, so the task that runs this
    (directed_development.tasks) is tried again and logged.
    """
    by_sha = queries.concerns_by_sha(year)
    messages = [
        _message(year, user, by_sha.get(user.wcc_profile.sha.code, []))
        for user in queries.sha_staff_to_email()
    ]
    sent = mail.mailers.default.send_messages(messages) if messages else 0
    log.info(
        "Emailed %s SHA staff about %s's PCTs of concern",
        sent or 0,
        year,
        extra={"year": year.slug, "recipients": len(messages)},
    )
    return sent or 0


def _message(year, user, found) -> mail.EmailMessage:
    sha = user.wcc_profile.sha
    count = f"{len(found)} {sha.name} PCT{'' if len(found) == 1 else 's'}"
    body = render_to_string(
        "directed_development/email/year_published.txt",
        {
            "year": year,
            "user": user,
            "sha": sha,
            "found": [
                (
                    concern,
                    _absolute(
                        "directed_development:flag_new", year.slug, concern.row.scorecard.pct_code
                    ),
                )
                for concern in found
            ],
            "suggestions_url": _absolute("directed_development:suggestions"),
            "league_url": _absolute("leaguetable:league", year.slug),
        },
    )
    kind = " (hypothetical: no such round took place)" if year.is_hypothetical else ""
    subject = f"WCC {year.label} published{kind}: {count} meeting rules for concern"
    return mail.EmailMessage(subject=subject, body=body, to=[user.email])


def _absolute(name: str, *args) -> str:
    # A receiver has no request to build an absolute address from, hence SITE_URL.
    return settings.SITE_URL + reverse(name, args=args)


def email_overdue_reviews() -> int:
    """One email to each SHA staff member whose SHA has flags past review; the count sent."""
    overdue = queries.overdue_by_sha()
    messages = [
        mail.EmailMessage(
            subject=f"{len(flags)} directed development flag{'s' if len(flags) != 1 else ''} "
            f"past review in {user.wcc_profile.sha.name}",
            body=render_to_string(
                "directed_development/email/overdue_reviews.txt",
                {
                    "user": user,
                    "flags": [
                        (flag, _absolute("directed_development:flag", flag.pk)) for flag in flags
                    ],
                },
            ),
            to=[user.email],
        )
        for user in queries.sha_staff_to_email()
        if (flags := overdue.get(user.wcc_profile.sha.pk))
    ]
    sent = mail.mailers.default.send_messages(messages) if messages else 0
    log.info("Emailed %s SHA staff about flags past their review date", sent)
    return sent or 0
