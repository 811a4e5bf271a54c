"""Signing: the one input check (form, API, CSV import), whether the declaration is open and
the signer eligible, recording a signature, and confirming it by the emailed link.

A signed-in person signing with one of their verified addresses is that address's owner: the
signature is theirs at once, and it takes over a pending one someone else made for the
address. Rules that check the signed-in person (members, an event's participants) accept
only such an address, so one eligible person cannot add signatures for made-up ones."""

import hashlib
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concord.accounts.models import normalise_email
from concord.accounts.queries import owns_address
from concord.core import checks
from concord.core.emails import queue_prepared
from concord.core.errors import Refused
from concord.core.group_commit import GroupCommit
from concord.core.models import OutgoingEmail
from concord.core.network import network_of
from concord.countries import checks as country_checks
from concord.declarations import counting
from concord.declarations.log import entries as log
from concord.declarations.models import Declaration, Signature
from concord.declarations.services import attribution, confirmation_mail
from concord.declarations.services.flags import device_clock_flags, soft_checks
from concord.events.eligibility import refusal
from concord.organisations.models import Organisation, Representative

# `Signature.Kind.values` builds its list on each use; the input check asks for every signature.
KINDS = frozenset(Signature.Kind.values)

# The consent the signing form asks for, stored as shown with the signature (its language's).
KEEP_INFORMED = gettext_lazy(
    "Keep me informed about this declaration: the coalition may email me about it (its "
    "outcome, what comes next). I can stop this at any time."
)
# The rules that check who the signed-in person is rather than the address typed in.
USER_RULES = (
    Declaration.Eligibility.MEMBERS,
    Declaration.Eligibility.REGISTERED,
    Declaration.Eligibility.ATTENDED,
)


def hash_token(token: str) -> str:
    """What is stored of a confirmation link's token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class SignatureInput:
    name: str
    email: str
    country: str
    kind: str = Signature.Kind.INDIVIDUAL
    organisation: str = ""
    organisation_id: int | None = None
    role: str = ""
    show_name: bool = True
    language: str = ""
    via: str = ""  # the share link's organisation (services/attribution.py)
    keep_informed: bool = False  # "keep me informed about this declaration", unticked by default


@dataclass
class Context:
    """Where a signature comes from: who, from which address, and the form's bot checks."""

    user: Any = None
    ip: str = ""
    source: str = Signature.Source.WEB
    started_at: float | None = None
    honeypot: str = ""
    # Set when these were worked out as the submission was accepted (declarations/intake.py).
    network: str | None = None
    flags: list[str] | None = None
    # The language the signer acts in (the page's; for the API, the one the submission asks
    # for): the emails this submission causes are in it, unless the address is an account's.
    language: str = ""
    # The API client's Idempotency-Key header: a POST sent again with it is stored once.
    idempotency_key: str = ""
    # When the device says the signer signed (a form kept offline and sent later).
    signed_on_device_at: datetime | None = None


def check_signature_input(data: SignatureInput) -> SignatureInput:
    """Validate and normalise; the one rule set for the form, the API and the CSV import."""
    errors = checks.Errors()
    for field in ("name", "email", "country", "organisation", "role"):
        checks.no_nul(errors, field, getattr(data, field))
    errors.raise_if_any()  # nothing more to say about a value that cannot be stored
    name = " ".join((data.name or "").split())
    if not name:
        errors.add("name", _("Your name is required."))
    elif len(name) > 150:
        errors.add("name", _("The name is at most 150 characters."))
    email = normalise_email(data.email or "")
    try:
        validate_email(email)
        if len(email) > 254:
            raise ValidationError(_("too long"))
    except ValidationError:
        errors.add("email", _("Enter a valid email address."))
    country = country_checks.country(errors, "country", data.country, required=False)
    if not country:  # an empty code is as unknown as a wrong one, in the same words
        errors.add("country", country_checks.country_message(""))
    if data.kind not in KINDS:
        errors.add("kind", _("Choose “organisation” or “individual”."))
    organisation = " ".join((data.organisation or "").split())
    if data.kind == Signature.Kind.ORGANISATION and not (organisation or data.organisation_id):
        errors.add("organisation", _("Name the organisation you sign for."))
    elif len(organisation) > 200:
        errors.add("organisation", _("The organisation's name is at most 200 characters."))
    role = " ".join((data.role or "").split())
    if len(role) > 120:
        errors.add("role", _("The role is at most 120 characters."))
    errors.raise_if_any()
    return SignatureInput(
        name=name,
        email=email,
        country=country,
        kind=data.kind,
        organisation=organisation,
        organisation_id=data.organisation_id,
        role=role,
        show_name=bool(data.show_name),
        language=data.language,
        via=attribution.clean_via(data.via),
        keep_informed=data.keep_informed is True,
    )


def check_open(declaration: Declaration, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if declaration.status != Declaration.Status.OPEN:
        raise Refused(_("This declaration is not open for signature."), code="not_open")
    if declaration.opens_at and now < declaration.opens_at:
        raise Refused(_("This declaration is not open for signature yet."), code="not_open")
    if declaration.closes_at and now >= declaration.closes_at:
        raise Refused(_("This declaration has closed."), code="not_open")


def check_eligibility(declaration: Declaration, data: SignatureInput, user) -> None:
    rule = declaration.eligibility
    if rule == Declaration.Eligibility.MEMBERS:
        represents = (
            user is not None
            and user.is_authenticated
            and Representative.objects.filter(
                user=user, organisation__status=Organisation.Status.MEMBER
            ).exists()
        )
        if not represents:
            raise Refused(
                _("Only representatives of member organisations may sign; sign in first."),
                status=403,
                code="not_eligible",
            )
    elif rule in (Declaration.Eligibility.REGISTERED, Declaration.Eligibility.ATTENDED):
        present = rule == Declaration.Eligibility.ATTENDED
        message = refusal(declaration, email=data.email, user=user, present=present)
        if message is not None:
            raise Refused(message, status=403, code="not_eligible")
    elif (
        rule == Declaration.Eligibility.INVITED
        and not declaration.invitees.filter(email=data.email).exists()
    ):
        raise Refused(
            _(
                "This declaration is open to invited people only, and this address is not on the list."
            ),
            status=403,
            code="not_eligible",
        )


def _member_organisation(user, data: SignatureInput) -> Organisation | None:
    if not data.organisation_id:
        return None
    organisation = Organisation.objects.filter(
        pk=data.organisation_id,
        status=Organisation.Status.MEMBER,
        representatives__user=user,
    ).first()
    if organisation is None:
        raise ValidationError(
            {"organisation": [_("You do not represent this member organisation.")]}
        )
    return organisation


def signed_in(user):
    return user if user is not None and user.is_authenticated else None


def check_own_address(declaration: Declaration, data: SignatureInput, user) -> bool:
    """Whether the signer owns the address (signed in, verified); for a rule that checks the
    signed-in person, an address that is not theirs is refused (422: it says nothing about
    who signed)."""
    owner = user is not None and owns_address(user, data.email)
    if user is not None and declaration.eligibility in USER_RULES and not owner:
        raise ValidationError(
            {"email": [_("For this declaration, sign with the verified address of your account.")]}
        )
    return owner


@dataclass
class Prepared:
    """A signature checked and built, not yet saved: `token` is the confirmation link's
    (None once confirmed at once), `mail` whether to send it (never to a honeypot's)."""

    signature: Signature
    token: str | None
    owner: bool
    verified: bool
    mail: bool


def prepare_signature(
    declaration: Declaration,
    data: SignatureInput,
    context: Context,
    now: datetime | None = None,
    members: Collection[int] | None = None,
) -> Prepared:
    """Every check a signature passes and the row it becomes, unsaved: the one rule set for
    `sign` and for the worker that records accepted submissions in batches (recording.py,
    which finds the batch's `members` among the `via` values at once)."""
    now = now or timezone.now()
    check_open(declaration, now)
    data = check_signature_input(data)
    user = signed_in(context.user)
    owner = check_own_address(declaration, data, user)
    check_eligibility(declaration, data, user)
    organisation = _member_organisation(user, data) if user else None
    version = declaration.text_for(data.language)
    assert version is not None  # every declaration keeps its original text
    network = context.network if context.network is not None else network_of(context.ip)
    flags = (
        list(context.flags)
        if context.flags is not None
        else soft_checks(context.honeypot, context.started_at, network)
    )
    flags += device_clock_flags(context.signed_on_device_at, now)
    verified = owner and not flags
    signature = Signature(
        declaration=declaration,
        email=data.email,
        name=data.name,
        country_id=data.country,
        kind=data.kind,
        organisation=organisation,
        organisation_name=organisation.name if organisation else data.organisation,
        role=data.role,
        show_name=data.show_name,
        language=version.language,
        text_sha256=version.sha256,
        user=user if owner else None,
        network=network,
        flags=",".join(flags),
        source=Signature.Source.MEMBER if verified else context.source,
        via_id=attribution.credited(data.via, members),
        signed_on_device_at=context.signed_on_device_at,
    )
    if data.keep_informed:
        # The consent as given: when, and the very sentence shown, in the signer's language.
        signature.keep_informed, signature.keep_informed_at = True, now
        with translation.override(version.language):
            signature.keep_informed_text = str(KEEP_INFORMED)[:300]
    token = None
    mail = False
    if verified:
        signature.status, signature.confirmed_at = Signature.Status.CONFIRMED, now
    else:
        token = secrets.token_urlsafe(24)
        signature.token_hash = hash_token(token)
        signature.token_expires_at = now + timedelta(hours=settings.SIGNATURE_CONFIRM_HOURS)
        mail = "honeypot" not in flags
        signature.confirmations_sent = 1 if mail else 0
    return Prepared(signature, token, owner, verified, mail)


def sign(declaration: Declaration, data: SignatureInput, context: Context) -> Signature:
    """Record a signature: confirmed at once for a signed-in person signing with their own
    (verified) address, otherwise pending until the emailed link is confirmed."""
    prepared = prepare_signature(declaration, data, context)
    signature = prepared.signature
    email = None
    if prepared.mail:
        assert prepared.token is not None
        # Rendered before the transaction: on SQLite the write lock is held only for the
        # two INSERTs, not for template rendering.
        email = confirmation_mail.confirmation_email(signature, prepared.token, context.language)
    try:
        with transaction.atomic():
            if prepared.owner:
                take_over_pending(signature)
            signature.save(force_update=signature.pk is not None)
            if prepared.verified:
                counting.count_signatures([signature])
                log.record([signature], log.Event.CONFIRMED)
            elif email is not None:
                queue_prepared(email)
    except IntegrityError:
        raise already_signed() from None
    return signature


def take_over_pending(signature: Signature) -> None:
    """The owner's signature replaces a pending one for the same address (someone else may
    have made it): the row becomes theirs, and the old links and emails are gone."""
    existing = (
        Signature.objects.select_for_update()
        .filter(declaration=signature.declaration, email=signature.email)
        .first()
    )
    if existing is None:
        return
    if existing.status != Signature.Status.PENDING:
        raise already_signed()
    forget_confirmation_emails(existing)
    signature.pk, signature.created_at = existing.pk, timezone.now()  # an UPDATE sets no default


def forget_confirmation_emails(signature: Signature) -> int:
    """Delete the outbox copies of a signature's confirmation emails (every link sent)."""
    deleted, _counts = OutgoingEmail.objects.filter(
        to=signature.email,
        key__startswith="signature.confirm:",
        key__endswith=f":{signature.declaration_id}",
    ).delete()
    return deleted


def already_signed() -> Refused:
    return Refused(_("This email address has already signed this declaration."), code="duplicate")


def confirm_signature(declaration: Declaration, token: str) -> Signature:
    """Confirm by the emailed token. Confirming twice is harmless; expired links can be
    re-sent. Only this POST confirms: opening the link (GET) changes nothing.

    A link is often opened by thousands within minutes of a mailing: the confirmations of
    concurrent requests share one transaction (core/group_commit.py), each in a savepoint of
    its own, so a refused one answers only its caller."""
    if not token:
        raise _bad_token()
    # In token-hash order within a round: two processes' rounds lock their signatures in one
    # order, so they cannot deadlock on the same links clicked twice.
    order = (declaration.pk, hash_token(token))
    signature, _counted = _confirmations.run(partial(_confirm, declaration, token), order=order)
    return signature


def _confirm(declaration: Declaration, token: str) -> tuple[Signature, bool]:
    """One confirmation, in the shared transaction; whether it is to be counted."""
    signature = _signature_for_update(declaration, hash_token(token))
    if signature is None:
        raise _bad_token()
    if signature.status == Signature.Status.CONFIRMED:
        return signature, False
    if signature.status == Signature.Status.INVALIDATED:
        raise Refused(_("This signature was invalidated."), status=400, code="invalidated")
    if signature.token_expires_at and signature.token_expires_at < timezone.now():
        raise Refused(
            _("This confirmation link has expired. Ask for a new one."),
            status=410,
            code="expired",
        )
    check_open(_as_stored(declaration))
    signature.status = Signature.Status.CONFIRMED
    signature.confirmed_at = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _CONFIRM.format(table=Signature._meta.db_table),
            [
                signature.status,
                connection.ops.adapt_datetimefield_value(signature.confirmed_at),
                signature.pk,
            ],
        )
    return signature, True


# The two statements of the hot path are written out: building them with the ORM cost more
# than running them (profiled). The token's hash is the only condition: given the
# declaration too, SQLite chose the declaration's index and read all its signatures.
_FIND = "SELECT * FROM {table} WHERE token_hash = %s"
_CONFIRM = "UPDATE {table} SET status = %s, confirmed_at = %s WHERE id = %s"


def _as_stored(declaration: Declaration) -> Declaration:
    """The declaration's state as this transaction sees it: the caller's copy may be a second
    old (`queries.declaration_for_signing`), and a link confirmed after closing would change
    a final list."""
    state = Declaration.objects.filter(pk=declaration.pk).values(*_STATE).get()
    return Declaration(pk=declaration.pk, **state)


_STATE = ("status", "opens_at", "closes_at")


def _signature_for_update(declaration: Declaration, token_hash: str) -> Signature | None:
    """The signature with this token, locked until the transaction ends (PostgreSQL; on
    SQLite the transaction holds the one write lock already)."""
    query = _FIND.format(table=Signature._meta.db_table)
    if connection.features.has_select_for_update:
        query += " " + connection.ops.for_update_sql()
    found = [
        s for s in Signature.objects.raw(query, [token_hash]) if s.declaration_id == declaration.pk
    ]
    return min(found, key=lambda signature: signature.pk, default=None)


def _count_confirmed(results: list[tuple[Signature, bool]]) -> None:
    # Once per round, in its transaction: one upsert per tally table however many confirmed,
    # its rows taken in key order, so two processes' rounds never wait for each other.
    confirmed = [signature for signature, counted in results if counted]
    counting.count_signatures(confirmed)
    log.record(confirmed, log.Event.CONFIRMED)


_confirmations = GroupCommit(finish=_count_confirmed)


def _bad_token() -> Refused:
    return Refused(_("This confirmation link is not valid."), status=400, code="bad_token")
