"""The transparency log's rows: one entry per signature event, one row per signed tree head.

An entry is written in the transaction that counts or uncounts its signature, without a
place in the log yet; sealing (log/sealing.py) gives the waiting entries their places in
the order they were written, fixes their leaf bytes and signs a new head. An entry never
changes once sealed and is kept when its signature row goes (withdrawn, erased): the log
is what proves the list was not silently changed, so it must outlive the list.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

SEALED = models.Q(index__isnull=False)


class LogEntry(models.Model):
    class Event(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        IMPORTED = "imported", _("Collected offline")
        INVALIDATED = "invalidated", _("Invalidated")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Entries are written on the confirmations' hot path: only the indexes reads need, and
    # those of sealed entries only where the waiting ones need none (see Meta).
    declaration = models.ForeignKey(
        "declarations.Declaration", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # Kept (as NULL) when the signature row is deleted: the entry is the record of it.
    signature = models.ForeignKey(
        "declarations.Signature",
        null=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
    )
    event = models.CharField(max_length=12, choices=Event.choices)
    reason = models.CharField(max_length=40, blank=True)
    undoes = models.ForeignKey(
        "self", null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    country = models.CharField(max_length=2)
    kind = models.CharField(max_length=12)
    # The signer's secret (sent only to them, in the receipt): without it nobody can test an
    # address, or a name that is no longer shown, against the log.
    salt = models.CharField(max_length=32)
    fields_salt = models.CharField(max_length=32)
    email_hash = models.CharField(max_length=64)
    signatory_hash = models.CharField(max_length=64)
    # Whether the signer is emailed a receipt when it is sealed: not for the signatures the
    # log was started with (migration 0010), whose signers never asked for one.
    receipt = models.BooleanField(default=True)
    # Set once, when sealed.
    index = models.PositiveIntegerField(null=True, blank=True)
    leaf = models.TextField(blank=True)
    leaf_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "index"], condition=SEALED, name="log_entry_place"
            ),
        ]
        indexes = [
            models.Index(
                fields=["declaration", "id"],
                condition=models.Q(index__isnull=True),
                name="log_entry_waiting",
            ),
            models.Index(fields=["leaf_hash"], condition=SEALED, name="log_entry_leaf"),
            models.Index(
                fields=["undoes"], condition=models.Q(undoes__isnull=False), name="log_entry_undo"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.index} of {self.declaration_id}"

    @property
    def counts(self) -> bool:
        """A confirmed or imported entry adds a signature; the others take one away."""
        return self.event in (self.Event.CONFIRMED, self.Event.IMPORTED)


class TreeHead(models.Model):
    """A signed statement of the log's size and root at a moment, as published (`head`)."""

    declaration = models.ForeignKey(
        "declarations.Declaration", on_delete=models.CASCADE, related_name="+"
    )
    size = models.PositiveIntegerField()
    root = models.CharField(max_length=64)
    made_at = models.DateTimeField()
    final_list_sha256 = models.CharField(max_length=64, blank=True)
    statistics = models.JSONField(default=dict)
    signature = models.CharField(max_length=100)
    public_key = models.CharField(max_length=60)

    class Meta:
        ordering = ["size", "made_at", "id"]
        indexes = [models.Index(fields=["declaration", "size"], name="tree_head_size")]

    def __str__(self) -> str:
        return f"head {self.size} of {self.declaration_id} at {self.made_at:%Y-%m-%d %H:%M}"
