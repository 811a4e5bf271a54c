"""The declaration as a PDF, with its annex of signatories by country (WeasyPrint).

Built by a background task (`build_pdf`), which reports progress on the Export row for the page to show,
stores the file under a random name and deletes the PDFs it supersedes.
Fonts come from the system (Noto covers Arabic, Cyrillic and Chinese); the URL fetcher
refuses every URL, so building a PDF never makes a network request.
"""

import hashlib
from itertools import groupby

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from concord.core.files import PDF, keep_newest_built, stored_name
from concord.core.pdf import html_to_pdf
from concord.countries.names import localised_name
from concord.declarations.models import Export, Signature
from concord.declarations.queries import declaration_stats


def _progress(export_id: int, percent: int, **fields) -> None:
    Export.objects.filter(pk=export_id).update(progress=percent, **fields)


def annex(declaration):
    """[(country name, [signatures shown by name], number withheld)] in country-name order."""
    signatures = (
        declaration.signatures.filter(status=Signature.Status.CONFIRMED)
        .select_related("organisation")
        .order_by("country_id", "name", "pk")
    )
    groups = []
    for code, rows in groupby(signatures.iterator(chunk_size=2000), key=lambda s: s.country_id):
        rows = list(rows)
        shown = [s for s in rows if s.show_name]
        groups.append((localised_name(code), shown, len(rows) - len(shown)))
    return sorted(groups, key=lambda group: group[0])


@task()
def build_pdf(export_id: int) -> None:
    """The background task: build one PDF (see `build`); safe to run again."""
    build(export_id)


def build(export_id: int) -> None:
    export = Export.objects.select_related("declaration").get(pk=export_id)
    if export.status == Export.Status.DONE:
        return
    declaration = export.declaration
    _progress(export_id, 5, status=Export.Status.RUNNING, error="")
    try:
        with translation.override(export.language):
            groups = annex(declaration)
            _progress(export_id, 35)
            html = render_to_string(
                "declarations/pdf.html",
                {
                    "declaration": declaration,
                    "text": declaration.text_for(export.language),
                    "stats": declaration_stats(declaration, fresh=True),
                    "groups": groups,
                    "generated_at": timezone.now(),
                    "language": export.language,
                },
            )
            _progress(export_id, 50)
            document = html_to_pdf(html)
    except Exception as error:
        _progress(export_id, 0, status=Export.Status.FAILED, error=str(error)[:2000])
        raise
    export.refresh_from_db()
    # A random name: a draft's PDF must not be found by guessing (`files.py` checks who asks).
    export.file.save(stored_name(PDF), ContentFile(document), save=False)
    export.sha256 = hashlib.sha256(document).hexdigest()
    export.signature_count = sum(len(shown) + withheld for _, shown, withheld in groups)
    export.status, export.progress, export.finished_at = Export.Status.DONE, 100, timezone.now()
    export.save()
    delete_superseded(declaration.pk, export.language)


def delete_superseded(declaration_id: int, language: str) -> None:
    """Keep only the newest finished PDF of a declaration in a language (and any being built)."""
    keep_newest_built(
        Export.objects.filter(
            declaration_id=declaration_id, kind=Export.Kind.PDF, language=language
        ),
        done=Export.Status.DONE,
        busy=[Export.Status.QUEUED, Export.Status.RUNNING],
    )
