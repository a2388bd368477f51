"""The assurance record: organisations, the competency framework and what each panel decided."""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class SHA(models.Model):
    """A strategic health authority, one of the ten regional bodies over the PCTs."""

    code = models.CharField(
        max_length=3,
        unique=True,
        help_text="ODS code, Q30–Q39.",
        validators=[RegexValidator(r"^Q[0-9]{2}$", "An SHA code is Q and two digits, e.g. Q36.")],
    )
    name = models.CharField(max_length=100)

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
        return f"c{self.number}"


class AssessmentYearQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=AssessmentYear.Status.PUBLISHED)

    def latest_published(self):
        return self.published().order_by("-start_year").first()


class AssessmentYear(models.Model):
    """One annual round of assurance, e.g. 2009/10, and which competencies it scored."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

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
    # Incremented by every write to this year's results (see assurance.actions); read-side caches
    # put it in their keys, so a publication or correction is seen at once by every process.
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = AssessmentYearQuerySet.as_manager()

    class Meta:
        ordering = ["start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="year_status_valid"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        return self.label.replace("/", "-")

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @staticmethod
    def start_year_from_slug(slug: str) -> int | None:
        """'2009-10' -> 2009; None when the text is not a financial year."""
        first, sep, second = slug.partition("-")
        if not (sep and first.isdigit() and second.isdigit() and len(first) == 4):
            return None
        start = int(first)
        return start if (start + 1) % 100 == int(second) and len(second) == 2 else None


class RAG(models.TextChoices):
    RED = "R", "Red"
    AMBER = "A", "Amber"
    GREEN = "G", "Green"


class AssessmentQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(year=year)


GOVERNANCE_AREAS = ("strategy", "finance", "board_governance")


class Route(models.TextChoices):
    """How a change reached the record; every history row names one."""

    FORM = "form", "Entry form"
    IMPORT = "import", "Spreadsheet import"
    DEMO = "demo", "Demo data loader"
    FLAG = "flag", "Directed development"


class ImportBatch(models.Model):
    """An uploaded spreadsheet, kept in the database between preview and confirm.

    App processes are stateless across hosts, so the file's bytes live here rather than on a
    local disk; the confirm step finds them by id, and history rows name the batch that made
    each change.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting confirmation"
        APPLIED = "applied", "Applied"

    year = models.ForeignKey("AssessmentYear", on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    from_command_line = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    applied_at = models.DateTimeField(null=True, blank=True)

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
    # Set when results change after the year was published, so readers see "corrected on".
    corrected_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Optimistic locking: a form carries the version it was opened at, and assurance.actions
    # refuses a save when the row has moved on, instead of overwriting someone else's change.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords(bases=[AuditFields], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["year", "pct"]
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

    MIN_SCORE = 1
    MAX_SCORE = 4

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        ordering = ["assessment", "competency"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="one_score_per_competency"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=4),
                name="score_between_1_and_4",
            ),
        ]

    def __str__(self):
        return f"{self.assessment} c{self.competency_id}={self.score}"


class UserProfile(models.Model):
    """What a user's role needs beyond Django's groups: the SHA that SHA staff belong to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wcc_profile"
    )
    sha = models.ForeignKey(SHA, on_delete=models.PROTECT, null=True, blank=True)

    def __str__(self):
        return f"{self.user} ({self.sha or 'no SHA'})"


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=DirectedDevelopmentFlag.OPEN)

    def for_year(self, year):
        return self.filter(year=year)

    def in_sha(self, sha):
        return self.filter(pct__sha=sha)


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
    def rule_names(self) -> list[str]:
        return [rule["name"] for rule in self.rules]
