"""The work of the declarations' periodic jobs (declarations/tasks.py runs them): closing
declarations whose end has come, telling the organisers a goal is reached, recounting, and
deleting unconfirmed signatures whose link has expired."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from concord.core.audit import log_event
from concord.core.emails import page_url, queue_email, recipient_language
from concord.core.errors import Refused
from concord.declarations import counting
from concord.declarations.models import Declaration, Signature
from concord.declarations.queries import declaration_stats
from concord.declarations.services.lifecycle import close_declaration
from concord.declarations.services.signing import forget_confirmation_emails


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
                    to=person,
                    template="declarations/emails/goal_reached",
                    context={
                        "declaration": declaration,
                        "stats": stats,
                        "title": declaration.title_for(recipient_language(person)),
                        "url": page_url("declarations:detail", declaration.slug),
                    },
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


def delete_expired_signatures(now: datetime | None = None) -> int:
    """Delete pending signatures whose link has expired, with the confirmation emails sent
    for them: nobody confirmed the address, so nothing of it is kept, and the address (which
    a stranger may have typed in) can sign again."""
    now = now or timezone.now()
    deleted = 0
    expired = Signature.objects.filter(
        status=Signature.Status.PENDING, token_expires_at__lt=now
    ).order_by("pk")
    for signature in expired.iterator():
        with transaction.atomic():
            gone, _counts = Signature.objects.filter(
                pk=signature.pk, status=Signature.Status.PENDING, token_expires_at__lt=now
            ).delete()
            if gone:
                forget_confirmation_emails(signature)
                deleted += 1
    return deleted
