"""Projects and their results framework: project → result → indicator → period → update.

Codes follow the IATI 2.03 codelists where IATI has one (activity status, organisation role,
result type, indicator measure, policy-marker significance), so the export is a plain mapping.
Values and amounts are Decimals, never floats.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from concord.core.models import AttachedFile

HUNDRED = Decimal(100)
# Every figure (budget, baseline, target, value) stays under this: a larger one is a typing
# slip, and the columns hold 18 digits, four of them after the point.
MAX_VALUE = Decimal("1e13")


class SharedIndicator(models.Model):
    """A platform-wide indicator defined by the secretariat, which projects adopt so that
    their results add up across organisations (e.g. people trained)."""

    slug = models.SlugField(primary_key=True, max_length=60)
    title = models.CharField(_("title"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    sdg = models.ForeignKey(
        "core.Sdg", verbose_name=_("SDG"), null=True, blank=True, on_delete=models.SET_NULL
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return str(_(self.title))

    @property
    def counts_people(self) -> bool:
        """Its totals count people: attributed by country percentages they may be fractional
        inside, but a page shows them as whole numbers."""
        return self.unit == "people"


class ReportingProfile(models.Model):
    """An organisation's identity as an IATI publisher: its organisation identifier
    (e.g. "SN-NINEA-0012345"), which prefixes every activity identifier it reports."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="reporting_profile"
    )
    iati_ref = models.CharField(_("IATI organisation identifier"), max_length=100)
    # IATI OrganisationType codelist; 22 = National NGO.
    iati_type = models.CharField(max_length=3, default="22")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.iati_ref}"


class Project(models.Model):
    class Status(models.TextChoices):  # IATI ActivityStatus
        PIPELINE = "1", _("Pipeline/identification")
        IMPLEMENTATION = "2", _("Implementation")
        FINALISATION = "3", _("Finalisation")
        CLOSED = "4", _("Closed")
        CANCELLED = "5", _("Cancelled")
        SUSPENDED = "6", _("Suspended")

    class Marker(models.TextChoices):  # Rio marker significance (IATI PolicySignificance)
        NONE = "0", _("Not targeted")
        SIGNIFICANT = "1", _("Significant objective")
        PRINCIPAL = "2", _("Principal objective")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=1, choices=Status.choices, default=Status.IMPLEMENTATION
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    themes = models.ManyToManyField("core.Theme", verbose_name=_("themes"), blank=True)
    sdgs = models.ManyToManyField("core.Sdg", verbose_name=_("SDG goals"), blank=True)
    # SDG targets as the UN numbers them ("13.1", "6.b").
    sdg_targets = models.JSONField(_("SDG targets"), default=list, blank=True)
    adaptation = models.CharField(
        _("climate adaptation"), max_length=1, choices=Marker.choices, default=Marker.NONE
    )
    mitigation = models.CharField(
        _("climate mitigation"), max_length=1, choices=Marker.choices, default=Marker.NONE
    )
    budget = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    iati_identifier = models.CharField(_("IATI identifier"), max_length=150, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")), name="project_planned_in_order"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="project_budget_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectCountry(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="countries")
    country = models.ForeignKey("countries.Country", on_delete=models.PROTECT, related_name="+")
    percentage = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        ordering = ["-percentage", "country_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "country"], name="one_share_per_country")
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.percentage}%"


class Partner(models.Model):
    class Role(models.TextChoices):  # IATI OrganisationRole
        FUNDING = "1", _("Funding")
        ACCOUNTABLE = "2", _("Accountable")
        EXTENDING = "3", _("Extending")
        IMPLEMENTING = "4", _("Implementing")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    iati_ref = models.CharField(_("IATI organisation identifier"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=1, choices=Role.choices)

    class Meta:
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Result(models.Model):
    class Kind(models.TextChoices):  # IATI ResultType
        OUTPUT = "1", _("Output")
        OUTCOME = "2", _("Outcome")
        IMPACT = "3", _("Impact")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(_("type"), max_length=1, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=3000)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    class Measure(models.TextChoices):  # IATI IndicatorMeasure
        UNIT = "1", _("Unit")
        PERCENTAGE = "2", _("Percentage")
        QUALITATIVE = "5", _("Qualitative")

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    shared = models.ForeignKey(
        SharedIndicator,
        verbose_name=_("shared indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    title = models.CharField(_("title"), max_length=300)
    measure = models.CharField(
        _("measure"), max_length=1, choices=Measure.choices, default=Measure.UNIT
    )
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    ascending = models.BooleanField(_("higher is better"), default=True)
    # Cumulative: each update gives the total so far (the latest counts); otherwise each
    # update adds what was achieved since the last (they are summed).
    cumulative = models.BooleanField(_("cumulative"), default=False)
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=18, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

    @property
    def quantitative(self) -> bool:
        return self.measure != self.Measure.QUALITATIVE


class Period(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="periods")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    target = models.DecimalField(
        _("target"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    # Kept equal to the approved updates (sum, or latest when cumulative) by the services.
    actual = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_in_order")
        ]

    def __str__(self) -> str:
        return f"{self.start} – {self.end}"  # noqa: RUF001


class Update(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="updates")
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    narrative = models.TextField(_("narrative"), max_length=5000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The disaggregations given do not add up to the value (or some dimension is partial).
    incomplete = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "period"])]

    def __str__(self) -> str:
        return f"{self.period}: {self.value} ({self.status})"

    @property
    def is_editable(self) -> bool:
        """The one rule for whether the update can still be changed, given evidence or
        submitted: while a draft or returned for changes, never once submitted or approved."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def awaits_review(self) -> bool:
        """Submitted and not yet approved or returned: the only state a review starts from."""
        return self.status == self.Status.SUBMITTED


class Disaggregation(models.Model):
    DIMENSIONS = {
        "sex": ["female", "male", "other"],
        "age": ["0-14", "15-24", "25-64", "65+"],
    }

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="disaggregations")
    dimension = models.CharField(max_length=10)
    category = models.CharField(max_length=10)
    value = models.DecimalField(max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["dimension", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "dimension", "category"], name="one_value_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.category}: {self.value}"


class Evidence(AttachedFile):
    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="results/evidence/")


class Report(models.Model):
    """A project's report as a PDF, built in the background when a manager asks, reused while
    its content (`content_key`) is unchanged, and deleted once a newer one is built."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    language = models.CharField(max_length=10)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    content_key = models.CharField(max_length=64)
    file = models.FileField(upload_to="results/reports/", blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["project", "language", "content_key"])]

    def __str__(self) -> str:
        return f"report of {self.project_id} in {self.language} ({self.status})"

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
