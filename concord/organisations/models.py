"""The NGO registry, membership of the coalition and the people who represent members."""

import re
import unicodedata

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def name_key(name: str) -> str:
    """A form of an organisation's name for spotting duplicates: case, accents, punctuation
    and spacing ignored ("Green-Earth  Sénégal" and "green earth senegal" are the same)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
    return re.sub(r"[\W_]+", " ", folded.casefold()).strip()


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        CBO = "cbo", _("Community-based organisation")
        NETWORK = "network", _("Network")
        RESEARCH = "research", _("Research institute")
        FOUNDATION = "foundation", _("Foundation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Application under review")
        MORE_INFO = "more_info", _("More information requested")
        MEMBER = "member", _("Member")
        REJECTED = "rejected", _("Application declined")

    # The statuses in which the secretariat can still decide on an application.
    AWAITING_REVIEW = (Status.PENDING, Status.MORE_INFO)

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True)
    country = models.ForeignKey(
        "countries.Country", verbose_name=_("country"), on_delete=models.PROTECT
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.NGO)
    website = models.URLField(_("website"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    themes = models.ManyToManyField("core.Theme", verbose_name=_("focus themes"), blank=True)
    sdgs = models.ManyToManyField("core.Sdg", verbose_name=_("SDGs"), blank=True)
    unfccc_observer = models.BooleanField(_("admitted as a UNFCCC observer"), default=False)
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    # The secretariat's last word to the applicant: a reason for declining, or a question.
    review_note = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    member_since = models.DateTimeField(null=True, blank=True)
    # A member's new name or country waits for the secretariat (a rename could impersonate
    # another organisation); meanwhile the reviewed name and country stay in place.
    proposed_name = models.CharField(max_length=200, blank=True)
    proposed_country = models.ForeignKey(
        "countries.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # One live application or membership per organisation name and country,
            # enforced by the database so two simultaneous applications cannot both pass.
            models.UniqueConstraint(
                fields=["name_key", "country"],
                condition=~Q(status="rejected"),
                name="one_live_organisation_per_name_and_country",
            ),
        ]
        indexes = [models.Index(fields=["status", "country"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_member(self) -> bool:
        return self.status == self.Status.MEMBER

    @property
    def awaits_review(self) -> bool:
        """The secretariat can approve, decline or question the application."""
        return self.status in self.AWAITING_REVIEW

    @property
    def awaits_identity_review(self) -> bool:
        """A new name or country waits for the secretariat's approval."""
        return self.proposed_at is not None

    @property
    def awaits_information(self) -> bool:
        """The secretariat asked a question: the applicant can answer and send it back."""
        return self.status == self.Status.MORE_INFO


class Representative(models.Model):
    """A person who acts for an organisation; its admins invite and manage the others."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Organisation admin")
        REPRESENTATIVE = "representative", _("Representative")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="representatives"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.REPRESENTATIVE)
    title = models.CharField(_("position"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_role_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"


class Invitation(models.Model):
    """An admin's invitation for a colleague to become a representative."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=16,
        choices=Representative.Role.choices,
        default=Representative.Role.REPRESENTATIVE,
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"
