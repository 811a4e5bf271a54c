"""Joint declarations, their language versions, signatures and the tallies that count them
(counting.py says how tallies hold a surge); the transparency log's rows are in log/models.py.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.events.eligibility import ATTENDED_LABEL, REGISTERED_LABEL

# The one limit of a language version's title and text; form, API schema and service read it.
TITLE_MAX = 300
TEXT_MAX = 100_000


class Declaration(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for signature")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Published")

    class Eligibility(models.TextChoices):
        ANYONE = "anyone", _("Anyone")
        MEMBERS = "members", _("Representatives of member organisations")
        INVITED = "invited", _("People on the invitation list")
        REGISTERED = "registered", REGISTERED_LABEL
        ATTENDED = "attended", ATTENDED_LABEL

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    original_language = models.CharField(max_length=10, default="en")
    eligibility = models.CharField(
        _("who may sign"), max_length=10, choices=Eligibility.choices, default=Eligibility.ANYONE
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    adopted_at = models.CharField(
        _("adopted at or by"), max_length=200, blank=True, help_text=_("An event or a body.")
    )
    goal_signatures = models.PositiveIntegerField(_("goal: signatures"), null=True, blank=True)
    goal_countries = models.PositiveSmallIntegerField(_("goal: countries"), null=True, blank=True)
    goal_reached_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    committee = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="drafting_committees"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Set when the declaration closes: the fingerprint of the final public signatory export.
    final_export_sha256 = models.CharField(max_length=64, blank=True)
    final_signature_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.slug

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def texts_frozen(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def signatures_can_change(self) -> bool:
        """Signatures may still be imported or invalidated: until signing closes. After that
        the list is final (its fingerprint is published)."""
        return self.status in (self.Status.DRAFT, self.Status.OPEN)

    @property
    def needs_event(self) -> bool:
        """Only an event's participants may sign, so the event must be known."""
        return self.eligibility in (self.Eligibility.REGISTERED, self.Eligibility.ATTENDED)

    def text_for(self, *languages: str | None) -> "DeclarationText | None":
        """The language version a reader gets: the first of `languages` that exists (pass
        the version asked for, then the reader's language), else the original, else any.
        Reads `texts.all()`, so a prefetch of `texts` serves it without a query."""
        texts = {text.language: text for text in self.texts.all()}
        for language in (*languages, self.original_language):
            # A "zh-hans" reader also gets a text stored as plain "zh".
            for code in (language, (language or "").split("-")[0]):
                if code and code in texts:
                    return texts[code]
        return next(iter(texts.values()), None)

    def title_for(self, *languages: str | None) -> str:
        """The title of the version `text_for` gives (the short name if there is none)."""
        version = self.text_for(*languages)
        return version.title if version is not None else self.slug


class DeclarationText(models.Model):
    """One language version. Frozen (and fingerprinted) once the declaration opens."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=10)
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField()
    is_original = models.BooleanField(default=False)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_original", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "language"], name="one_text_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.declaration.slug} [{self.language}]"


class Invitee(models.Model):
    """An address allowed to sign a declaration open to "people on the invitation list"."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="invitees")
    email = models.EmailField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "email"], name="one_invitation_per_email"
            )
        ]

    def __str__(self) -> str:
        return self.email


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


class Tally(models.Model):
    """Confirmed signatures of one declaration for one country, kind and choice to show the
    name or not, in one shard. (`shown` lets the public list say how many are listed and how
    many chose not to be, per country, without counting the signature table.)"""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="tallies")
    country = models.ForeignKey("countries.Country", on_delete=models.PROTECT)
    kind = models.CharField(max_length=12, choices=Signature.Kind.choices)
    shown = models.BooleanField(default=True)
    shard = models.PositiveSmallIntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "country", "kind", "shown", "shard"],
                name="one_tally_row_per_visibility",
            )
        ]

    def __str__(self) -> str:
        shown = "" if self.shown else " hidden"
        return f"{self.country_id} {self.kind}{shown} #{self.shard}: {self.count}"


class Attribution(models.Model):
    """Confirmed signatures an organisation's share link brought, per country: as `Tally`."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", models.CASCADE, related_name="+")
    country = models.ForeignKey("countries.Country", on_delete=models.PROTECT, related_name="+")
    shard = models.PositiveSmallIntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "organisation", "country", "shard"], name="one_attribution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.country_id} #{self.shard}: {self.count}"


class HourlyTally(models.Model):
    """Confirmed signatures per hour (UTC), kept as history for the "over time" charts."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    shard = models.PositiveSmallIntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["declaration", "hour", "shard"], name="one_hour_row")
        ]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H:00} #{self.shard}: {self.count}"


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


# The transparency log's models live beside its code; imported here so Django registers them.
from concord.declarations.log.models import LogEntry, TreeHead  # noqa: E402, F401
