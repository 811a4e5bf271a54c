"""Types and schemas the partnerships API's topic modules share."""

from decimal import Decimal
from typing import Annotated

from ninja import Field, Path, Schema

Id = Annotated[int, Path(ge=1)]
Amount = Annotated[Decimal, Field(ge=0, lt=10**12, max_digits=14, decimal_places=2)]


class OrganisationRef(Schema):
    id: int
    name: str
    country: str = Field(..., alias="country_id")
