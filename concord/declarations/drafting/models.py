"""Drafting's rows. A draft's text is kept as versions, each a list of paragraphs; a
paragraph keeps its `key` from version to version (a comment or an amendment names the
paragraph by key, so it still finds it after another amendment made a new version).

Only the committee's acceptance of an amendment makes a new version; the original language
version of the declaration (`DeclarationText`) is rewritten from it in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The limits of what a participant writes.
COMMENT_MAX = 5_000
PARAGRAPH_MAX = 10_000
REASON_MAX = 2_000


class CommentPeriod(models.Model):
    """Who may comment on and amend a draft, and until when (one per declaration)."""

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Representatives of member organisations")
        GROUP = "group", _("A drafting group of organisations")
        EVENT = "event", _("Participants of the event it was adopted at")

    declaration = models.OneToOneField(
        "declarations.Declaration", on_delete=models.CASCADE, related_name="comment_period"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices)
    organisations = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+"
    )
    closes_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"comments on {self.declaration_id} until {self.closes_at:%Y-%m-%d}"

    def accepts_input(self, now=None) -> bool:
        """Comments and amendments are taken until the deadline, while the text is a draft."""
        return (now or timezone.now()) < self.closes_at and not self.declaration.texts_frozen


class Version(models.Model):
    declaration = models.ForeignKey(
        "declarations.Declaration", on_delete=models.CASCADE, related_name="draft_versions"
    )
    number = models.PositiveIntegerField()
    made_at = models.DateTimeField(default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.declaration_id} v{self.number}"


class Paragraph(models.Model):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="paragraphs")
    key = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="one_paragraph_per_key")
        ]

    def __str__(self) -> str:
        return f"¶{self.key} of {self.version}"


class Comment(models.Model):
    declaration = models.ForeignKey(
        "declarations.Declaration", on_delete=models.CASCADE, related_name="draft_comments"
    )
    paragraph_key = models.PositiveIntegerField()
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"comment on ¶{self.paragraph_key} of {self.declaration_id}"


class Amendment(models.Model):
    class Kind(models.TextChoices):
        REPLACE = "replace", _("Replace the paragraph")
        INSERT = "insert", _("Add a paragraph after it")
        REMOVE = "remove", _("Remove the paragraph")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting a decision")
        ACCEPTED = "accepted", _("Accepted")
        MERGED = "merged", _("Merged into another amendment")
        REJECTED = "rejected", _("Rejected")

    declaration = models.ForeignKey(
        "declarations.Declaration", on_delete=models.CASCADE, related_name="amendments"
    )
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+")
    paragraph_key = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.TextField(blank=True)
    reason = models.TextField()
    # The language the proposer wrote in (their page's): their notices follow it.
    language = models.CharField(max_length=10, default="en")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    # What was accepted: the text as proposed, or as the committee edited it.
    accepted_text = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    made_version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"amendment #{self.pk} to ¶{self.paragraph_key} of {self.declaration_id}"

    @property
    def awaits_decision(self) -> bool:
        return self.status == self.Status.PENDING


class Support(models.Model):
    """An organisation's support of an amendment (one per organisation)."""

    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="supports")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["amendment", "organisation"], name="one_support_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} supports {self.amendment_id}"


class Endorsement(models.Model):
    """A co-sponsor: an organisation that endorsed the final draft before opening; listed
    first ("initial signatories") when it endorsed the version the declaration opened with."""

    declaration = models.ForeignKey(
        "declarations.Declaration", on_delete=models.CASCADE, related_name="endorsements"
    )
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "organisation"], name="one_endorsement_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} co-sponsors {self.declaration_id}"
