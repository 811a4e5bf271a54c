"""Work done in the background for a declaration: exports, signatory files, imports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from concord.declarations.models.declarations import Declaration


class Export(models.Model):
    """A generated file (PDF with the signatory annex), built in the background."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PDF)
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    # What the file holds, build time aside (`services/pdf_exports.content_key`): same key, same file.
    content_key = models.CharField(max_length=64, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    signature_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} of {self.declaration_id} ({self.status})"


class SignatoryFile(models.Model):
    """A built public signatory export (CSV or JSON), served as a file (export_files.py):
    rebuilt at most once per SIGNATORY_EXPORT_SECONDS while signatures change, and once for
    a closed declaration, whose final CSV is the file its fingerprint was taken of."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=4, choices=Format.choices)
    file = models.FileField(upload_to="exports/lists/")
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField()
    # The closed declaration's file: never rebuilt, never deleted.
    final = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["declaration", "format", "built_at"])]

    def __str__(self) -> str:
        return f"{self.format} of {self.declaration_id} at {self.built_at:%Y-%m-%d %H:%M:%S}"


class ImportJob(models.Model):
    """An offline-signature CSV being checked or imported, with progress for the page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="imports")
    dry_run = models.BooleanField(default=True)
    content = models.TextField()
    collected_by = models.CharField(max_length=200)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    valid = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import into {self.declaration_id} ({self.status})"

    @property
    def percent(self) -> int:
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0
