"""Addressees, deliveries, responses and pledges.

A government addressee names its country (so the coverage function counts it); an
institution (UNFCCC, a ministry) names itself. A contact is for the secretariat only: no
public page or API answer shows it.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NAME_MAX = 200
CONTACT_MAX = 500
TEXT_MAX = 20_000
SUMMARY_MAX = 2_000


class Addressee(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("A government")
        INSTITUTION = "institution", _("An intergovernmental body or an institution")

    declaration = models.ForeignKey(
        "declarations.Declaration", on_delete=models.CASCADE, related_name="addressees"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    country = models.ForeignKey(
        "countries.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=NAME_MAX, blank=True)
    contact = models.CharField(max_length=CONTACT_MAX, blank=True)
    language = models.CharField(max_length=10, default="en")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "country_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "country"],
                condition=models.Q(country__isnull=False),
                name="one_addressee_per_country",
            )
        ]

    def __str__(self) -> str:
        return self.name or str(self.country_id)


class Delivery(models.Model):
    class Channel(models.TextChoices):
        CONCORD = "concord", _("Concord's mail")
        EMAIL = "email", _("Email sent outside Concord")
        POST = "post", _("Post")
        HAND = "hand", _("Handed over in person")
        OTHER = "other", _("Other")

    addressee = models.ForeignKey(Addressee, on_delete=models.CASCADE, related_name="deliveries")
    delivered_on = models.DateField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    letter = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["delivered_on", "pk"]

    def __str__(self) -> str:
        return f"delivery to {self.addressee} on {self.delivered_on}"


class Response(models.Model):
    addressee = models.ForeignKey(Addressee, on_delete=models.CASCADE, related_name="responses")
    received_on = models.DateField()
    source = models.CharField(max_length=NAME_MAX)
    text = models.TextField(blank=True)
    language = models.CharField(max_length=10, default="en")
    summary = models.TextField(blank=True)
    document = models.FileField(upload_to="declarations/responses/", blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    document_type = models.CharField(max_length=40, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"response of {self.addressee} on {self.received_on}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Pledge(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        MISSED = "missed", _("Missed by its deadline")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="pledges")
    text = models.TextField()
    deadline = models.DateField()
    met_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"pledge of {self.response.addressee} by {self.deadline}"

    def status_on(self, today: date | None = None) -> str:
        """Met once recorded as met; missed once its deadline passed unmet; else open."""
        if self.met_on is not None:
            return self.Status.MET
        if self.deadline < (today or timezone.localdate()):
            return self.Status.MISSED
        return self.Status.OPEN

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)
