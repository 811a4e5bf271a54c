"""Best-practice case studies, their language versions, revisions, adaptations and the search
documents (full text and vectors) that let people find them across languages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Languages a case study may be written in. Each maps to a PostgreSQL text search
# configuration (stemming); languages without one (Chinese, Swahili, Azerbaijani, ...) are
# indexed with "simple".
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
    ("zh", _("Chinese")),
    ("sw", _("Swahili")),
    ("az", _("Azerbaijani")),
    ("bn", _("Bengali")),
    ("hi", _("Hindi")),
    ("id", _("Indonesian")),
]


class Practice(models.Model):
    """A case study: one organisation's solution, broken into reusable building blocks."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned with comments")
        PUBLISHED = "published", _("Published")

    class Setting(models.TextChoices):
        URBAN = "urban", _("Urban")
        RURAL = "rural", _("Rural")
        COASTAL = "coastal", _("Coastal")
        DRYLANDS = "drylands", _("Drylands")
        MOUNTAINS = "mountains", _("Mountains")
        SMALL_ISLANDS = "small-islands", _("Small islands")
        FORESTS = "forests", _("Forests")
        RIVERS = "rivers", _("Rivers and wetlands")

    class Relevance(models.TextChoices):
        """Rio-marker style: is climate the principal objective, or a significant one?"""

        NONE = "", _("Not targeted")
        SIGNIFICANT = "significant", _("Significant")
        PRINCIPAL = "principal", _("Principal")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="practices",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    language = models.CharField(_("language of the text"), max_length=5, choices=LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1500)
    setting = models.CharField(_("setting"), max_length=16, choices=Setting.choices)
    countries = models.ManyToManyField(
        "countries.Country", verbose_name=_("countries"), related_name="+"
    )
    challenges = models.TextField(_("challenges addressed"), max_length=4000, blank=True)
    beneficiaries = models.TextField(_("beneficiaries"), max_length=2000, blank=True)
    impacts = models.TextField(_("impacts"), max_length=4000, blank=True)
    themes = models.ManyToManyField("core.Theme", verbose_name=_("themes"), related_name="+")
    sdgs = models.ManyToManyField("core.Sdg", verbose_name=_("SDGs"), blank=True, related_name="+")
    adaptation = models.CharField(
        _("adaptation relevance"), max_length=12, choices=Relevance.choices, blank=True
    )
    mitigation = models.CharField(
        _("mitigation relevance"), max_length=12, choices=Relevance.choices, blank=True
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The secretariat's comments when it returns the case study to its authors.
    review_note = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "language"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def can_be_submitted(self) -> bool:
        """A draft, or a case study the secretariat returned, goes (back) to review."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def awaits_review(self) -> bool:
        """Submitted: the secretariat can publish it or return it to its authors."""
        return self.status == self.Status.SUBMITTED


class BuildingBlock(models.Model):
    """A reusable part of the solution, with what made it work and what was learned."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("building block"), max_length=200)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    enabling_factors = models.TextField(_("enabling factors"), max_length=2000, blank=True)
    lessons = models.TextField(_("lessons learned"), max_length=2000, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Translation(models.Model):
    """A language version of a case study, translated by a person."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1500)
    body = models.TextField(_("the rest of the case study"), max_length=12000, blank=True)
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "language"], name="one_translation_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class Revision(models.Model):
    """The text of a published case study as it was before an edit."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed = models.JSONField(default=list)  # names of the fields the edit changed
    snapshot = models.JSONField(default=dict)  # the values before the edit

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "number"], name="one_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} r{self.number}"


class Adaptation(models.Model):
    """Another organisation records that it adapted the practice: where, and how it went."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="adaptations")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    country = models.ForeignKey(
        "countries.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=120, blank=True)
    account = models.TextField(_("what you did and what happened"), max_length=3000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "organisation", "country"], name="one_adaptation_per_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} adapted {self.practice_id} in {self.country_id}"


class Photo(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="practices/photos/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    # Added to an already published case study: public only once the secretariat approves it.
    awaits_review = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or str(self.image.name)


class Document(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="practices/documents/")
    title = models.CharField(_("document title"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    # Added to an already published case study: public only once the secretariat approves it.
    awaits_review = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class SearchDocument(models.Model):
    """One language version of a published case study, as search sees it.

    Full text (`knowledge.fulltext`): on PostgreSQL a `search_vector` tsvector column (added by
    migration, GIN indexed, built with the language's configuration); on SQLite the FTS5 table
    `knowledge_fts` whose rowid is this row's id. Semantic: `vector`, by `vector_model`.
    """

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="search_documents"
    )
    language = models.CharField(max_length=5)
    title = models.CharField(max_length=200)
    body = models.TextField()
    vector = models.BinaryField(null=True)
    vector_model = models.CharField(max_length=80, blank=True)
    # What the vector was computed from, so an unchanged text is never embedded again.
    vector_source = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "language"], name="one_search_document_per_language"
            )
        ]
        indexes = [
            models.Index(
                fields=["vector_model"],
                condition=Q(vector__isnull=False),
                name="knowledge_doc_with_vector",
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} ({self.language})"


class IndexVersion(models.Model):
    """Changed (to a new random value) whenever stored vectors change: each process compares
    it with the version of its in-memory matrix (one primary-key read) before a semantic
    search."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"search index version {self.version}"
