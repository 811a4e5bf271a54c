"""A declaration's life: created as a draft, its language versions, opened (texts frozen and
fingerprinted), closed (the final list fingerprinted), published; and its invitation list."""

import hashlib
from collections.abc import Iterable
from datetime import datetime

from babel import Locale, UnknownLocaleError
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User, normalise_email
from concord.core import checks
from concord.core.audit import log_event
from concord.core.errors import Refused
from concord.declarations import counting, export_files, permissions
from concord.declarations.drafting import queries as drafting_queries
from concord.declarations.log import sealing
from concord.declarations.models import (
    TEXT_MAX,
    TITLE_MAX,
    Declaration,
    DeclarationText,
    Invitee,
    Signature,
)
from concord.declarations.services import outcomes
from concord.events.eligibility import NEEDS_EVENT

# Slugs that would collide with the declarations pages' own paths.
RESERVED_SLUGS = {"new", "outcomes"}


def fingerprint(title: str, body: str) -> str:
    """SHA-256 of a language version, as signers see it: title, blank line, body (UTF-8)."""
    return hashlib.sha256(f"{title.strip()}\n\n{body.strip()}".encode()).hexdigest()


def require_manager(user, declaration: Declaration) -> None:
    if not permissions.can_manage(user, declaration):
        raise PermissionDenied(_("Only the secretariat or the drafting committee may do this."))


def _clean_text(title: str, body: str) -> tuple[str, str]:
    errors = checks.Errors()
    title = checks.text(
        errors, "title", title, limit=TITLE_MAX, required=True, plain=False,
        required_message_text=_("A title is required."),
    )  # fmt: skip
    body = checks.text(
        errors, "text", body, limit=TEXT_MAX, required=True, plain=False,
        required_message_text=_("The text is required."),
    )  # fmt: skip
    errors.raise_if_any()
    return title, body


def check_language(language: str) -> str:
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
    event: str = "",
) -> Declaration:
    """A new draft with its original text. `event` is the short name of the event it was
    adopted at: linked at once, and required when only that event's participants may sign
    (without it nobody could ever sign)."""
    if not permissions.can_create_declarations(user):
        raise PermissionDenied(_("Only the secretariat creates declarations."))
    title, text = _clean_text(title, text)
    declaration = Declaration(
        slug=(slug or "").strip().lower(),
        original_language=check_language(language),
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
    event = (event or "").strip()
    if declaration.needs_event and not event:
        raise ValidationError({"event": [str(NEEDS_EVENT)]})
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
        if event:
            outcomes.link_by_slug(user, event, declaration)
        log_event("declaration.created", declaration, actor=user)
    return declaration


def set_text(user: User, declaration: Declaration, *, language: str, title: str, text: str):
    """Add a language version, or edit one while the declaration is a draft.

    After opening, texts are frozen: a new translation may still be added (it is
    fingerprinted at once), but no existing version changes.
    """
    require_manager(user, declaration)
    language = check_language(language)
    title, text = _clean_text(title, text)
    with transaction.atomic():
        locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
        existing = DeclarationText.objects.filter(declaration=locked, language=language).first()
        if existing and locked.texts_frozen:
            raise Refused(_("The declaration is open: its texts are frozen."), status=409)
        version = existing or DeclarationText(declaration=locked, language=language)
        version.title, version.body = title, text
        version.sha256 = fingerprint(title, text) if locked.texts_frozen else ""
        # A translation follows the draft's versions: saved now, it is up to date.
        version.based_on_version = drafting_queries.current_number(locked)
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
    require_manager(user, declaration)
    with transaction.atomic():
        locked = _move(declaration, "draft", "open", _("Only a draft can be opened."))
        for version in locked.texts.all():
            version.sha256 = fingerprint(version.title, version.body)
            version.save(update_fields=["sha256"])
        locked.opened_at = timezone.now()
        locked.save(update_fields=["status", "opened_at"])
        log_event("declaration.opened", locked, actor=user)
    return locked


def check_close(user: User | None, declaration: Declaration) -> None:
    """The refusals of `close_declaration` without the write: the page asks to confirm only
    a close that would happen (403 without the right, 409 unless open)."""
    if user is not None:
        require_manager(user, declaration)
    if declaration.status != Declaration.Status.OPEN:
        raise Refused(_cannot_close())


def _cannot_close() -> str:
    return _("Only an open declaration can be closed.")


def close_declaration(user: User | None, declaration: Declaration) -> Declaration:
    """Close signing and publish the fingerprint of the final public signatory list."""
    if user is not None:
        require_manager(user, declaration)
    with transaction.atomic():
        locked = _move(declaration, "open", "closed", _cannot_close())
        locked.closed_at = timezone.now()
        counting.recount(locked)
        # The final CSV is written now and its bytes fingerprinted, so the file served from
        # now on is exactly the list the fingerprint names.
        locked.final_export_sha256 = export_files.build_final(locked).sha256
        locked.final_signature_count = locked.signatures.filter(
            status=Signature.Status.CONFIRMED
        ).count()
        locked.save()
        # The final head: the whole log, its counts, and the final list's fingerprint.
        sealing.seal(locked)
        log_event(
            "declaration.closed",
            locked,
            actor=user,
            signatures=locked.final_signature_count,
            sha256=locked.final_export_sha256,
        )
    return locked


def publish_declaration(user: User, declaration: Declaration) -> Declaration:
    require_manager(user, declaration)
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
    require_manager(user, declaration)
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
