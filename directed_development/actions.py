"""Writes of directed development flags: raise, confirm and lift, each step checked and audited.

Flags leave the year's revision alone: they are shown only to logged-in users, whose pages are
never cached, so the results' caches stay valid.
"""

import datetime
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from assurance import audit, signoff
from assurance.models import PCT, AssessmentYear, Route
from directed_development.access import may_flag
from directed_development.models import (
    DirectedDevelopmentFlag,
    SuggestionDismissal,
)


class FlagRefused(Exception):
    """A flag step that the flag's state or the input does not allow; nothing was written."""


class FlagAlreadyOpen(FlagRefused):
    """The PCT already has an open flag for the year; the new one was not raised."""

    def __init__(self, flag: DirectedDevelopmentFlag):
        self.flag = flag
        super().__init__(
            f"{flag.pct} already has a {flag.get_status_display().lower()} flag for {flag.year}."
        )


def _require_flagger(by, pct: PCT) -> None:
    # No None here: every step of a flag names the person who took it.
    if by is None or not may_flag(by, pct):
        raise PermissionDenied(
            "Only the PCT's SHA staff and assurance admins may flag it for directed development."
        )


def _required_text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise FlagRefused(f"Give a reason for {what}.")
    return text


@transaction.atomic
def flag_pct(
    *,
    pct: PCT,
    year: AssessmentYear,
    by,
    reason: str,
    rules: Mapping[str, str] | None = None,
    owner=None,
    review_on: datetime.date | None = None,
    evidence: Iterable[str] = (),
) -> DirectedDevelopmentFlag:
    """Propose `pct` for directed development in `year`, saying why.

    `rules` maps the slug of each rule for concern the PCT met to the rule's name as shown
    (directed_development.concerns decides them); the flag keeps both as they were. `owner`
    leads the improvement plan (someone who may flag the PCT), `review_on` is when the SHA
    looks at it again, `evidence` web addresses behind it.
    Raises FlagAlreadyOpen when the PCT has an open flag for the year.
    """
    if owner is not None and not may_flag(owner, pct):
        raise FlagRefused(f"{owner} cannot lead {pct}'s plan: choose its SHA's staff or an admin.")
    _require_flagger(by, pct)
    reason = _required_text(reason, "the flag")
    if not year.is_public():
        raise FlagRefused(f"{year} is not public: only results the public can read are flagged.")
    existing = DirectedDevelopmentFlag.objects.open().filter(pct=pct, year=year).first()
    if existing is not None:
        raise FlagAlreadyOpen(existing)
    with audit.recording(by=by, route=Route.FLAG) as now:
        try:
            # A savepoint: the constraint that refuses a second open flag (two people racing
            # to raise one) must not break the caller's transaction.
            with transaction.atomic():
                return DirectedDevelopmentFlag.objects.create(
                    pct=pct,
                    year=year,
                    reason=reason,
                    rules=[{"slug": slug, "name": name} for slug, name in (rules or {}).items()],
                    proposed_by=by,
                    proposed_at=now.at,
                    owner=owner,
                    review_on=review_on,
                    evidence="\n".join(evidence),
                )
        except IntegrityError:
            raise FlagAlreadyOpen(
                DirectedDevelopmentFlag.objects.open().get(pct=pct, year=year)
            ) from None


def _lock_flag(flag: DirectedDevelopmentFlag) -> DirectedDevelopmentFlag:
    """Lock the flag's row until the transaction ends, so two steps on it never interleave."""
    flag.refresh_from_db(from_queryset=DirectedDevelopmentFlag.objects.select_for_update())
    return flag


@transaction.atomic
def confirm_flag(*, flag: DirectedDevelopmentFlag, by) -> DirectedDevelopmentFlag:
    """Confirm a proposed flag; with FLAG_CONFIRMATIONS people other than its proposer, the PCT
    is in directed development (the last of them is recorded as confirming it)."""
    flag = _lock_flag(flag)
    _require_flagger(by, flag.pct)
    if flag.status != DirectedDevelopmentFlag.Status.PROPOSED:
        raise FlagRefused(f"This flag is {flag.get_status_display().lower()}: nothing to confirm.")
    if by.pk == flag.proposed_by_id:
        raise FlagRefused(
            f"You proposed this flag: another member of {flag.pct.sha}'s staff or an assurance "
            "admin must confirm it, so that no one person decides alone."
        )
    refusal = FlagRefused("You have confirmed this flag already: it needs someone else too.")
    with audit.recording(by=by, route=Route.FLAG) as now:
        needed = confirmations_needed()
        if signoff.sign(flag.confirmations, by=by, needed=needed, refusal=refusal, at=now.at):
            flag.status = DirectedDevelopmentFlag.Status.CONFIRMED
            flag.confirmed_by, flag.confirmed_at = by, now.at
            flag.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return flag


def confirmations_needed() -> int:
    """How many people besides the proposer confirm a flag (FLAG_CONFIRMATIONS, at least 1)."""
    return max(1, settings.FLAG_CONFIRMATIONS)


@transaction.atomic
def lift_flag(*, flag: DirectedDevelopmentFlag, by, reason: str) -> DirectedDevelopmentFlag:
    """Lift an open flag, saying why. A proposal is withdrawn at once: nothing was decided. A
    confirmed flag took more than one person to put in place, and takes as many to lift: this
    asks, and signs; approve_lift adds the others (FLAG_CONFIRMATIONS besides the asker)."""
    flag = _lock_flag(flag)
    _require_flagger(by, flag.pct)
    reason = _required_text(reason, "lifting the flag")
    if not flag.is_open:
        raise FlagRefused("This flag is already lifted.")
    with audit.recording(by=by, route=Route.FLAG) as now:
        if flag.status == DirectedDevelopmentFlag.Status.PROPOSED:
            flag.lift_reason = reason
            _lift(flag, by, now.at)
            return flag
        if flag.lift_pending:
            raise FlagRefused(
                f"{flag.lift_requested_by} has asked to lift this flag already: approve that "
                "request, or cancel it and ask again."
            )
        flag.lift_requested_by, flag.lift_requested_at, flag.lift_reason = by, now.at, reason
        flag.save(update_fields=["lift_requested_by", "lift_requested_at", "lift_reason"])
        _sign_lift(flag, by, now.at)
    return flag


@transaction.atomic
def approve_lift(*, flag: DirectedDevelopmentFlag, by) -> DirectedDevelopmentFlag:
    """Sign the request to lift a confirmed flag; the last signature needed lifts it."""
    flag = _lift_asked_for(flag, by, "approve")
    with audit.recording(by=by, route=Route.FLAG) as now:
        _sign_lift(flag, by, now.at)
    return flag


@transaction.atomic
def cancel_lift(*, flag: DirectedDevelopmentFlag, by) -> DirectedDevelopmentFlag:
    """Drop a request to lift a flag (its asker or anyone who may flag the PCT); it stays open."""
    flag = _lift_asked_for(flag, by, "cancel")
    with audit.recording(by=by, route=Route.FLAG):
        flag.lift_approvals.all().delete()
        flag.lift_requested_by, flag.lift_requested_at, flag.lift_reason = None, None, ""
        flag.save(update_fields=["lift_requested_by", "lift_requested_at", "lift_reason"])
    return flag


def _lift_asked_for(flag: DirectedDevelopmentFlag, by, step: str) -> DirectedDevelopmentFlag:
    flag = _lock_flag(flag)
    _require_flagger(by, flag.pct)
    if not flag.lift_pending:
        raise FlagRefused(f"Nobody has asked to lift this flag: there is nothing to {step}.")
    return flag


def _sign_lift(flag: DirectedDevelopmentFlag, by, at) -> None:
    who = "asked to lift" if by.pk == flag.lift_requested_by_id else "approved lifting"
    refusal = FlagRefused(
        f"You {who} this flag: another member of {flag.pct.sha}'s staff or an assurance admin "
        "must approve it, so that no one person decides alone."
    )
    needed = 1 + confirmations_needed()
    if signoff.sign(flag.lift_approvals, by=by, needed=needed, refusal=refusal, at=at):
        _lift(flag, by, at)


def _lift(flag: DirectedDevelopmentFlag, by, at) -> None:
    flag.status = DirectedDevelopmentFlag.Status.LIFTED
    flag.lifted_by, flag.lifted_at = by, at
    flag.save(update_fields=["status", "lifted_by", "lifted_at", "lift_reason"])


@transaction.atomic
def dismiss_suggestion(*, pct: PCT, year: AssessmentYear, by, reason: str) -> SuggestionDismissal:
    """Set a suggestion aside for `year`, saying why; it is listed apart, greyed, restorable."""
    _require_flagger(by, pct)
    reason = _required_text(reason, "setting the suggestion aside")
    try:
        with transaction.atomic():
            return SuggestionDismissal.objects.create(
                pct=pct, year=year, reason=reason, dismissed_by=by, dismissed_at=timezone.now()
            )
    except IntegrityError:
        raise FlagRefused(f"{pct} is already set aside for {year}.") from None


@transaction.atomic
def restore_suggestion(*, dismissal: SuggestionDismissal, by) -> SuggestionDismissal:
    """Bring a dismissed suggestion back; the dismissal stays on record."""
    _require_flagger(by, dismissal.pct)
    dismissal.refresh_from_db(from_queryset=SuggestionDismissal.objects.select_for_update())
    if dismissal.restored_at is None:
        dismissal.restored_by, dismissal.restored_at = by, timezone.now()
        dismissal.save(update_fields=["restored_by", "restored_at"])
    return dismissal
