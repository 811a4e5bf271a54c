"""Asking for the declaration as a PDF: one build at a time per language, and a finished
PDF reused while it still lists exactly the counted signatures."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from concord.declarations import pdf
from concord.declarations.models import Declaration, Export

# A PDF build not finished after this long is taken as lost (its worker died); a new one may start.
EXPORT_STALE = timedelta(minutes=30)


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
        transaction.on_commit(lambda: pdf.build_pdf.enqueue(export.pk))
    return export
