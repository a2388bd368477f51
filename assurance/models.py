"""The assurance record: organisations, the competency framework and what each panel decided."""

from django.db import models
from django.db.models import Q


class SHA(models.Model):
    """A strategic health authority, one of the ten regional bodies over the PCTs."""

    code = models.CharField(max_length=3, unique=True, help_text="ODS code, Q30–Q39.")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = "SHA"
        verbose_name_plural = "SHAs"

    def __str__(self):
        return self.name


class PCT(models.Model):
    """A primary care trust (or care trust with PCT functions), identified by its ODS code."""

    code = models.CharField(max_length=3, unique=True, help_text="Three-character ODS code.")
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

    number = models.PositiveSmallIntegerField(unique=True)
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

    def in_sha(self, sha):
        return self.filter(pct__sha=sha)

    def published(self):
        return self.filter(year__status=AssessmentYear.Status.PUBLISHED)


GOVERNANCE_AREAS = ("strategy", "finance", "board_governance")


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

    objects = AssessmentQuerySet.as_manager()

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
