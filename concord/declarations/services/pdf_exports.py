"""Asking for the declaration as a PDF: only its managers may (a build takes time), one build
at a time per content, and a finished PDF with the same content reused rather than rebuilt.

The content is summed up in `Export.content_key`: the declaration's state and text in that
language, and the signatures the annex lists (how many, how many by name, the latest
confirmation and invalidation). Public pages link only the latest finished file; older ones
are deleted once a newer one is built (`pdf.delete_superseded`).
"""

import hashlib
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.declarations import pdf, permissions
from concord.declarations.models import Declaration, Export, Signature

# A PDF build not finished after this long is taken as lost (its worker died); a new one may start.
EXPORT_STALE = timedelta(minutes=30)


def content_key(declaration: Declaration, language: str) -> str:
    """What the PDF would hold now, build time aside."""
    text = declaration.text_for(language)
    confirmed = Q(status=Signature.Status.CONFIRMED)
    annex = declaration.signatures.aggregate(
        count=Count("pk", filter=confirmed),
        named=Count("pk", filter=confirmed & Q(show_name=True)),
        confirmed=Max("confirmed_at"),
        invalidated=Max("invalidated_at"),
    )
    parts = [
        declaration.pk,
        language,
        declaration.status,
        declaration.closed_at,
        text.title if text else "",
        text.body if text else "",
        *sorted(annex.items()),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def request_pdf(user, declaration: Declaration, language: str) -> Export:
    """Start building a PDF unless one with the same content is built or being built."""
    if not permissions.can_manage(user, declaration):
        raise PermissionDenied(_("Only the declaration's organisers prepare its PDF."))
    with transaction.atomic():
        Declaration.objects.select_for_update().filter(pk=declaration.pk).first()
        key = content_key(declaration, language)
        same = (
            Export.objects.filter(
                declaration=declaration, kind=Export.Kind.PDF, language=language, content_key=key
            )
            .filter(
                Q(status=Export.Status.DONE)
                | Q(
                    status__in=[Export.Status.QUEUED, Export.Status.RUNNING],
                    created_at__gte=timezone.now() - EXPORT_STALE,
                )
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if same is not None:
            return same
        export = Export.objects.create(
            declaration=declaration, language=language, content_key=key, requested_by=user
        )
        transaction.on_commit(lambda: pdf.build_pdf.enqueue(export.pk))
    return export
