"""South-South partnerships: requests and offers, expressions of interest, partnerships with
deliverables and yearly progress reports, funding calls and applications, digest settings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Languages a request or an organisation may work in (ISO 639-1); names come from CLDR.
WORKING_LANGUAGES = [
    "en", "fr", "ar", "es", "pt", "ru", "zh", "sw", "hi", "bn", "ur", "fa", "tr", "id", "ms",
    "am", "ha", "yo", "wo", "mg", "ne", "si", "ta", "th", "vi", "km", "my", "tl", "uz", "kk", "az",
]  # fmt: skip


class PartnershipRequest(models.Model):
    """What an organisation seeks (a request) or offers (an offer) to other members."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Request")
        OFFER = "offer", _("Offer")

    class Purpose(models.TextChoices):
        JOINT_PROJECT = "joint_project", _("A partner for a joint project")
        KNOWLEDGE_EXCHANGE = "knowledge_exchange", _("Knowledge exchange")
        PEER_TRAINING = "peer_training", _("Peer training")
        CONSORTIUM = "consortium", _("A consortium for a funding application")
        MENTORING = "mentoring", _("Mentoring")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="partnership_requests"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.REQUEST)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    themes = models.ManyToManyField("core.Theme", verbose_name=_("themes"), blank=True)
    sdgs = models.ManyToManyField("core.Sdg", verbose_name=_("SDGs"), blank=True)
    countries = models.ManyToManyField(
        "countries.Country", verbose_name=_("countries of work"), blank=True, related_name="+"
    )
    regions = models.ManyToManyField(
        "countries.Region", verbose_name=_("regions of work"), blank=True, related_name="+"
    )
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Open requests take expressions of interest and can still be closed."""
        return self.status == self.Status.OPEN


class OrganisationLanguages(models.Model):
    """The languages an organisation works in, when it has said so (otherwise its country's
    official languages stand in)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="working_languages"
    )
    languages = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.organisation}: {', '.join(self.languages)}"


class TextVector(models.Model):
    """An embedding of a description, kept with the model that made it so vectors of
    another model are never compared with it."""

    class Subject(models.TextChoices):
        REQUEST = "request", "request"
        ORGANISATION = "organisation", "organisation"

    subject = models.CharField(max_length=12, choices=Subject.choices)
    object_id = models.PositiveIntegerField()
    model = models.CharField(max_length=60)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "object_id", "model"], name="one_vector_per_text_and_model"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject}:{self.object_id} ({self.model})"


class ExpressionOfInterest(models.Model):
    """An organisation's interest in another's request, sent through the platform."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    request = models.ForeignKey(
        PartnershipRequest, on_delete=models.CASCADE, related_name="interests"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(_("message"), max_length=3000)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "organisation"], name="one_interest_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.request}"

    @property
    def is_pending(self) -> bool:
        """An expression of interest is answered once: accepted or declined."""
        return self.status == self.Status.PENDING


class Partnership(models.Model):
    title = models.CharField(_("title"), max_length=200)
    goals = models.TextField(_("goals"), max_length=5000)
    started_on = models.DateField(_("start date"))
    request = models.ForeignKey(
        PartnershipRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    interest = models.OneToOneField(
        ExpressionOfInterest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnership",
    )
    partners = models.ManyToManyField(
        "organisations.Organisation", through="Partner", related_name="partnerships"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the last named organisation answered and at least two had accepted: from then on
    # the partnership is public. Before, only the people involved see it.
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["agreed_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_agreed(self) -> bool:
        """Every named organisation has answered, and at least two work together."""
        return self.agreed_at is not None


class Partner(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        PARTNER = "partner", _("Partner")

    class Answer(models.TextChoices):
        PENDING = "pending", _("Not answered yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.PARTNER)
    # An organisation is named by someone else: it is listed only once one of its admins
    # accepts.
    answer = models.CharField(
        max_length=8, choices=Answer.choices, default=Answer.PENDING, db_index=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="one_place_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"

    @property
    def awaits_answer(self) -> bool:
        """A named organisation answers once: it accepts or declines."""
        return self.answer == self.Answer.PENDING


class Deliverable(models.Model):
    """Specific (what), measurable (a target and its unit) and dated (when)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="deliverables"
    )
    title = models.CharField(_("deliverable"), max_length=200)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=60)
    due_on = models.DateField(_("due date"))
    achieved = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("summary"), max_length=5000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_on = models.DateField()

    class Meta:
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="one_report_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.year}"


class FundingCall(models.Model):
    class Instrument(models.TextChoices):
        GRANT = "grant", _("Grant")
        CONCESSIONAL_LOAN = "concessional_loan", _("Concessional loan")
        IN_KIND = "in_kind", _("In-kind support")
        PRIZE = "prize", _("Prize")

    title = models.CharField(_("title"), max_length=200)
    funder = models.CharField(_("funder"), max_length=200)
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    amount_min = models.DecimalField(_("smallest amount"), max_digits=14, decimal_places=2)
    amount_max = models.DecimalField(_("largest amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    deadline = models.DateTimeField(_("deadline"))
    deadline_timezone = models.CharField(_("time zone of the deadline"), max_length=64)
    link = models.URLField(_("link"), max_length=500)
    themes = models.ManyToManyField("core.Theme", verbose_name=_("themes"), blank=True)
    eligible_countries = models.ManyToManyField(
        "countries.Country", verbose_name=_("eligible countries"), blank=True, related_name="+"
    )
    eligible_groups = models.ManyToManyField(
        "countries.CountryGroup",
        verbose_name=_("eligible country groups"),
        blank=True,
        related_name="+",
    )
    eligible_regions = models.ManyToManyField(
        "countries.Region", verbose_name=_("eligible regions"), blank=True, related_name="+"
    )
    open_to_all = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_min__lte=models.F("amount_max")),
                name="funding_amount_range_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.funder}: {self.title}"


class FundingApplication(models.Model):
    """An organisation's own tracking of a call it considers or applied to."""

    class Status(models.TextChoices):
        INTERESTED = "interested", _("Interested")
        PREPARING = "preparing", _("Preparing")
        SUBMITTED = "submitted", _("Submitted")
        AWARDED = "awarded", _("Awarded")
        DECLINED = "declined", _("Declined")

    call = models.ForeignKey(FundingCall, on_delete=models.CASCADE, related_name="applications")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.INTERESTED
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"], name="one_application_per_call"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.call} ({self.status})"


class DigestSubscription(models.Model):
    """A person's choice about the weekly digest; no row means they receive it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_digest"
    )
    weekly_digest = models.BooleanField(default=True)
    token = models.CharField(max_length=64, unique=True)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}: {'on' if self.weekly_digest else 'off'}"
