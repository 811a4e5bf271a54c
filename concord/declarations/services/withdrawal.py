"""A signer's rights over their signature: withdraw it while the declaration is open (by the
link in the confirmation email, or from "my signatures" when signed in), and hide their name
from the public list at any time (after closing, the only change left: the count is final).

Withdrawing deletes the row, so nothing of it is kept; the tallies lose it in the same
transaction and the audit log records that one was withdrawn, never by whom by address."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.core.audit import log_event
from concord.core.errors import Refused
from concord.declarations import counting, permissions
from concord.declarations.log import entries as log
from concord.declarations.log.models import LogEntry
from concord.declarations.models import Declaration, Signature
from concord.declarations.services.final_list import amend_final_list
from concord.declarations.services.signing import forget_confirmation_emails, hash_token


def can_still_withdraw(declaration: Declaration) -> bool:
    """Open, and its end not yet come: after that the count is final."""
    return declaration.is_open and not (
        declaration.closes_at and timezone.now() >= declaration.closes_at
    )


def bad_link() -> Refused:
    return Refused(_("This link is not valid."), status=400, code="bad_token")


def signature_for_link(declaration: Declaration, token: str) -> Signature:
    """The signature the emailed link names (its token is the confirmation token)."""
    # By the token's hash alone: with the declaration too, SQLite read all its signatures.
    signature = next(
        (
            found
            for found in Signature.objects.filter(token_hash=hash_token(token or ""))
            .exclude(token_hash="")
            .order_by()
            if found.declaration_id == declaration.pk
        ),
        None,
    )
    if signature is None or not token:
        raise bad_link()
    return signature


def withdraw_by_link(declaration: Declaration, token: str) -> None:
    _withdraw(signature_for_link(declaration, token).pk, actor=None)


def withdraw_mine(user, signature_id: int) -> None:
    _withdraw(_mine(user, signature_id).pk, actor=user)


def hide_name(user, signature_id: int) -> Signature:
    """Take the signer's name out of the public list (kept counted; allowed after closing)."""
    signature = _mine(user, signature_id)
    if not signature.show_name:
        return signature
    with transaction.atomic():
        if signature.status == Signature.Status.CONFIRMED:
            # Tallies count shown and hidden names apart: move this one across.
            counting.count_signatures([signature], sign=-1)
            signature.show_name = False
            counting.count_signatures([signature])
        signature.show_name = False
        Signature.objects.filter(pk=signature.pk).update(show_name=False)
        log_event("signature.name_hidden", signature.declaration, actor=user)
        if signature.status == Signature.Status.CONFIRMED:
            amend_final_list(signature.declaration, reason="a signatory hid their name", actor=user)
    return signature


def _mine(user, signature_id: int) -> Signature:
    signature = Signature.objects.select_related("declaration").filter(pk=signature_id).first()
    if signature is None or not permissions.is_signer(user, signature):
        raise bad_link()
    return signature


def _withdraw(signature_id: int, actor) -> None:
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update()
            .select_related("declaration")
            .filter(pk=signature_id)
            .first()
        )
        if signature is None:
            raise bad_link()
        declaration = signature.declaration
        if not can_still_withdraw(declaration):
            raise Refused(
                _("The declaration has closed: its count is final. You can still hide your name."),
                code="list_final",
            )
        if signature.status == Signature.Status.CONFIRMED:
            counting.count_signatures([signature], sign=-1)
            log.record([signature], log.Event.WITHDRAWN)
            # The entries stay (the log must) but nothing ties them to the address any more.
            LogEntry.objects.filter(signature_id=signature.pk).update(salt="", fields_salt="")
        forget_confirmation_emails(signature)
        status, country, kind = signature.status, signature.country_id, signature.kind
        signature.delete()
        log_event(
            "signature.withdrawn", declaration, actor=actor, was=status, country=country, kind=kind
        )
