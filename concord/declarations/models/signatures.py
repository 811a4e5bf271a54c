"""Signatures, and the API submissions the worker records as signatures."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.declarations.models.declarations import Declaration


class Signature(models.Model):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("On behalf of an organisation")
        INDIVIDUAL = "individual", _("As an individual")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting email confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        INVALIDATED = "invalidated", _("Invalidated")

    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        API = "api", _("API")
        MEMBER = "member", _("Signed in")
        OFFLINE = "offline", _("Collected offline")
        # Forum mode: a tablet an organiser opened for signing, one signer after another,
        # and a form kept on a phone without network and sent when it returned.
        KIOSK = "kiosk", _("Kiosk")
        SYNCED = "synced", _("Sent later from a device")

    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, related_name="signatures"
    )
    # Normalised (trimmed, lower-cased); never shown publicly.
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=150)
    country = models.ForeignKey("countries.Country", on_delete=models.PROTECT)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT
    )
    organisation_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=120, blank=True)
    show_name = models.BooleanField(default=True)
    language = models.CharField(max_length=10, default="en")
    text_sha256 = models.CharField(max_length=64, blank=True)

    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WEB)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The sender's network (/24 for IPv4, /48 for IPv6), not the full address.
    network = models.CharField(max_length=50, blank=True, db_index=True)
    flags = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # When the signer's device says it signed (a form sent later); created_at is receipt.
    signed_on_device_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    confirmations_sent = models.PositiveSmallIntegerField(default=0)
    collected_by = models.CharField(max_length=200, blank=True)
    invalidated_at = models.DateTimeField(null=True, blank=True)
    invalidated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invalidation_reason = models.CharField(max_length=500, blank=True)
    # The member organisation whose share link (`?via=`) brought the signer (`Attribution`);
    # indexed only where set, so the hot INSERT of a signature nobody brought keeps no entry.
    via = models.ForeignKey(
        "organisations.Organisation", models.SET_NULL, null=True, related_name="+", db_index=False
    )
    # "Keep me informed about this declaration": unticked unless the signer ticks it. The
    # consent is kept as given: when, and the sentence they read in their language, so a
    # message sent on it (a published response, a mailing) can show what was agreed to.
    keep_informed = models.BooleanField(default=False)
    keep_informed_at = models.DateTimeField(null=True, blank=True)
    keep_informed_text = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            # One signature per address per declaration, enforced by the database so a
            # burst of parallel duplicates yields exactly one row.
            models.UniqueConstraint(
                fields=["declaration", "email"], name="one_signature_per_email"
            ),
            # Rules that check the signed-in person (members, an event's participants) count
            # each person once, whatever address they type.
            models.UniqueConstraint(
                fields=["declaration", "user"],
                condition=models.Q(user__isnull=False),
                name="one_signature_per_user",
            ),
        ]
        indexes = [
            models.Index(fields=["declaration", "status", "country"]),
            models.Index(fields=["declaration", "status", "confirmed_at"]),
            # The public signatory list in its keyset order (queries.py), so any page,
            # first or deepest, is one seek and a read of one page. Partial, holding only the
            # listed rows: the filter is the index's condition (a bare boolean column is no
            # equality SQLite could seek on inside a wider index).
            models.Index(
                fields=["declaration", "country", "name", "id"],
                condition=models.Q(status="confirmed", show_name=True),
                name="signatory_list_order",
            ),
            # When an export was last made stale by an invalidation (export_files.py).
            models.Index(fields=["declaration", "invalidated_at"], name="signature_invalidated"),
            models.Index(fields=["via"], condition=models.Q(via__isnull=False), name="signed_via"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.declaration.slug})"

    @property
    def public_name(self) -> str:
        return self.name if self.show_name else ""

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation else self.organisation_name


class SignatureIntake(models.Model):
    """A public API submission accepted (202), recorded as a Signature by the worker.

    See `declarations/intake.py`: the worker records these rows within seconds and marks
    them `recorded_at`; they stay a day so that a submission sent again (a retried POST) is
    recognised by its `submission` key and not recorded or mailed twice. A row it cannot
    record keeps the reason in `error`, so nothing accepted disappears unexplained.
    """

    # No index on the declaration: the hot path only inserts, and the worker reads by pk.
    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The validated SignatureInput, the request's network and soft-check flags, the
    # language of the interface (for the confirmation email).
    payload = models.JSONField()
    # SHA-256 of the declaration and what was submitted, or of the client's Idempotency-Key
    # (intake.submission_key): the same submission is stored once.
    submission = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True, db_index=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        # A constraint rather than unique=True: on PostgreSQL that would add a second
        # (pattern) index for the hot INSERT to keep up, which nothing reads.
        constraints = [
            models.UniqueConstraint(fields=["submission"], name="one_intake_row_per_submission")
        ]
        indexes = [
            # The rows waiting for the worker, oldest first, however many recorded ones stay.
            models.Index(
                fields=["id"],
                condition=models.Q(recorded_at__isnull=True, error=""),
                name="signature_intake_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"intake #{self.pk} ({self.declaration_id})"
