"""Reviewing signatures: choosing a set (by email domain, network, time, flag) and
invalidating it, which keeps the rows and takes them out of the counts at once."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.errors import Refused
from concord.declarations import counting
from concord.declarations.log import entries as log
from concord.declarations.models import Declaration, Signature
from concord.declarations.services.lifecycle import require_manager


def check_signatures_can_change(declaration: Declaration) -> None:
    """409 once the declaration has closed: the one answer of every path that would add or
    invalidate signatures (the review page, the import page, the import API)."""
    if not declaration.signatures_can_change:
        raise Refused(_("The declaration has closed; its list is final."), code="list_final")


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

    def reason_code(self) -> str:
        """How the signatures were chosen, for their log entries: the reviewer's own words
        stay in the audit trail, as they may name people."""
        ways = [
            name
            for name, used in (
                ("domain", self.domain),
                ("network", self.network),
                ("period", self.since or self.until),
                ("chosen", self.ids),
            )
            if used
        ]
        if self.flag:
            ways.insert(0, f"flag:{self.flag.strip()}")
        return "+".join(ways)[:40]

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


def still_counted(declaration: Declaration, selection: SignatureFilter) -> QuerySet[Signature]:
    """The matching signatures an invalidation would change: those not invalidated yet."""
    return selection.apply(declaration.signatures.exclude(status=Signature.Status.INVALIDATED))


def check_invalidation(
    user: User, declaration: Declaration, selection: SignatureFilter, reason: str
) -> int:
    """The refusals of `invalidate_signatures` without the write, for the page that asks to
    confirm first; answers how many signatures it would invalidate now."""
    require_manager(user, declaration)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give a reason; it is kept in the audit trail.")]})
    if selection.is_empty():
        raise ValidationError(_("Choose which signatures to invalidate."))
    check_signatures_can_change(declaration)
    return still_counted(declaration, selection).count()


def invalidate_signatures(
    user: User, declaration: Declaration, selection: SignatureFilter, reason: str
) -> int:
    """Mark matching signatures invalid (kept, never deleted); counts change at once."""
    check_invalidation(user, declaration, selection, reason)
    reason = reason.strip()
    with transaction.atomic():
        locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
        check_signatures_can_change(locked)
        matching = still_counted(locked, selection).select_for_update()
        chosen = list(matching)
        confirmed = [s for s in chosen if s.status == Signature.Status.CONFIRMED]
        Signature.objects.filter(pk__in=[s.pk for s in chosen]).update(
            status=Signature.Status.INVALIDATED,
            invalidated_at=timezone.now(),
            invalidated_by=user,
            invalidation_reason=reason[:500],
        )
        counting.count_signatures(confirmed, sign=-1)
        log.record(confirmed, log.Event.INVALIDATED, reason=selection.reason_code())
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
