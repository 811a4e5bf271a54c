"""The counts of confirmed signatures the statistics read (counting.py says how they hold a
surge)."""

from django.db import models

from concord.declarations.models.declarations import Declaration
from concord.declarations.models.signatures import Signature


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
