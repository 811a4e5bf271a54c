"""Declarations, their language versions and invitation lists."""

from django.conf import settings
from django.db import models
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
    # Whether anyone may read how the text was drafted (versions, amendments, decisions).
    drafting_history_public = models.BooleanField(_("drafting history is public"), default=False)

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
    # The draft version of the original this text was last saved against: a translation
    # whose number is below the newest version's is behind (drafting/queries.py).
    based_on_version = models.PositiveIntegerField(null=True, blank=True)

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
