"""Forgetting a person who deletes their account: their signatures.

While a declaration's list can still change, the person's signatures are deleted and a
confirmed one leaves the tallies in the same transaction. Once the list is final (closed or
published) a counted signature stays as an anonymous row, keeping only what the public list
shows of a hidden signer (country and day): the final count never changes. If the person had
shown their name, the public list loses it, so the list's fingerprint is taken again and the
audit log keeps both the old and the new one; PDFs holding the name are deleted (a new one
is built on request).
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Q

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.declarations import counting
from concord.declarations.log import entries as log
from concord.declarations.log.models import LogEntry
from concord.declarations.models import Declaration, Signature, SignatureIntake
from concord.declarations.services.final_list import amend_final_list


def signatures_of(user: User, addresses: list[str]):
    """The person's signatures: made while signed in, or from an address they verified."""
    return Signature.objects.filter(Q(user=user) | Q(email__in=addresses))


def anonymise(signature: Signature) -> None:
    # The address must stay unique per declaration: a reserved, undeliverable one.
    signature.email = f"erased-{signature.pk}@erased.invalid"
    signature.name = signature.organisation_name = signature.role = ""
    signature.organisation = signature.user = None
    signature.show_name = False
    signature.network = signature.flags = signature.token_hash = ""
    signature.token_expires_at = None
    signature.save()


def forget_person(user: User, addresses: list[str]) -> None:
    with transaction.atomic():
        SignatureIntake.objects.filter(payload__data__email__in=addresses).delete()
        by_declaration: dict[int, list[int]] = defaultdict(list)
        for declaration_id, pk in signatures_of(user, addresses).values_list(
            "declaration_id", "pk"
        ):
            by_declaration[declaration_id].append(pk)
        for declaration_id, ids in sorted(by_declaration.items()):
            declaration = Declaration.objects.select_for_update().get(pk=declaration_id)
            signatures = list(Signature.objects.select_for_update().filter(pk__in=ids))
            # The log keeps its entries (it must, to stay verifiable) but forgets their salts:
            # nobody, the platform included, can tie them to the address any more.
            LogEntry.objects.filter(signature_id__in=ids).update(salt="", fields_salt="")
            if declaration.signatures_can_change:
                withdraw(declaration, signatures)
            else:
                keep_anonymous(declaration, signatures)


def withdraw(declaration: Declaration, signatures: list[Signature]) -> None:
    confirmed = [s for s in signatures if s.status == Signature.Status.CONFIRMED]
    # Before the rows go: the log finds a signature's entries by its id.
    log.record(confirmed, log.Event.WITHDRAWN)
    Signature.objects.filter(pk__in=[s.pk for s in signatures]).delete()
    counting.count_signatures(confirmed, sign=-1)
    log_event("signatures.erased", declaration, count=len(signatures), confirmed=len(confirmed))


def keep_anonymous(declaration: Declaration, signatures: list[Signature]) -> None:
    shown = any(s.show_name and s.status == Signature.Status.CONFIRMED for s in signatures)
    # Never counted, never listed: nothing to keep.
    pending = [s.pk for s in signatures if s.status == Signature.Status.PENDING]
    Signature.objects.filter(pk__in=pending).delete()
    for signature in signatures:
        if signature.pk not in pending:
            anonymise(signature)
    log_event("signatures.anonymised", declaration, count=len(signatures) - len(pending))
    if shown:
        amend_final_list(declaration, reason="a signatory deleted their account")
