"""The assurance record: organisations, the competency framework and what each panel decided."""

import datetime
import re

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assurance.revisions import RecordQuerySet
from assurance.vocabulary import (
    GOVERNANCE_AREAS,
    MAX_SCORE,
    MIN_SCORE,
    RAG_CODES,
    RAG_WORDS,
    competency_column,
    is_hypothetical_round,
)


class SHA(models.Model):
    """A strategic health authority, one of the ten regional bodies over the PCTs."""

    code = models.CharField(
        max_length=3,
        unique=True,
        help_text="ODS code, Q30–Q39.",
        validators=[RegexValidator(r"^Q[0-9]{2}$", "An SHA code is Q and two digits, e.g. Q36.")],
    )
    name = models.CharField(max_length=100)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "SHA"
        verbose_name_plural = "SHAs"

    def __str__(self):
        return self.name


class PCT(models.Model):
    """A primary care trust (or care trust with PCT functions), identified by its ODS code."""

    code = models.CharField(
        max_length=3,
        unique=True,
        help_text="Three-character ODS code.",
        validators=[
            RegexValidator(
                r"^[0-9A-Z]{3}$", "A PCT code is three capital letters or digits, e.g. 5C4."
            )
        ],
    )
    name = models.CharField(max_length=120)
    sha = models.ForeignKey(SHA, on_delete=models.PROTECT, related_name="pcts")

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "PCT"
        verbose_name_plural = "PCTs"

    def __str__(self):
        return f"{self.name} ({self.code})"


class Competency(models.Model):
    """One of the WCC framework's organisational competencies (1–11)."""

    number = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(1)])
    name = models.CharField(max_length=100)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name_plural = "competencies"
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="competency_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def column_name(self) -> str:
        """The name used for this competency in spreadsheets and exports: c1, c2, …"""
        return competency_column(self.number)


class AssessmentYearQuerySet(RecordQuerySet):
    def public(self, at: datetime.datetime | None = None):
        """THE rule for "may the public read this year?", as a query (AssessmentYear.is_public is
        the same rule for one year in hand): approved for publication, past its embargo if it has
        one at `at` (default now). A withdrawn or draft year is never public."""
        at = at or timezone.now()
        return self.filter(status=AssessmentYear.Status.PUBLISHED).filter(
            Q(public_from__isnull=True) | Q(public_from__lte=at)
        )

    def withdrawn_after_being_public(self):
        """Withdrawn years the public had read (a public notice says why they went); not those
        withdrawn before their embargo lifted."""
        return self.filter(status=AssessmentYear.Status.WITHDRAWN).filter(
            Q(public_from__isnull=True) | Q(public_from__lte=F("withdrawn_at"))
        )

    def by_slug(self, slug: str):
        """The year named like its URLs and spreadsheets, '2009-10' (none for other text)."""
        start_year = AssessmentYear.start_year_from_slug(slug)
        return self.none() if start_year is None else self.filter(start_year=start_year)


class AssessmentYear(models.Model):
    """One annual round of assurance, e.g. 2009/10, and which competencies it scored."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn from public view"

    start_year = models.PositiveSmallIntegerField(
        unique=True, help_text="Calendar year the financial year starts in: 2009 for 2009/10."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    competencies = models.ManyToManyField(
        Competency, related_name="assessment_years", help_text="Competencies scored this year."
    )
    is_illustrative = models.BooleanField(
        default=False,
        help_text="Generated demo data, not official results. Shown on every page and export.",
    )
    note = models.TextField(blank=True, help_text="Shown above the league table for this year.")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An embargo: published (approved) now, readable by the public only from this moment.
    public_from = models.DateTimeField(null=True, blank=True)
    # When the year's becoming public was announced (emails to SHA staff and group owners): once
    # per publication, at the embargo's moment if it had one (assurance.actions.announcement).
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True, help_text="Shown on the methodology page.")
    # Incremented by every write to this year's results (see assurance.actions); read-side caches
    # put it in their keys, so a publication or correction is seen at once by every process.
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = AssessmentYearQuerySet.as_manager()

    class Meta:
        ordering = ["start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "withdrawn"]),
                name="year_status_valid",
            ),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        # The revision moves only forward, by assurance.revisions: a copy read before a write must
        # not put its older revision back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "revision"
            ]
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        return self.label.replace("/", "-")

    @property
    def is_approved(self) -> bool:
        """Approved for publication by enough admins: public now, or under an embargo.

        Not "may the public read it?" (that is is_public): this is which changes to the year need
        two people, and whether a change to it is a correction.
        """
        return self.status == self.Status.PUBLISHED

    def is_public(self, at: datetime.datetime | None = None) -> bool:
        """THE rule for one year in hand (AssessmentYearQuerySet.public is the same as a query)."""
        at = at or timezone.now()
        return self.is_approved and (self.public_from is None or self.public_from <= at)

    @property
    def is_hypothetical(self) -> bool:
        """No assurance round took place this year: its results can only be made up."""
        return is_hypothetical_round(self.start_year)

    @property
    def is_embargoed(self) -> bool:
        """Approved, but not yet public: its embargo is still to come."""
        return self.is_approved and not self.is_public()

    @staticmethod
    def start_year_from_slug(slug: str) -> int | None:
        """'2009-10' -> 2009; None when the text is not a financial year."""
        # ASCII digits only: str.isdigit() also accepts '²', which int() then refuses.
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", slug):
            return None
        start, end = int(slug[:4]), int(slug[5:])
        return start if (start + 1) % 100 == end else None


RAG = models.TextChoices(
    "RAG", {RAG_WORDS[code].upper(): (code, RAG_WORDS[code]) for code in RAG_CODES}
)


class AssessmentQuerySet(RecordQuerySet):
    def for_year(self, year):
        return self.filter(year=year)


class Route(models.TextChoices):
    """How a change reached the record; every history row names one."""

    FORM = "form", "Entry form"
    IMPORT = "import", "Spreadsheet import"
    DEMO = "demo", "Demo data loader"
    FLAG = "flag", "Directed development"
    REVERSAL = "reversal", "Import reversed"


class ImportBatch(models.Model):
    """An uploaded spreadsheet, kept in the database between preview and confirm.

    App processes are stateless across hosts, so the file's bytes live here rather than on a
    local disk; the confirm step finds them by id, and history rows name the batch that made
    each change.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting confirmation"
        APPLIED = "applied", "Applied"
        REVERSED = "reversed", "Reversed"
        # Every row matched the record when it was uploaded: there is nothing to confirm.
        NOTHING = "nothing", "Nothing to import"

    year = models.ForeignKey("AssessmentYear", on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    # The results as validated at upload (assurance.importers.ValidatedFile.as_json), so the
    # preview and the confirmation need not parse the file again. Null for older uploads.
    decisions = models.JSONField(null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    from_command_line = models.BooleanField(default=False)
    # A correction typed into the entry form for a public year waits here, as one row, for a
    # second admin's approval like any file (assurance.actions.publication).
    from_entry_form = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    applied_at = models.DateTimeField(null=True, blank=True)
    # What applying it did: {"new": n, "changed": n, "unchanged": n}.
    counts = models.JSONField(default=dict, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"{self.file_name} ({self.sha256[:12]}) for {self.year}"


class AuditFields(models.Model):
    """Extra columns on every history row: the route of the change and the file behind it."""

    route = models.CharField(max_length=10, choices=Route.choices, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class Assessment(models.Model):
    """What one assurance panel decided about one PCT in one year."""

    pct = models.ForeignKey(PCT, on_delete=models.PROTECT, related_name="assessments")
    year = models.ForeignKey(AssessmentYear, on_delete=models.PROTECT, related_name="assessments")
    strategy = models.CharField(max_length=1, choices=RAG.choices)
    finance = models.CharField(max_length=1, choices=RAG.choices)
    board_governance = models.CharField(max_length=1, choices=RAG.choices)
    panel_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when results change after the year was published, so readers see "corrected on", and
    # why: a published result is corrected only with a reason (assurance.actions).
    corrected_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Optimistic locking: a form carries the version it was opened at, and assurance.actions
    # refuses a save when the row has moved on, instead of overwriting someone else's change.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AssessmentQuerySet.as_manager()
    # Indexes cost every import a write per row; the trail is read by PCT, year and version.
    history = HistoricalRecords(
        bases=[AuditFields], excluded_fields=["updated_at"], no_db_index=["updated_by"]
    )

    class Meta:
        ordering = ["year", "pct"]
        # Held by the assurance admins' group (accounts.roles); the record asks only this.
        permissions = [("record_results", "Can enter, import and publish assurance results")]
        constraints = [
            models.UniqueConstraint(fields=["pct", "year"], name="one_assessment_per_pct_year"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{area}__in": RAG.values}), name=f"{area}_is_rag"
                )
                for area in GOVERNANCE_AREAS
            ),
        ]

    def __str__(self):
        return f"{self.pct.code} {self.year}"


class CompetencyScore(models.Model):
    """A panel's score, 1 (lowest) to 4 (world class), for one competency of one assessment."""

    # No index of its own: one_score_per_competency's index starts with the assessment.
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", db_index=False
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()

    # The trail of scores is read by assessment and by import, never by competency.
    objects = RecordQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditFields], no_db_index=["competency"])

    class Meta:
        ordering = ["assessment", "competency"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="one_score_per_competency"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=MIN_SCORE, score__lte=MAX_SCORE),
                name="score_between_1_and_4",
            ),
        ]

    def __str__(self):
        return f"{self.assessment} c{self.competency_id}={self.score}"


class PublicationRequest(models.Model):
    """A change to what the public sees of a year, and its sign-offs: publishing it, withdrawing
    it from public view, correcting its published results, or reversing an import of them.

    The person who asks signs first; it is carried out when PUBLICATION_APPROVALS different
    assurance admins have signed (see assurance.actions.publication). A request is of the year's
    results as they were when it was made: if they change, it can no longer be approved.
    """

    class Kind(models.TextChoices):
        PUBLISH = "publish", "Publish"
        WITHDRAW = "withdraw", "Withdraw from public view"
        CORRECT = "correct", "Correct the published results"
        REVERSE = "reverse", "Reverse an import of published results"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        CARRIED_OUT = "done", "Carried out"
        CANCELLED = "cancelled", "Cancelled"

    # Every kind but publishing changes what readers already see: they are told why.
    NEEDS_REASON = (Kind.WITHDRAW, Kind.CORRECT, Kind.REVERSE)

    year = models.ForeignKey(
        AssessmentYear, on_delete=models.PROTECT, related_name="publication_requests"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(blank=True)
    public_from = models.DateTimeField(null=True, blank=True, help_text="Publish: the embargo.")
    # Correct: the results to write (a file's, or the entry form's); reverse: the import to undo.
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    revision = models.PositiveIntegerField(help_text="The year's revision when it was requested.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # However many admins press the button at once, a year has one open request.
            models.UniqueConstraint(
                fields=["year"], condition=Q(status="pending"), name="one_pending_request_per_year"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["publish", "withdraw", "correct", "reverse"]),
                name="publication_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["withdraw", "correct", "reverse"]) | ~Q(reason=""),
                name="change_to_public_results_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["correct", "reverse"]) | Q(import_batch__isnull=False),
                name="correction_names_its_results",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} ({self.get_status_display().lower()})"


class SignOff(models.Model):
    """One person's signature on a change that takes more than one person.

    Abstract: each kind of change keeps its signatures beside it (a publication request's, a
    flag's), with the database refusing a second signature by the same person. The rule they
    share, assurance.signoff.sign, is written once.
    """

    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["at"]


class PublicationApproval(SignOff):
    """One assurance admin's sign-off of a publication request (the requester's included)."""

    request = models.ForeignKey(
        PublicationRequest, on_delete=models.CASCADE, related_name="approvals"
    )

    class Meta(SignOff.Meta):
        constraints = [
            models.UniqueConstraint(fields=["request", "by"], name="one_approval_per_person")
        ]

    def __str__(self):
        return f"{self.by} approved {self.request}"


class OrganisationChange(models.Model):
    """A PCT that ceased on a date, merged into or renamed as its successor.

    A merger has one row per predecessor, all naming the same successor and date: the two
    Hertfordshire PCTs (5P3, 5P4) into Hertfordshire PCT (5QV) on 1 April 2010. The read side
    says "merged into …" for a predecessor in years after the change, instead of "not assessed".
    """

    class Kind(models.TextChoices):
        MERGER = "merger", "Merger"
        RENAMING = "renaming", "Renaming"

    predecessor = models.ForeignKey(PCT, on_delete=models.PROTECT, related_name="changes_out")
    successor = models.ForeignKey(PCT, on_delete=models.PROTECT, related_name="changes_in")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    effective = models.DateField(help_text="The successor's first day.")
    source = models.TextField(help_text="Where the change is recorded.")

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["effective", "successor", "predecessor"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor"], name="a_pct_ceases_once"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="change_to_another_pct"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["merger", "renaming"]), name="organisation_change_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.predecessor.code} → {self.successor.code} ({self.kind}, {self.effective})"


class CacheIdentity(models.Model):
    """A random name for this database, part of every cache key (assurance.cache.key).

    `migrate` gives a new database one and `restore` a new one, so a database restored beside a
    live cache never reads values cached from another database that reached the same revisions.
    One row; left out of backups (assurance/management/commands/backup.py).
    """

    value = models.CharField(max_length=32)

    def __str__(self):
        return self.value
