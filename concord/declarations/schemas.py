"""The declarations API's input and output shapes (the limits come from the models)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt, WithJsonSchema, field_validator

from concord.core import keyset
from concord.core.api import Body, IsoDateTime, QueryParams
from concord.declarations.models import TEXT_MAX, TITLE_MAX, Declaration, Signature
from concord.declarations.services import attribution

# Inlined in the schema: as a component it would share the name "Status" with the
# organisations' choices, and one would silently replace the other.
DeclarationStatus = Annotated[
    Declaration.Status,
    WithJsonSchema(
        {"title": "DeclarationStatus", "type": "string", "enum": Declaration.Status.values}
    ),
]


class TextOut(Schema):
    language: str
    title: str
    text: str = Field(..., alias="body")
    is_original: bool
    sha256: str


class DeclarationOut(Schema):
    slug: str
    status: DeclarationStatus
    eligibility: Declaration.Eligibility
    original_language: str
    opens_at: datetime | None
    closes_at: datetime | None
    adopted_at: str
    goal_signatures: int | None
    goal_countries: int | None
    final_export_sha256: str
    texts: list[TextOut]

    @staticmethod
    def resolve_texts(obj: Declaration) -> list:
        return list(obj.texts.all())


class DeclarationIn(Body):
    slug: str = Field(..., pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")
    title: str = Field(..., min_length=1, json_schema_extra={"maxLength": TITLE_MAX})
    text: str = Field(..., min_length=1, json_schema_extra={"maxLength": TEXT_MAX})
    language: str = Field("en", max_length=10, examples=["en"])
    opens_at: IsoDateTime | None = None
    closes_at: IsoDateTime | None = None
    eligibility: Declaration.Eligibility = Declaration.Eligibility.ANYONE
    goal: StrictInt | None = Field(None, ge=1, description="Goal in signatures")
    goal_countries: StrictInt | None = Field(None, ge=1, le=249)
    adopted_at: str = Field("", max_length=200)
    event: str = Field(
        "",
        max_length=80,
        description="Short name of the event it was adopted at; required when only the "
        "event's participants may sign (eligibility `registered` or `attended`)",
    )


class TranslationIn(Body):
    language: str = Field(..., max_length=10, examples=["fr"])
    title: str = Field(..., min_length=1, json_schema_extra={"maxLength": TITLE_MAX})
    text: str = Field(..., min_length=1, json_schema_extra={"maxLength": TEXT_MAX})


# Whatever a share link's value holds is accepted (any JSON value, as the schema says) and,
# if it names no member organisation, ignored: a malformed one must not answer 422 where a
# good one answers 202.
ShareLinkValue = Annotated[Any, WithJsonSchema({})]


class SignatureIn(Body):
    name: str = Field(..., max_length=150, examples=["Ana Silva"])
    email: str = Field(..., max_length=254, examples=["ana@example.org"])
    country: str = Field(..., max_length=2, description="ISO 3166-1 alpha-2", examples=["MZ"])
    kind: Literal["organisation", "individual"] = "individual"
    organisation: str = Field("", max_length=200)
    role: str = Field("", max_length=120)
    show_name: StrictBool = True
    keep_informed: StrictBool = Field(
        False,
        description="The signer ticked “keep me informed about this declaration”: the "
        "coalition may email them about it. Stored with its time and the sentence shown.",
    )
    language: str = Field(
        "",
        max_length=10,
        description="The language version the signer read. The emails about the signature are "
        "in it when the site speaks it, else in the request's Accept-Language (unless the "
        "address belongs to an account, whose chosen language wins).",
    )
    via: ShareLinkValue = Field(
        None,
        description="The member organisation whose share link brought the signer (its "
        "`?via=` value, the organisation's id). A value that names no member organisation is "
        "ignored: the answer is the same.",
        examples=["12"],
    )

    @field_validator("via", mode="before")
    @classmethod
    def _share_link(cls, value: Any) -> str:
        # Before the body's own checks (a NUL is refused in any other field): never an error.
        return attribution.clean_via(value)


class SignatureAccepted(Schema):
    status: Literal["pending", "confirmed"]


class TokenIn(Body):
    token: str = Field(..., max_length=200)


class EmailIn(Body):
    email: str = Field(..., max_length=254)


class ImportErrorOut(Schema):
    line: int
    field: str
    reason: str


class ImportOut(Schema):
    imported: int
    valid: int
    rows: int
    dry_run: bool
    errors: list[ImportErrorOut]


class SignatoryOut(Schema):
    name: str
    kind: str
    organisation: str
    role: str
    country: str = Field(..., alias="country_id")
    confirmed_at: datetime

    @staticmethod
    def resolve_organisation(obj: Signature) -> str:
        return obj.organisation_label


class SignatoryQuery(QueryParams):
    q: str = Field("", max_length=200)
    country: str = Field("", max_length=2)
    after: str = Field("", max_length=keyset.CURSOR_MAX, description="Cursor from a `next` link")
    before: str = Field(
        "", max_length=keyset.CURSOR_MAX, description="Cursor from a `previous` link"
    )
    page: str = Field(
        "",
        max_length=20,
        description="`1` (the first page) or `last`; other numbers answer 400: follow `next`",
    )
    page_size: int | None = Field(None, ge=1, le=500)


class SignatoryList(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[SignatoryOut]
