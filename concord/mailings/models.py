"""Mailings: a message of the secretariat (or of an organisation's admins) to saved audiences,
one language version per reader, sent through core's outbox at `MAILING_RATE` a minute."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SUBJECT_MAX = 200
BODY_MAX = 20000


class Audience(models.Model):
    """A saved, named set of people (mailings/audiences.py): one kind with its filters.
    A mailing goes to the union of the audiences it names."""

    class Kind(models.TextChoices):
        REPRESENTATIVES = "representatives", _("Representatives of member organisations")
        SIGNATORIES = "signatories", _("Signatories who asked to be kept informed")
        PARTICIPANTS = "participants", _("Participants of an event")
        # Working groups will add their kind here (mailings/audiences.py: KINDS).

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The kind's filters: countries, regions, groups, themes, sdgs, role (representatives);
    # declaration (signatories); event, statuses (participants).
    filters = models.JSONField(default=dict, blank=True)
    # An organisation admin's audience is their own organisation's; the secretariat's has none.
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Mailing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        QUEUEING = "queueing", _("Preparing the recipients")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        SENT = "sent", _("Sent")

    class Topic(models.TextChoices):
        # The topics of core/preferences.py a reader can stop.
        NEWS = "news", _("Coalition news")
        DECLARATIONS = "declarations", _("Declarations")
        EVENTS = "events", _("Events")
        FUNDING = "funding", _("Funding")

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default="news")
    sender_name = models.CharField(_("sender name"), max_length=100)
    reply_to = models.EmailField(_("reply-to address"), blank=True)
    original_language = models.CharField(_("original language"), max_length=10)
    public = models.BooleanField(_("show in the public news archive"), default=False)
    audiences = models.ManyToManyField(Audience, related_name="mailings", blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    send_at = models.DateTimeField(null=True, blank=True)
    queued = models.PositiveIntegerField(default=0)
    # Every recipient is in the outbox (held until released at the rate).
    prepared = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When messages were last released to the outbox's delivery (the rate is counted from it).
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"mailing {self.pk}"

    @property
    def batch(self) -> str:
        """Its messages' `OutgoingEmail.batch`."""
        return f"mailing:{self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def can_pause(self) -> bool:
        return self.status in (self.Status.SCHEDULED, self.Status.QUEUEING, self.Status.SENDING)

    @property
    def can_resume(self) -> bool:
        return self.status == self.Status.PAUSED

    def text_for(self, language: str) -> "MailingText | None":
        texts = {text.language: text for text in self.texts.all()}
        return texts.get(language) or texts.get(self.original_language)


class MailingText(models.Model):
    """A mailing's subject and Markdown body in one language."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=10)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    body = models.TextField(_("message"), max_length=BODY_MAX)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "language"], name="one_mailing_text_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mailing_id} {self.language}"
