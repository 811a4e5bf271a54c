"""Reference data: ISO 3166-1 countries, UN M49 regions, UN membership, groups, population.

The rows come from the files in `data/` (see its README for sources and as-of dates) and
are loaded by migration or by `concord load_countries`; nobody edits them by hand.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataSource(models.Model):
    """Where a set of reference figures comes from, and as of when."""

    key = models.SlugField(primary_key=True, max_length=40)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    as_of = models.CharField(max_length=40)
    licence = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    obtained_from = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.title} ({self.as_of})"


class Region(models.Model):
    """A UN M49 area: a region (Africa), a sub-region (Sub-Saharan Africa) or an
    intermediate region (Eastern Africa)."""

    class Level(models.TextChoices):
        REGION = "region", _("region")
        SUBREGION = "subregion", _("sub-region")
        INTERMEDIATE = "intermediate", _("intermediate region")

    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)
    level = models.CharField(max_length=12, choices=Level.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Country(models.Model):
    code = models.CharField(_("ISO alpha-2 code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(max_length=3, unique=True)
    numeric = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)
    region = models.ForeignKey(Region, null=True, on_delete=models.PROTECT, related_name="+")
    subregion = models.ForeignKey(Region, null=True, on_delete=models.PROTECT, related_name="+")
    intermediate_region = models.ForeignKey(
        Region, null=True, on_delete=models.PROTECT, related_name="+"
    )
    un_member = models.BooleanField(default=False, db_index=True)
    un_observer = models.BooleanField(default=False)
    population = models.BigIntegerField(null=True)
    population_year = models.PositiveSmallIntegerField(null=True)
    population_source = models.ForeignKey(
        DataSource, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class CountryGroup(models.Model):
    """A published list of countries (G77 and China, LDC, SIDS...) as of a stated date."""

    slug = models.SlugField(primary_key=True, max_length=40)
    name = models.CharField(max_length=150)
    short_name = models.CharField(max_length=40)
    definition = models.TextField()
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField()
    position = models.PositiveSmallIntegerField(default=0)
    members = models.ManyToManyField(Country, related_name="groups")

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name
