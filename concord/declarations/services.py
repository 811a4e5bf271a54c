"""Every write path for declarations: lifecycle, signing, confirming, invalidating.

Errors: ValidationError for bad input (per field, HTTP 422), `Refused` for a request that is
well-formed but cannot be done now (not open: 409, already signed: 409, not eligible: 403,
bad or expired link: 400/410). Nothing is written when either is raised.
"""

import hashlib
import ipaddress
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from concord.accounts.models import User, normalise_email
from concord.core.audit import log_event
from concord.core.emails import prepare_email, queue_email, queue_prepared
from concord.core.errors import Refused
from concord.countries.queries import is_country
from concord.declarations import counting, permissions
from concord.declarations.models import Declaration, DeclarationText, Export, Invitee, Signature
from concord.organisations.models import Organisation, Representative

# A PDF build not finished after this long is taken as lost (its worker died); a new one may start.
EXPORT_STALE = timedelta(minutes=30)
# Slugs that would collide with the declarations pages' own paths.
RESERVED_SLUGS = {"new"}


def fingerprint(title: str, body: str) -> str:
    """SHA-256 of a language version, as signers see it: title, blank line, body (UTF-8)."""
    return hashlib.sha256(f"{title.strip()}\n\n{body.strip()}".encode()).hexdigest()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- Lifecycle ---------------------------------------------------------------------------


def _require_manager(user, declaration: Declaration) -> None:
    if not permissions.can_manage(user, declaration):
        raise PermissionDenied(_("Only the secretariat or the drafting committee may do this."))


def _clean_text(title: str, body: str) -> tuple[str, str]:
    errors = {}
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        errors["title"] = [_("A title is required.")]
    elif len(title) > 300:
        errors["title"] = [_("The title is at most 300 characters.")]
    if not body:
        errors["text"] = [_("The text is required.")]
    elif len(body) > 100_000:
        errors["text"] = [_("The text is at most 100,000 characters.")]
    if errors:
        raise ValidationError(errors)
    return title, body


def _check_language(language: str) -> str:
    from babel import Locale, UnknownLocaleError

    language = (language or "").strip().lower()
    try:
        Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        raise ValidationError(
            {"language": [_("“%(code)s” is not a language code.") % {"code": language}]}
        ) from None
    return language


def create_declaration(
    user: User,
    *,
    slug: str,
    title: str,
    text: str,
    language: str = "en",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    eligibility: str = Declaration.Eligibility.ANYONE,
    goal_signatures: int | None = None,
    goal_countries: int | None = None,
    adopted_at: str = "",
) -> Declaration:
    if not permissions.can_create_declarations(user):
        raise PermissionDenied(_("Only the secretariat creates declarations."))
    title, text = _clean_text(title, text)
    declaration = Declaration(
        slug=(slug or "").strip().lower(),
        original_language=_check_language(language),
        opens_at=opens_at,
        closes_at=closes_at,
        eligibility=eligibility,
        goal_signatures=goal_signatures,
        goal_countries=goal_countries,
        adopted_at=(adopted_at or "").strip(),
        created_by=user,
    )
    if declaration.slug in RESERVED_SLUGS:
        raise ValidationError({"slug": [_("This short name is reserved; choose another.")]})
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": [_("The end must come after the start.")]})
    declaration.full_clean(exclude=["created_by"])
    with transaction.atomic():
        declaration.save()
        DeclarationText.objects.create(
            declaration=declaration,
            language=declaration.original_language,
            title=title,
            body=text,
            is_original=True,
        )
        log_event("declaration.created", declaration, actor=user)
    return declaration


def set_text(user: User, declaration: Declaration, *, language: str, title: str, text: str):
    """Add a language version, or edit one while the declaration is a draft.

    After opening, texts are frozen: a new translation may still be added (it is
    fingerprinted at once), but no existing version changes.
    """
    _require_manager(user, declaration)
    language = _check_language(language)
    title, text = _clean_text(title, text)
    with transaction.atomic():
        locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
        existing = DeclarationText.objects.filter(declaration=locked, language=language).first()
        if existing and locked.texts_frozen:
            raise Refused(_("The declaration is open: its texts are frozen."), status=409)
        version = existing or DeclarationText(declaration=locked, language=language)
        version.title, version.body = title, text
        version.sha256 = fingerprint(title, text) if locked.texts_frozen else ""
        version.save()
        log_event("declaration.text_saved", locked, actor=user, language=language)
    return version


def _move(declaration: Declaration, source: str, target: str, refusal: str) -> Declaration:
    """Lock the row and check it is in `source` before moving it to `target` (in the caller's
    transaction); the caller stamps the date and logs the event."""
    locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if locked.status != source:
        raise Refused(refusal)
    locked.status = target
    return locked


def open_declaration(user: User, declaration: Declaration) -> Declaration:
    _require_manager(user, declaration)
    with transaction.atomic():
        locked = _move(declaration, "draft", "open", _("Only a draft can be opened."))
        for version in locked.texts.all():
            version.sha256 = fingerprint(version.title, version.body)
            version.save(update_fields=["sha256"])
        locked.opened_at = timezone.now()
        locked.save(update_fields=["status", "opened_at"])
        log_event("declaration.opened", locked, actor=user)
    return locked


def close_declaration(user: User | None, declaration: Declaration) -> Declaration:
    """Close signing and publish the fingerprint of the final public signatory list."""
    from concord.declarations.exports import signatories_sha256

    if user is not None:
        _require_manager(user, declaration)
    with transaction.atomic():
        locked = _move(declaration, "open", "closed", _("Only an open declaration can be closed."))
        locked.closed_at = timezone.now()
        counting.recount(locked)
        locked.final_export_sha256 = signatories_sha256(locked)
        locked.final_signature_count = locked.signatures.filter(
            status=Signature.Status.CONFIRMED
        ).count()
        locked.save()
        log_event(
            "declaration.closed",
            locked,
            actor=user,
            signatures=locked.final_signature_count,
            sha256=locked.final_export_sha256,
        )
    return locked


def publish_declaration(user: User, declaration: Declaration) -> Declaration:
    _require_manager(user, declaration)
    with transaction.atomic():
        locked = _move(
            declaration, "closed", "published", _("Only a closed declaration can be published.")
        )
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at"])
        log_event("declaration.published", locked, actor=user)
    return locked


def set_invitees(user: User, declaration: Declaration, emails: Iterable[str]) -> int:
    """Add addresses to the invitation list; returns how many were new."""
    _require_manager(user, declaration)
    clean, bad = set(), []
    for raw in emails:
        email = normalise_email(raw)
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            bad.append(raw.strip())
            continue
        clean.add(email)
    if bad:
        raise ValidationError(
            {"emails": [_("Not email addresses: %(list)s") % {"list": ", ".join(bad[:10])}]}
        )
    existing = set(declaration.invitees.values_list("email", flat=True))
    new = sorted(clean - existing)
    with transaction.atomic():
        Invitee.objects.bulk_create(Invitee(declaration=declaration, email=e) for e in new)
        log_event("declaration.invitees_added", declaration, actor=user, added=len(new))
    return len(new)


# --- Signing -----------------------------------------------------------------------------


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


def check_signature_input(data: SignatureInput) -> SignatureInput:
    """Validate and normalise; the one rule set for the form, the API and the CSV import."""
    errors: dict[str, list[str]] = {}
    for field in ("name", "email", "country", "organisation", "role"):
        if "\x00" in (getattr(data, field) or ""):
            # PostgreSQL cannot store a NUL character; say so instead of failing.
            errors[field] = [_("contains a null character")]
    if errors:
        raise ValidationError(errors)
    name = " ".join((data.name or "").split())
    if not name:
        errors["name"] = [_("Your name is required.")]
    elif len(name) > 150:
        errors["name"] = [_("The name is at most 150 characters.")]
    email = normalise_email(data.email or "")
    try:
        validate_email(email)
        if len(email) > 254:
            raise ValidationError(_("too long"))
    except ValidationError:
        errors["email"] = [_("Enter a valid email address.")]
    country = (data.country or "").strip().upper()
    if not is_country(country):
        errors["country"] = [
            _("“%(code)s” is not an ISO 3166-1 alpha-2 country code.") % {"code": data.country}
        ]
    if data.kind not in Signature.Kind.values:
        errors["kind"] = [_("Choose “organisation” or “individual”.")]
    organisation = " ".join((data.organisation or "").split())
    if data.kind == Signature.Kind.ORGANISATION and not (organisation or data.organisation_id):
        errors["organisation"] = [_("Name the organisation you sign for.")]
    if len(organisation) > 200:
        errors["organisation"] = [_("The organisation's name is at most 200 characters.")]
    role = " ".join((data.role or "").split())
    if len(role) > 120:
        errors["role"] = [_("The role is at most 120 characters.")]
    if errors:
        raise ValidationError(errors)
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
        from concord.events.eligibility import refusal

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


def network_of(ip: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) a request came from: enough to spot a burst, not a person."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def soft_checks(context: Context, network: str) -> list[str]:
    """Signals for the secretariat's review. None of them refuses a signature: a whole
    conference hall may sign from one address within minutes."""
    flags = []
    if context.honeypot:
        flags.append("honeypot")
    if (
        context.started_at is not None
        and time.time() - context.started_at < settings.SIGN_MIN_SECONDS
    ):
        flags.append("fast")
    if network:
        key = f"sign-rate:{network}:{int(time.time() // 60)}"
        cache.add(key, 0, timeout=120)
        try:
            if cache.incr(key) > settings.SIGN_SOFT_LIMIT_PER_NETWORK:
                flags.append("busy-network")
        except ValueError:
            pass
    return flags


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


def _text_for(declaration: Declaration, language: str) -> DeclarationText:
    texts = {t.language: t for t in declaration.texts.all()}
    return (
        texts.get(language)
        or texts.get(declaration.original_language)
        or next(iter(texts.values()))
    )


def sign(declaration: Declaration, data: SignatureInput, context: Context) -> Signature:
    """Record a signature: confirmed at once for a signed-in person signing with their own
    (verified) address, otherwise pending until the emailed link is confirmed."""
    check_open(declaration)
    data = check_signature_input(data)
    user = context.user if context.user is not None and context.user.is_authenticated else None
    check_eligibility(declaration, data, user)
    organisation = _member_organisation(user, data) if user else None
    version = _text_for(declaration, data.language)
    network = context.network if context.network is not None else network_of(context.ip)
    flags = list(context.flags) if context.flags is not None else soft_checks(context, network)
    verified = user is not None and normalise_email(user.email) == data.email and not flags
    now = timezone.now()
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
        user=user,
        network=network,
        flags=",".join(flags),
        source=Signature.Source.MEMBER if verified else context.source,
    )
    email = None
    if verified:
        signature.status, signature.confirmed_at = Signature.Status.CONFIRMED, now
    else:
        token = secrets.token_urlsafe(24)
        signature.token_hash = _hash_token(token)
        signature.token_expires_at = now + timedelta(hours=settings.SIGNATURE_CONFIRM_HOURS)
        if "honeypot" not in flags:
            # Rendered before the transaction: on SQLite the write lock is held only for
            # the two INSERTs, not for template rendering.
            signature.confirmations_sent = 1
            email = _confirmation_email(signature, token)
    try:
        with transaction.atomic():
            signature.save()
            if verified:
                counting.count_signatures([signature])
            elif email is not None:
                queue_prepared(email)
    except IntegrityError:
        raise already_signed() from None
    return signature


def already_signed() -> Refused:
    return Refused(_("This email address has already signed this declaration."), code="duplicate")


def _confirmation_email(signature: Signature, token: str):
    """The confirmation message; its key holds the token's hash, so it is new every time."""
    declaration = signature.declaration
    path = reverse("declarations:confirm", args=[declaration.slug, token])
    return prepare_email(
        key=f"signature.confirm:{signature.token_hash}",
        to=signature.email,
        template="declarations/emails/confirm_signature",
        context={
            "signature": signature,
            "title": _text_for(declaration, signature.language).title,
            "url": settings.SITE_URL + path,
            "hours": settings.SIGNATURE_CONFIRM_HOURS,
        },
        language=_interface_language(signature.language),
    )


def _interface_language(text_language: str) -> str:
    """Emails speak the language of the pages the signer used (the link opens them again),
    or the text's language when the request had none (API calls)."""
    for candidate in (translation.get_language(), text_language):
        if candidate in dict(settings.LANGUAGES):
            return candidate
    return settings.LANGUAGE_CODE


def confirm_signature(declaration: Declaration, token: str) -> Signature:
    """Confirm by the emailed token. Confirming twice is harmless; expired links can be
    re-sent. Only this POST confirms: opening the link (GET) changes nothing."""
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update()
            .filter(declaration=declaration, token_hash=_hash_token(token or ""))
            .first()
        )
        if signature is None or not token:
            raise Refused(_("This confirmation link is not valid."), status=400, code="bad_token")
        if signature.status == Signature.Status.CONFIRMED:
            return signature
        if signature.status == Signature.Status.INVALIDATED:
            raise Refused(_("This signature was invalidated."), status=400, code="invalidated")
        if signature.token_expires_at and signature.token_expires_at < timezone.now():
            raise Refused(
                _("This confirmation link has expired. Ask for a new one."),
                status=410,
                code="expired",
            )
        check_open(declaration)
        signature.status = Signature.Status.CONFIRMED
        signature.confirmed_at = timezone.now()
        signature.save(update_fields=["status", "confirmed_at"])
        counting.count_signatures([signature])
    return signature


def resend_confirmation(declaration: Declaration, email: str) -> None:
    """Send a fresh link to a pending signer. Says nothing about whether the address signed."""
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update()
            .filter(declaration=declaration, email=normalise_email(email or ""))
            .first()
        )
        if signature is None or signature.status != Signature.Status.PENDING:
            return
        if "honeypot" in signature.flags.split(","):
            return
        if signature.confirmations_sent >= settings.SIGNATURE_MAX_CONFIRMATIONS:
            return
        token = secrets.token_urlsafe(24)
        signature.token_hash = _hash_token(token)
        signature.token_expires_at = timezone.now() + timedelta(
            hours=settings.SIGNATURE_CONFIRM_HOURS
        )
        signature.confirmations_sent += 1
        signature.save(update_fields=["token_hash", "token_expires_at", "confirmations_sent"])
        queue_prepared(_confirmation_email(signature, token))


def _pdf_is_current(declaration: Declaration, export: Export) -> bool:
    """A finished PDF still lists exactly the counted signatures if none was confirmed or
    invalidated since it was started (always true once the declaration has closed)."""
    if declaration.status in (Declaration.Status.CLOSED, Declaration.Status.PUBLISHED):
        return bool(declaration.closed_at and export.created_at >= declaration.closed_at)
    latest = declaration.signatures.aggregate(
        confirmed=Max("confirmed_at"), invalidated=Max("invalidated_at")
    )
    changes = [moment for moment in latest.values() if moment is not None]
    return not changes or max(changes) < export.created_at


def request_pdf(user, declaration: Declaration, language: str) -> Export:
    """Start building a PDF unless one is being built, or a finished one still lists exactly
    the signatures counted now (always the case once the declaration has closed)."""
    from concord.declarations import tasks

    with transaction.atomic():
        Declaration.objects.select_for_update().filter(pk=declaration.pk).first()
        exports = Export.objects.filter(
            declaration=declaration, kind=Export.Kind.PDF, language=language
        )
        busy = exports.filter(
            status__in=[Export.Status.QUEUED, Export.Status.RUNNING],
            created_at__gte=timezone.now() - EXPORT_STALE,
        ).first()
        if busy is not None:
            return busy
        done = exports.filter(status=Export.Status.DONE).order_by("-created_at", "-pk").first()
        if done is not None and _pdf_is_current(declaration, done):
            return done
        export = Export.objects.create(
            declaration=declaration,
            language=language,
            requested_by=user if user is not None and user.is_authenticated else None,
        )
        transaction.on_commit(lambda: tasks.build_pdf.enqueue(export.pk))
    return export


# --- Review ------------------------------------------------------------------------------


@dataclass
class SignatureFilter:
    domain: str = ""
    network: str = ""
    since: datetime | None = None
    until: datetime | None = None
    flag: str = ""
    ids: list[int] | None = None

    def is_empty(self) -> bool:
        return not (
            self.domain or self.network or self.since or self.until or self.flag or self.ids
        )

    def apply(self, signatures: QuerySet[Signature]) -> QuerySet[Signature]:
        if self.domain:
            signatures = signatures.filter(
                email__iendswith="@" + self.domain.strip().lstrip("@").lower()
            )
        if self.network:
            signatures = signatures.filter(network=self.network.strip())
        if self.since:
            signatures = signatures.filter(created_at__gte=self.since)
        if self.until:
            signatures = signatures.filter(created_at__lt=self.until)
        if self.flag:
            signatures = signatures.filter(flags__contains=self.flag)
        if self.ids is not None:
            signatures = signatures.filter(pk__in=self.ids)
        return signatures


def invalidate_signatures(
    user: User, declaration: Declaration, selection: SignatureFilter, reason: str
) -> int:
    """Mark matching signatures invalid (kept, never deleted); counts change at once."""
    _require_manager(user, declaration)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason; it is kept in the audit trail.")]})
    if selection.is_empty():
        raise ValidationError(_("Choose which signatures to invalidate."))
    with transaction.atomic():
        locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
        if locked.status not in (Declaration.Status.OPEN, Declaration.Status.DRAFT):
            raise Refused(_("The declaration has closed; its list is final."))
        matching = selection.apply(
            locked.signatures.exclude(status=Signature.Status.INVALIDATED)
        ).select_for_update()
        chosen = list(matching)
        confirmed = [s for s in chosen if s.status == Signature.Status.CONFIRMED]
        Signature.objects.filter(pk__in=[s.pk for s in chosen]).update(
            status=Signature.Status.INVALIDATED,
            invalidated_at=timezone.now(),
            invalidated_by=user,
            invalidation_reason=reason[:500],
        )
        counting.count_signatures(confirmed, sign=-1)
        log_event(
            "signatures.invalidated",
            locked,
            actor=user,
            reason=reason[:500],
            count=len(chosen),
            confirmed=len(confirmed),
            domain=selection.domain,
            network=selection.network,
            since=selection.since.isoformat() if selection.since else "",
            until=selection.until.isoformat() if selection.until else "",
            flag=selection.flag,
        )
    return len(chosen)


# --- Scheduled jobs ----------------------------------------------------------------------


def close_due_declarations(now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    closed = []
    for declaration in Declaration.objects.filter(status="open", closes_at__lte=now):
        try:
            close_declaration(None, declaration)
        except Refused:
            continue
        closed.append(declaration.slug)
    return closed


def notify_reached_goals() -> list[str]:
    """Email the organisers once when a declaration reaches its goal."""
    from concord.declarations.queries import declaration_stats

    reached = []
    candidates = Declaration.objects.filter(status="open", goal_reached_at__isnull=True).exclude(
        goal_signatures__isnull=True, goal_countries__isnull=True
    )
    for declaration in candidates:
        stats = declaration_stats(declaration, fresh=True)
        hit_signatures = (
            declaration.goal_signatures and stats.signatures >= declaration.goal_signatures
        )
        hit_countries = declaration.goal_countries and stats.countries >= declaration.goal_countries
        if not (hit_signatures or hit_countries):
            continue
        with transaction.atomic():
            updated = Declaration.objects.filter(
                pk=declaration.pk, goal_reached_at__isnull=True
            ).update(goal_reached_at=timezone.now())
            if not updated:
                continue
            log_event("declaration.goal_reached", declaration, signatures=stats.signatures)
            organisers = {declaration.created_by, *declaration.committee.all()}
            for person in filter(None, organisers):
                queue_email(
                    key=f"declaration.goal:{declaration.pk}:{person.pk}",
                    to=person.email,
                    template="declarations/emails/goal_reached",
                    context={
                        "declaration": declaration,
                        "stats": stats,
                        "title": _text_for(declaration, person.language).title,
                        "url": settings.SITE_URL
                        + reverse("declarations:detail", args=[declaration.slug]),
                    },
                    language=person.language,
                )
        reached.append(declaration.slug)
    return reached


def reconcile_tallies() -> list[str]:
    """Recount open (and just-closed) declarations from the signature table; fix any drift."""
    recent = timezone.now() - timedelta(days=2)
    corrected = []
    for declaration in Declaration.objects.filter(status="open") | Declaration.objects.filter(
        closed_at__gte=recent
    ):
        if counting.recount(declaration):
            log_event("declaration.tallies_corrected", declaration)
            corrected.append(declaration.slug)
    return corrected
