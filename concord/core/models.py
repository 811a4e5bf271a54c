"""What every domain app shares: the audit log and the coalition's vocabularies."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AttachedFile(models.Model):
    """What every app keeps about a file checked by `core.attachments` (the uploader's name,
    the checked type, the stored size); each app adds its `file` field and what it hangs on."""

    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class AuditEvent(models.Model):
    """A named state change made by a person (or the system), kept for accountability."""

    action = models.CharField(max_length=80, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the event is about, as "app.model:pk"; a string so events outlive their subject.
    subject = models.CharField(max_length=120, db_index=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.subject}"


class Theme(models.Model):
    """A field of climate action an organisation or case study works on."""

    slug = models.SlugField(primary_key=True, max_length=40)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return str(_(self.name))


class Sdg(models.Model):
    """One of the 17 UN Sustainable Development Goals."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["number"]
        verbose_name = "SDG"

    def __str__(self) -> str:
        return _("SDG %(number)s: %(name)s") % {"number": self.number, "name": _(self.name)}


class ScheduledRun(models.Model):
    """When a periodic job last ran, so several workers enqueue it once between them."""

    name = models.CharField(max_length=80, primary_key=True)
    last_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.last_run_at:%Y-%m-%d %H:%M}"


class OutgoingEmail(models.Model):
    """An email written in the same transaction as the change that caused it (an outbox).

    The worker delivers it; `key` names the event it reports (e.g. "membership.approved:42"),
    so the same event never mails the same person twice, even if a task runs again.
    """

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # While a worker talks to the mail server, others leave the message alone until then.
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Links that act once (confirm, accept, reset a password): cut from the bodies once sent.
    one_time_links = models.JSONField(default=list, blank=True)
    # Extra headers (List-Unsubscribe, Reply-To, a sender's name in From) for bulk mail.
    headers = models.JSONField(default=dict, blank=True)
    # The messages of one mailing ("mailing:12"): held back until the sender releases them
    # at its rate, and counted on its progress page.
    batch = models.CharField(max_length=40, blank=True)
    held = models.BooleanField(default=False)
    # The mail server refused the address: never retried (core/bounces.py counts it).
    refused_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["batch", "held"], name="outgoing_batch_held")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class WorkerHeartbeat(models.Model):
    """A running `concord worker`, seen alive at `last_seen` (written every few seconds).

    A task left RUNNING by a worker whose heartbeat has gone stale was lost with that worker
    (killed, out of memory, machine gone); `heartbeat.requeue_lost_tasks` runs it again.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.last_seen:%Y-%m-%d %H:%M:%S}"


class MailBounce(models.Model):
    """A failure to deliver to an address: a delivery status notification read by
    `concord mailin`, or the mail server refusing the address when a message was sent."""

    class Kind(models.TextChoices):
        HARD = "hard", _("Permanent failure")
        SOFT = "soft", _("Temporary failure")

    address = models.EmailField(max_length=254, db_index=True)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.address}"


class BouncingAddress(models.Model):
    """An address mail no longer reaches (core/bounces.py): later mailings skip it until its
    owner resets it from their account page."""

    address = models.EmailField(max_length=254, unique=True)
    since = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "bouncing addresses"

    def __str__(self) -> str:
        return self.address


class MailPreference(models.Model):
    """Which topics of the coalition's mail an address no longer wants (core/preferences.py).
    Kept by address, so it holds for people without an account and for every app's mail;
    the address is kept as (128 bits of) its SHA-256, which is all a preferences link carries."""

    address_sha256 = models.CharField(max_length=32, unique=True)
    stopped = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.address_sha256[:12]


class IdempotentRequest(models.Model):
    """A POST sent with an `Idempotency-Key` header: claimed before it runs, then holding its
    answer, so the same request sent again is answered the same without running twice
    (core/idempotency.py). `scope` is the caller (a hash of its token, session or network),
    so two callers never meet each other's keys."""

    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    # SHA-256 of the method, path and body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    # Null while the first request runs.
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=2000, blank=True)
    body = models.BinaryField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotent_request_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status or 'running'})"
