"""Drafting together: opening a draft for comments, its versions, comments, amendments
proposed and supported, co-sponsors' endorsements, whether the history is public.

Refusals: no right 403 (PermissionDenied), a frozen text or a closed period 409 (Refused),
bad input 422 (ValidationError); nothing is written when one is raised. The committee's
decisions on amendments are in services/amendments.py.
"""

import re
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core import checks
from concord.core.audit import log_event
from concord.core.errors import Refused
from concord.declarations import permissions
from concord.declarations.drafting import queries
from concord.declarations.drafting.models import (
    COMMENT_MAX,
    PARAGRAPH_MAX,
    REASON_MAX,
    Amendment,
    Comment,
    CommentPeriod,
    Endorsement,
    Paragraph,
    Support,
    Version,
)
from concord.declarations.models import Declaration, DeclarationText
from concord.events.models import Outcome
from concord.organisations.models import Organisation

_BLANK_LINES = re.compile(r"\n\s*\n")


def split_paragraphs(body: str) -> list[str]:
    """A text's paragraphs: what blank lines separate, trimmed, empty ones left out."""
    return [part.strip() for part in _BLANK_LINES.split(body.replace("\r\n", "\n")) if part.strip()]


def _frozen() -> Refused:
    return Refused(_("The declaration is open: its text is frozen."), code="frozen")


def _require_manager(user, declaration: Declaration) -> None:
    if not permissions.can_manage(user, declaration):
        raise PermissionDenied(_("Only the secretariat or the drafting committee may do this."))


def make_version(
    user: User | None, declaration: Declaration, paragraphs: list[tuple[int, str]]
) -> Version:
    """A new version from (key, text) pairs, in the caller's transaction; the original
    language version is rewritten from it, so the text that opens is the last version."""
    number = (queries.current_number(declaration) or 0) + 1
    version = Version.objects.create(declaration=declaration, number=number, made_by=user)
    Paragraph.objects.bulk_create(
        Paragraph(version=version, key=key, position=position, text=text)
        for position, (key, text) in enumerate(paragraphs)
    )
    DeclarationText.objects.filter(declaration=declaration, is_original=True).update(
        body="\n\n".join(text for _key, text in paragraphs), based_on_version=number
    )
    return version


def open_for_comments(
    user: User,
    declaration: Declaration,
    *,
    audience: str,
    closes_at: datetime | None,
    organisations: Iterable[int | Organisation] = (),
) -> CommentPeriod:
    """Open (or change) the draft's comment period. The first opening makes version 1 from
    the original text's paragraphs."""
    _require_manager(user, declaration)
    if declaration.texts_frozen:
        raise _frozen()
    errors = checks.Errors()
    audience = checks.choice(errors, "audience", audience, CommentPeriod.Audience)
    if closes_at is None:
        errors.add("closes_at", checks.required_message())
    elif closes_at <= timezone.now():
        errors.add("closes_at", _("The deadline must be in the future."))
    ids = {o.pk if isinstance(o, Organisation) else int(o) for o in organisations or ()}
    members = list(Organisation.objects.filter(pk__in=ids, status=Organisation.Status.MEMBER))
    if audience == CommentPeriod.Audience.GROUP:
        if len(members) != len(ids):
            errors.add("organisations", _("Choose member organisations only."))
        elif not members:
            errors.add("organisations", _("Name the organisations of the drafting group."))
    if (
        audience == CommentPeriod.Audience.EVENT
        and not Outcome.objects.filter(declaration=declaration).exists()
    ):
        errors.add("audience", _("Link the declaration to the event it was adopted at first."))
    errors.raise_if_any()
    assert closes_at is not None  # a missing deadline was refused above
    with transaction.atomic():
        locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
        if locked.texts_frozen:
            raise _frozen()
        period, _created = CommentPeriod.objects.update_or_create(
            declaration=locked,
            defaults={"audience": audience, "closes_at": closes_at, "opened_by": user},
        )
        period.organisations.set(members if audience == CommentPeriod.Audience.GROUP else [])
        if queries.current_version(locked) is None:
            original = locked.texts.get(is_original=True)
            paragraphs = split_paragraphs(original.body)
            make_version(user, locked, list(enumerate(paragraphs, 1)))
        log_event(
            "declaration.comments_opened",
            locked,
            actor=user,
            audience=audience,
            closes_at=closes_at.isoformat(),
            organisations=sorted(o.pk for o in members),
        )
    declaration.comment_period = period  # the caller's object sees the new audience
    return period


def _check_participant(user, declaration: Declaration) -> Version:
    """The version a participant acts on, after the checks every contribution passes."""
    if declaration.texts_frozen:
        raise _frozen()
    if not permissions.can_take_part(user, declaration):
        raise PermissionDenied(_("Only the participants of the drafting may do this."))
    if not declaration.comment_period.accepts_input():
        raise Refused(_("The comment period has ended."), code="period_closed")
    version = queries.current_version(declaration)
    assert version is not None  # made when the period opened
    return version


def _paragraph_key(errors: checks.Errors, version: Version, value) -> int:
    try:
        key = int(value)
    except (TypeError, ValueError):
        key = -1
    if not version.paragraphs.filter(key=key).exists():
        errors.add("paragraph", _("Choose a paragraph of the current version."))
    return key


def _organisation(errors: checks.Errors, user, declaration: Declaration, value, *, required: bool):
    if value in (None, ""):
        if required:
            errors.add("organisation", _("Choose the organisation you act for."))
        return None
    found = (
        permissions.drafting_organisations(user, declaration)
        .filter(pk=getattr(value, "pk", value))
        .first()
    )
    if found is None:
        errors.add("organisation", _("You do not act for this organisation in this drafting."))
    return found


def add_comment(
    user: User, declaration: Declaration, *, paragraph, text: str, organisation=None
) -> Comment:
    version = _check_participant(user, declaration)
    errors = checks.Errors()
    key = _paragraph_key(errors, version, paragraph)
    text = checks.text(errors, "text", text, limit=COMMENT_MAX, required=True, plain=False)
    found = _organisation(errors, user, declaration, organisation, required=False)
    errors.raise_if_any()
    with transaction.atomic():
        comment = Comment.objects.create(
            declaration=declaration,
            paragraph_key=key,
            version=version,
            author=user,
            organisation=found,
            text=text,
        )
        log_event("declaration.commented", declaration, actor=user, paragraph=key)
    return comment


def edit_comment(user: User, comment: Comment, text: str) -> Comment:
    """Its author changes a comment while the period takes input."""
    if not permissions.can_edit_comment(user, comment):
        raise PermissionDenied(_("Only its author may edit a comment."))
    _check_participant(user, comment.declaration)
    errors = checks.Errors()
    text = checks.text(errors, "text", text, limit=COMMENT_MAX, required=True, plain=False)
    errors.raise_if_any()
    comment.text, comment.edited_at = text, timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    return comment


def propose_amendment(
    user: User,
    declaration: Declaration,
    *,
    paragraph,
    kind: str,
    text: str,
    reason: str,
    language: str = "",
    organisation=None,
) -> Amendment:
    """Replacement text for a paragraph, a new paragraph after it, or its removal, with a
    reason."""
    version = _check_participant(user, declaration)
    errors = checks.Errors()
    key = _paragraph_key(errors, version, paragraph)
    kind = checks.choice(errors, "kind", kind, Amendment.Kind)
    needs_text = kind != Amendment.Kind.REMOVE
    text = checks.text(errors, "text", text if needs_text else "", limit=PARAGRAPH_MAX,
                       required=needs_text, plain=False)  # fmt: skip
    reason = checks.text(
        errors, "reason", reason, limit=REASON_MAX, required=True, plain=False,
        required_message_text=_("Give the reason for the amendment."),
    )  # fmt: skip
    found = _organisation(errors, user, declaration, organisation, required=False)
    errors.raise_if_any()
    with transaction.atomic():
        amendment = Amendment.objects.create(
            declaration=declaration,
            version=version,
            paragraph_key=key,
            kind=kind,
            text=text,
            reason=reason,
            language=(language or declaration.original_language)[:10],
            proposer=user,
            organisation=found,
        )
        log_event("declaration.amendment_proposed", declaration, actor=user, amendment=amendment.pk)
    return amendment


def support_amendment(user: User, amendment: Amendment, organisation) -> Support:
    """One support per organisation; not for the organisation that proposed it."""
    declaration = amendment.declaration
    _check_participant(user, declaration)
    if not amendment.awaits_decision:
        raise Refused(_("This amendment has been decided."), code="decided")
    errors = checks.Errors()
    found = _organisation(errors, user, declaration, organisation, required=True)
    if found is not None and found.pk == amendment.organisation_id:
        errors.add("organisation", _("An organisation does not support its own amendment."))
    errors.raise_if_any()
    try:
        with transaction.atomic():
            support = Support.objects.create(amendment=amendment, organisation=found, user=user)
            log_event(
                "declaration.amendment_supported",
                declaration,
                actor=user,
                amendment=amendment.pk,
                organisation=found.pk,
            )
    except IntegrityError:
        raise Refused(
            _("This organisation already supports this amendment."), code="already_supported"
        ) from None
    return support


def endorse(user: User, declaration: Declaration, organisation) -> Endorsement:
    """A co-sponsor endorses the current version before the declaration opens; endorsing
    again after a new version moves the endorsement to it."""
    found = Organisation.objects.filter(
        pk=getattr(organisation, "pk", organisation), status=Organisation.Status.MEMBER
    ).first()
    if found is None or not permissions.can_endorse(user, declaration, found):
        raise PermissionDenied(_("Only a member organisation's representatives endorse for it."))
    if declaration.texts_frozen:
        raise _frozen()
    version = queries.current_version(declaration)
    if version is None:
        raise Refused(_("The draft has not been opened for comments yet."), code="no_draft")
    with transaction.atomic():
        endorsement, _created = Endorsement.objects.update_or_create(
            declaration=declaration,
            organisation=found,
            defaults={"version": version, "user": user, "created_at": timezone.now()},
        )
        log_event(
            "declaration.endorsed",
            declaration,
            actor=user,
            organisation=found.pk,
            version=version.number,
        )
    return endorsement


def set_history_public(user: User, declaration: Declaration, public: bool) -> Declaration:
    _require_manager(user, declaration)
    Declaration.objects.filter(pk=declaration.pk).update(drafting_history_public=bool(public))
    declaration.drafting_history_public = bool(public)
    log_event("declaration.history_visibility", declaration, actor=user, public=bool(public))
    return declaration


def next_key(declaration: Declaration) -> int:
    """A paragraph key no version of the declaration has used."""
    top = Paragraph.objects.filter(version__declaration=declaration).aggregate(top=Max("key"))
    return (top["top"] or 0) + 1
