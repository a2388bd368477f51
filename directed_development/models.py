"""Directed development flags: an SHA's decision to put a PCT into directed development."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assurance.models import PCT, AssessmentYear, AuditFields, SignOff


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=DirectedDevelopmentFlag.OPEN)

    def for_year(self, year):
        return self.filter(year=year)

    def in_sha(self, sha):
        return self.filter(pct__sha=sha)

    def review_overdue(self):
        return self.open().filter(review_on__lt=timezone.localdate())


class DirectedDevelopmentFlag(models.Model):
    """An SHA's decision to put one PCT into directed development for one assurance year.

    A flag is proposed, then confirmed, and finally lifted (with a reason); each step records who
    took it and when, and the history table keeps every version of the row.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        CONFIRMED = "confirmed", "Confirmed"
        LIFTED = "lifted", "Lifted"

    OPEN = (Status.PROPOSED, Status.CONFIRMED)

    pct = models.ForeignKey(PCT, on_delete=models.PROTECT, related_name="flags")
    year = models.ForeignKey(AssessmentYear, on_delete=models.PROTECT, related_name="flags")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    reason = models.TextField(help_text="Why the PCT should go into directed development.")
    # The rules for concern the PCT met, as [{"slug": ..., "name": ...}]: names are kept as they
    # read on the day, so a later change of a rule's wording or threshold does not rewrite them.
    rules = models.JSONField(default=list, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)
    # Lifting a confirmed flag takes as many people as confirming it did: who asked, and when;
    # the flag is lifted by the last signature needed (FlagLiftApproval).
    lift_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_requested_at = models.DateTimeField(null=True, blank=True)
    # Who leads the improvement plan, when the SHA looks at the flag again, and where the
    # evidence is (web addresses, one a line).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_on = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True)

    objects = FlagQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = "directed development flag"
        constraints = [
            # A lifted flag stays on record; a PCT may be flagged again, but only one flag per
            # PCT and year is open at a time, however many requests race to raise one.
            models.UniqueConstraint(
                fields=["pct", "year"],
                condition=Q(status__in=["proposed", "confirmed"]),
                name="one_open_flag_per_pct_year",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "confirmed", "lifted"]),
                name="flag_status_valid",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="flag_has_reason"),
            models.CheckConstraint(
                condition=~Q(status="lifted") | ~Q(lift_reason=""),
                name="lifted_flag_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.pct.code} {self.year}: {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def lift_pending(self) -> bool:
        return self.is_open and self.lift_requested_at is not None

    @property
    def rule_names(self) -> list[str]:
        return [rule["name"] for rule in self.rules]

    @property
    def evidence_links(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]

    @property
    def review_overdue(self) -> bool:
        return self.is_open and self.review_on is not None and self.review_on < timezone.localdate()


class FlagConfirmation(SignOff):
    """One person's confirmation of a proposed flag; FLAG_CONFIRMATIONS of them confirm it.

    Never the proposer's: one person alone cannot put a PCT into directed development.
    """

    flag = models.ForeignKey(
        DirectedDevelopmentFlag, on_delete=models.CASCADE, related_name="confirmations"
    )

    class Meta(SignOff.Meta):
        constraints = [
            models.UniqueConstraint(fields=["flag", "by"], name="one_confirmation_per_person")
        ]

    def __str__(self):
        return f"{self.by} confirmed {self.flag}"


class FlagLiftApproval(SignOff):
    """One person's sign-off of lifting a confirmed flag, the asker's included: one more than
    FLAG_CONFIRMATIONS lift it, so one person alone cannot take a PCT out of directed development.
    """

    flag = models.ForeignKey(
        DirectedDevelopmentFlag, on_delete=models.CASCADE, related_name="lift_approvals"
    )

    class Meta(SignOff.Meta):
        constraints = [
            models.UniqueConstraint(fields=["flag", "by"], name="one_lift_approval_per_person")
        ]

    def __str__(self):
        return f"{self.by} approved lifting {self.flag}"


class SuggestionDismissal(models.Model):
    """A decision that a PCT suggested for directed development needs no flag this year, and why.

    Kept when restored (the suggestion returns): who dismissed it and why stays on record.
    """

    pct = models.ForeignKey(PCT, on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey(AssessmentYear, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dismissed_at = models.DateTimeField()
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-dismissed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pct", "year"],
                condition=Q(restored_at__isnull=True),
                name="one_dismissal_in_force_per_pct_year",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="dismissal_has_reason"),
        ]

    def __str__(self):
        return f"{self.pct.code} {self.year}: dismissed by {self.dismissed_by}"
